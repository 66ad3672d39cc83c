/**
 * Fast-check properties of the whole group: random sequences of joins,
 * evictions, sends, rotations, clock steps and replayed rekeys, run through
 * one key server and its members with real certificates (GroupSim).
 *
 * An evicted member is modelled as an adversary that kept every key it held
 * when it was evicted. After every step:
 * - agreement: every member holds the same traffic keys and group key as the
 *   key server;
 * - forward secrecy: no key an evicted member kept opens a message sent, or a
 *   wrap pushed, after its eviction, and messages it forges with those keys
 *   are refused by every member;
 * - backward secrecy: no key a member holds opens a message sent before it
 *   joined;
 * - replayed and rolled-back rekeys are refused and change nothing.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex, utf8 } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { type TrafficKey, unwrapNodeKey, unwrapTeks } from "./keywrap.ts";
import type { MemberState } from "./member_types.ts";
import { currentKey, EMPTY_KEYRING } from "./keyring.ts";
import { decodeMessage, type Rekey } from "./messages.ts";
import { decodeSpdu, openSpdu, protectSpdu } from "./spdu.ts";
import { groupFixture, GroupSim } from "./testing.ts";

const POOL = [
  "pub@grid.example",
  "der1@grid.example",
  "der2@grid.example",
  "der3@grid.example",
  "der4@grid.example",
  "der5@grid.example",
];
const PUB = POOL[0];
const fixture = groupFixture({ jids: POOL, seed: "property" });
const suite = getSuite(fixture.suite);

type Action =
  | { kind: "join"; who: number }
  | { kind: "evict"; who: number[] }
  | { kind: "send"; stream: number; text: string }
  | { kind: "rotate" }
  | { kind: "wait"; ms: number }
  | { kind: "replay"; who: number; back: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      who: fc.nat({ max: POOL.length - 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("evict" as const),
      who: fc.uniqueArray(fc.nat({ max: POOL.length - 1 }), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      stream: fc.nat({ max: 1 }),
      text: fc.string({ maxLength: 12 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rotate" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      ms: fc.integer({ min: 1, max: 600_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("replay" as const),
      who: fc.nat({ max: POOL.length - 1 }),
      back: fc.nat({ max: 4 }),
    }),
  },
);

/** What an adversary knows: tree keys by `level/pos/version`, and traffic keys. */
interface Knowledge {
  readonly nodes: Map<string, Uint8Array>;
  readonly teks: TrafficKey[];
}

interface Evicted {
  readonly jid: string;
  readonly knows: Knowledge;
  /** Index of the first rekey and first message after its eviction. */
  readonly rekeysFrom: number;
  readonly spdusFrom: number;
}

interface Joined {
  readonly knows: Knowledge;
  /** Rekeys and messages sent before (and with) its join. */
  readonly rekeysTo: number;
  readonly spdusTo: number;
}

const nodeName = (level: number, pos: number, version: number) => `${level}/${pos}/${version}`;

function knowledgeOf(s: MemberState): Knowledge {
  const nodes = new Map<string, Uint8Array>();
  for (const k of s.keys!.path) nodes.set(nodeName(k!.level, k!.pos, k!.version), k!.key);
  return { nodes, teks: [...s.keyring.keys] };
}

/** Everything an adversary can unwrap from recorded rekeys with what it knows (a fixpoint). */
function closure(k: Knowledge, rekeys: readonly Uint8Array[]): Knowledge {
  const nodes = new Map(k.nodes);
  const teks = [...k.teks];
  const parsed = rekeys.map((d) => decodeMessage(d).message as Rekey);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of parsed) {
      for (const w of r.wraps) {
        const target = nodeName(w.target.level, w.target.pos, w.targetVersion);
        const by = nodes.get(nodeName(w.by.level, w.by.pos, w.byVersion));
        if (!by || nodes.has(target)) continue;
        nodes.set(target, unwrapNodeKey(suite, r.groupId, w, by));
        changed = true;
      }
      if (r.tekBundle && !teks.some((x) => x.keyId === r.teks[0].keyId)) {
        const root = nodes.get(nodeName(r.height, 0, r.tekBundle.rootVersion));
        if (root) {
          teks.push(...unwrapTeks(suite, r.groupId, r.teks, r.tekBundle, root));
          changed = true;
        }
      }
    }
  }
  return { nodes, teks };
}

