/**
 * Tests of the logical key hierarchy: cost bounds, rebalancing, refusals, and
 * a fast-check property that a key server's tree and its members' views stay
 * in step through any batch of joins and evictions.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { heightFor, LkhTree, MAX_HEIGHT } from "./lkh.ts";
import { applyTreeUpdate, isComplete, type MemberKeys, memberKeysFrom } from "./lkh_member.ts";

const suite = getSuite("x25519-ed25519");
const G = "g";

const update = (tree: LkhTree, evict: number[], joins: number, seed = "u") =>
  tree.update({ evict, joins, suite, groupId: G, entropy: new SeededEntropy(seed) });

Deno.test("lkh: heights are ceil(log2 N), at least 1 (PD-114)", () => {
  // spec: PD-114
  const cases: [number, number][] = [
    [0, 1],
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 3],
    [1000, 10],
    [1024, 10],
    [1025, 11],
    [10 ** 6, 20],
  ];
  for (const [n, h] of cases) assert.equal(heightFor(n), h, `N=${n}`);
  const t = LkhTree.create(16, new SeededEntropy(1), 1000);
  assert.equal(t.size, 1000);
  assert.equal(t.height, 10);
  assert.equal(t.countAt(10, 0), 1000);
  assert.equal(t.countAt(1, 499), 2);
  assert.equal(t.countAt(1, 500), 0);
  assert.ok(t.isOccupied(999) && !t.isOccupied(1000));
});

Deno.test("lkh: a single eviction costs at most 2·ceil(log2 N) wraps with the traffic key (RFC2627-leave)", () => {
  // spec: RFC2627-leave PD-114
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 64, 100, 1000]) {
    for (const victim of [0, Math.floor(n / 2), n - 1]) {
      const t = LkhTree.create(16, new SeededEntropy(n), n);
      const u = update(t, [victim], 0);
      const total = u.wraps.length + (n > 1 ? 1 : 0); // one traffic-key wrap when anyone is left
      assert.ok(total <= 2 * Math.ceil(Math.log2(n)), `N=${n} victim=${victim}: ${total} wraps`);
      assert.equal(t.size, n - 1);
    }
  }
});

Deno.test("lkh: a join costs at most one wrap per level (RFC2627-join)", () => {
  // spec: RFC2627-join
  for (const n of [1, 2, 3, 8, 100, 1023]) {
    const t = LkhTree.create(16, new SeededEntropy(n), n);
    const before = t.lastVersion;
    const u = update(t, [], 1);
    assert.ok(u.wraps.length <= t.height, `N=${n}: ${u.wraps.length} wraps`);
    assert.equal(u.joined.length, 1);
    // The newcomer's whole path is fresh.
    for (const k of t.pathKeys(u.joined[0])) assert.ok(k.version > before);
  }
});

Deno.test("lkh: shrinking moves members left and keeps them in step (PD-114)", () => {
  // spec: PD-114 RFC6407-5.lkh
  const t = LkhTree.create(16, new SeededEntropy(2), 16);
  const members = new Map<number, MemberKeys>();
  for (let leaf = 0; leaf < 16; leaf++) {
    members.set(leaf, memberKeysFrom(leaf, 4, t.pathKeys(leaf)));
  }
  const evict = [0, 1, 2, 3, 5, 6, 8, 9, 10, 12];
  const u = update(t, evict, 0);
  assert.equal(t.height, 3);
  assert.ok(u.moves.length > 0 && u.moves.every((m) => m.from >= 8 && m.to < 8));
  for (const e of evict) members.delete(e);
  for (const [, k] of members) {
    const next = applyTreeUpdate(suite, G, k, u);
    assert.ok(isComplete(next));
    assert.deepEqual(
      next.path.map((p) => toHex(p!.key)),
      t.pathKeys(next.leaf).map((p) => toHex(p.key)),
    );
  }
});

Deno.test("lkh: refused updates change nothing", () => {
  const t = LkhTree.create(16, new SeededEntropy(3), 5);
  const root = toHex(t.root().key), version = t.lastVersion;
  for (const evict of [[5], [7], [-1], [1, 1], [0.5]]) {
    assert.throws(() => update(t, evict, 0), (e) => isDerlinkError(e, GdoiError["unknown-member"]));
  }
  assert.throws(() => update(t, [], -1), (e) => isDerlinkError(e, GdoiError["invalid-input"]));
  assert.throws(
    () => update(t, [], 2 ** MAX_HEIGHT),
    (e) => isDerlinkError(e, GdoiError.exhausted),
  );
  assert.equal(toHex(t.root().key), root);
  assert.equal(t.lastVersion, version);
  assert.equal(t.size, 5);
});

Deno.test("lkh: clone is independent; storage is typed arrays of about 55 bytes per member", () => {
  const t = LkhTree.create(16, new SeededEntropy(4), 1024);
  const c = t.clone();
  update(t, [3], 0);
  assert.notEqual(toHex(t.root().key), toHex(c.root().key));
  assert.equal(c.size, 1024);
  // 2N nodes × (16-byte key + 4-byte version + 4-byte count) for a full tree.
  assert.equal(c.storageBytes(), (2 * 1024 - 1) * 24);
});

type Batch = { evict: number[]; joins: number };

Deno.test("lkh: members and server agree through any batches; evicted keys open no later wrap (RFC2627-tree)", () => {
  // spec: RFC2627-tree RFC2627-join RFC2627-leave RFC6407-5.lkh
  const batch = fc.record({
    evict: fc.array(fc.nat(), { maxLength: 6 }),
    joins: fc.nat({ max: 6 }),
  });
  fc.assert(
    fc.property(
      fc.nat({ max: 20 }),
      fc.array(batch, { maxLength: 12 }),
      (start, batches: Batch[]) => {
        const entropy = new SeededEntropy(`lkh/${start}`);
        const t = LkhTree.create(16, entropy, start);
        let members = new Map<number, MemberKeys>(); // member id → keys
        let nextId = 0;
        for (let leaf = 0; leaf < start; leaf++) {
          members.set(nextId++, memberKeysFrom(leaf, t.height, t.pathKeys(leaf)));
        }
        for (const b of batches) {
          const ids = [...members.keys()];
          const victims = [
            ...new Set(b.evict.filter(() => ids.length > 0).map((i) => ids[i % ids.length])),
          ];
          const evictedKeys = new Set<string>();
          for (const v of victims) {
            for (const k of members.get(v)!.path) {
              evictedKeys.add(
                `${k!.level}/${k!.pos}/${k!.version}`,
              );
            }
          }
          const versionBefore = t.lastVersion;
          const u = t.update({
            evict: victims.map((v) => members.get(v)!.leaf),
            joins: b.joins,
            suite,
            groupId: G,
            entropy,
          });
          for (const w of u.wraps) {
            assert.ok(
              !evictedKeys.has(`${w.by.level}/${w.by.pos}/${w.byVersion}`),
              "an evicted key wraps",
            );
          }
          const next = new Map<number, MemberKeys>();
          for (const [id, k] of members) {
            if (!victims.includes(id)) next.set(id, applyTreeUpdate(suite, G, k, u));
          }
          for (const leaf of u.joined) {
            const path = t.pathKeys(leaf);
            for (const k of path) {
              assert.ok(
                k.version > versionBefore,
                "a newcomer sees an old key",
              );
            }
            next.set(nextId++, memberKeysFrom(leaf, t.height, path));
          }
          members = next;
          assert.equal(t.size, members.size);
          assert.equal(t.height, heightFor(members.size));
          const root = toHex(t.root().key);
          for (const [, k] of members) {
            assert.ok(isComplete(k));
            assert.ok(t.isOccupied(k.leaf));
            assert.equal(toHex(k.path[k.height]!.key), root);
          }
          assert.equal(new Set([...members.values()].map((k) => k.leaf)).size, members.size);
        }
      },
    ),
    { numRuns: 150, seed: 2627 },
  );
});
