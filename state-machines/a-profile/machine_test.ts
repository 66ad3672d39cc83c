/**
 * Handshake and session behaviour of both machines on real certificates of
 * every suite: establishment, the external signer, data both ways, key
 * update, re-handshake, release, abort, timeouts and refusals in each phase.
 */
import assert from "node:assert/strict";
import { runChecked } from "../../core/machine.ts";
import { localSigner } from "./driver.ts";
import { AProfileError } from "./errors.ts";
import { initiatorConfig, JIDS, responderConfig, T0, testPki } from "./fixtures.ts";
import { initiator } from "./initiator.ts";
import { Pair } from "./pair.ts";
import { responder } from "./responder.ts";
import type { AProfileInput, AProfileOutput, SuiteId } from "./types.ts";
import type { XmlElement } from "./xml.ts";

const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

function pair(suite: SuiteId, iPolicy = {}, rPolicy = {}): Pair {
  const pki = testPki(suite);
  return new Pair(
    initiatorConfig(pki, "i", iPolicy),
    responderConfig(pki, "r", rPolicy),
    localSigner(pki.vpp.signer),
    localSigner(pki.der.signer),
  );
}

const types = (out: readonly AProfileOutput[]) =>
  out.map((o) => o.type === "error" ? `error:${o.code}` : o.type);
const codes = (out: readonly AProfileOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);
const sent = (out: readonly AProfileOutput[]): XmlElement[] =>
  out.flatMap((o) => o.type === "send" ? [o.element] : []);
const dataOf = (out: readonly AProfileOutput[]) =>
  out.flatMap((o) => o.type === "data" ? [[o.seq, Array.from(o.payload)]] : []);

for (const suite of SUITES) {
  Deno.test(`a-profile ${suite}: handshake establishes equal keys and authenticates both peers (PAPER-R2 PAPER-M3)`, () => {
    // spec: PAPER-R2 PAPER-M3 PD-86 PD-88 PD-98
    const p = pair(suite);
    const d = p.handshake(T0);
    assert.deepEqual(p.phases(), ["established", "established"]);
    const iEst = d.initiator.find((o) => o.type === "established");
    const rEst = d.responder.find((o) => o.type === "established");
    assert.ok(iEst?.type === "established" && rEst?.type === "established");
    assert.equal(iEst.peer.jid, JIDS.der);
    assert.equal(rEst.peer.jid, JIDS.vpp);
    assert.equal(iEst.association, rEst.association);
    assert.equal(iEst.suite, suite);
    assert.equal(iEst.mode, "aes-256-gcm");
    const si = p.i.session!, sr = p.r.session!;
    assert.deepEqual(si.send.keys, sr.recv.keys);
    assert.deepEqual(si.recv.keys, sr.send.keys);
    assert.notDeepEqual(si.send.keys.key, si.recv.keys.key);
    assert.deepEqual(d.wire.map((w) => w.element.name), ["request", "response"]);
  });

  Deno.test(`a-profile ${suite}: data both ways, key update, release (PAPER-R4a PAPER-R6a)`, () => {
    // spec: PAPER-R4a PAPER-R6a PD-90 PD-93 PD-99
    const p = pair(suite);
    p.handshake(T0);
    const a = p.run("initiator", { type: "send", payload: new Uint8Array([1, 2, 3]), now: T0 + 1 });
    assert.deepEqual(dataOf(a.responder), [[1, [1, 2, 3]]]);
    assert.ok(!a.wire[0].element.toString().includes("AQID"), "ciphertext, not plaintext base64");
    const b = p.run("responder", { type: "send", payload: new Uint8Array([9]), now: T0 + 2 });
    assert.deepEqual(dataOf(b.initiator), [[1, [9]]]);
    const u = p.run("initiator", { type: "update-keys", now: T0 + 3 });
    assert.deepEqual(types(u.responder), ["keys-updated", "send", "keys-updated"]);
    assert.equal(p.i.session!.send.epoch, 1);
    assert.equal(p.r.session!.send.epoch, 1);
    const c = p.run("initiator", { type: "send", payload: new Uint8Array([4]), now: T0 + 4 });
    assert.deepEqual(dataOf(c.responder), [[3, [4]]]);
    const r = p.run("responder", { type: "release", now: T0 + 5 });
    assert.deepEqual(p.phases(), ["released", "released"]);
    assert.deepEqual(types(r.initiator), ["send", "released"]);
  });
}

