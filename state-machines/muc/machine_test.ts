/**
 * Room machine tests: the publisher's create/configure/grant/invite flow,
 * the subscriber's join, occupant events, spoofing refusals, both key
 * distribution paths, and totality over random input.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { runChecked } from "../../core/machine.ts";
import { groupFixture, GroupSim } from "../group-keying/testing.ts";
import { gdoiElement, spduElement } from "../group-keying/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { MucError } from "./errors.ts";
import { room } from "./machine.ts";
import {
  groupchatError,
  invitation,
  KDC,
  M1,
  M2,
  messageWith,
  PUB,
  ROOM,
  roomIq,
  roomPresence,
} from "./testing.ts";
import type { RoomInput, RoomOutput, RoomState } from "./types.ts";

const stanza = (s: Xel): RoomInput => ({ type: "stanza", stanza: s });
const sends = (out: readonly RoomOutput[]) =>
  out.flatMap((o) => o.type === "send" ? [o.stanza.toString()] : []);
const events = (out: readonly RoomOutput[]) =>
  out.flatMap((o) => o.type === "event" ? [o.event.type] : []);
const errors = (out: readonly RoomOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

function drive(state: RoomState, inputs: RoomInput[]) {
  const { state: s, trace } = runChecked(room, state, inputs);
  return { state: s, out: trace.flatMap((t) => [...t.out]) };
}

// Real group payloads from the group-keying machines.
const fixture = groupFixture({ jids: [PUB, M1, M2], seed: "muc" });
const sim = new GroupSim(fixture);
for (const j of [PUB, M1, M2]) sim.register(j);
const spduBytes = sim.protect(PUB, "stream-1", new TextEncoder().encode("open breaker"))!;
const rekeyBytes = sim.evict([M2]).flatMap((o) => o.type === "rekey" ? [o.data] : [])[0];
const spdu = spduElement(spduBytes) as unknown as Xel;
const rekey = gdoiElement(rekeyBytes) as unknown as Xel;

const publisher = () =>
  room.init({ room: ROOM, nick: "pub", jid: PUB, role: "publisher", members: [M1, M2, PUB] });
const subscriber = () =>
  room.init({ room: ROOM, nick: "m1", jid: M1, role: "subscriber", keyServerJid: KDC });

function readyPublisher() {
  return drive(publisher(), [
    { type: "join" },
    stanza(
      roomPresence({
        nick: "pub",
        role: "moderator",
        affiliation: "owner",
        jid: PUB,
        codes: [110, 201],
      }),
    ),
    stanza(roomIq("muc-1", "result")),
    stanza(roomIq("muc-2", "result")),
    stanza(roomIq("muc-3", "result")),
  ]);
}

Deno.test("publisher creates a moderated members-only room, grants and invites (XEP0045-10.2 XEP0045-9.3 XEP0045-7.8.2 PAPER-MAP4)", () => {
  // spec: XEP0045-7.2 XEP0045-10.1 PAPER-M4 PD-126
  const { state, out } = readyPublisher();
  assert.equal(state.phase, "ready");
  const sent = sends(out);
  assert.match(
    sent[0],
    /^<presence to="vpp-dispatch@rooms.derlink.test\/pub"><x xmlns="http:\/\/jabber.org\/protocol\/muc"><history maxstanzas="0"\/><\/x><\/presence>$/,
  );
  assert.match(sent[1], /muc#owner/);
  assert.match(sent[1], /<field var="muc#roomconfig_moderatedroom"><value>1<\/value>/);
  assert.match(sent[1], /<field var="muc#roomconfig_membersonly"><value>1<\/value>/);
  assert.equal(
    sent[2],
    `<iq type="set" to="${ROOM}" id="muc-2"><query xmlns="http://jabber.org/protocol/muc#admin"><item affiliation="member" jid="${M1}"/></query></iq>`,
  );
  assert.match(sent[3], /jid="m2@derlink.test"/);
  assert.equal(sent.length, 6, "join, config, 2 grants (not ourselves), 2 invites");
  assert.equal(
    sent[4],
    `<message to="${ROOM}" id="muc-4"><x xmlns="http://jabber.org/protocol/muc#user"><invite to="${M1}"/></x></message>`,
  );
  assert.deepEqual(events(out), [
    "joined",
    "configured",
    "member-granted",
    "member-granted",
    "ready",
  ]);
  assert.deepEqual(state.granted, [M1, M2]);
});

Deno.test("publisher takes voice from members who enter with it (XEP0045-8.4 PD-127)", () => {
  const r = readyPublisher();
  const { state, out } = drive(r.state, [
    stanza(roomPresence({ nick: "m1", role: "participant", affiliation: "member", jid: M1 })),
    stanza(roomIq("muc-6", "result")),
    stanza(roomPresence({ nick: "m1", role: "visitor", affiliation: "member", jid: M1 })),
  ]);
  assert.deepEqual(events(out), ["occupant-joined", "occupant-changed"]);
  assert.equal(
    sends(out)[0],
    `<iq type="set" to="${ROOM}" id="muc-6"><query xmlns="http://jabber.org/protocol/muc#admin"><item nick="m1" role="visitor"/></query></iq>`,
  );
  assert.equal(state.occupants.get("m1")?.role, "visitor");
  assert.equal(state.pending.size, 0);
});

Deno.test("revoking membership: the room removes the occupant and everyone sees why (XEP0045-9.4 PAPER-M4)", () => {
  // spec: PD-131
  const r = readyPublisher();
  const { state, out } = drive(r.state, [
    stanza(roomPresence({ nick: "m2", role: "visitor", affiliation: "member", jid: M2 })),
    { type: "revoke", jid: M2 },
    stanza(roomIq("muc-6", "result")),
    stanza(
      roomPresence({ nick: "m2", type: "unavailable", affiliation: "none", jid: M2, codes: [321] }),
    ),
  ]);
  assert.match(sends(out)[0], /<item affiliation="none" jid="m2@derlink.test"\/>/);
  const left = out.find((o) => o.type === "event" && o.event.type === "occupant-left");
  assert.deepEqual(left?.type === "event" && left.event, {
    type: "occupant-left",
    occupant: { nick: "m2", role: "visitor", affiliation: "member", jid: M2 },
    reason: "affiliation-changed",
  });
  assert.equal(state.occupants.get("m2"), undefined);
  assert.deepEqual(state.granted, [M1]);
});

Deno.test("configuration refused fails the room; a refused grant is reported and the rest continue", () => {
  const a = drive(publisher(), [
    { type: "join" },
    stanza(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", codes: [110] })),
    stanza(roomIq("muc-1", "error", "forbidden")),
  ]);
  assert.equal(a.state.phase, "failed");
  assert.deepEqual(errors(a.out), [MucError["config-refused"]]);
  const b = drive(publisher(), [
    { type: "join" },
    stanza(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", codes: [110] })),
    stanza(roomIq("muc-1", "result")),
    stanza(roomIq("muc-2", "error", "not-allowed")),
    stanza(roomIq("muc-3", "result")),
  ]);
  assert.equal(b.state.phase, "ready");
  assert.deepEqual(errors(b.out), [MucError["grant-refused"]]);
  assert.deepEqual(b.state.granted, [M2]);
});

function readySubscriber() {
  return drive(subscriber(), [
    stanza(invitation(PUB)),
    { type: "join" },
    stanza(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", jid: PUB })),
    stanza(
      roomPresence({
        nick: "m1",
        role: "participant",
        affiliation: "member",
        jid: M1,
        codes: [110],
      }),
    ),
  ]);
}

Deno.test("subscriber: invited, joins, sees occupants (XEP0045-7.8.2 XEP0045-7.2.3)", () => {
  const { state, out } = readySubscriber();
  assert.equal(state.phase, "ready");
  assert.deepEqual(events(out), ["invited", "occupant-joined", "joined", "ready"]);
  assert.equal(state.occupants.get("pub")?.jid, PUB);
});

Deno.test("subscriber: a refused join goes back to idle with the condition (XEP0045-7.2.6)", () => {
  const { state, out } = drive(subscriber(), [
    { type: "join" },
    stanza(roomPresence({ nick: "m1", type: "error", condition: "registration-required" })),
  ]);
  assert.equal(state.phase, "idle");
  assert.deepEqual(errors(out), [MucError["join-refused"]]);
  assert.equal(out[out.length - 1].type === "error" && out[out.length - 1], out.at(-1));
});

Deno.test("group payloads from the room go to the member machine, named by real JID (PAPER-MAP4 PAPER-OPT6)", () => {
  // spec: PD-130 PAPER-TA5
  const r = readySubscriber();
  const a = room.step(r.state, stanza(messageWith(`${ROOM}/pub`, spdu)));
  assert.deepEqual(a.out, [{ type: "spdu", data: spduBytes, nick: "pub", from: PUB }]);
  const b = room.step(r.state, stanza(messageWith(`${ROOM}/pub`, rekey)));
  assert.deepEqual(b.out, [{
    type: "gdoi",
    data: rekeyBytes,
    kind: "rekey",
    via: "room",
    from: PUB,
  }]);
});

Deno.test("rekeys directly from the key server are carried; from anyone else refused (PAPER-OPT6 PAPER-M6 PD-129)", () => {
  const r = readySubscriber();
  const a = room.step(r.state, stanza(messageWith(`${KDC}/ks`, rekey, "normal")));
  assert.deepEqual(a.out, [{
    type: "gdoi",
    data: rekeyBytes,
    kind: "rekey",
    via: "direct",
    from: KDC,
  }]);
  const b = room.step(r.state, stanza(messageWith(`mallory@derlink.test/x`, rekey, "normal")));
  assert.deepEqual(errors(b.out), [MucError.spoofed]);
});

Deno.test("spoofing and voice: refusals with their codes (PD-128 XEP0045-7.4)", () => {
  const r = readySubscriber();
  const cases: [RoomInput, string][] = [
    [
      stanza(
        roomPresence({
          nick: "pub",
          from: "evil@rooms.derlink.test/pub",
          role: "none",
          type: "unavailable",
        }),
      ),
      MucError.spoofed,
    ],
    [
      stanza(roomPresence({ nick: "pub", from: `mallory@derlink.test/pub`, role: "visitor" })),
      MucError.spoofed,
    ],
    [stanza(messageWith(`mallory@derlink.test/pub`, spdu)), MucError.spoofed],
    [stanza(messageWith(`${ROOM}/ghost`, spdu)), MucError["unknown-occupant"]],
    [stanza(messageWith(`${ROOM}/m1`, rekey)), MucError["not-moderator"]],
    [stanza(groupchatError("forbidden")), MucError["publish-refused"]],
    [{ type: "publish", payload: spdu }, MucError["no-voice"]],
    [{ type: "grant", jid: M2 }, MucError["not-owner"]],
    [{ type: "join" }, MucError["unexpected-input"]],
  ];
  const vis = room.step(
    r.state,
    stanza(
      roomPresence({ nick: "m1", role: "visitor", affiliation: "member", jid: M1, codes: [110] }),
    ),
  ).state;
  for (const [input, code] of cases) {
    const { state, out } = room.step(vis, input);
    assert.deepEqual(
      errors(out),
      [code],
      input.type === "stanza" ? input.stanza.toString().slice(0, 120) : input.type,
    );
    assert.equal(state, vis, "a refused input changes nothing");
  }
});

Deno.test("publisher publishes; leaving and being kicked end in left (XEP0045-7.14 XEP0045-7.4)", () => {
  const r = readyPublisher();
  const p = room.step(r.state, { type: "publish", payload: spdu });
  assert.match(
    sends(p.out)[0],
    /^<message to="vpp-dispatch@rooms.derlink.test" type="groupchat" id="muc-6"><spdu xmlns="urn:derlink:group:0"/,
  );
  const l = drive(p.state, [
    { type: "leave" },
    stanza(roomPresence({ nick: "pub", type: "unavailable", affiliation: "owner", codes: [110] })),
  ]);
  assert.equal(l.state.phase, "left");
  const s = readySubscriber();
  const k = drive(s.state, [
    stanza(
      roomPresence({ nick: "m1", type: "unavailable", affiliation: "none", codes: [110, 321] }),
    ),
  ]);
  assert.equal(k.state.phase, "left");
  assert.deepEqual(k.out.at(-1), {
    type: "event",
    event: { type: "left", reason: "affiliation-changed" },
  });
});

Deno.test("room machine: total over recorded, mutated and garbage input (DL-MACHINE-1)", () => {
  const stanzas: Xel[] = [
    roomPresence({
      nick: "pub",
      role: "moderator",
      affiliation: "owner",
      jid: PUB,
      codes: [110, 201],
    }),
    roomPresence({ nick: "m1", role: "participant", affiliation: "member", jid: M1, codes: [110] }),
    roomPresence({ nick: "m1", role: "participant", affiliation: "member", jid: M1 }),
    roomPresence({ nick: "m2", type: "unavailable", codes: [321] }),
    roomPresence({ nick: "m1", type: "unavailable", codes: [110, 307] }),
    roomPresence({ nick: "m1", type: "error" }),
    roomPresence({ nick: "m1", from: "x@y/m1" }),
    roomIq("muc-1", "result"),
    roomIq("muc-2", "result"),
    roomIq("muc-3", "error"),
    messageWith(`${ROOM}/pub`, spdu),
    messageWith(`${ROOM}/pub`, rekey),
    messageWith(`${KDC}/a`, rekey, "normal"),
    messageWith(`${ROOM}/pub`, undefined),
    invitation(PUB),
    groupchatError(),
  ];
  assertMachineTotal(room, {
    config: fc.constantFrom(publisher().config, subscriber().config),
    input: fc.oneof(
      fc.constantFrom(...stanzas).map(stanza),
      fc.constantFrom<RoomInput>(
        { type: "join" },
        { type: "leave" },
        { type: "grant", jid: M2 },
        { type: "revoke", jid: M1 },
        { type: "publish", payload: spdu },
        { type: "grant", jid: "@@" },
      ),
    ),
    numRuns: 300,
    seed: 7,
  });
});

Deno.test("ids and nicks that name Object.prototype members are ordinary strings (PD-269 DL-MACHINE-1)", () => {
  // spec: PD-269 DL-MACHINE-1 XEP0045-7.2.3
  // With plain records, an iq answer with id "toString" found a function as its request and the
  // step returned nothing; a groupchat from nick "constructor" found a sender.
  const r = readySubscriber();
  for (const id of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    for (const type of ["result", "error"] as const) {
      const a = room.step(r.state, stanza(roomIq(id, type)));
      assert.deepEqual(a, { state: r.state, out: [] }, `${type} ${id}`);
    }
  }
  for (const nick of ["constructor", "toString", "__proto__"]) {
    const b = room.step(r.state, stanza(messageWith(`${ROOM}/${nick}`, spdu)));
    assert.deepEqual(errors(b.out), [MucError["unknown-occupant"]], nick);
  }
  const p = readyPublisher();
  const c = room.step(p.state, stanza(roomIq("toString", "result")));
  assert.equal(c.state, p.state);
});
