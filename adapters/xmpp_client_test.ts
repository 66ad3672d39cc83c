/**
 * XmppClient and StreamConnection over the in-memory server (receiver
 * machine): negotiation, stanzas, iq promises, the pin check, timers,
 * reconnect with backoff and resumption, and which endings are retried.
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { isDerlinkError } from "../core/errors.ts";
import { createTestCa, issueServerCert } from "../core/pki/testca.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { DOMAIN, julietOptions, memoryServer, testPki } from "./adapter_test_fixtures.ts";
import { message, XmppClient } from "./xmpp_client.ts";

const JULIET = `juliet@${DOMAIN}/balcony`;
const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(f: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !f(); i++) await tick();
  assert.ok(f(), `never happened: ${what}`);
}
const iqGet = (to: string) =>
  new Element("iq", { type: "get", to }).c("query", { xmlns: "jabber:iq:version" }).root() as Xel;
const result = (to: string, id: string) =>
  new Element("iq", { type: "result", id, to, from: DOMAIN }) as Xel;

Deno.test("DL-ADAPTER-1 DL-ADAPTER-8: bind, stanzas both ways and iq promises, every step a declared transition", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server));
  try {
    assert.equal(client.jid, JULIET);
    const link = server.last!;
    assert.match(link.clientText, /<starttls/);
    // The server certificate reached the machine.
    assert.deepEqual(client.connection!.driver.state.tls?.peerCertificate, pki.chain[0]);
    client.send(message(`romeo@${DOMAIN}`, "one"));
    client.send(message(`romeo@${DOMAIN}`, "two"));
    await until(() => link.stanzas.length === 2, "two stanzas at the server");
    assert.deepEqual(link.stanzas.map((s) => s.getChildText("body")), ["one", "two"]);

    const got = client.once("message");
    link.serverInput({ type: "send", stanza: message(JULIET, "hi") });
    assert.equal((await got).getChildText("body"), "hi");

    const pending = client.iq(iqGet(DOMAIN));
    await until(() => link.stanzas.length === 3, "iq at the server");
    link.serverInput({ type: "send", stanza: result(JULIET, link.stanzas[2].attrs.id!) });
    assert.equal((await pending).attrs.type, "result");
  } finally {
    await client.close();
  }
  assert.equal(client.connection!.driver.state.phase, "closed");
  assert.ok(client.isClosed);
  assert.throws(
    () => client.send(message("a@b", "x")),
    (e) => isDerlinkError(e, "adapter/client-closed"),
  );
});

Deno.test("DL-ADAPTER-3 DL-ADAPTER-9 PD-100: a chain not leading to the anchors is refused before any credential is sent", async () => {
  const pki = await testPki();
  const other = await createTestCa();
  const foreign = await issueServerCert(other, { dnsNames: [DOMAIN] });
  const server = memoryServer(pki, {}, [new Uint8Array(foreign.cert.rawData)]);
  await assert.rejects(
    XmppClient.connect(julietOptions(pki, server)),
    (e) => isDerlinkError(e, "adapter/untrusted-peer"),
  );
  assert.doesNotMatch(server.last!.clientText, /<auth/);
});

Deno.test("DL-ADAPTER-5: the machine's timers fire as tick inputs (negotiation timeout)", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  (server.options as { blackhole?: boolean }).blackhole = true;
  await assert.rejects(
    XmppClient.connect(julietOptions(pki, server, { machine: { negotiationTimeoutMs: 20 } })),
    (e) => isDerlinkError(e, "xmpp/negotiation-timeout"),
  );
});

Deno.test("DL-ADAPTER-5: iq() without an answer rejects with adapter/iq-timeout", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server));
  try {
    await assert.rejects(
      client.iq(iqGet(DOMAIN), { timeoutMs: 10 }),
      (e) => isDerlinkError(e, "adapter/iq-timeout"),
    );
  } finally {
    await client.close();
  }
});

Deno.test("PD-107 PD-103: an iq that timed out frees its slot in the machine; its late response is dropped", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(
    julietOptions(pki, server, { machine: { maxPendingIq: 1 } }),
  );
  try {
    const errors: string[] = [];
    client.on("error", (e) => errors.push(e.code));
    await assert.rejects(
      client.iq(iqGet(DOMAIN), { timeoutMs: 5 }),
      (e) => isDerlinkError(e, "adapter/iq-timeout"),
    );
    const link = server.last!;
    const first = link.stanzas[0].attrs.id!;
    // With its one slot freed, the next request goes out instead of failing with xmpp/iq-limit.
    const second = client.iq(iqGet(DOMAIN));
    await until(() => link.stanzas.length === 2, "second iq at the server");
    link.serverInput({ type: "send", stanza: result(JULIET, first) });
    link.serverInput({ type: "send", stanza: result(JULIET, link.stanzas[1].attrs.id!) });
    assert.equal((await second).attrs.id, link.stanzas[1].attrs.id);
    assert.deepEqual(errors, ["xmpp/iq-unknown-id"]);
  } finally {
    await client.close();
  }
});

Deno.test("PD-107 PD-106: an iq that times out while the client reconnects is not carried into the resumed session", async () => {
  const pki = await testPki();
  const server = memoryServer(pki, { streamManagement: { resume: true, max: 60 } });
  const client = await XmppClient.connect(julietOptions(pki, server, {
    machine: { streamManagement: { resume: true } },
    reconnect: { maxAttempts: 3, baseMs: 40, maxMs: 80 },
  }));
  try {
    await until(() => client.connection!.driver.state.session?.sm?.status === "enabled", "sm");
    const back = client.once("established");
    const old = client.connection;
    const pending = client.iq(iqGet(DOMAIN), { timeoutMs: 1 });
    server.last!.drop();
    await assert.rejects(pending, (e) => isDerlinkError(e, "adapter/iq-timeout"));
    assert.deepEqual(await back, { jid: JULIET, resumed: true });
    await until(() => client.connection !== old, "the new connection in place");
    assert.equal(client.connection!.driver.state.session?.pendingOut.size, 0);
  } finally {
    await client.close();
  }
});

Deno.test("DL-ADAPTER-6 DL-ADAPTER-7 PD-101: after a loss the client backs off, retries failed connects, and resumes", async () => {
  const pki = await testPki();
  const server = memoryServer(pki, { streamManagement: { resume: true, max: 60 } });
  const policy = { maxAttempts: 5, baseMs: 2, maxMs: 8 };
  const client = await XmppClient.connect(julietOptions(pki, server, {
    machine: { streamManagement: { resume: true } },
    reconnect: policy,
  }));
  try {
    const delays: number[] = [];
    client.on("reconnecting", (r) => delays.push(r.delayMs));
    await until(() => client.connection!.driver.state.session?.sm?.status === "enabled", "sm");
    const pending = client.iq(iqGet(DOMAIN));
    server.failUntil = server.attempts + 2; // the next two connects fail
    const back = client.once("established");
    server.last!.drop();
    assert.deepEqual(await back, { jid: JULIET, resumed: true });
    assert.equal(delays.length, 3);
    delays.forEach((d, i) => {
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** i);
      assert.ok(d >= ceiling / 2 && d < ceiling, `delay ${d} for attempt ${i}`);
    });
    // The request sent before the loss is still open after the resumption (PD-102).
    const timedOut = await Promise.race([pending.then(() => false, () => true), tick()]);
    assert.equal(timedOut, undefined);
    client.send(message(`romeo@${DOMAIN}`, "after"));
    await until(() => server.last!.stanzas.length > 0, "stanza on the resumed link");
  } finally {
    await client.close();
  }
});

Deno.test("PD-101 PD-102: no resumption: pending iqs fail with adapter/connection-lost; the client binds afresh", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server, {
    reconnect: { maxAttempts: 3, baseMs: 1, maxMs: 2 },
  }));
  try {
    const pending = client.iq(iqGet(DOMAIN));
    const back = client.once("established");
    server.last!.drop();
    await assert.rejects(pending, (e) => isDerlinkError(e, "adapter/connection-lost"));
    assert.equal((await back).resumed, false);
  } finally {
    await client.close();
  }
});

Deno.test("DL-ADAPTER-6 PD-101: reconnect attempts are bounded: adapter/reconnect-exhausted", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server, {
    reconnect: { maxAttempts: 3, baseMs: 1, maxMs: 2 },
  }));
  const closed = client.once("closed");
  server.failUntil = Number.MAX_SAFE_INTEGER;
  const before = server.attempts;
  server.last!.drop();
  const end = await closed;
  assert.equal(end.error?.code, "adapter/reconnect-exhausted");
  assert.equal(server.attempts - before, 3);
  assert.ok(client.isClosed);
});

Deno.test("PD-101: endings that retrying cannot fix are final (bad password, stream conflict)", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const retry = { maxAttempts: 3, baseMs: 1, maxMs: 2 };
  await assert.rejects(
    XmppClient.connect(julietOptions(pki, server, { password: "wrong", reconnect: retry })),
    (e) => isDerlinkError(e) && e.code.startsWith("sasl/"),
  );
  assert.equal(server.attempts, 1);
  const client = await XmppClient.connect(julietOptions(pki, server, { reconnect: retry }));
  const closed = client.once("closed");
  server.last!.serverInput({ type: "close", condition: "conflict" });
  const end = await closed;
  assert.equal(end.error?.code, "xmpp/conflict");
  assert.equal(server.attempts, 2, "no reconnect after a conflict");
});

Deno.test("PD-101: see-other-host after TLS reconnects at once to the given location", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server, {
    reconnect: { maxAttempts: 2, baseMs: 1_000, maxMs: 1_000 },
  }));
  try {
    const delays: number[] = [];
    client.on("reconnecting", (r) => delays.push(r.delayMs));
    const back = client.once("established");
    server.last!.serverInput({
      type: "close",
      condition: "see-other-host",
      location: "[::1]:5333",
    });
    await back;
    assert.deepEqual(delays, [0]);
    assert.deepEqual(server.endpoints.at(-1), { host: "::1", port: 5333 });
  } finally {
    await client.close();
  }
});

Deno.test("adapter/not-connected while reconnecting; adapter/invalid-config for an iq that is not a request", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server, {
    reconnect: { maxAttempts: 1, baseMs: 50, maxMs: 50 },
  }));
  try {
    await assert.rejects(
      client.iq(new Element("iq", { type: "result", id: "x" }) as Xel),
      (e) => isDerlinkError(e, "adapter/invalid-config"),
    );
    const waiting = client.once("reconnecting");
    server.last!.drop();
    await waiting;
    assert.throws(
      () => client.send(message(`romeo@${DOMAIN}`, "x")),
      (e) => isDerlinkError(e, "adapter/not-connected"),
    );
  } finally {
    await client.close();
  }
});

Deno.test("DL-ADAPTER-5 PD-101: pings keep a quiet session; an unanswered ping ends it (xmpp/ping-timeout) and the client reconnects", async () => {
  const pki = await testPki();
  const server = memoryServer(pki);
  const client = await XmppClient.connect(julietOptions(pki, server, {
    machine: { ping: { intervalMs: 5, timeoutMs: 30 } },
    reconnect: { maxAttempts: 1, baseMs: 1, maxMs: 1 },
  }));
  try {
    const link = server.last!;
    await until(() => (link.clientText.match(/urn:xmpp:ping/g) ?? []).length >= 3, "three pings");
    assert.equal(client.connection!.driver.state.phase, "bound", "answered pings keep it");
    const lost = client.once("disconnected");
    (server.options as { blackhole?: boolean }).blackhole = true;
    const end = await lost;
    assert.equal(end.error?.code, "xmpp/ping-timeout");
    (server.options as { blackhole?: boolean }).blackhole = false;
    await client.once("established");
  } finally {
    await client.close();
  }
});
