/**
 * Joins batched in one rekey (PD-267): the key server's `joinBatchMs`
 * window, what waits, what a waiting member may and may not get, and how
 * other rekeys and evictions treat the waiting ones.
 */
import assert from "node:assert/strict";
import { utf8 } from "../../core/bytes.ts";
import { keyServer } from "./key_server.ts";
import { member } from "./member.ts";
import type { KeyServerOutput } from "./key_server_types.ts";
import { groupFixture, GroupSim, T0 } from "./testing.ts";

const POOL = [
  "pub@grid.example",
  "der1@grid.example",
  "der2@grid.example",
  "der3@grid.example",
  "der4@grid.example",
];
const [PUB, D1, D2, D3, D4] = POOL;
const fixture = groupFixture({ jids: POOL, seed: "batch" });
const WINDOW = 1_000;

const kinds = (out: readonly KeyServerOutput[]) => out.map((o) => o.type);
const rekeysIn = (out: readonly KeyServerOutput[]) => out.filter((o) => o.type === "rekey").length;

/** A group whose publisher has joined (in a batch of one). */
function started(): GroupSim {
  const sim = new GroupSim(fixture, "batch", { joinBatchMs: WINDOW });
  sim.register(PUB);
  sim.now += WINDOW;
  sim.tick();
  assert.equal(sim.phase(PUB), "member");
  return sim;
}

Deno.test("PD-267: members admitted within the window join in one rekey; the others apply it once", () => {
  // spec: PD-267 RFC2627-join PD-114
  const sim = started();
  const seq = sim.ks.seq;
  const applied = () => (sim.outputs.get(PUB) ?? []).filter((o) => o.type === "event").length;
  const before = applied();
  for (const jid of [D1, D2, D3]) {
    sim.register(jid);
    assert.equal(sim.phase(jid), "proving", "waits for the batch");
    sim.now += 100;
  }
  assert.equal(sim.ks.seq, seq, "no rekey yet");
  assert.deepEqual(sim.ks.admitting.map((a) => a.jid), [D1, D2, D3]);
  // Due one window after the first admission, not after the last.
  sim.now = sim.ks.admitting[0].at + WINDOW - 1;
  assert.equal(rekeysIn(sim.tick()), 0);
  sim.now += 1;
  const out = sim.tick();
  assert.equal(rekeysIn(out), 1);
  assert.deepEqual(kinds(out).filter((k) => k !== "timer"), [
    "send",
    "send",
    "send",
    "rekey",
    "member-added",
    "member-added",
    "member-added",
  ]);
  assert.equal(sim.ks.seq, seq + 1);
  for (const jid of [PUB, D1, D2, D3]) {
    assert.equal(sim.phase(jid), "member", jid);
    assert.equal(sim.members.get(jid)!.seq, seq + 1, jid);
  }
  assert.equal(applied() - before, 1, "the publisher applied one rekey for three joins");
  assert.deepEqual(sim.ks.admitting, []);
});

Deno.test("PD-267: an admission arms the key server's timer at the end of the window", () => {
  // spec: PD-267
  const sim = started();
  sim.register(D1);
  const timers = sim.ksOutputs.filter((o) => o.type === "timer");
  assert.equal(timers.at(-1)?.type === "timer" && timers.at(-1)!.at, sim.now + WINDOW);
});

Deno.test("PD-267: a waiting member holds no key, and after its batch none that protected earlier traffic (RFC6407-4.bwd)", () => {
  // spec: PD-267 RFC6407-4.bwd RFC6407-3.kd
  const sim = started();
  const oldKeyIds = sim.ks.teks.map((k) => k.keyId);
  sim.register(D1);
  assert.equal(sim.members.get(D1)!.keyring.keys.length, 0);
  const early = sim.protect(PUB, "stream-1", utf8("before the join"))!;
  const refused = sim.receive(D1, early);
  assert.ok(refused.some((o) => o.type === "error" && o.code === "gdoi/not-member"));
  sim.now += WINDOW;
  sim.tick();
  const held = sim.members.get(D1)!.keyring.keys.map((k) => k.keyId);
  assert.ok(held.length > 0 && held.every((id) => !oldKeyIds.includes(id)), `${held}`);
  const late = sim.receive(D1, early);
  assert.ok(late.some((o) => o.type === "error" && o.code === "group/unknown-key"));
  const after = sim.protect(PUB, "stream-1", utf8("after"))!;
  assert.ok(sim.receive(D1, after).some((o) => o.type === "deliver"));
});