Deno.test("a-profile: integrity-only mode when both policies allow it (PD-89)", () => {
  // spec: PD-89 PAPER-R4a
  const policy = { modes: ["hmac-sha256" as const], requireConfidentiality: false };
  const p = pair("x25519-ed25519", policy, policy);
  p.handshake(T0);
  assert.equal(p.i.session!.mode, "hmac-sha256");
  const a = p.run("initiator", { type: "send", payload: new Uint8Array([1, 2, 3]), now: T0 + 1 });
  assert.deepEqual(dataOf(a.responder), [[1, [1, 2, 3]]]);
  assert.ok(
    a.wire[0].element.toString().includes(">AQID"),
    "integrity-only PDUs carry the plaintext",
  );
});

Deno.test("a-profile: a responder requiring confidentiality refuses an integrity-only offer (PAPER-R6a)", () => {
  // spec: PAPER-R6a PD-89
  const p = pair("p256", { modes: ["hmac-sha256"], requireConfidentiality: false });
  const d = p.handshake(T0);
  assert.deepEqual(codes(d.responder), [AProfileError["confidentiality-required"]]);
  assert.deepEqual(p.phases(), ["awaiting-response", "listening"]);
});

Deno.test("a-profile: suite negotiation takes the initiator's first suite the responder allows (PD-89)", () => {
  // spec: PD-89
  const p = pair("p256", { suites: ["x25519-ed25519", "brainpool256", "p256"] }, {
    suites: ["p256", "brainpool256"],
  });
  p.handshake(T0);
  assert.equal(p.i.session!.suite, "brainpool256");
  const q = pair("p256", { suites: ["x25519-ed25519"] }, { suites: ["p256"] });
  assert.deepEqual(codes(q.handshake(T0).responder), [AProfileError["no-common-suite"]]);
});

Deno.test("a-profile: the external signer answers later; wrong ids and failures are refused (PD-98)", () => {
  // spec: PD-98
  const pki = testPki("p256");
  let s = initiator.init(initiatorConfig(pki, "i"));
  const started = initiator.step(s, { type: "start", now: T0 });
  s = started.state;
  assert.equal(s.phase, "signing");
  const req = started.out[0];
  assert.ok(req.type === "sign-request");
  assert.equal(req.suite, "p256");
  const wrong = initiator.step(s, { type: "signature", id: req.id + 1, value: new Uint8Array(64) });
  assert.deepEqual(codes(wrong.out), [AProfileError["signer-failed"]]);
  assert.equal(wrong.state.phase, "signing");
  const value = localSigner(pki.vpp.signer)(req);
  const signed = initiator.step(s, { type: "signature", id: req.id, value });
  assert.equal(signed.state.phase, "awaiting-response");
  assert.deepEqual(types(signed.out), ["send", "timer"]);
  const failed = initiator.step(s, { type: "signer-failed", id: req.id, detail: "hsm offline" });
  assert.equal(failed.state.phase, "failed");
  assert.deepEqual(codes(failed.out), [AProfileError["signer-failed"]]);
});

Deno.test("a-profile: the initiator times out waiting; release times out too (PD-94)", () => {
  // spec: PD-94 PD-99
  const p = pair("x25519-ed25519");
  const pki = testPki("x25519-ed25519");
  const sign = localSigner(pki.vpp.signer);
  let s = initiator.init(initiatorConfig(pki, "i"));
  const a = initiator.step(s, { type: "start", now: T0 });
  const req = a.out[0];
  assert.ok(req.type === "sign-request");
  s = initiator.step(a.state, { type: "signature", id: req.id, value: sign(req) }).state;
  assert.equal(
    initiator.step(s, { type: "tick", now: T0 + 29_999 }).state.phase,
    "awaiting-response",
  );
  const late = initiator.step(s, { type: "tick", now: T0 + 30_000 });
  assert.equal(late.state.phase, "failed");
  assert.deepEqual(codes(late.out), [AProfileError.timeout]);
  p.handshake(T0);
  const rel = p.run("initiator", { type: "release", now: T0 + 1 });
  assert.equal(rel.wire.length, 2);
  // Re-run without delivering the acknowledgement: release from the machine alone.
  const q = pair("x25519-ed25519");
  q.handshake(T0);
  const only = initiator.step(q.i, { type: "release", now: T0 + 1 });
  assert.equal(only.state.phase, "releasing");
  const gone = initiator.step(only.state, { type: "tick", now: T0 + 1 + 30_000 });
  assert.equal(gone.state.phase, "released");
  assert.deepEqual(types(gone.out), [`error:${AProfileError.timeout}`, "released"]);
});

