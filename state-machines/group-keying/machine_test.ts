/**
 * Tests of the key server and member machines: totality (fast-check, real
 * and mutated messages mixed with garbage), and the flows the vectors do not
 * cover — pending limits, a failing signer, time-based rotation with grace,
 * registration timeouts, leaving, re-registration of a restarted device.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { keyServer } from "./key_server.ts";
import type { KeyServerInput, KeyServerOutput } from "./key_server_types.ts";
import { member } from "./member.ts";
import type { MemberInput, MemberOutput } from "./member_types.ts";
import { groupFixture, GroupSim, KS_JID, T0 } from "./testing.ts";

const JIDS = ["pub@grid.example", "der1@grid.example", "der2@grid.example"];
const fixture = groupFixture({ jids: JIDS, seed: "machine" });

const codes = (out: readonly (KeyServerOutput | MemberOutput)[]) =>
  out.filter((o) => o.type === "error").map((o) => (o as { code: string }).code);
const types = (out: readonly (KeyServerOutput | MemberOutput)[]) => out.map((o) => o.type);

/** Messages recorded from a real run, to feed the totality properties. */
const recorded = (() => {
  const sim = new GroupSim(fixture, "recorded");
  for (const j of JIDS) sim.register(j);
  sim.protect(JIDS[0], "stream-1", utf8("x"));
  sim.evict([JIDS[2]]);
  sim.protect(JIDS[0], "stream-2", utf8("y"));
  return sim.traffic;
})();
const mutated = (pool: Uint8Array[]) =>
  fc.tuple(fc.constantFrom(...pool), fc.nat(), fc.integer({ min: 0, max: 255 })).map(
    ([d, at, x]) => {
      const c = d.slice();
      if (c.length > 0) c[at % c.length] ^= x;
      return c;
    },
  );
const bytes = (pool: Uint8Array[]) =>
  fc.oneof(fc.constantFrom(...pool), mutated(pool), fc.uint8Array({ maxLength: 80 }));
const now = fc.integer({ min: T0 - 1000, max: T0 + 7_200_000 });
const from = fc.option(fc.constantFrom(...JIDS, KS_JID, "x@y"), { nil: undefined });

Deno.test("key server: total over real, mutated and garbage input (DL-MACHINE-1)", () => {
  // spec: PD-121
  const all = [...recorded.registration, ...recorded.rekeys];
  assertMachineTotal(keyServer, {
    config: fc.constantFrom("a", "b").map((s) => fixture.ksConfig(s)),
    input: fc.oneof(
      fc.record({ type: fc.constant("message" as const), data: bytes(all), from, now }),
      fc.record({
        type: fc.constant("evict" as const),
        jids: fc.subarray([...JIDS, "nobody@x"]),
        now,
      }),
      fc.record({ type: fc.constantFrom("tick" as const, "rotate" as const), now }),
    ) as fc.Arbitrary<KeyServerInput>,
    numRuns: 200,
    seed: 1,
  });
});

Deno.test("member: total over real, mutated and garbage input (DL-MACHINE-1)", () => {
  // spec: PD-121
  const km = [...recorded.registration, ...recorded.rekeys];
  assertMachineTotal(member, {
    config: fc.constantFrom(...JIDS).map((j) => fixture.memberConfig(j)),
    input: fc.oneof(
      fc.record({
        type: fc.constantFrom("start" as const, "leave" as const, "tick" as const),
        now,
      }),
      fc.record({ type: fc.constant("message" as const), data: bytes(km), from, now }),
      fc.record({ type: fc.constant("spdu" as const), data: bytes(recorded.spdus), from, now }),
      fc.record({
        type: fc.constant("protect" as const),
        streamId: fc.constantFrom("stream-1", "x"),
        payload: fc.uint8Array({ maxLength: 8 }),
        now,
      }),
    ) as fc.Arbitrary<MemberInput>,
    numRuns: 200,
    seed: 2,
  });
});

Deno.test("key server: pending registrations are bounded and time out (PD-121)", () => {
  // spec: PD-121
  let ks = keyServer.init({ ...fixture.ksConfig("pending"), maxPending: 2 });
  const request = (jid: string, at: number) => {
    const m = member.step(member.init(fixture.memberConfig(jid, `${jid}/${at}`)), {
      type: "start",
      now: at,
    });
    return m.out.find((o) => o.type === "send")!.data as Uint8Array;
  };
  for (const [i, jid] of JIDS.entries()) {
    const r = keyServer.step(ks, { type: "message", data: request(jid, T0), from: jid, now: T0 });
    ks = r.state;
    if (i < 2) assert.deepEqual(types(r.out), ["send", "timer"]);
    else assert.deepEqual(codes(r.out), ["gdoi/too-many-pending"]);
  }
  // After the timeout the slots are free again.
  const later = keyServer.step(ks, {
    type: "message",
    data: request(JIDS[2], T0 + 30_001),
    from: JIDS[2],
    now: T0 + 30_001,
  });
  assert.deepEqual(types(later.out), ["send", "timer"]);
  assert.equal(Object.keys(later.state.pending).length, 1);
});

