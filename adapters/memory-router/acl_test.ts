/**
 * The grid operator's ACL (paper §V option 1) enforced by the in-memory
 * router: every connection's receiver gets the ACL as its stanza policy, so
 * a DER addressing another DER, a DER publishing to the tariff node and an
 * unlisted DER joining the group room are refused with `forbidden` and the
 * `acl/*` code as text, nobody receives them, and the listed traffic flows.
 * A listed publisher's publish passes the ACL and reaches the router's
 * pubsub service, which has no such node (item-not-found).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { gridAclDocument } from "../../core/acl/fixtures.ts";
import { aclStanzaPolicy, parseAcl } from "../../core/acl/mod.ts";
import { affiliationIq, configIq, joinPresence } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { connectTo, DOMAIN, msg, settle, type TestClient, testRouter } from "./testing.ts";

const J = (u: string) => `${u}@${DOMAIN}`;
const ROOM = `group1@rooms.${DOMAIN}`;
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** [condition, text] of the last error stanza `c` got with this id (or of this kind). */
function errorOf(c: TestClient, id: string, name?: string): [string, string] | undefined {
  const e = c.got.filter((x) =>
    (name ? x.name === name : x.attrs.id === id) && x.attrs.type === "error"
  ).at(-1);
  const err = e?.children.find((k): k is Xel => typeof k === "object" && k.name === "error");
  if (!err) return undefined;
  const kids = err.children.filter((k): k is Xel => typeof k === "object");
  const cond = kids.find((k) => k.attrs.xmlns === STANZAS && k.name !== "text");
  const text = kids.find((k) => k.name === "text");
  return [cond?.name ?? "?", text?.getText() ?? ""];
}

const publish = (node: string, id: string) =>
  new Element("iq", { type: "set", to: `pubsub.${DOMAIN}`, id })
    .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
    .c("publish", { node }).c("item").root() as unknown as Xel;

Deno.test("router ACL: DER to DER, DER tariff publish and an unlisted DER's join are refused; listed traffic flows (DL-ACL-8 DL-ACL-7 PAPER-OPT1)", async () => {
  // spec: PD-211 DL-ACL-8 DL-ACL-7 DL-ACL-3 RFC6120-8.3.1 DL-ACL-2 DL-ACL-4 DL-ACL-6 PAPER-OPT1 RFC6120-8.3.2 RFC6120-8.3.3.6
  const parsed = parseAcl(gridAclDocument(DOMAIN));
  if (!parsed.ok) throw parsed.error;
  const users = ["der1", "der2", "der3", "cc", "market"];
  const router = await testRouter(users, {
    rosterGroups: null,
    receiver: { stanzaPolicy: aclStanzaPolicy(parsed.value) },
  });
  const [der1, der2, der3, cc, market] = await Promise.all(users.map((u) => connectTo(router, u)));
  for (const c of [der1, der2, der3, cc, market]) {
    c.client.send(new Element("presence") as unknown as Xel);
  }
  await settle();

  der1.client.send(msg(J("der2"), "open the breaker", "chat", "d2d"));
  der1.client.send(msg(J("cc"), "report", "chat", "d2c"));
  cc.client.send(msg(J("der1"), "command", "chat", "c2d"));
  await settle();
  assert.deepEqual(errorOf(der1, "d2d"), ["forbidden", "acl/address-denied"]);
  assert.equal(der2.got.filter((x) => x.name === "message").length, 0);
  assert.deepEqual(cc.got.filter((x) => x.attrs.id === "d2c").map((x) => x.attrs.from), [
    `${J("der1")}/r1`,
  ]);
  assert.equal(der1.got.filter((x) => x.attrs.id === "c2d").length, 1);
  // A reply to a peer it may not address is dropped without an error back (never error to an error).
  der1.client.send(
    new Element("message", { type: "error", to: `${J("der2")}/r1`, id: "rr" })
      .c("error", { type: "cancel" }).c("undefined-condition", { xmlns: STANZAS })
      .root() as unknown as Xel,
  );
  await settle();
  assert.equal(der1.got.filter((x) => x.attrs.id === "rr").length, 0);
  assert.equal(der2.got.filter((x) => x.attrs.id === "rr").length, 0);

  der1.client.send(publish("tariff", "pub1"));
  market.client.send(publish("tariff", "pub2"));
  await settle();
  assert.deepEqual(errorOf(der1, "pub1"), ["forbidden", "acl/publish-denied"]);
  // Passed the ACL and reached the pubsub service (PD-133), which has no node "tariff".
  assert.deepEqual(errorOf(market, "pub2"), ["item-not-found", ""]);

  cc.client.send(joinPresence(`${ROOM}/cc`));
  cc.client.send(configIq(ROOM, "cfg"));
  cc.client.send(affiliationIq(ROOM, "aff", J("der1"), "member"));
  await settle();
  der3.client.send(joinPresence(`${ROOM}/der3`));
  der1.client.send(joinPresence(`${ROOM}/der1`));
  await settle();
  assert.deepEqual(errorOf(der3, "", "presence"), ["forbidden", "acl/room-denied"]);
  assert.equal(errorOf(der1, "", "presence"), undefined);
  const roomOccupants = router.muc.rooms.get(ROOM)?.occupants;
  assert.deepEqual([...(roomOccupants?.keys() ?? [])].sort(), ["cc", "der1"]);
  // Every refused stanza stayed out of what the router forwarded.
  assert.ok(
    !router.everything().some((t) => t.includes("open the breaker") && t.includes("to='der2")),
  );
  for (const c of [der1, der2, der3, cc, market]) await c.client.close();
});
