/**
 * XEP-0198 stream management: counters and their 32-bit wrap, enable,
 * acknowledgements, resumption with resend, refused resumption.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Element } from "ltx";
import { resumptionToken } from "./initiator.ts";
import { Pair } from "./pair.ts";
import { receiverResumptionToken } from "./receiver.ts";
import { parseH, SM_MODULUS, smApplyAck, smRecordSent, smStart } from "./sm.ts";
import { chat, clientConfig, DOMAIN, iqGet, serverConfig } from "./testing.ts";

const msg = (i: number) => new Element("message", { to: "romeo@example.net", id: `m${i}` });

Deno.test("XEP0198-4.h: h is an unsigned 32-bit integer", () => {
  assert.equal(parseH("0"), 0);
  assert.equal(parseH("4294967295"), 4294967295);
  for (const bad of ["4294967296", "-1", "1.0", "", " 1", "0x10", "99999999999"]) {
    assert.equal(parseH(bad), undefined);
  }
  assert.equal(parseH(undefined), undefined);
});

Deno.test("XEP0198-4.wrap XEP0198-4.ack: acknowledgements across the 2^32 wrap", () => {
  let s = { ...smStart("enabled", false), outbound: SM_MODULUS - 2, acked: SM_MODULUS - 2 };
  for (let i = 0; i < 5; i++) s = smRecordSent(s, msg(i));
  assert.equal(s.outbound, 3);
  const r = smApplyAck(s, 1);
  assert.ok(r.ok);
  assert.equal(r.newlyAcked, 3);
  assert.equal(r.state.unacked.length, 2);
  assert.equal(r.state.acked, 1);
});

Deno.test("XEP0198-4.too-high XEP0198-4.wrap: an h beyond what was sent, or behind the last, is refused", () => {
  fc.assert(
    fc.property(fc.nat(SM_MODULUS - 1), fc.nat(20), fc.nat(SM_MODULUS - 1), (start, sent, h) => {
      let s = { ...smStart("enabled", false), outbound: start, acked: start };
      for (let i = 0; i < sent; i++) s = smRecordSent(s, msg(i));
      const r = smApplyAck(s, h);
      const advance = (h - start + SM_MODULUS) % SM_MODULUS;
      assert.equal(r.ok, advance <= sent);
      if (r.ok) assert.equal(r.state.unacked.length, sent - advance);
    }),
  );
});

const smServer = (seed: number, extra = {}) =>
  serverConfig(seed, { streamManagement: { resume: true, max: 300 }, ...extra });
const smClient = (seed: number, extra = {}) =>
  clientConfig(seed, "juliet", { streamManagement: { resume: true }, ...extra });

Deno.test("XEP0198-3.enable XEP0198-3.enabled XEP0198-4.r: enable after bind, request and answer acks", () => {
  const p = new Pair({ client: smClient(20), server: smServer(20) }).start();
  assert.equal(p.client.driver.state.session?.sm?.status, "enabled");
  assert.ok(p.client.driver.state.session?.sm?.resumable);
  for (let i = 0; i < 12; i++) {
    p.clientInput({ type: "send", stanza: chat("romeo@example.net", `m${i}`) });
  }
  // ackEvery 5: two <r/> were answered, 2 stanzas are still unacknowledged.
  const sm = p.client.driver.state.session!.sm!;
  assert.equal(sm.outbound, 12);
  assert.equal(sm.acked, 10);
  assert.equal(sm.unacked.length, 2);
  assert.equal(p.server.driver.state.session?.sm?.inbound, 12);
});

Deno.test("XEP0198-5.resume XEP0198-5.resend: a dropped session resumes and resends what was lost", () => {
  const a = new Pair({ client: smClient(21), server: smServer(21) }).start();
  for (let i = 0; i < 5; i++) {
    a.clientInput({ type: "send", stanza: chat("romeo@example.net", `m${i}`) });
  }
  // Two more leave the client but never arrive: the connection is dying.
  a.client.driver.input({ type: "send", stanza: chat("romeo@example.net", "lost-5") });
  a.client.driver.input({ type: "send", stanza: chat("romeo@example.net", "lost-6") });
  a.serverInput({ type: "send", stanza: chat(`juliet@${DOMAIN}/balcony`, "to-juliet") });
  a.clientInput({ type: "transport-closed" });
  a.serverInput({ type: "transport-closed" });
  const clientToken = resumptionToken(a.client.driver.state)!;
  const serverToken = receiverResumptionToken(a.server.driver.state)!;
  assert.equal(clientToken.unacked.length, 2);
  assert.equal(clientToken.id, serverToken.id);

  const b = new Pair({
    client: smClient(22, { resumeFrom: clientToken }),
    server: smServer(22, { resumable: { [serverToken.id]: serverToken } }),
  }).start();
  assert.equal(b.client.driver.state.phase, "bound");
  assert.ok(b.client.outputs.some((o) => o.type === "established" && o.resumed));
  assert.deepEqual(b.server.stanzas.map((s) => s.getChildText("body")), ["lost-5", "lost-6"]);
  assert.equal(b.client.driver.state.session?.sm?.unacked.length, 0);
  assert.equal(b.client.driver.state.session?.sm?.outbound, 7);
});

Deno.test("XEP0198-5.failed: refused resumption is a clear error, then a fresh bind", () => {
  const a = new Pair({ client: smClient(23), server: smServer(23) }).start();
  a.client.driver.input({ type: "send", stanza: chat("romeo@example.net", "lost") });
  a.clientInput({ type: "transport-closed" });
  const token = resumptionToken(a.client.driver.state)!;
  const b = new Pair({ client: smClient(24, { resumeFrom: token }), server: smServer(24) }).start();
  assert.equal(b.client.errors[0]?.code, "xmpp/sm-resume-failed");
  const failed = b.client.outputs.find((o) => o.type === "resume-failed");
  assert.ok(failed && failed.type === "resume-failed" && failed.unacked.length === 1);
  assert.equal(b.client.driver.state.phase, "bound");
  assert.equal(b.client.established, `juliet@${DOMAIN}/balcony`);
});

Deno.test("XEP0198-4.wrap: a resumed session whose counters wrap keeps acknowledging", () => {
  const near = SM_MODULUS - 3;
  const base = {
    id: "wrap-1",
    jid: `juliet@${DOMAIN}/balcony`,
    inbound: near,
    outbound: near,
    acked: near,
    unacked: [],
  };
  const p = new Pair({
    client: smClient(25, { resumeFrom: base }),
    server: smServer(25, { resumable: { "wrap-1": base } }),
  }).start();
  assert.equal(p.client.driver.state.phase, "bound");
  for (let i = 0; i < 10; i++) {
    p.clientInput({ type: "send", stanza: chat("romeo@example.net", `w${i}`) });
  }
  for (let i = 0; i < 10; i++) {
    p.serverInput({ type: "send", stanza: chat(`juliet@${DOMAIN}/balcony`, `v${i}`) });
  }
  const c = p.client.driver.state.session!.sm!;
  const s = p.server.driver.state.session!.sm!;
  assert.equal(c.outbound, 7);
  assert.equal(c.acked, 7);
  assert.equal(s.inbound, 7);
  assert.equal(s.outbound, 7);
  assert.equal(c.inbound, 7);
  assert.deepEqual(p.client.errors, []);
  assert.deepEqual(p.server.errors, []);
});

Deno.test("XEP0198-4.too-high: an ack for more than was sent ends the stream with handled-count-too-high", () => {
  const p = new Pair({ client: smClient(26), server: smServer(26) }).start();
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "one") });
  const out = p.client.driver.receive(new TextEncoder().encode("<a xmlns='urn:xmpp:sm:3' h='5'/>"));
  assert.ok(out.some((o) => o.type === "error" && o.code === "xmpp/sm-handled-count-too-high"));
  const sent = out.find((o) => o.type === "send-bytes");
  assert.ok(sent && sent.type === "send-bytes");
  assert.match(
    new TextDecoder().decode(sent.data),
    /<undefined-condition [^>]*\/><handled-count-too-high xmlns="urn:xmpp:sm:3" h="5" send-count="1"\/>/,
  );
});

Deno.test("XEP0198-5.continue PD-106: iq requests open before the loss are matched after resumption, both ways", () => {
  const a = new Pair({ client: smClient(30), server: smServer(30) }).start();
  a.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "open-1") });
  a.serverInput({ type: "send", stanza: iqGet(undefined, "asked-1") });
  assert.equal(a.server.stanzas.at(-1)?.attrs.id, "open-1");
  assert.equal(a.client.stanzas.at(-1)?.attrs.id, "asked-1");
  a.clientInput({ type: "transport-closed" });
  a.serverInput({ type: "transport-closed" });
  const clientToken = resumptionToken(a.client.driver.state)!;
  const serverToken = receiverResumptionToken(a.server.driver.state)!;
  assert.deepEqual(clientToken.pendingOut, { "open-1": "romeo@example.net/garden" });
  assert.deepEqual(clientToken.pendingIn, { "\nasked-1": true });

  const b = new Pair({
    client: smClient(31, { resumeFrom: clientToken }),
    server: smServer(31, { resumable: { [serverToken.id]: serverToken } }),
  }).start();
  assert.ok(b.client.outputs.some((o) => o.type === "established" && o.resumed));
  // The response to the request sent before the loss reaches the application.
  const response = new Element("iq", {
    type: "result",
    id: "open-1",
    from: "romeo@example.net/garden",
    to: `juliet@${DOMAIN}/balcony`,
  });
  b.serverInput({ type: "send", stanza: response });
  assert.equal(b.client.stanzas.at(-1)?.attrs.id, "open-1");
  // The application answers the request it received before the loss.
  b.clientInput({ type: "send", stanza: new Element("iq", { type: "result", id: "asked-1" }) });
  assert.equal(b.server.stanzas.at(-1)?.attrs.id, "asked-1");
  assert.deepEqual([...b.client.errors, ...b.server.errors], []);
  // Both are settled now: the same response again matches nothing.
  b.serverInput({ type: "send", stanza: response });
  assert.equal(b.client.errors.at(-1)?.code, "xmpp/iq-unknown-id");
  assert.deepEqual(b.client.driver.state.session?.pendingOut.toRecord(), {});
  assert.deepEqual(b.client.driver.state.session?.pendingIn.toRecord(), {});
});

Deno.test("XEP0198-5.failed PD-106: a refused resumption starts a new session without the old requests", () => {
  const a = new Pair({ client: smClient(32), server: smServer(32) }).start();
  a.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "open-2") });
  a.clientInput({ type: "transport-closed" });
  const token = resumptionToken(a.client.driver.state)!;
  assert.deepEqual(Object.keys(token.pendingOut ?? {}), ["open-2"]);
  const b = new Pair({ client: smClient(33, { resumeFrom: token }), server: smServer(33) }).start();
  assert.ok(b.client.outputs.some((o) => o.type === "established" && !o.resumed));
  assert.deepEqual(b.client.driver.state.session?.pendingOut.toRecord(), {});
  b.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "result", id: "open-2", from: "romeo@example.net/garden" }),
  });
  assert.equal(b.client.errors.at(-1)?.code, "xmpp/iq-unknown-id");
});
