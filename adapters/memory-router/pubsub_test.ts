/**
 * The router's pubsub service and disco answers: node creation by admins
 * only, configuration and whitelist, subscription refusals, publishing
 * rights (forbidden for non-publishers), notifications, items, retraction,
 * item-not-found; disco of the domain, the MUC service and the pubsub
 * service read back through the disco requester's reader.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { discoQuery, readInfo, readItems } from "../../state-machines/disco/stanzas.ts";
import { discoPayload } from "../../state-machines/disco/stanzas.ts";
import {
  affiliationsIq,
  createNodeIq,
  errorOf,
  itemsIq,
  nodeConfig,
  publishIq,
  readEvent,
  readItemsResult,
  retractIq,
  subscribeIq,
} from "../../state-machines/pubsub/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { connectTo, DOMAIN, settle, type TestClient, testRouter } from "./testing.ts";

const SERVICE = `pubsub.${DOMAIN}`;
const NODE = "tariffs";
const J = (u: string) => `${u}@${DOMAIN}`;
const payload = (text: string) => new Element("p", { xmlns: "urn:test" }).t(text) as unknown as Xel;
const lastIq = (c: TestClient, id: string) =>
  c.got.filter((x) => x.name === "iq" && x.attrs.id === id).at(-1)!;
const notes = (c: TestClient) => c.got.filter((x) => x.name === "message" && readEvent(x));

async function setup() {
  const router = await testRouter(["market", "der1", "der2", "outsider"], {
    rosterGroups: null,
    pubsubAdmins: [J("market")],
    discoItems: [{ jid: J("kdc"), name: "derlink key server" }],
  });
  const c = {
    m: await connectTo(router, "market"),
    d1: await connectTo(router, "der1"),
    d2: await connectTo(router, "der2"),
    x: await connectTo(router, "outsider"),
  };
  return { router, ...c };
}

Deno.test("router pubsub: admins create, owners configure and whitelist; others are refused (XEP0060-8.1.3 XEP0060-8.9.2 PD-133)", async () => {
  // spec: XEP0060-8.1.3 XEP0060-8.2 XEP0060-8.9.2 XEP0060-4.5 PD-133 PD-159
  const { m, d1 } = await setup();
  d1.client.send(createNodeIq(SERVICE, "c0", NODE, nodeConfig("urn:test")));
  m.client.send(createNodeIq(SERVICE, "c1", NODE, nodeConfig("urn:test")));
  m.client.send(createNodeIq(SERVICE, "c2", NODE, nodeConfig("urn:test")));
  d1.client.send(
    affiliationsIq(SERVICE, "a0", NODE, [{ jid: J("der1"), affiliation: "publisher" }]),
  );
  m.client.send(
    affiliationsIq(SERVICE, "a1", NODE, [{ jid: J("der1"), affiliation: "member" }, {
      jid: J("der2"),
      affiliation: "member",
    }]),
  );
  m.client.send(createNodeIq(SERVICE, "c3", "other", [["pubsub#access_model", "presence"]]));
  await settle();
  assert.equal(errorOf(lastIq(d1, "c0")), "forbidden");
  assert.equal(lastIq(m, "c1").attrs.type, "result");
  assert.equal(errorOf(lastIq(m, "c2")), "conflict");
  assert.equal(errorOf(lastIq(d1, "a0")), "forbidden");
  assert.equal(lastIq(m, "a1").attrs.type, "result");
  assert.equal(errorOf(lastIq(m, "c3")), "not-acceptable");
});

Deno.test("router pubsub: whitelist subscription, publisher-only publishing, notifications, items, retract (XEP0060-6.1 XEP0060-7.1 XEP0060-7.1.3.1 XEP0060-7.2)", async () => {
  // spec: XEP0060-6.1 XEP0060-6.1.3.4 XEP0060-6.5 XEP0060-7.1 XEP0060-7.1.2.1 XEP0060-7.1.3.1 XEP0060-7.2 XEP0060-7.2.2.1 PD-133
  const { router, m, d1, d2, x } = await setup();
  m.client.send(createNodeIq(SERVICE, "c1", NODE, nodeConfig("urn:test")));
  m.client.send(
    affiliationsIq(SERVICE, "a1", NODE, [{ jid: J("der1"), affiliation: "member" }, {
      jid: J("der2"),
      affiliation: "member",
    }]),
  );
  await settle();
  d1.client.send(subscribeIq(SERVICE, "s1", NODE, d1.client.jid));
  d2.client.send(subscribeIq(SERVICE, "s2", NODE, d2.client.jid));
  x.client.send(subscribeIq(SERVICE, "s3", NODE, x.client.jid));
  d2.client.send(subscribeIq(SERVICE, "s4", NODE, d1.client.jid));
  d1.client.send(subscribeIq(SERVICE, "s5", "missing", d1.client.jid));
  await settle();
  assert.match(lastIq(d1, "s1").toString(), /subscription="subscribed"/);
  assert.equal(errorOf(lastIq(x, "s3")), "not-allowed+closed-node");
  assert.equal(errorOf(lastIq(d2, "s4")), "bad-request+invalid-jid");
  assert.equal(errorOf(lastIq(d1, "s5")), "item-not-found");
  m.client.send(publishIq(SERVICE, "p1", NODE, "t-1", payload("one")));
  m.client.send(publishIq(SERVICE, "p2", NODE, "t-2", payload("two")));
  d1.client.send(publishIq(SERVICE, "p3", NODE, "t-3", payload("forged")));
  x.client.send(publishIq(SERVICE, "p4", NODE, "t-4", payload("forged")));
  m.client.send(publishIq(SERVICE, "p5", "missing", "t-5", payload("x")));
  await settle();
  assert.match(lastIq(m, "p1").toString(), /<item id="t-1"\/>/);
  assert.equal(errorOf(lastIq(d1, "p3")), "forbidden");
  assert.equal(errorOf(lastIq(x, "p4")), "forbidden");
  assert.equal(errorOf(lastIq(m, "p5")), "item-not-found");
  for (const c of [d1, d2]) {
    assert.deepEqual(notes(c).map((n) => readEvent(n)!.items.map((i) => i.payload?.getText())), [[
      "one",
    ], ["two"]]);
    assert.equal(notes(c)[0].attrs.from, SERVICE);
    assert.equal(notes(c)[0].attrs.type, "headline");
  }
  assert.equal(notes(x).length, 0);
  d1.client.send(itemsIq(SERVICE, "i1", NODE, 1));
  x.client.send(itemsIq(SERVICE, "i2", NODE, 1));
  m.client.send(retractIq(SERVICE, "r1", NODE, "t-1"));
  d1.client.send(retractIq(SERVICE, "r2", NODE, "t-2"));
  await settle();
  assert.deepEqual(readItemsResult(lastIq(d1, "i1"))?.items.map((i) => i.id), ["t-2"]);
  assert.equal(errorOf(lastIq(x, "i2")), "not-allowed+closed-node");
  assert.equal(lastIq(m, "r1").attrs.type, "result");
  assert.equal(errorOf(lastIq(d1, "r2")), "forbidden");
  assert.deepEqual(readEvent(notes(d2).at(-1)!)!.retracted, ["t-1"]);
  assert.match(router.stored(), /"pubsub":\[\{"name":"tariffs"/);
});

Deno.test("router disco: the domain lists its services and the key server; each service describes itself (XEP0030-3.1 XEP0030-4.1 PAPER-MAP5 PD-133)", async () => {
  // spec: XEP0030-3.1 XEP0030-4.1 XEP0030-3.2 PAPER-MAP5 PD-133 XEP0060-5.2
  const { m } = await setup();
  m.client.send(createNodeIq(SERVICE, "c1", NODE, nodeConfig("urn:test", "market tariffs")));
  const asks: [string, "info" | "items", string, string?][] = [
    ["d1", "items", DOMAIN],
    ["d2", "info", DOMAIN],
    ["d3", "info", `rooms.${DOMAIN}`],
    ["d4", "info", SERVICE],
    ["d5", "items", SERVICE],
    ["d6", "info", SERVICE, NODE],
    ["d7", "info", SERVICE, "missing"],
  ];
  for (const [id, kind, to, node] of asks) m.client.send(discoQuery(kind, to, id, node));
  await settle();
  const read = (id: string) => {
    const q = discoPayload(lastIq(m, id))!.query;
    return q.attrs.xmlns!.endsWith("items") ? readItems(q) : readInfo(q);
  };
  assert.deepEqual(read("d1"), {
    ok: true,
    value: [
      { jid: `rooms.${DOMAIN}`, name: "rooms" },
      { jid: SERVICE, name: "market" },
      { jid: J("kdc"), name: "derlink key server" },
    ],
  });
  const info = (id: string) => {
    const r = read(id);
    assert.ok(r.ok && "identities" in r.value);
    return r.value;
  };
  assert.deepEqual(info("d2").identities.map((i) => `${i.category}/${i.type}`), ["server/im"]);
  assert.deepEqual(info("d3").identities.map((i) => `${i.category}/${i.type}`), [
    "conference/text",
  ]);
  assert.ok(info("d3").features.includes("http://jabber.org/protocol/muc"));
  assert.deepEqual(info("d4").identities.map((i) => `${i.category}/${i.type}`), ["pubsub/service"]);
  assert.ok(info("d4").features.includes("http://jabber.org/protocol/pubsub#access-whitelist"));
  assert.deepEqual(read("d5"), {
    ok: true,
    value: [{ jid: SERVICE, node: NODE, name: "market tariffs" }],
  });
  assert.deepEqual(info("d6").identities.map((i) => `${i.category}/${i.type}`), ["pubsub/leaf"]);
  assert.equal(errorOf(lastIq(m, "d7")), "item-not-found");
});
