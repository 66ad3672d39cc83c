/**
 * Direct machine tests for negotiation rules that the reader never lets
 * through as bytes (an undeclared stream prefix) and for the exact bytes of
 * refusals: header first, the chosen condition, the closing tag.
 */
import assert from "node:assert/strict";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { StreamDriver } from "./driver.ts";
import { initiator } from "./initiator.ts";
import { receiver } from "./receiver.ts";
import type { StreamInput, StreamOutput } from "./types.ts";
import { chat, clientConfig, serverConfig } from "./testing.ts";

const written = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "send-bytes" ? [fromUtf8(o.data)] : []).join("");
const codes = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

Deno.test("RFC6120-4.8.5 RFC6120-4.9.3.2: a stream element with an undeclared prefix is refused", () => {
  const s = receiver.init(serverConfig("prefix"));
  const header: StreamInput = {
    type: "xml",
    event: {
      type: "stream-open",
      name: "foo:stream",
      attrs: { xmlns: "jabber:client", to: "example.net", version: "1.0" },
    },
  };
  const { state, trace } = runChecked(receiver, s, [header]);
  assert.equal(state.phase, "failed");
  const out = trace[0].out;
  assert.deepEqual(codes(out), ["xmpp/bad-namespace-prefix"]);
  // spec: RFC6120-4.9.1.2
  assert.match(
    written(out),
    /^<\?xml version='1.0'\?><stream:stream [^>]*from='example.net' id='[0-9a-f]{32}'/,
  );
  assert.match(
    written(out),
    /<stream:error><bad-namespace-prefix xmlns="urn:ietf:params:xml:ns:xmpp-streams"\/><\/stream:error><\/stream:stream>$/,
  );
});

Deno.test("PD-74 RFC6120-5.3.1: the receiver offers only required STARTTLS and ends a stream that skips it with policy-violation", () => {
  const d = new StreamDriver(receiver, serverConfig("skip"), { checked: true });
  const first = d.receive(
    utf8(
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.net' version='1.0'>",
    ),
  );
  assert.match(
    written(first),
    /<stream:features><starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"><required\/><\/starttls><\/stream:features>$/,
  );
  const out = d.receive(utf8("<presence/>"));
  assert.deepEqual(codes(out), ["xmpp/starttls-required"]);
  assert.equal(
    written(out),
    `<stream:error><policy-violation xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error></stream:stream>`,
  );
});

Deno.test("PD-71 RFC6120-5.3.1 PAPER-R3 PAPER-R5 PAPER-M1: the initiator refuses a server without STARTTLS with policy-violation and never sends credentials", () => {
  const d = new StreamDriver(initiator, clientConfig("nostarttls"), { checked: true });
  d.input({ type: "start" });
  const out = d.receive(utf8(
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.net' id='x1' version='1.0'>" +
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
  ));
  assert.deepEqual(codes(out), ["xmpp/starttls-required"]);
  assert.equal(
    written(out),
    `<stream:error><policy-violation xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error></stream:stream>`,
  );
  assert.ok(!written(out).includes("auth"));
});

Deno.test("PD-76: the test switch lets the initiator authenticate without TLS, and PLAIN stays refused", () => {
  const d = new StreamDriver(
    initiator,
    clientConfig("clear", "juliet", {
      allowPlaintextForTest: true,
      plainEnabled: true,
      mechanisms: ["PLAIN"],
    }),
    { checked: true },
  );
  d.input({ type: "start" });
  const out = d.receive(utf8(
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.net' id='x1' version='1.0'>" +
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
  ));
  assert.deepEqual(codes(out), ["sasl/mechanism-too-weak"]);
  const scram = new StreamDriver(
    initiator,
    clientConfig("clear2", "juliet", { allowPlaintextForTest: true }),
    { checked: true },
  );
  scram.input({ type: "start" });
  const sent = scram.receive(utf8(
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.net' id='x2' version='1.0'>" +
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>",
  ));
  assert.match(
    written(sent),
    /^<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="SCRAM-SHA-1">/,
  );
  assert.equal(scram.state.phase, "authenticating");
});

Deno.test("PD-70: inputs a phase does not accept are refused and change nothing", () => {
  const s = initiator.init(clientConfig("misuse"));
  const inputs = [
    { type: "send", stanza: chat("romeo@example.net", "too early") },
    { type: "send", stanza: {} },
    { type: "xml", event: { type: "nonsense" } },
    { type: "bogus" },
    null,
  ] as unknown as StreamInput[];
  for (const i of inputs) {
    const r = initiator.step(s, i);
    assert.equal(r.state.phase, "idle");
    assert.deepEqual(codes(r.out), ["xmpp/invalid-input"]);
  }
  // A terminal phase absorbs everything but says so when asked to send.
  const closed = initiator.step(s, { type: "close" }).state;
  assert.equal(closed.phase, "closed");
  assert.deepEqual(initiator.step(closed, { type: "tick", now: 5 }).out, []);
});

Deno.test("RFC6120-4.9.3.8 PD-70: an exception inside the receiver ends the stream with internal-server-error", () => {
  const s = receiver.init(serverConfig("boom"));
  const hostile = {
    type: "xml",
    event: {
      type: "stream-open",
      name: "stream:stream",
      get attrs(): never {
        throw new Error("boom");
      },
    },
  };
  const r = receiver.step(s, hostile as unknown as StreamInput);
  assert.equal(r.state.phase, "failed");
  assert.deepEqual(codes(r.out), ["core/internal"]);
  assert.match(written(r.out), /<internal-server-error /);
});
