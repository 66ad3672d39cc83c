/**
 * PersistentMap against a plain Map as the model: every sequence of sets and
 * deletes (with keys that share hash prefixes and keys whose hashes are
 * equal) gives the same entries and size, and every earlier version stays
 * as it was (PD-271).
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { hashOf, PersistentMap } from "./persistent_map.ts";

// Pairs of keys with equal 32-bit hashes (found by a birthday search over `id-<n>`).
const COLLIDING: readonly (readonly [string, string])[] = [
  ["id-149599", "id-312382"],
  ["id-149598", "id-312383"],
  ["id-149593", "id-312388"],
];

Deno.test("the colliding fixtures really collide (PD-271)", () => {
  for (const [a, b] of COLLIDING) assert.equal(hashOf(a), hashOf(b));
});

const KEYS = [
  ...COLLIDING.flat(),
  ...Array.from({ length: 40 }, (_, i) => `k${i}`),
  "",
  "romeo@example.net/garden\nq-1",
];

type Op = { set: string; value: number } | { del: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: fc.constantFrom(...KEYS), value: fc.integer() }),
  fc.record({ del: fc.constantFrom(...KEYS) }),
);

const sorted = (m: Iterable<[string, number]>) =>
  [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

Deno.test("PersistentMap behaves as a Map and keeps every version (PD-271)", () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const model = new Map<string, number>();
      let map = PersistentMap.empty<number>();
      const versions: [PersistentMap<number>, [string, number][]][] = [];
      for (const o of ops) {
        if ("set" in o) {
          model.set(o.set, o.value);
          map = map.set(o.set, o.value);
        } else {
          model.delete(o.del);
          map = map.delete(o.del);
        }
        assert.equal(map.size, model.size);
        versions.push([map, sorted(model)]);
      }
      for (const k of KEYS) {
        assert.equal(map.get(k), model.get(k));
        assert.equal(map.has(k), model.has(k));
      }
      assert.deepEqual(sorted(map.entries()), sorted(model));
      assert.deepEqual(sorted(Object.entries(map.toRecord())), sorted(model));
      // The trie's shape depends only on the keys (except the order inside an equal-hash pair).
      const both = COLLIDING.some(([a, b]) => model.has(a) && model.has(b));
      const fresh = sorted(model).reduce((m, [k, v]) => m.set(k, v), PersistentMap.empty<number>());
      if (!both) assert.deepEqual(map, fresh);
      for (const [v, entries] of versions) {
        assert.deepEqual(sorted(v), entries);
        assert.equal(v.size, entries.length);
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("PersistentMap: order of insertion changes neither equality nor iteration (PD-271)", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...KEYS)), (keys) => {
      const a = keys.reduce((m, k) => m.set(k, 1), PersistentMap.empty<number>());
      const b = [...keys].reverse().reduce((m, k) => m.set(k, 1), PersistentMap.empty<number>());
      assert.ok(a.equals(b));
      // Keys with equal hashes keep the order they came in; everything else is in hash order.
      const plain = (m: PersistentMap<number>) =>
        [...m.keys()].filter((k) => !COLLIDING.flat().includes(k));
      assert.deepEqual(plain(a), plain(b));
    }),
  );
});

Deno.test("PersistentMap: deleting an absent key returns the same map; fromRecord/toRecord round trip (PD-271)", () => {
  const m = PersistentMap.fromRecord({ a: "1", b: "2" });
  assert.equal(m.delete("c"), m);
  assert.equal(m.size, 2);
  assert.deepEqual(m.toRecord(), { a: "1", b: "2" });
  assert.equal(m.set("a", "1").size, 2);
  assert.ok(!m.equals(m.set("a", "3")));
  assert.equal(m.delete("a").delete("b").size, 0);
  assert.deepEqual(m.delete("a").delete("b").toRecord(), {});
  assert.equal(PersistentMap.empty().get("x"), undefined);
});

Deno.test("PersistentMap: 10,000 entries in and out, each version's size right (PD-271)", () => {
  let m = PersistentMap.empty<string>();
  for (let i = 0; i < 10_000; i++) m = m.set(`q-${i}`, `to-${i}`);
  assert.equal(m.size, 10_000);
  assert.equal(m.get("q-4321"), "to-4321");
  const half = m;
  for (let i = 0; i < 10_000; i += 2) m = m.delete(`q-${i}`);
  assert.equal(m.size, 5_000);
  assert.equal(half.size, 10_000);
  assert.equal(half.get("q-0"), "to-0");
  assert.equal(m.get("q-0"), undefined);
  assert.equal(m.get("q-1"), "to-1");
  for (let i = 1; i < 10_000; i += 2) m = m.delete(`q-${i}`);
  assert.equal(m.size, 0);
  assert.deepEqual([...m.keys()], []);
});

Deno.test("PersistentMap: deep equality sees the entries, whatever the order of changes (PD-271)", () => {
  const a = PersistentMap.empty<number>().set("x", 1).set("y", 2);
  const b = PersistentMap.empty<number>().set("y", 2).set("z", 3).set("x", 1).delete("z");
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, PersistentMap.empty<number>().set("x", 1).set("w", 2));
  assert.notDeepEqual(a, a.set("y", 3));
});
