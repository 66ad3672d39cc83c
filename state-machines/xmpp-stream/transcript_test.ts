/**
 * Transcript tests: the initiator and the receiver wired together in memory
 * negotiate TLS, SASL and binding, exchange stanzas in order, correlate iq
 * responses and close cleanly.
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { Pair } from "./pair.ts";
import { chat, clientConfig, DOMAIN, FAKE_BINDING, iqGet, serverConfig } from "./testing.ts";
import type { Xel } from "./messages.ts";

const texts = (els: Xel[]) => els.map((e) => e.toString());

Deno.test("RFC6120-4.2 RFC6120-5.4.2.3 RFC6120-6.4.6 RFC6120-7.6.1 PAPER-R1 PAPER-MAP7: both roles reach bound with the same JID", () => {
  const p = new Pair({ client: clientConfig(1), server: serverConfig(1) }).start();
  assert.equal(p.client.driver.state.phase, "bound");
  assert.equal(p.server.driver.state.phase, "bound");
  assert.equal(p.client.established, `juliet@${DOMAIN}/balcony`);
  assert.equal(p.server.established, p.client.established);
  assert.deepEqual(p.client.errors, []);
  assert.deepEqual(p.server.errors, []);
  // The wire shows the three stages in order, with TLS between the first two.
  const kinds = p.wire.flatMap((w) =>
    w.dir === "tls" ? ["TLS"] : "text" in w ? [w.text.slice(0, 14)] : []
  );
  assert.equal(kinds.indexOf("TLS"), 4);
  assert.ok(p.wire.some((w) => w.dir === "c2s" && w.text.includes('mechanism="SCRAM-SHA-256"')));
});

Deno.test("RFC6120-8.1.2.1: stanzas flow both ways in order; the receiver stamps from", () => {
  const p = new Pair({ client: clientConfig(2), server: serverConfig(2) }).start();
  for (let i = 0; i < 20; i++) {
    p.clientInput({ type: "send", stanza: chat("romeo@example.net", `m${i}`) });
  }
  assert.equal(p.server.stanzas.length, 20);
  p.server.stanzas.forEach((s, i) => {
    assert.equal(s.attrs.from, `juliet@${DOMAIN}/balcony`);
    assert.equal(s.getChildText("body"), `m${i}`);
  });
  for (let i = 0; i < 20; i++) {
    p.serverInput({ type: "send", stanza: chat(`juliet@${DOMAIN}/balcony`, `r${i}`) });
  }
  assert.deepEqual(
    p.client.stanzas.map((s) => s.getChildText("body")),
    [...Array(20)].map((_, i) => `r${i}`),
  );
});

Deno.test("RFC6120-8.2.3 PD-75: iq responses are matched by id and responder; unknown ids are refused", () => {
  const p = new Pair({ client: clientConfig(3), server: serverConfig(3) }).start();
  p.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "v1") });
  const request = p.server.stanzas.at(-1)!;
  assert.equal(request.attrs.id, "v1");
  // The router answers on romeo's behalf.
  const answer = new Element("iq", {
    type: "result",
    id: "v1",
    from: "romeo@example.net/garden",
    to: request.attrs.from,
  });
  p.serverInput({ type: "send", stanza: answer });
  assert.equal(p.client.stanzas.at(-1)?.attrs.id, "v1");
  // The same answer again matches nothing in flight.
  p.serverInput({ type: "send", stanza: answer });
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/iq-unknown-id");
  // A response from someone else than the addressee is refused.
  p.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "v2") });
  p.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "result", id: "v2", from: "mallory@example.net/x" }),
  });
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/iq-wrong-responder");
  // Sending a request with an id still in flight is refused without sending.
  const written = () => p.wire.filter((w) => w.dir === "c2s").length;
  const before = written();
  p.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "v2") });
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/iq-duplicate-id");
  assert.equal(written(), before);
  assert.equal(p.client.driver.state.phase, "bound");
});

Deno.test("PD-75: an application answer must match a request it received", () => {
  const p = new Pair({ client: clientConfig(4), server: serverConfig(4) }).start();
  p.serverInput({ type: "send", stanza: iqGet(undefined, "q1") });
  const got = p.client.stanzas.at(-1)!;
  assert.equal(got.attrs.id, "q1");
  p.clientInput({ type: "send", stanza: new Element("iq", { type: "result", id: "q2" }) });
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/iq-unknown-id");
  p.clientInput({ type: "send", stanza: new Element("iq", { type: "result", id: "q1" }) });
  assert.equal(p.server.stanzas.at(-1)?.attrs.id, "q1");
});

Deno.test("RFC6120-4.4: orderly close from either side", () => {
  const a = new Pair({ client: clientConfig(5), server: serverConfig(5) }).start();
  a.clientInput({ type: "close" });
  assert.equal(a.client.driver.state.phase, "closed");
  assert.equal(a.server.driver.state.phase, "closed");
  assert.deepEqual(a.client.outputs.at(-1), { type: "closed", clean: true });
  const b = new Pair({ client: clientConfig(6), server: serverConfig(6) }).start();
  b.serverInput({ type: "close" });
  assert.equal(b.client.driver.state.phase, "closed");
  assert.equal(b.server.driver.state.phase, "closed");
  // After the close nothing more can be sent.
  b.clientInput({ type: "send", stanza: chat("romeo@example.net", "late") });
  assert.equal(b.client.errors.at(-1)?.code, "xmpp/stream-closed");
});

Deno.test("RFC6120-4.9.3.20: a server shutting down ends the client's stream with the condition", () => {
  const p = new Pair({ client: clientConfig(7), server: serverConfig(7) }).start();
  p.serverInput({ type: "close", condition: "system-shutdown" });
  assert.equal(p.client.driver.state.phase, "failed");
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/system-shutdown");
});

Deno.test("RFC6120-4.9.3.19 PD-73: see-other-host over TLS is handed to the adapter with its location", () => {
  const p = new Pair({ client: clientConfig(8), server: serverConfig(8) }).start();
  p.serverInput({ type: "close", condition: "see-other-host", location: "xmpp2.example.net:5222" });
  assert.ok(
    p.client.outputs.some((o) =>
      o.type === "see-other-host" && o.location === "xmpp2.example.net:5222"
    ),
  );
  assert.equal(p.client.errors.at(-1)?.code, "xmpp/see-other-host");
});

Deno.test("RFC5802-6.plus: with channel binding on both ends SCRAM-SHA-256-PLUS is chosen", () => {
  const p = new Pair({
    client: clientConfig(9),
    server: serverConfig(9),
    tls: { channelBinding: FAKE_BINDING },
  }).start();
  assert.equal(p.client.driver.state.phase, "bound");
  assert.ok(
    p.wire.some((w) => w.dir === "c2s" && w.text.includes('mechanism="SCRAM-SHA-256-PLUS"')),
  );
});

Deno.test("RFC6120-6.3.4.external XEP0178-3: EXTERNAL with the certificate's identity", () => {
  const p = new Pair({
    client: clientConfig(10, "juliet", { password: undefined, clientCertificate: true }),
    server: serverConfig(10),
    tls: { clientIdentities: [`juliet@${DOMAIN}`] },
  }).start();
  assert.equal(p.client.driver.state.phase, "bound");
  assert.ok(p.wire.some((w) => w.dir === "c2s" && w.text.includes('mechanism="EXTERNAL"')));
});

Deno.test("RFC6120-13.8.plain: PLAIN over TLS when both enable it and nothing stronger is preferred", () => {
  const p = new Pair({
    client: clientConfig(11, "romeo", { mechanisms: ["PLAIN"], plainEnabled: true }),
    server: serverConfig(11, { plainEnabled: true }),
  }).start();
  assert.equal(p.client.established, `romeo@${DOMAIN}/balcony`);
});

Deno.test("RFC6120-7.6: the server generates a resource when the client asks none", () => {
  const p = new Pair({
    client: clientConfig(12, "juliet", { resource: undefined }),
    server: serverConfig(12),
  }).start();
  assert.match(p.client.established ?? "", /^juliet@example\.net\/[0-9a-f]{16}$/);
  assert.equal(p.server.established, p.client.established);
});

Deno.test("XEP0199-ping XEP0199-pong: pings in both directions keep the session; silence fails it", () => {
  const ping = { intervalMs: 1000, timeoutMs: 500 };
  const p = new Pair({
    client: clientConfig(13, "juliet", { ping }),
    server: serverConfig(13, { ping }),
  }).start();
  p.clientInput({ type: "tick", now: 1000 });
  p.serverInput({ type: "tick", now: 1000 });
  p.clientInput({ type: "tick", now: 1400 });
  p.serverInput({ type: "tick", now: 1400 });
  assert.equal(p.client.driver.state.phase, "bound");
  assert.equal(p.server.driver.state.phase, "bound");
  assert.deepEqual(texts(p.client.stanzas), []); // pings never reach the application
  // Now the server stops answering: deliver the client's ping nowhere.
  const lone = new Pair({ client: clientConfig(14, "juliet", { ping }), server: serverConfig(14) })
    .start();
  const out = lone.client.driver.input({ type: "tick", now: 1000 });
  assert.ok(out.some((o) => o.type === "set-timer" && o.name === "ping" && o.at === 1500));
  const end = lone.client.driver.input({ type: "tick", now: 1500 });
  assert.ok(end.some((o) => o.type === "error" && o.code === "xmpp/ping-timeout"));
  assert.equal(lone.client.driver.state.phase, "failed");
});