const opens = (tek: TrafficKey, data: Uint8Array): boolean => {
  try {
    openSpdu(suite, tek, decodeSpdu(data));
    return true;
  } catch {
    return false;
  }
};

/**
 * Runs `actions`. With a join batch window (PD-267) a joining member waits
 * (phase `proving`) until a tick, rotation or eviction issues its rekey; it
 * counts as joined from the step that made it a member.
 */
function run(actions: Action[], joinBatchMs = 0): void {
  const sim = new GroupSim(fixture, "property", { joinBatchMs });
  const evicted: Evicted[] = [];
  const joined = new Map<string, Joined>();
  const members = () =>
    [...sim.members.entries()].filter(([, s]) => s.phase === "member").map(([j]) => j);
  for (const a of actions) {
    const before = new Set(members());
    switch (a.kind) {
      case "join": {
        const jid = POOL[a.who];
        const phase = sim.phase(jid);
        if (phase === "member" || phase === "proving") break;
        const out = sim.register(jid);
        // spec: PD-267
        if (joinBatchMs === 0) {
          assert.ok(
            out.some((o) => o.type === "event" && o.event.type === "registered"),
            JSON.stringify(out),
          );
        } else assert.equal(sim.phase(jid), "proving", JSON.stringify(out));
        break;
      }
      case "evict": {
        const jids = a.who.map((i) => POOL[i]).filter((j) => sim.phase(j) === "member");
        if (jids.length === 0) break;
        const before = jids.map((jid) => ({ jid, knows: knowledgeOf(sim.members.get(jid)!) }));
        sim.evict(jids);
        for (const b of before) {
          // spec: RFC6407-4.fwd
          assert.equal(sim.phase(b.jid), "excluded");
          evicted.push({
            ...b,
            rekeysFrom: sim.traffic.rekeys.length - 1,
            spdusFrom: sim.traffic.spdus.length,
          });
        }
        break;
      }
      case "send": {
        if (sim.phase(PUB) !== "member") break;
        const stream = `stream-${a.stream + 1}`;
        const data = sim.protect(PUB, stream, utf8(a.text));
        assert.ok(data, "a member publisher protects");
        for (const jid of members()) {
          const out = sim.receive(jid, data);
          const d = out.find((o) => o.type === "deliver");
          assert.ok(
            d?.type === "deliver" && toHex(d.payload) === toHex(utf8(a.text)),
            `${jid}: ${JSON.stringify(out)}`,
          );
        }
        break;
      }
      case "rotate":
        sim.rotate();
        break;
      case "wait":
        sim.now += a.ms;
        sim.tick();
        break;
      case "replay": {
        const jid = POOL[a.who];
        const state = sim.members.get(jid);
        const rekeys = sim.traffic.rekeys;
        if (state?.phase !== "member" || rekeys.length === 0) break;
        const old = rekeys[Math.max(0, rekeys.length - 1 - a.back)];
        const out = sim.deliver(jid, old);
        // spec: RFC6407-4.seq
        const code = out.find((o) => o.type === "error");
        assert.ok(
          code?.type === "error" &&
            (code.code === "gdoi/rekey-replayed" || code.code === "gdoi/rekey-stale"),
          JSON.stringify(out),
        );
        assert.equal(sim.members.get(jid), state, "a refused rekey changes nothing");
        break;
      }
    }
    for (const jid of members()) {
      if (before.has(jid)) continue;
      joined.set(jid, {
        knows: knowledgeOf(sim.members.get(jid)!),
        rekeysTo: sim.traffic.rekeys.length,
        spdusTo: sim.traffic.spdus.length,
      });
    }
    checkInvariants(sim, evicted, joined);
  }
}

