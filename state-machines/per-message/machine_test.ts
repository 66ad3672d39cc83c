/**
 * The per-message machine end to end between two channels: the first
 * message, answers, chain carriage until acknowledged, encryption on and
 * off, restarts, release and abort, refusals that leave the state alone,
 * and every step along a declared edge.
 */
import assert from "node:assert/strict";
import { runChecked } from "../../core/machine.ts";
import { utf8 } from "../../core/bytes.ts";
import { ChannelPair } from "./driver.ts";
import { channelConfig, JIDS, perMessagePki, signerOf, T0 } from "./fixtures.ts";
import { perMessage, restart } from "./machine.ts";
import type { PerMessageOutput, PerMessagePolicy } from "./types.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { decode } from "./wire.ts";

const SUITES: readonly SuiteId[] = ["x25519-ed25519", "p256", "brainpool256"];
const types = (out: readonly PerMessageOutput[]) => out.map((o) => o.type);
const payloads = (out: readonly PerMessageOutput[]) =>
  out.flatMap((o) => o.type === "data" ? [new TextDecoder().decode(o.payload)] : []);
const codes = (out: readonly PerMessageOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

function pair(suite: SuiteId, policy: Partial<PerMessagePolicy> = {}) {
  const pki = perMessagePki(suite);
  return {
    pki,
    pair: new ChannelPair(
      channelConfig(pki, pki.vpp, JIDS.der, "cc", { policy, peerChain: pki.der.chain }),
      channelConfig(pki, pki.der, JIDS.vpp, "der", { policy }),
      signerOf(pki.vpp),
      signerOf(pki.der),
    ),
  };
}

for (const suite of SUITES) {
  Deno.test(`per-message ${suite}: command and answer, encrypted, chain until acknowledged (PD-226 PD-227 PD-228)`, () => {
    // spec: PD-226 PD-227 PD-228 PAPER-R2 PAPER-R4a PAPER-R6a RFC3923-6-retrieval
    const { pair: p } = pair(suite);
    const s = p.run("a", { type: "start", now: T0 });
    assert.deepEqual(types(s.a), ["established"]);
    const cmd = p.run("a", { type: "send", payload: utf8("operate 1"), now: T0 });
    assert.deepEqual(types(cmd.b), ["established", "data"]);
    assert.deepEqual(payloads(cmd.b), ["operate 1"]);
    const first = decode(cmd.wire[0]);
    assert.ok(first.ok);
    assert.equal(first.value.chain.length, 2, "the first message carries the chain");
    assert.ok(first.value.header.epk, "encrypted");
    assert.doesNotMatch(cmd.wire[0].toString(), /operate/);
    const answer = p.run("b", { type: "send", payload: utf8("done 1"), now: T0 + 10 });
    assert.deepEqual(payloads(answer.a), ["done 1"]);
    const reply = decode(answer.wire[0]);
    assert.ok(reply.ok);
    assert.equal(reply.value.chain.length, 0, "the DER saw the client holds its certificate");
    const second = p.run("a", { type: "send", payload: utf8("operate 2"), now: T0 + 20 });
    const m2 = decode(second.wire[0]);
    assert.ok(m2.ok);
    assert.equal(m2.value.chain.length, 0, "the answer named our certificate: references now");
    assert.deepEqual(payloads(second.b), ["operate 2"]);
  });

  Deno.test(`per-message ${suite}: signed only; refused when the receiver requires encryption (PD-228)`, () => {
    // spec: PD-228 PAPER-R4a
    const { pair: p } = pair(suite, { encrypt: false, requireEncryption: false });
    p.run("a", { type: "start", now: T0 });
    const r = p.run("a", { type: "send", payload: utf8("read"), now: T0 });
    assert.deepEqual(payloads(r.b), ["read"]);
    assert.match(r.wire[0].toString(), new RegExp(btoa("read").slice(0, 4)));
    const strict = pair(suite, { encrypt: false }).pair;
    strict.run("a", { type: "start", now: T0 });
    const refused = strict.run("a", { type: "send", payload: utf8("read"), now: T0 });
    assert.deepEqual(codes(refused.b), ["permessage/confidentiality-required"]);
    assert.equal(strict.b.phase, "idle");
  });
}

Deno.test("per-message: a replayed or delayed-past-window message is refused and changes nothing (PD-229)", () => {
  // spec: PD-229 PAPER-AS3 RFC3923-6-timestamps
  const { pair: p } = pair("x25519-ed25519");
  p.run("a", { type: "start", now: T0 });
  const r = p.run("a", { type: "send", payload: utf8("x"), now: T0 });
  const before = p.b;
  const again = perMessage.step(p.b, {
    type: "receive",
    element: r.wire[0],
    from: JIDS.vpp,
    now: T0 + 1,
  });
  assert.deepEqual(codes(again.out), ["permessage/replay"]);
  assert.equal(again.state, before);
  const late = perMessage.step(p.b, {
    type: "receive",
    element: r.wire[0],
    from: JIDS.vpp,
    now: T0 + 5 * 60_000 + 1,
  });
  assert.deepEqual(codes(late.out), ["permessage/stale-timestamp"]);
});

Deno.test("per-message: a restarted channel keeps the receive state; a new peer instance is accepted only forward in time (PD-229)", () => {
  // spec: PD-229 PD-233 PAPER-AS3
  const { pki, pair: p } = pair("p256");
  p.run("a", { type: "start", now: T0 });
  const old = p.run("a", { type: "send", payload: utf8("old"), now: T0 });
  p.run("a", { type: "release", now: T0 + 5 });
  assert.equal(p.b.phase, "released");
  p.b = restart(p.b);
  const replayed = perMessage.step(p.b, {
    type: "receive",
    element: old.wire[0],
    from: JIDS.vpp,
    now: T0 + 10,
  });
  assert.deepEqual(codes(replayed.out), ["permessage/replay"]);
  // A new instance of the control centre (fresh state, new sender id).
  const fresh = new ChannelPair(
    channelConfig(pki, pki.vpp, JIDS.der, "cc again", { peerChain: pki.der.chain }),
    channelConfig(pki, pki.der, JIDS.vpp, "unused"),
    signerOf(pki.vpp),
    signerOf(pki.der),
  );
  fresh.b = p.b;
  fresh.run("a", { type: "start", now: T0 + 20 });
  const r = fresh.run("a", { type: "send", payload: utf8("new"), now: T0 + 20 });
  assert.deepEqual(payloads(r.b), ["new"]);
});

Deno.test("per-message: release and abort are signed messages that end the channel on both sides (PD-226)", () => {
  // spec: PD-226 PD-233
  const { pair: p } = pair("x25519-ed25519");
  p.run("a", { type: "start", now: T0 });
  p.run("a", { type: "send", payload: utf8("x"), now: T0 });
  const rel = p.run("a", { type: "release", now: T0 + 1 });
  assert.deepEqual(types(rel.a), ["released", "send"]);
  assert.deepEqual(types(rel.b), ["released"]);
  const q = pair("x25519-ed25519").pair;
  q.run("a", { type: "start", now: T0 });
  q.run("a", { type: "send", payload: utf8("x"), now: T0 });
  const ab = q.run("b", { type: "abort", now: T0 + 1 });
  assert.deepEqual(ab.a, [{ type: "aborted", by: "peer" }]);
  assert.deepEqual(ab.b[0], { type: "aborted", by: "local" });
  assert.deepEqual(types(ab.b), ["aborted", "send"]);
});

Deno.test("per-message: encryption needs the recipient's valid certificate with keyAgreement (PD-228)", () => {
  // spec: PD-228 PD-232 RFC5280-4.2.1.3
  const pki = perMessagePki("p256");
  const none = perMessage.init(channelConfig(pki, pki.vpp, JIDS.der, "x"));
  const a = perMessage.step(none, { type: "start", now: T0 });
  assert.deepEqual(codes(a.out), ["permessage/no-recipient-certificate"]);
  assert.equal(a.state.phase, "failed");
  const signOnly = perMessage.init(
    channelConfig(pki, pki.vpp, JIDS.der, "x", { peerChain: pki.signOnly.chain }),
  );
  assert.deepEqual(codes(perMessage.step(signOnly, { type: "start", now: T0 }).out), [
    "permessage/recipient-key-usage",
  ]);
  const expired = perMessage.init(
    channelConfig(pki, pki.vpp, JIDS.der, "x", { peerChain: pki.der.chain }),
  );
  const later = perMessage.step(expired, { type: "start", now: T0 + 400 * 86_400_000 });
  assert.deepEqual(codes(later.out), ["permessage/no-recipient-certificate"]);
});

Deno.test("per-message: every step follows a declared edge", () => {
  // spec: PD-226 PD-229
  const pki = perMessagePki("x25519-ed25519");
  const cfg = channelConfig(pki, pki.vpp, JIDS.der, "edges", { peerChain: pki.der.chain });
  const first = runChecked(perMessage, perMessage.init(cfg), [
    { type: "send", payload: utf8("early"), now: T0 },
    { type: "start", now: T0 },
    { type: "send", payload: utf8("x"), now: T0 },
    { type: "tick", now: T0 },
    { type: "update-keys", now: T0 },
  ]);
  const req = first.trace[2].out.find((o) => o.type === "sign-request");
  assert.ok(req && req.type === "sign-request");
  const rest = runChecked(perMessage, first.state, [
    { type: "signature", id: req.id, value: signerOf(pki.vpp)(req as never) },
    { type: "signature", id: 99, value: new Uint8Array(64) },
    { type: "release", now: T0 },
    { type: "send", payload: utf8("late"), now: T0 },
  ]);
  assert.deepEqual(types(rest.trace[0].out), ["send"]);
  assert.deepEqual(codes(rest.trace[1].out), ["permessage/signer-failed"]);
  assert.deepEqual(codes(rest.trace[3].out), ["permessage/not-established"]);
  assert.equal(rest.state.phase, "released");
});
