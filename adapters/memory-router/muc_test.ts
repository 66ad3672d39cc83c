/**
 * The router's MUC service: creation and lock, members-only and conflict
 * refusals, roles and kicks, invitation rights, voiceless groupchat, leaving
 * on a cut transport, and that forwarded bytes land in the searchable log.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { toBase64 } from "../../core/bytes.ts";
import {
  affiliationIq,
  configIq,
  errorCondition,
  inviteMessage,
  joinPresence,
  readOccupant,
  roleIq,
} from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { connectTo, DOMAIN, settle, type TestClient, testRouter } from "./testing.ts";

const ROOM = `grid@rooms.${DOMAIN}`;
const J = (u: string) => `${u}@${DOMAIN}`;
const last = (c: TestClient, name: string) => c.got.filter((x) => x.name === name).at(-1) as Xel;
const say = (id: string, body: string) =>
  new Element("message", { to: ROOM, type: "groupchat", id }).c("body").t(body)
    .root() as unknown as Xel;

async function setup() {
  const router = await testRouter(["owner", "m1", "m2", "stranger"], { rosterGroups: null });
  const [o, a, b, x] = [
    await connectTo(router, "owner"),
    await connectTo(router, "m1"),
    await connectTo(router, "m2"),
    await connectTo(router, "stranger"),
  ];
  // Available, so invitations to bare JIDs reach them.
  for (const c of [o, a, b, x]) c.client.send(new Element("presence") as unknown as Xel);
  await settle();
  return { router, o, a, b, x };
}

Deno.test("router MUC: create locked, configure, members-only, conflict, roles, kick (XEP0045-10.1.1 DL-ROUTER-8 DL-ROUTER-9)", async () => {
  // spec: XEP0045-10.1.1 XEP0045-10.1.3 XEP0045-7.2.6 XEP0045-7.2.9 XEP0045-5.1.2 XEP0045-8.2 XEP0045-9.4 XEP0045-7.2.1
  // spec: DL-ROUTER-8 DL-ROUTER-9 PD-138
  const { o, a, b, x } = await setup();
  o.client.send(joinPresence(`${ROOM}/boss`));
  await settle();
  assert.deepEqual(readOccupant(last(o, "presence"))?.statuses, [110, 201]);
  a.client.send(joinPresence(`${ROOM}/a`));
  await settle();
  assert.equal(errorCondition(last(a, "presence")), "item-not-found");
  o.client.send(configIq(ROOM, "cfg"));
  o.client.send(affiliationIq(ROOM, "g1", J("m1"), "member"));
  o.client.send(affiliationIq(ROOM, "g2", J("m2"), "member"));
  await settle();
  x.client.send(joinPresence(`${ROOM}/x`));
  a.client.send(joinPresence(`${ROOM}/a`));
  await settle();
  assert.equal(errorCondition(last(x, "presence")), "registration-required");
  const aSelf = readOccupant(last(a, "presence"));
  assert.equal(aSelf?.role, "participant");
  assert.ok(aSelf?.statuses.includes(110) && aSelf.statuses.includes(100));
  b.client.send(joinPresence(`${ROOM}/a`));
  await settle();
  assert.equal(errorCondition(last(b, "presence")), "conflict");
  b.client.send(joinPresence(`${ROOM}/b`));
  await settle();
  // A participant may not change roles; the moderator may.
  a.client.send(roleIq(ROOM, "r1", "b", "visitor"));
  o.client.send(roleIq(ROOM, "r2", "b", "visitor"));
  await settle();
  assert.equal(errorCondition(last(a, "iq")), "forbidden");
  assert.equal(readOccupant(last(b, "presence"))?.role, "visitor");
  // Revoking membership removes the occupant with 321; a kick gives 307.
  o.client.send(affiliationIq(ROOM, "rv", J("m2"), "none"));
  o.client.send(roleIq(ROOM, "k", "a", "none"));
  await settle();
  const bGone = last(b, "presence");
  assert.equal(bGone.attrs.type, "unavailable");
  assert.deepEqual(readOccupant(bGone)?.statuses, [321, 110]);
  assert.deepEqual(readOccupant(last(a, "presence"))?.statuses, [307, 110]);
  for (const c of [o, a, b, x]) await c.client.close();
});

Deno.test("router MUC: invitations, voice and fan-out, leaving on a cut transport, everything logged (DL-ROUTER-10 DL-ROUTER-11)", async () => {
  // spec: XEP0045-7.4 XEP0045-7.8.2 XEP0045-7.14 DL-ROUTER-10 DL-ROUTER-11 DL-ROUTER-5 DL-ROUTER-7
  const { router, o, a, b } = await setup();
  o.client.send(joinPresence(`${ROOM}/boss`));
  await settle();
  o.client.send(configIq(ROOM, "cfg"));
  o.client.send(affiliationIq(ROOM, "g1", J("m1"), "member"));
  o.client.send(affiliationIq(ROOM, "g2", J("m2"), "member"));
  o.client.send(inviteMessage(ROOM, "i1", J("m1")));
  await settle();
  const inv = last(a, "message");
  assert.equal(inv.attrs.from, ROOM);
  a.client.send(joinPresence(`${ROOM}/a`));
  b.client.send(joinPresence(`${ROOM}/b`));
  await settle();
  // A member may not invite in a members-only room without open invitations.
  a.client.send(inviteMessage(ROOM, "i2", J("stranger")));
  await settle();
  assert.equal(errorCondition(last(a, "message")), "forbidden");
  o.client.send(roleIq(ROOM, "mute", "b", "visitor"));
  await settle();
  const secret = toBase64(new Uint8Array(16).fill(7));
  a.client.send(say("s1", `hello ${secret}`));
  b.client.send(say("s2", "voiceless"));
  await settle();
  const bodies = (c: TestClient) =>
    c.got.filter((m) => m.name === "message" && m.attrs.type === "groupchat")
      .map((m) => `${m.attrs.from} ${m.getChildText("body")}`);
  for (const c of [o, a, b]) assert.deepEqual(bodies(c), [`${ROOM}/a hello ${secret}`]);
  assert.equal(errorCondition(last(b, "message")), "forbidden");
  // What the router forwarded is in its log (the key search relies on this).
  assert.ok(router.everything().some((t) => t.includes(secret)));
  // A cut transport removes the occupant: the others see it leave.
  router.cut(b.client.jid);
  await settle();
  const gone = last(o, "presence");
  assert.deepEqual([gone.attrs.from, gone.attrs.type], [`${ROOM}/b`, "unavailable"]);
  assert.equal(router.muc.rooms.get(ROOM)?.occupants.has("b"), false);
  for (const c of [o, a]) await c.client.close();
  await settle();
  assert.equal(router.muc.rooms.has(ROOM), false, "non-persistent room gone with its occupants");
});
