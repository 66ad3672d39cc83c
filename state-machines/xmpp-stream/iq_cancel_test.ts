/**
 * Abandoning an iq request (`cancel-iq`, PD-107): the application's own
 * timeout frees the request's slot among the 256 in flight, a late response
 * is refused as unknown, and the input is harmless wherever it has nothing
 * to do.
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { resumptionToken } from "./initiator.ts";
import { INITIATOR_DEFAULTS } from "./initiator_state.ts";
import { Pair } from "./pair.ts";
import { receiverResumptionToken } from "./receiver.ts";
import { clientConfig, DOMAIN, iqGet, serverConfig } from "./testing.ts";

const ROMEO = "romeo@example.net/garden";
const FULL = `juliet@${DOMAIN}/balcony`;
const response = (id: string) => new Element("iq", { type: "result", id, from: ROMEO, to: FULL });
const sentIds = (p: Pair) => p.server.stanzas.map((s) => s.attrs.id);
const lastError = (p: Pair): string | undefined => p.client.errors.at(-1)?.code;

Deno.test("PD-107 PD-75: at the 256-request bound a cancelled request frees exactly one slot", () => {
  assert.equal(INITIATOR_DEFAULTS.maxPendingIq, 256);
  const p = new Pair({ client: clientConfig("cancel-1"), server: serverConfig("cancel-1") })
    .start();
  for (let i = 0; i < 256; i++) p.clientInput({ type: "send", stanza: iqGet(ROMEO, `r${i}`) });
  assert.deepEqual(p.client.errors, []);
  assert.equal(p.client.driver.state.session!.pendingOut.size, 256);
  // The 257th is refused and never sent.
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "over") });
  assert.equal(lastError(p), "xmpp/iq-limit");
  assert.ok(!sentIds(p).includes("over"));
  // Cancelling one request makes room for one, no more.
  p.clientInput({ type: "cancel-iq", id: "r17" });
  assert.equal(p.client.driver.state.session!.pendingOut.size, 255);
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "over") });
  assert.equal(sentIds(p).at(-1), "over");
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "over-2") });
  assert.equal(lastError(p), "xmpp/iq-limit");
  // The abandoned request's late response is refused; the others still match.
  const before = p.client.stanzas.length;
  p.serverInput({ type: "send", stanza: response("r17") });
  assert.equal(lastError(p), "xmpp/iq-unknown-id");
  p.serverInput({ type: "send", stanza: response("r18") });
  assert.equal(p.client.stanzas.length, before + 1);
  assert.equal(p.client.stanzas.at(-1)?.attrs.id, "r18");
  assert.equal(p.client.driver.state.phase, "bound");
});

Deno.test("PD-107: a cancelled id may be used again; cancelling an id not in flight changes nothing", () => {
  const p = new Pair({ client: clientConfig("cancel-2"), server: serverConfig("cancel-2") })
    .start();
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "again") });
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "again") });
  assert.equal(lastError(p), "xmpp/iq-duplicate-id");
  p.clientInput({ type: "cancel-iq", id: "again" });
  p.clientInput({ type: "send", stanza: iqGet(ROMEO, "again") });
  assert.deepEqual(sentIds(p), ["again", "again"]);
  const state = p.client.driver.state;
  const errors = p.client.errors.length;
  for (const id of ["never-sent", "", "again\n"]) {
    assert.deepEqual(p.client.driver.input({ type: "cancel-iq", id }), []);
  }
  assert.deepEqual(p.client.driver.state, state);
  assert.equal(p.client.errors.length, errors);
});

Deno.test("PD-107 PD-70: cancel-iq without an id is refused; terminal phases absorb it; the receiver refuses it", () => {
  const p = new Pair({ client: clientConfig("cancel-3"), server: serverConfig("cancel-3") })
    .start();
  const bad = p.client.driver.input({ type: "cancel-iq" } as never);
  assert.deepEqual(bad.map((o) => o.type === "error" && o.code), ["xmpp/invalid-input"]);
  const refused = p.server.driver.input({ type: "cancel-iq", id: "x" });
  assert.deepEqual(refused.map((o) => o.type === "error" && o.code), ["xmpp/invalid-input"]);
  p.clientInput({ type: "transport-closed" });
  assert.equal(p.client.driver.state.phase, "failed");
  assert.deepEqual(p.client.driver.input({ type: "cancel-iq", id: "x" }), []);
});

Deno.test("PD-107 PD-106: a request cancelled while the session waits to be resumed is gone after <resumed/>", () => {
  const sm = { streamManagement: { resume: true } };
  const a = new Pair({
    client: clientConfig("cancel-4", "juliet", sm),
    server: serverConfig("cancel-4", { streamManagement: { resume: true, max: 60 } }),
  }).start();
  a.clientInput({ type: "send", stanza: iqGet(ROMEO, "kept") });
  a.clientInput({ type: "send", stanza: iqGet(ROMEO, "dropped") });
  a.clientInput({ type: "transport-closed" });
  a.serverInput({ type: "transport-closed" });
  const clientToken = resumptionToken(a.client.driver.state)!;
  const serverToken = receiverResumptionToken(a.server.driver.state)!;
  const b = new Pair({
    client: clientConfig("cancel-5", "juliet", { ...sm, resumeFrom: clientToken }),
    server: serverConfig("cancel-5", {
      streamManagement: { resume: true, max: 60 },
      resumable: { [serverToken.id]: serverToken },
    }),
  });
  // The adapter's timer fires before the new stream is even opened.
  b.clientInput({ type: "cancel-iq", id: "dropped" });
  assert.deepEqual(Object.keys(b.client.driver.state.resume?.pendingOut ?? {}), ["kept"]);
  b.start();
  assert.ok(b.client.outputs.some((o) => o.type === "established" && o.resumed));
  assert.deepEqual([...b.client.driver.state.session!.pendingOut.keys()], ["kept"]);
  b.serverInput({ type: "send", stanza: response("dropped") });
  assert.equal(lastError(b), "xmpp/iq-unknown-id");
  b.serverInput({ type: "send", stanza: response("kept") });
  assert.equal(b.client.stanzas.at(-1)?.attrs.id, "kept");
});