Deno.test("a-profile: abort is announced authenticated and ends both sides (PD-99)", () => {
  // spec: PD-99
  const p = pair("p256");
  p.handshake(T0);
  const d = p.run("responder", { type: "abort", now: T0 + 1 });
  assert.deepEqual(p.phases(), ["aborted", "aborted"]);
  assert.deepEqual(d.initiator, [{ type: "aborted", by: "peer" }]);
  const q = pair("p256");
  const early = initiator.step(q.i, { type: "abort", now: T0 });
  assert.equal(early.state.phase, "aborted");
  assert.deepEqual(early.out, [{ type: "aborted", by: "local" }]);
});

Deno.test("a-profile: re-handshake installs new keys under a new association, data flows meanwhile (PD-93)", () => {
  // spec: PD-93
  const p = pair("x25519-ed25519");
  p.handshake(T0);
  const oldAssoc = p.i.session!.associationHex;
  const d = p.run("initiator", { type: "rehandshake", now: T0 + 10 });
  assert.deepEqual(p.phases(), ["established", "established"]);
  const est = d.initiator.find((o) => o.type === "established");
  assert.ok(est?.type === "established" && est.renewed);
  assert.notEqual(est.association, oldAssoc);
  assert.deepEqual(p.i.session!.send.keys, p.r.session!.recv.keys);
  assert.equal(p.r.previous?.associationHex, oldAssoc);
  const a = p.run("initiator", { type: "send", payload: new Uint8Array([7]), now: T0 + 11 });
  assert.deepEqual(dataOf(a.responder), [[1, [7]]]);
  assert.equal(p.r.previous, undefined, "the old association is dropped after the first new PDU");
});

Deno.test("a-profile: the association lifetime triggers a re-handshake on tick (PD-93)", () => {
  // spec: PD-93
  const p = pair("p256", { associationLifetimeMs: 60_000 });
  p.handshake(T0);
  const first = p.i.session!.associationHex;
  p.run("initiator", { type: "tick", now: T0 + 59_999 });
  assert.equal(p.i.session!.associationHex, first);
  p.run("initiator", { type: "tick", now: T0 + 60_000 });
  assert.notEqual(p.i.session!.associationHex, first);
  assert.deepEqual(p.phases(), ["established", "established"]);
});

Deno.test("a-profile: the key lifetime in PDUs forces an in-band key update (PD-93)", () => {
  // spec: PD-93
  const p = pair("p256", { keyLifetimePdus: 3 }, { keyLifetimePdus: 3 });
  p.handshake(T0);
  const got: number[][] = [];
  for (let n = 0; n < 7; n++) {
    const d = p.run("initiator", { type: "send", payload: new Uint8Array([n]), now: T0 + n });
    got.push(...dataOf(d.responder).map(([, v]) => v as number[]));
    assert.deepEqual(codes(d.responder), []);
  }
  assert.deepEqual(got, [[0], [1], [2], [3], [4], [5], [6]]);
  assert.equal(p.i.session!.send.epoch, 3);
  assert.equal(p.r.session!.recv.epoch, 3);
});

Deno.test("a-profile: the key lifetime in time forces a key update (PD-93)", () => {
  // spec: PD-93
  const p = pair("p256", { keyLifetimeMs: 1000 });
  p.handshake(T0);
  const d = p.run("initiator", { type: "send", payload: new Uint8Array([1]), now: T0 + 1000 });
  assert.deepEqual(types(d.initiator), ["send", "keys-updated", "send"]);
  assert.deepEqual(dataOf(d.responder), [[2, [1]]]);
});

