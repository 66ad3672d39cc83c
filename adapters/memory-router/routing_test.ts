/**
 * In-memory router: real negotiation, routing to bare and full JIDs,
 * presence among shared-roster contacts and on session end, errors, and
 * byte-for-byte determinism.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { brief, connectTo, DOMAIN, msg, presence, settle, testRouter } from "./testing.ts";

const J = (u: string, r?: string) => r ? `${u}@${DOMAIN}/${r}` : `${u}@${DOMAIN}`;

Deno.test("router: clients negotiate STARTTLS, SCRAM and bind through the receiver (DL-ROUTER-6)", async () => {
  const router = await testRouter(["alice", "bob"]);
  const a = await connectTo(router, "alice", "home");
  assert.equal(a.client.jid, J("alice", "home"));
  assert.ok(router.sessions.byFull.has(J("alice", "home")));
  const text = router.log.sessions[0].fromClient.join("");
  assert.match(text, /<starttls/);
  assert.match(text, /SCRAM-SHA-256/);
  await a.client.close();
});

Deno.test("router: message to bare JID goes to the highest-priority resource; from stamped (RFC6121-8.5.2.1.1 DL-ROUTER-1 PD-135)", async () => {
  // spec: RFC6121-8.5.2.1.1 DL-ROUTER-1 PD-135 RFC6120-8.1.2.1 RFC6121-8.5.3.1
  const router = await testRouter(["alice", "bob"]);
  const a = await connectTo(router, "alice", "home");
  const b1 = await connectTo(router, "bob", "low");
  const b2 = await connectTo(router, "bob", "high");
  b1.client.send(presence({}, 1));
  b2.client.send(presence({}, 5));
  await settle();
  a.client.send(msg(J("bob"), "hello"));
  await settle();
  const chats = (c: typeof b1) => c.got.filter((x) => x.name === "message");
  assert.deepEqual(brief(chats(b2)), [`message chat from=${J("alice", "home")} body=hello`]);
  assert.deepEqual(chats(b1), []);
  // To a full JID: exactly that resource.
  a.client.send(msg(J("bob", "low"), "direct"));
  await settle();
  assert.deepEqual(brief(chats(b1)), [`message chat from=${J("alice", "home")} body=direct`]);
  for (const c of [a, b1, b2]) await c.client.close();
});

Deno.test("router: iq to an unavailable full JID and chat to an offline account get service-unavailable (RFC6121-8.5.3.2.2 DL-ROUTER-3)", async () => {
  // spec: RFC6121-8.5.3.2.2 DL-ROUTER-3 RFC6121-8.5.2.2.1 DL-ROUTER-2 RFC6121-8.1 RFC6120-10.4.3
  const router = await testRouter(["alice", "bob"]);
  const a = await connectTo(router, "alice", "home");
  await assert.rejects(
    a.client.iq(
      new Element("iq", { type: "get", to: J("bob", "gone") }).c("query", {
        xmlns: "jabber:iq:version",
      }).root() as unknown as Xel,
      { timeoutMs: 2000 },
    ),
    (e: Error) =>
      e.message.includes("service-unavailable") || String(e).includes("service-unavailable"),
  );
  a.client.send(msg(J("bob"), "anyone?", "chat", "off1"));
  a.client.send(msg(`nobody@${DOMAIN}`, "x", "chat", "off2"));
  a.client.send(msg("carol@elsewhere.example", "x", "chat", "off3"));
  await settle();
  const errs = a.got.filter((x) => x.name === "message" && x.attrs.type === "error");
  const cond = (x: Xel) =>
    (x.children.find((c) => typeof c === "object" && c.name === "error") as Xel).children
      .filter((c): c is Xel => typeof c === "object")[0].name;
  assert.deepEqual(errs.map((x) => [x.attrs.id, cond(x)]), [
    ["off1", "service-unavailable"],
    ["off2", "service-unavailable"],
    ["off3", "remote-server-not-found"],
  ]);
  await a.client.close();
});

Deno.test("router: presence among shared-roster contacts, unavailable on close and on a cut transport (RFC6121-4.2.2 DL-ROUTER-4 DL-ROUTER-5)", async () => {
  // spec: RFC6121-4.2.2 RFC6121-4.5.2 DL-ROUTER-4 DL-ROUTER-5 PD-136
  const router = await testRouter(["alice", "bob", "eve"], {
    rosterGroups: { grid: ["alice", "bob"] },
  });
  const a = await connectTo(router, "alice", "home");
  const b = await connectTo(router, "bob", "der");
  const e = await connectTo(router, "eve", "x");
  a.client.send(presence());
  await settle();
  b.client.send(presence());
  e.client.send(presence());
  await settle();
  const pres = (c: typeof a) => brief(c.got.filter((x) => x.name === "presence"));
  assert.deepEqual(pres(a), [`presence - from=${J("bob", "der")}`]);
  assert.deepEqual(pres(b), [`presence - from=${J("alice", "home")}`]);
  assert.deepEqual(pres(e), []);
  router.cut(J("bob", "der"));
  await settle();
  assert.deepEqual(pres(a).at(-1), `presence unavailable from=${J("bob", "der")}`);
  await a.client.close();
  await settle();
  assert.deepEqual(pres(e), []);
  await e.client.close();
});

Deno.test("router: same inputs in the same order give the same bytes (DL-ROUTER-12)", async () => {
  // spec: DL-ROUTER-12 PD-137
  const run = async () => {
    const router = await testRouter(["alice", "bob"]);
    const a = await connectTo(router, "alice", "home");
    const b = await connectTo(router, "bob", "der");
    a.client.send(presence());
    b.client.send(presence());
    await settle();
    a.client.send(msg(J("bob"), "one"));
    await settle();
    await a.client.close();
    await b.client.close();
    await settle();
    return router.log.transcript();
  };
  const [x, y] = [await run(), await run()];
  assert.ok(x.length > 1000);
  assert.equal(x, y);
});

Deno.test("router: presence and iq to a bare JID, message to a gone resource, no error for an error (RFC6121-8.5.2.1.2 RFC6121-8.5.3.2.1)", async () => {
  // spec: RFC6121-8.5.2.1.2 RFC6121-8.5.2.1.3 RFC6121-8.5.3.2.1 RFC6120-8.3.1
  const router = await testRouter(["alice", "bob"], { rosterGroups: null });
  const a = await connectTo(router, "alice", "home");
  const b1 = await connectTo(router, "bob", "one");
  const b2 = await connectTo(router, "bob", "two");
  b1.client.send(presence());
  b2.client.send(presence());
  await settle();
  a.client.send(presence({ to: J("bob") }));
  a.client.send(msg(J("bob", "gone"), "fallback", "chat", "fb"));
  await settle();
  for (const b of [b1, b2]) {
    const fromAlice = b.got.filter((x) =>
      x.name === "presence" && x.attrs.from?.startsWith("alice")
    );
    assert.deepEqual(brief(fromAlice), [
      `presence - from=${J("alice", "home")}`,
    ]);
  }
  assert.deepEqual(brief(b1.got.filter((x) => x.name === "message")), [
    `message chat from=${J("alice", "home")} body=fallback`,
  ]);
  const iq = new Element("iq", { type: "get", to: J("bob"), id: "q1" })
    .c("query", { xmlns: "jabber:iq:version" }).root() as unknown as Xel;
  a.client.send(iq);
  // An error to nobody is dropped, not answered.
  a.client.send(
    new Element("message", { to: `nobody@${DOMAIN}`, type: "error", id: "e1" }) as unknown as Xel,
  );
  await settle();
  const answers = a.got.filter((x) => x.attrs.type === "error").map((x) =>
    `${x.name} ${x.attrs.id}`
  );
  assert.deepEqual(answers, ["iq q1"]);
  for (const c of [a, b1, b2]) await c.client.close();
});

Deno.test("router: advance(now) fires receiver timers; the router has none of its own (PD-137)", async () => {
  // spec: PD-137 DL-ROUTER-12
  const router = await testRouter(["alice"], {
    now: 1_000,
    receiver: { ping: { intervalMs: 10_000, timeoutMs: 5_000 } },
  });
  const a = await connectTo(router, "alice", "home");
  await settle();
  const pings = () => router.log.sessions[0].toClient.join("").split("urn:xmpp:ping").length - 1;
  assert.equal(pings(), 0);
  router.advance(5_000);
  await settle();
  assert.equal(pings(), 0);
  router.advance(11_000);
  await settle();
  assert.equal(pings(), 1);
  await a.client.close();
});