Deno.test("PD-267: an eviction takes the waiting members along in its rekey", () => {
  // spec: PD-267 RFC6407-4.fwd RFC2627-leave
  const sim = started();
  sim.register(D1);
  sim.now += WINDOW;
  sim.tick();
  sim.register(D2);
  const seq = sim.ks.seq;
  const out = sim.evict([D1]);
  assert.equal(rekeysIn(out), 1);
  assert.equal(sim.ks.seq, seq + 1);
  assert.equal(sim.phase(D1), "excluded");
  assert.equal(sim.phase(D2), "member");
  assert.ok(kinds(out).includes("member-added") && kinds(out).includes("member-removed"));
  // The old traffic keys were retired at once, and the newcomer never held them.
  const d2 = sim.members.get(D2)!.keyring.keys.map((k) => k.keyId);
  assert.deepEqual(sim.ks.teks.map((k) => k.keyId), d2);
});

Deno.test("PD-267: a rotation takes the waiting members along", () => {
  // spec: PD-267 RFC6407-4
  const sim = started();
  sim.register(D3);
  const out = sim.rotate();
  assert.equal(rekeysIn(out), 1);
  assert.equal(sim.phase(D3), "member");
});

Deno.test("PD-267: evicting a waiting member cancels its admission: no rekey, no key download", () => {
  // spec: PD-267 RFC6407-3.authz
  const sim = started();
  sim.register(D4);
  const seq = sim.ks.seq;
  assert.deepEqual(kinds(sim.evict([D4])), ["timer"], "only the rotation timer, re-armed");
  assert.deepEqual(sim.ks.admitting, []);
  sim.now += WINDOW;
  assert.equal(rekeysIn(sim.tick()), 0);
  assert.equal(sim.ks.seq, seq);
  assert.equal(sim.phase(D4), "proving");
  assert.equal(sim.ks.registry.leafOf(D4), undefined);
  // Unknown before and after: still refused as such.
  const again = sim.evict([D4]);
  assert.ok(again.some((o) => o.type === "error" && o.code === "gdoi/unknown-member"));
});

Deno.test("PD-267 PD-123: a member registering again while in the tree leaves its old leaf in the batch rekey", () => {
  // spec: PD-267 PD-123
  const sim = started();
  sim.register(D1);
  sim.now += WINDOW;
  sim.tick();
  const oldKeyIds = sim.ks.teks.map((k) => k.keyId);
  const size = sim.ks.tree.size;
  // A restarted device: forgets everything and registers again.
  sim.members.set(D1, member.step(sim.members.get(D1)!, { type: "leave", now: sim.now }).state);
  sim.register(D1);
  assert.equal(sim.ks.registry.leafOf(D1) !== undefined, true, "old leaf kept while waiting");
  sim.now += WINDOW;
  const out = sim.tick();
  assert.equal(rekeysIn(out), 1);
  assert.equal(sim.ks.tree.size, size, "one leaf left, one taken");
  assert.equal(sim.phase(D1), "member");
  // The old traffic keys are retired (PD-123), so nobody holds them any longer.
  for (const jid of [PUB, D1]) {
    const held = sim.members.get(jid)!.keyring.keys.map((k) => k.keyId);
    assert.ok(held.every((id) => !oldKeyIds.includes(id)), `${jid}: ${held}`);
  }
});

Deno.test("PD-267: a replayed proof of a waiting member is refused as a replay", () => {
  // spec: PD-267 RFC6407-3.nonce
  const sim = started();
  sim.register(D2);
  const proof = sim.traffic.registration.at(-1)!;
  const before = sim.ks.admitting;
  const r = keyServer.step(sim.ks, { type: "message", data: proof, from: D2, now: sim.now });
  assert.ok(r.out.some((o) => o.type === "error" && o.code === "gdoi/registration-replay"));
  assert.equal(r.state.admitting, before);
});

Deno.test("PD-267: the window is a non-negative integer no longer than the registration timeout", () => {
  // spec: PD-267
  for (const joinBatchMs of [-1, 0.5, 30_001, Number.NaN]) {
    assert.throws(
      () => keyServer.init({ ...fixture.ksConfig(), joinBatchMs }),
      (e: Error & { code?: string }) => e.code === "gdoi/invalid-config",
      String(joinBatchMs),
    );
  }
  for (const joinBatchMs of [0, 1, 30_000]) {
    assert.equal(keyServer.init({ ...fixture.ksConfig(), joinBatchMs }).phase, "serving");
  }
  assert.equal(keyServer.init({ ...fixture.ksConfig(), now: T0 }).admitting.length, 0);
});