Deno.test("a-profile: replayed and out-of-window PDUs are refused, reordered ones inside the window accepted (PD-91)", () => {
  // spec: PD-91 PAPER-AS3 PD-97
  const p = pair("p256", {}, { receiveWindow: 4 });
  p.handshake(T0);
  const pdus: XmlElement[] = [];
  for (let n = 1; n <= 6; n++) {
    const r = initiator.step(p.i, { type: "send", payload: new Uint8Array([n]), now: T0 });
    pdus.push(sent(r.out)[0]);
    p.i = r.state;
  }
  const recv = (e: XmlElement) => {
    const r = responder.step(p.r, { type: "receive", element: e, from: JIDS.vpp, now: T0 });
    p.r = r.state;
    return r.out;
  };
  assert.deepEqual(dataOf(recv(pdus[5])), [[6, [6]]]);
  assert.deepEqual(dataOf(recv(pdus[3])), [[4, [4]]]);
  assert.deepEqual(codes(recv(pdus[3])), [AProfileError.replay]);
  assert.deepEqual(codes(recv(pdus[1])), [AProfileError["out-of-window"]]);
  assert.deepEqual(dataOf(recv(pdus[2])), [[3, [3]]]);
  assert.equal(p.r.phase, "established");
});

Deno.test("a-profile: a replayed request is refused by the replay cache (PD-92)", () => {
  // spec: PD-92 PAPER-AS3
  const p = pair("p256");
  const d = p.handshake(T0);
  const request = d.wire[0].element;
  const again = responder.step(p.r, {
    type: "receive",
    element: request,
    from: JIDS.vpp,
    now: T0 + 5,
  });
  assert.deepEqual(codes(again.out), [AProfileError.replay]);
  assert.equal(again.state.phase, "established");
  const fresh = responder.init({
    ...responderConfig(testPki("p256"), "r2"),
    replayCache: p.r.cache,
  });
  const carried = responder.step(fresh, {
    type: "receive",
    element: request,
    from: JIDS.vpp,
    now: T0 + 5,
  });
  assert.deepEqual(codes(carried.out), [AProfileError.replay]);
  assert.equal(carried.state.phase, "listening");
});

Deno.test("a-profile: inputs out of phase and garbage are refused without changing the phase (PD-97)", () => {
  // spec: PD-97
  const pki = testPki("p256");
  const i0 = initiator.init(initiatorConfig(pki, "i"));
  const r0 = responder.init(responderConfig(pki, "r"));
  const cases: [typeof i0 | typeof r0, AProfileInput | unknown, string][] = [
    [i0, { type: "send", payload: new Uint8Array(1), now: T0 }, AProfileError["not-established"]],
    [i0, { type: "release", now: T0 }, AProfileError["unexpected-message"]],
    [i0, { type: "rehandshake", now: T0 }, AProfileError["unexpected-message"]],
    [i0, { type: "start" }, AProfileError["invalid-input"]],
    [i0, { type: "nonsense", now: T0 }, AProfileError["invalid-input"]],
    [i0, null, AProfileError["invalid-input"]],
    [r0, { type: "start", now: T0 }, AProfileError["unexpected-message"]],
    [r0, { type: "update-keys", now: T0 }, AProfileError["not-established"]],
  ];
  for (const [state, input, code] of cases) {
    const machine = state.ctx.role === "initiator" ? initiator : responder;
    // deno-lint-ignore no-explicit-any
    const r = (machine as any).step(state, input);
    assert.deepEqual(codes(r.out), [code], JSON.stringify(input));
    assert.equal(r.state.phase, state.phase);
  }
});

Deno.test("a-profile: every step of a full run follows a declared edge", () => {
  const pki = testPki("x25519-ed25519");
  const sign = localSigner(pki.vpp.signer);
  const s0 = initiator.init(initiatorConfig(pki, "i"));
  const { state, trace } = runChecked(initiator, s0, [{ type: "start", now: T0 }]);
  const req = trace[0].out[0];
  assert.ok(req.type === "sign-request");
  const { state: s2 } = runChecked(initiator, state, [{
    type: "signature",
    id: req.id,
    value: sign(req),
  }]);
  assert.equal(s2.phase, "awaiting-response");
});

Deno.test("a-profile: a seed replays a run byte for byte and a step depends on state and input only (PD-95)", () => {
  // spec: PD-95
  const pki = testPki("p256");
  const run = () => {
    const p = pair("p256");
    return p.handshake(T0).wire.map((w) => w.element.toString()).join("\n");
  };
  assert.equal(run(), run());
  const s = initiator.init(initiatorConfig(pki, "pure"));
  const a = initiator.step(s, { type: "start", now: T0 });
  const b = initiator.step(s, { type: "start", now: T0 });
  assert.deepEqual(a.out, b.out);
  const other = initiator.step(initiator.init(initiatorConfig(pki, "other seed")), {
    type: "start",
    now: T0,
  });
  assert.notDeepEqual(a.out, other.out);
});
