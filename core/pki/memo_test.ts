/**
 * The memo tables: least-recently-used eviction and resizing, verdicts held
 * per memoised object and issuer key, refused capacities, and validation
 * answers that do not depend on the capacity (PD-261).
 */
import assert from "node:assert/strict";
import { SeededEntropy } from "../entropy.ts";
import { createHierarchy } from "./hierarchy.ts";
import { fromHex } from "../bytes.ts";
import { listVectorFiles, loadVectorFile } from "../vectors.ts";
import { Memo, VerdictMemo } from "./memo.ts";
import { parseCertificate } from "./parse.ts";
import {
  clearPkiMemo,
  DEFAULT_CERTIFICATE_MEMO_CAPACITY,
  setPkiMemoCapacity,
  validateChain,
} from "./validate.ts";

Deno.test("PD-261: Memo keeps the most recently used entries and resizes", () => {
  const m = new Memo<number>(3);
  let computed = 0;
  const get = (k: string) => m.get(k, () => ++computed);
  get("a"), get("b"), get("c");
  assert.equal(get("a"), 1); // hit: "a" is now the most recent
  get("d"); // evicts "b", the least recently used
  assert.equal(m.size, 3);
  assert.equal(get("b"), 5);
  assert.equal(get("a"), 1);
  m.resize(1); // keeps only "a"
  assert.equal(m.limit, 1);
  assert.equal(m.size, 1);
  assert.equal(get("a"), 1);
  assert.equal(get("c"), 6);
  m.resize(10);
  assert.equal(get("c"), 6);
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => m.resize(bad), { code: "core/invalid-argument" });
    assert.throws(() => new Memo(bad), { code: "core/invalid-argument" });
  }
});

Deno.test("PD-261: VerdictMemo computes once per object and issuer tag, and forgets when cleared", () => {
  const v = new VerdictMemo<string>();
  const a = {}, b = {};
  let computed = 0;
  const get = (o: object, tag: string) => v.get(o, tag, () => `${tag}#${++computed}`);
  assert.equal(get(a, "k1"), "k1#1");
  assert.equal(get(a, "k1"), "k1#1");
  assert.equal(get(b, "k1"), "k1#2"); // another object: its own verdict
  assert.equal(get(a, "k2"), "k2#3"); // another issuer key: its own verdict
  assert.equal(get(a, "k1"), "k1#1");
  // A fifth issuer key for one object starts its verdict list afresh (bounded per object).
  get(a, "k3"), get(a, "k4"), get(a, "k5");
  assert.equal(get(a, "k5"), "k5#6");
  assert.equal(get(a, "k1"), "k1#7");
  v.clear();
  assert.equal(get(b, "k1"), "k1#8");
});

Deno.test("PD-261 PD-82: validation answers do not depend on the memo capacity", () => {
  const h = createHierarchy({
    suite: "x25519-ed25519",
    now: Date.UTC(2025, 5, 1),
    peers: Array.from(
      { length: 6 },
      (_, i) => ({ commonName: `IED-${i}`, jid: `ied${i}@grid.example` }),
    ),
    revoked: [],
  }, new SeededEntropy("memo-capacity"));
  const broken = h.chains[1].map((c, i) => i === 0 ? c.with(c.length - 3, c[c.length - 3] ^ 1) : c);
  const chains = [...h.chains, broken, [h.chains[2][0]]];
  const answers = () =>
    [0, 1, 2].flatMap(() =>
      chains.map((c, i) =>
        JSON.stringify(validateChain(c, { ...h.policy, expectedJid: `ied${i}@grid.example` }))
      )
    );
  try {
    const reference = answers();
    assert.ok(reference.some((a) => a.includes('"ok":true')));
    assert.ok(reference.some((a) => a.includes("pki/bad-signature")));
    for (const capacity of [1, 2, 3, 100]) {
      clearPkiMemo();
      setPkiMemoCapacity(capacity);
      assert.deepEqual(answers(), reference, `capacity ${capacity}`);
    }
    assert.throws(() => setPkiMemoCapacity(0), { code: "core/invalid-argument" });
  } finally {
    setPkiMemoCapacity(DEFAULT_CERTIFICATE_MEMO_CAPACITY);
  }
});

Deno.test("PD-261: remembered extension values give the same parse and refusals as a cold parse", () => {
  const ders: Uint8Array[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === "string" && /^30[0-9a-f]{80,}$/.test(v)) ders.push(fromHex(v));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  for (const path of listVectorFiles().filter((f) => f.startsWith("pki/"))) {
    collect(loadVectorFile(path));
  }
  const show = (der: Uint8Array) => JSON.stringify(parseCertificate(der));
  const cold = ders.map((der) => {
    clearPkiMemo();
    return show(der);
  });
  const warm = ders.map(show);
  assert.deepEqual(warm, cold);
  assert.ok(
    cold.some((c) => c.includes("extension value is not DER")),
    "an extension value refused",
  );
});
