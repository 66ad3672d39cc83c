/**
 * Direct TLS (XEP-0368): TLS is up before the first byte of XML, so both
 * roles start at the TLS stage — the initiator names itself in its first
 * header, the receiver offers SASL on the first stream, and STARTTLS never
 * appears. A server that offers STARTTLS anyway is refused as a downgrade.
 */
import assert from "node:assert/strict";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { StreamDriver } from "./driver.ts";
import { initiator } from "./initiator.ts";
import { Pair } from "./pair.ts";
import { receiver } from "./receiver.ts";
import { chat, clientConfig, DOMAIN, FAKE_BINDING, serverConfig } from "./testing.ts";
import type { StreamOutput } from "./types.ts";

const written = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "send-bytes" ? [fromUtf8(o.data)] : []).join("");
const codes = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);
const SERVER_HEADER =
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.net' id='d1' version='1.0'>";
const CLIENT_HEADER =
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.net' version='1.0'>";

Deno.test("XEP0368-3.direct XEP0368-3.no-starttls PD-105: both roles in direct-TLS mode reach bound without STARTTLS", () => {
  const p = new Pair({
    client: clientConfig("direct-1"),
    server: serverConfig("direct-1"),
    directTls: true,
  }).start();
  assert.equal(p.client.driver.state.phase, "bound");
  assert.equal(p.server.driver.state.phase, "bound");
  assert.equal(p.client.established, `juliet@${DOMAIN}/balcony`);
  assert.equal(p.server.established, p.client.established);
  assert.deepEqual([...p.client.errors, ...p.server.errors], []);
  assert.equal(p.client.driver.state.directTls, true);
  assert.equal(p.server.driver.state.directTls, true);
  // TLS first, then the client's header, which already names the client (RFC 6120 §4.7.1).
  assert.equal(p.wire[0].dir, "tls");
  const c2s = p.wire.flatMap((w) => w.dir === "c2s" ? [w.text] : []);
  const s2c = p.wire.flatMap((w) => w.dir === "s2c" ? [w.text] : []);
  assert.match(c2s[0], /^<\?xml version='1.0'\?><stream:stream [^>]*from='juliet@example.net'/);
  assert.ok(![...c2s, ...s2c].some((t) => t.includes("starttls") || t.includes("proceed")));
  // The first features already offer SASL: two streams in all (TLS, authenticated).
  assert.match(s2c[0], /<stream:features><mechanisms /);
  assert.equal(c2s.filter((t) => t.includes("<stream:stream ")).length, 2);
  // Stanzas flow as on any stream.
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "over direct TLS") });
  assert.equal(p.server.stanzas.at(-1)?.getChildText("body"), "over direct TLS");
});

Deno.test("XEP0368-3.direct RFC5802-6.plus XEP0178-3: the TLS facts given before start are used: -PLUS and EXTERNAL", () => {
  const plus = new Pair({
    client: clientConfig("direct-2"),
    server: serverConfig("direct-2"),
    tls: { channelBinding: FAKE_BINDING },
    directTls: true,
  }).start();
  assert.equal(plus.client.driver.state.phase, "bound");
  assert.deepEqual(plus.client.driver.state.tls?.channelBinding, FAKE_BINDING);
  assert.ok(plus.wire.some((w) => w.dir === "c2s" && w.text.includes("SCRAM-SHA-256-PLUS")));
  // The client certificate's identity reaches the receiver before the first header.
  const external = new Pair({
    client: clientConfig("direct-3", "juliet", { password: undefined, clientCertificate: true }),
    server: serverConfig("direct-3"),
    tls: { clientIdentities: [`juliet@${DOMAIN}`] },
    directTls: true,
  }).start();
  assert.equal(external.client.driver.state.phase, "bound");
  assert.deepEqual(external.server.driver.state.tls?.peerIdentities, [`juliet@${DOMAIN}`]);
  assert.ok(external.wire.some((w) => w.dir === "c2s" && w.text.includes('mechanism="EXTERNAL"')));
});

Deno.test("XEP0368-3.no-starttls PD-76 PD-105: STARTTLS offered on a direct TLS connection is a downgrade", () => {
  const d = new StreamDriver(initiator, clientConfig("direct-4"), { checked: true });
  const cert = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
  assert.deepEqual(d.input({ type: "tls-established", peerCertificate: cert }), []);
  assert.equal(d.state.phase, "idle");
  assert.deepEqual(d.state.tls?.peerCertificate, cert);
  d.input({ type: "start" });
  const out = d.receive(utf8(
    SERVER_HEADER +
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" +
      "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>",
  ));
  assert.deepEqual(codes(out), ["xmpp/tls-downgrade"]);
  assert.equal(d.state.phase, "failed");
  assert.equal(
    written(out),
    `<stream:error><policy-violation xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error></stream:stream>`,
  );
});

Deno.test("PD-70 PD-105: TLS reported twice, or after the stream started, is refused and changes nothing", () => {
  const s0 = initiator.init(clientConfig("direct-5"));
  const once = initiator.step(s0, { type: "tls-established" });
  const twice = initiator.step(once.state, { type: "tls-established" });
  assert.deepEqual(codes(twice.out), ["xmpp/invalid-input"]);
  assert.equal(twice.state, once.state);
  // Started in the clear: TLS now would skip STARTTLS's checks.
  const started = initiator.step(s0, { type: "start" }).state;
  const late = initiator.step(started, { type: "tls-established" });
  assert.deepEqual(codes(late.out), ["xmpp/invalid-input"]);
  assert.equal(late.state.stage, "plain");
  // The receiver likewise, once the client's first header was read.
  const r = new StreamDriver(receiver, serverConfig("direct-5"), { checked: true });
  r.receive(utf8(CLIENT_HEADER));
  assert.equal(r.state.phase, "awaiting-starttls");
  assert.deepEqual(codes(r.input({ type: "tls-established" })), ["xmpp/invalid-input"]);
  assert.equal(r.state.stage, "plain");
});

Deno.test("XEP0368-3.direct PD-105: the receiver in direct-TLS mode arms its timer and refuses <starttls/>", () => {
  const r = new StreamDriver(receiver, serverConfig("direct-6", { now: 100 }), { checked: true });
  assert.deepEqual(r.input({ type: "tls-established" }), []);
  assert.deepEqual(r.input({ type: "start" }), [
    { type: "set-timer", name: "negotiation", at: 30_100 },
  ]);
  const first = r.receive(utf8(CLIENT_HEADER));
  assert.match(written(first), /<stream:features><mechanisms /);
  assert.doesNotMatch(written(first), /starttls/);
  const out = r.receive(utf8("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
  assert.deepEqual(codes(out), ["xmpp/unexpected-element"]);
  assert.equal(r.state.phase, "failed");
});