Deno.test("key server: a failing signer halts the server (PD-116)", () => {
  // spec: PD-116
  const sim = new GroupSim(fixture, "halt");
  sim.register(JIDS[0]);
  sim.ks = {
    ...sim.ks,
    config: {
      ...sim.ks.config,
      sign: () => {
        throw new Error("HSM gone");
      },
    },
  };
  const out = sim.rotate();
  assert.deepEqual(codes(out), ["gdoi/signer-failed"]);
  assert.equal(sim.ks.phase, "halted");
  assert.deepEqual(codes(sim.rotate()), ["gdoi/halted"]);
  assert.deepEqual(codes(sim.evict([JIDS[0]])), ["gdoi/halted"]);
});

Deno.test("key server: evictions name members; an empty eviction does nothing", () => {
  const sim = new GroupSim(fixture, "evict");
  sim.register(JIDS[0]);
  const seq = sim.ks.seq;
  assert.deepEqual(codes(sim.evict(["nobody@grid.example"])), ["gdoi/unknown-member"]);
  assert.deepEqual(codes(sim.evict([JIDS[0], "nobody@grid.example"])), ["gdoi/unknown-member"]);
  assert.deepEqual(sim.evict([]).filter((o) => o.type !== "timer"), []);
  assert.equal(sim.ks.seq, seq);
  assert.equal(sim.phase(JIDS[0]), "member");
});

Deno.test("key server: traffic keys are renewed before they expire and kept until then (RFC8052-lifetime)", () => {
  // spec: RFC8052-lifetime PD-117
  const sim = new GroupSim(fixture, "rotation");
  for (const j of JIDS.slice(0, 2)) sim.register(j);
  const timer = sim.ksOutputs.filter((o) => o.type === "timer").at(-1) as { at: number };
  assert.equal(timer.at, T0 + 3_600_000 - 60_000);
  const before = sim.ks.seq;
  sim.now = timer.at - 1;
  sim.tick();
  assert.equal(sim.ks.seq, before, "nothing due yet");
  const old = sim.protect(JIDS[0], "stream-1", utf8("old key"))!;
  sim.now = timer.at;
  sim.tick();
  assert.equal(sim.ks.seq, before + 1, "renewal pushed");
  const fresh = sim.protect(JIDS[0], "stream-1", utf8("new key"))!;
  const keyOf = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset).getUint32(6);
  assert.notEqual(keyOf(fresh), keyOf(old));
  // The old key still reads until its lifetime ends, then is refused.
  assert.deepEqual(types(sim.receive(JIDS[1], old)), ["deliver"]);
  sim.now = T0 + 3_600_000;
  sim.tick();
  assert.deepEqual(codes(sim.receive(JIDS[1], old)), ["group/key-expired"]);
  assert.deepEqual(
    types(sim.receive(JIDS[1], fresh)),
    ["error"],
    "the fresh message's TTL passed too",
  );
});

Deno.test("member: a registration without answer fails, and can start again (PD-121)", () => {
  // spec: PD-121
  let m = member.init(fixture.memberConfig(JIDS[1]));
  m = member.step(m, { type: "start", now: T0 }).state;
  assert.equal(m.phase, "requesting");
  assert.deepEqual(codes(member.step(m, { type: "start", now: T0 }).out), [
    "gdoi/unexpected-message",
  ]);
  assert.equal(member.step(m, { type: "tick", now: T0 + 30_000 }).state.phase, "requesting");
  const timedOut = member.step(m, { type: "tick", now: T0 + 30_001 });
  assert.equal(timedOut.state.phase, "failed");
  assert.deepEqual(codes(timedOut.out), ["gdoi/timeout"]);
  assert.equal(
    member.step(timedOut.state, { type: "start", now: T0 + 40_000 }).state.phase,
    "requesting",
  );
  for (const type of ["spdu", "protect"] as const) {
    const input = type === "spdu"
      ? { type, data: recorded.spdus[0], now: T0 }
      : { type, streamId: "stream-1", payload: utf8("x"), now: T0 };
    assert.deepEqual(codes(member.step(m, input).out), ["gdoi/not-member"]);
  }
});

Deno.test("member: leaving forgets every key", () => {
  const sim = new GroupSim(fixture, "leave");
  sim.register(JIDS[0]);
  const m = sim.members.get(JIDS[0])!;
  const left = member.step(m, { type: "leave", now: T0 });
  assert.equal(left.state.phase, "idle");
  assert.equal(left.state.keys, undefined);
  assert.equal(left.state.keyring.keys.length, 0);
});

Deno.test("key server: a restarted device registers again; its old instance is excluded (PD-123)", () => {
  // spec: PD-123 RFC6407-4.fwd
  const sim = new GroupSim(fixture, "restart");
  for (const j of JIDS) sim.register(j);
  const oldInstance = sim.members.get(JIDS[1])!;
  sim.members.delete(JIDS[1]);
  sim.register(JIDS[1]);
  assert.equal(sim.phase(JIDS[1]), "member");
  assert.equal(sim.ks.registry.size, 3);
  const rekey = sim.traffic.rekeys.at(-1)!;
  const r = member.step(oldInstance, { type: "message", data: rekey, from: KS_JID, now: sim.now });
  assert.equal(r.state.phase, "excluded");
  const msg = sim.protect(JIDS[0], "stream-1", utf8("after restart"))!;
  assert.deepEqual(types(sim.receive(JIDS[1], msg)), ["deliver"]);
  assert.deepEqual(codes(member.step(r.state, { type: "spdu", data: msg, now: sim.now }).out), [
    "gdoi/not-member",
  ]);
});