function checkInvariants(sim: GroupSim, evicted: Evicted[], joined: Map<string, Joined>): void {
  const root = sim.ks.tree.root();
  const serverKeys = sim.ks.teks.map((k) => `${k.keyId}:${toHex(k.key)}`).sort();
  for (const [jid, s] of sim.members) {
    if (s.phase !== "member") continue;
    // spec: RFC2627-tree PD-114
    const mine = s.keys!.path[s.keys!.height]!;
    assert.equal(mine.version, root.version, `${jid} root version`);
    assert.equal(toHex(mine.key), toHex(root.key), `${jid} root key`);
    // Same newest key per stream as the server; nothing the server does not hold.
    const held = s.keyring.keys.map((k) => `${k.keyId}:${toHex(k.key)}`);
    for (const k of held) {
      assert.ok(serverKeys.includes(k), `${jid} holds a key the server does not`);
    }
    for (const stream of ["stream-1", "stream-2"]) {
      const want = currentKey({ ...EMPTY_KEYRING, keys: sim.ks.teks }, stream, sim.now);
      const got = currentKey(s.keyring, stream, sim.now);
      assert.equal(got?.keyId, want?.keyId, `${jid} sends ${stream} under another key`);
    }
    // spec: RFC6407-4.bwd RFC2627-join
    const j = joined.get(jid);
    if (j) {
      const learnt = closure(j.knows, sim.traffic.rekeys.slice(0, j.rekeysTo));
      for (const data of sim.traffic.spdus.slice(0, j.spdusTo)) {
        for (const tek of learnt.teks) {
          assert.ok(!opens(tek, data), `${jid} reads a message from before its join`);
        }
      }
    }
  }
  for (const e of evicted) {
    // spec: RFC6407-4.fwd RFC2627-leave PAPER-R4b PAPER-R6b
    const learnt = closure(e.knows, sim.traffic.rekeys.slice(e.rekeysFrom));
    assert.equal(
      learnt.teks.length,
      e.knows.teks.length,
      `${e.jid} unwraps a traffic key after its eviction`,
    );
    for (const data of sim.traffic.spdus.slice(e.spdusFrom)) {
      for (const tek of learnt.teks) {
        assert.ok(!opens(tek, data), `${e.jid} reads a message after its eviction`);
      }
    }
    // Forgery with a kept key: every member refuses it.
    if (e.knows.teks.length > 0) {
      const tek = e.knows.teks[0];
      const forged = protectSpdu(suite, tek, {
        spdu: 1_000_000,
        time: sim.now,
        ttl: 2_000,
        sender: PUB,
      }, utf8("trip"));
      for (const [jid, s] of sim.members) {
        if (s.phase !== "member") continue;
        const out = sim.receive(jid, forged);
        assert.ok(!out.some((o) => o.type === "deliver"), `${jid} accepted a forgery by ${e.jid}`);
      }
    }
  }
}

Deno.test("group: agreement, forward and backward secrecy, replayed rekeys refused (RFC6407-4.fwd RFC6407-4.bwd RFC6407-4.seq)", () => {
  // spec: RFC6407-4.fwd RFC6407-4.bwd RFC6407-4.seq RFC2627-join RFC2627-leave PAPER-R4b PAPER-R6b
  fc.assert(fc.property(fc.array(action, { minLength: 4, maxLength: 24 }), (a) => run(a)), {
    numRuns: 40,
    seed: 6407,
  });
});

Deno.test("group: with joins batched (PD-267), agreement, forward and backward secrecy hold (RFC6407-4.bwd RFC6407-4.fwd)", () => {
  // spec: PD-267 RFC6407-4.fwd RFC6407-4.bwd RFC6407-4.seq RFC2627-join RFC2627-leave
  fc.assert(
    fc.property(
      fc.array(action, { minLength: 4, maxLength: 24 }),
      fc.constantFrom(1, 1_000, 20_000),
      run,
    ),
    { numRuns: 40, seed: 267 },
  );
});

Deno.test("group: a scripted run with every kind of step", () => {
  run([
    { kind: "join", who: 0 },
    { kind: "join", who: 1 },
    { kind: "join", who: 2 },
    { kind: "send", stream: 0, text: "open" },
    { kind: "join", who: 3 },
    { kind: "send", stream: 1, text: "close" },
    { kind: "evict", who: [1, 2] },
    { kind: "send", stream: 0, text: "trip" },
    { kind: "replay", who: 0, back: 1 },
    { kind: "wait", ms: 3_600_000 },
    { kind: "send", stream: 0, text: "after rotation" },
    { kind: "join", who: 1 },
    { kind: "send", stream: 1, text: "again" },
    { kind: "rotate" },
    { kind: "replay", who: 1, back: 0 },
  ]);
});
