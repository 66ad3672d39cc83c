/**
 * Generator of `vectors/muc/room.json` (run by `deno task vectors`): room
 * machine transcripts for the publisher and a subscriber, each ending in one
 * input whose outputs are checked; negative cases end in a refusal. Group
 * payloads are real ones from the group-keying machines with fixed seeds.
 *
 * @module
 */
import { groupFixture, GroupSim } from "../group-keying/testing.ts";
import { gdoiElement, spduElement } from "../group-keying/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { MucError } from "./errors.ts";
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
import type { RoomConfig } from "./types.ts";
import { runTranscript, type VectorInput } from "./vectors.ts";

const x = (s: Xel): VectorInput => ({ type: "stanza", xml: s.toString() });

const PUB_CONFIG: RoomConfig = {
  room: ROOM,
  nick: "pub",
  jid: PUB,
  role: "publisher",
  members: [M1, M2],
};
const SUB_CONFIG: RoomConfig = {
  room: ROOM,
  nick: "m1",
  jid: M1,
  role: "subscriber",
  keyServerJid: KDC,
};

const PUB_READY: VectorInput[] = [
  { type: "join" },
  x(roomPresence({
    nick: "pub",
    role: "moderator",
    affiliation: "owner",
    jid: PUB,
    codes: [110, 201],
  })),
  x(roomIq("muc-1", "result")),
  x(roomIq("muc-2", "result")),
  x(roomIq("muc-3", "result")),
];
const SUB_READY: VectorInput[] = [
  x(invitation(PUB)),
  { type: "join" },
  x(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", jid: PUB })),
  x(roomPresence({ nick: "m1", role: "visitor", affiliation: "member", jid: M1, codes: [110] })),
];

interface Case {
  comment: string;
  flags: string[];
  spec: string[];
  config: RoomConfig;
  inputs: VectorInput[];
  error?: string;
}

export function roomCases(): Case[] {
  const fixture = groupFixture({ jids: [PUB, M1, M2], seed: "muc-vectors" });
  const sim = new GroupSim(fixture);
  for (const j of [PUB, M1, M2]) sim.register(j);
  const spduBytes = sim.protect(PUB, "stream-1", new TextEncoder().encode("close breaker"))!;
  const rekey = sim.evict([M2]).flatMap((o) => o.type === "rekey" ? [o.data] : [])[0];
  const spdu = spduElement(spduBytes) as unknown as Xel;
  const gdoi = gdoiElement(rekey) as unknown as Xel;
  const cases: Case[] = [];
  const ok = (comment: string, spec: string[], config: RoomConfig, inputs: VectorInput[]) =>
    cases.push({ comment, flags: ["valid"], spec, config, inputs });
  const bad = (
    comment: string,
    flags: string[],
    spec: string[],
    config: RoomConfig,
    inputs: VectorInput[],
    error: string,
  ) => cases.push({ comment, flags, spec, config, inputs, error });

  // Publisher flow, one case per step.
  for (let n = 1; n <= PUB_READY.length; n++) {
    ok(
      `publisher flow, step ${n}`,
      ["XEP0045-7.2", "XEP0045-10.2", "XEP0045-9.3", "XEP0045-7.8.2", "PAPER-MAP4"],
      PUB_CONFIG,
      PUB_READY.slice(0, n),
    );
  }
  ok(
    "publisher takes voice from a member entering with it",
    ["XEP0045-8.4", "PD-127"],
    PUB_CONFIG,
    [
      ...PUB_READY,
      x(roomPresence({ nick: "m1", role: "participant", affiliation: "member", jid: M1 })),
    ],
  );
  ok("publisher publishes an spdu", ["XEP0045-7.4"], PUB_CONFIG, [...PUB_READY, {
    type: "publish",
    xml: spdu.toString(),
  }]);
  ok("publisher revokes a membership", ["XEP0045-9.4", "PAPER-M4"], PUB_CONFIG, [...PUB_READY, {
    type: "revoke",
    jid: M2,
  }]);
  ok("occupant removed by revocation is reported", ["XEP0045-9.4", "PAPER-M4"], PUB_CONFIG, [
    ...PUB_READY,
    x(roomPresence({ nick: "m2", role: "visitor", affiliation: "member", jid: M2 })),
    x(roomPresence({
      nick: "m2",
      type: "unavailable",
      affiliation: "none",
      jid: M2,
      codes: [321],
    })),
  ]);
  bad("configuration refused", ["config"], ["XEP0045-10.2"], PUB_CONFIG, [
    ...PUB_READY.slice(0, 2),
    x(roomIq("muc-1", "error")),
  ], MucError["config-refused"]);
  bad("grant refused", ["grant"], ["XEP0045-9.3"], PUB_CONFIG, [
    ...PUB_READY.slice(0, 3),
    x(roomIq("muc-2", "error", "not-allowed")),
  ], MucError["grant-refused"]);

  // Subscriber flow.
  for (let n = 1; n <= SUB_READY.length; n++) {
    ok(
      `subscriber flow, step ${n}`,
      ["XEP0045-7.8.2", "XEP0045-7.2", "XEP0045-7.2.3"],
      SUB_CONFIG,
      SUB_READY.slice(0, n),
    );
  }
  ok("spdu from the publisher, named by real JID", ["PAPER-MAP4", "PAPER-TA5"], SUB_CONFIG, [
    ...SUB_READY,
    x(messageWith(`${ROOM}/pub`, spdu)),
  ]);
  ok("rekey through the room from the moderator", ["PAPER-OPT6", "PD-129"], SUB_CONFIG, [
    ...SUB_READY,
    x(messageWith(`${ROOM}/pub`, gdoi)),
  ]);
  ok("rekey directly from the key server", ["PAPER-OPT6", "PAPER-M6", "PD-129"], SUB_CONFIG, [
    ...SUB_READY,
    x(messageWith(`${KDC}/ks`, gdoi, "normal")),
  ]);
  ok("own removal by revocation", ["XEP0045-9.4"], SUB_CONFIG, [
    ...SUB_READY,
    x(roomPresence({ nick: "m1", type: "unavailable", affiliation: "none", codes: [110, 321] })),
  ]);
  ok("leave", ["XEP0045-7.14"], SUB_CONFIG, [...SUB_READY, { type: "leave" }]);
  bad("join refused (not a member)", ["join"], ["XEP0045-7.2.6"], SUB_CONFIG, [
    { type: "join" },
    x(roomPresence({ nick: "m1", type: "error", condition: "registration-required" })),
  ], MucError["join-refused"]);

  // Spoofing: presence and payloads from other addresses (PD-128).
  const impostors = [
    "vpp-dispatch@rooms.evil.test/pub",
    "other@rooms.derlink.test/pub",
    "pub@derlink.test/pub",
    "rooms.derlink.test/pub",
    "vpp-dispatch@derlink.test/pub",
    `${KDC}/pub`,
  ];
  for (const from of impostors) {
    bad(`presence from ${from}`, ["spoof"], ["PD-128", "XEP0045-7.2.3"], SUB_CONFIG, [
      ...SUB_READY,
      x(roomPresence({ nick: "pub", from, type: "unavailable" })),
    ], MucError.spoofed);
    bad(`spdu from ${from}`, ["spoof"], ["PD-128", "PAPER-TA5"], SUB_CONFIG, [
      ...SUB_READY,
      x(messageWith(from, spdu)),
    ], MucError.spoofed);
    if (!from.startsWith(KDC)) {
      bad(`direct rekey from ${from}`, ["spoof"], ["PD-129", "PAPER-M6"], SUB_CONFIG, [
        ...SUB_READY,
        x(messageWith(from, gdoi, "normal")),
      ], MucError.spoofed);
    }
  }
  bad("spdu from an unknown nick", ["occupant"], ["PD-128"], SUB_CONFIG, [
    ...SUB_READY,
    x(messageWith(`${ROOM}/ghost`, spdu)),
  ], MucError["unknown-occupant"]);
  bad("rekey through the room from a non-moderator", ["voice"], ["PD-129"], SUB_CONFIG, [
    ...SUB_READY,
    x(messageWith(`${ROOM}/m1`, gdoi)),
  ], MucError["not-moderator"]);
  bad("groupchat bounced by the room", ["voice"], ["XEP0045-7.4"], SUB_CONFIG, [
    ...SUB_READY,
    x(groupchatError()),
  ], MucError["publish-refused"]);
  bad("publish without voice", ["voice"], ["XEP0045-7.4", "PD-127"], SUB_CONFIG, [...SUB_READY, {
    type: "publish",
    xml: spdu.toString(),
  }], MucError["no-voice"]);
  bad("grant by a subscriber", ["owner"], ["XEP0045-9.3"], SUB_CONFIG, [...SUB_READY, {
    type: "grant",
    jid: M2,
  }], MucError["not-owner"]);
  bad("publish before joining", ["phase"], ["XEP0045-7.4"], SUB_CONFIG, [{
    type: "publish",
    xml: spdu.toString(),
  }], MucError["not-joined"]);
  bad(
    "join twice",
    ["phase"],
    ["XEP0045-7.2"],
    SUB_CONFIG,
    [...SUB_READY, { type: "join" }],
    MucError["unexpected-input"],
  );
  bad("presence without muc#user item", ["malformed"], ["XEP0045-7.2.3"], SUB_CONFIG, [
    ...SUB_READY,
    { type: "stanza", xml: `<presence from="${ROOM}/zed"/>` },
  ], MucError.malformed);
  // Tampered spdu elements: attribute disagreeing with the bytes, bad base64, truncated.
  const b64 = spdu.getText();
  const tampered: [string, string][] = [
    [
      `<spdu xmlns="urn:derlink:group:0" stream="stream-9">${b64}</spdu>`,
      "stream attribute disagrees",
    ],
    [`<spdu xmlns="urn:derlink:group:0" key="999">${b64}</spdu>`, "key attribute disagrees"],
    [`<spdu xmlns="urn:derlink:group:0" spdu="0">${b64}</spdu>`, "spdu attribute disagrees"],
    [`<spdu xmlns="urn:derlink:group:0">!!notbase64</spdu>`, "content not base64"],
    [`<spdu xmlns="urn:derlink:group:0">${b64.slice(0, 24)}</spdu>`, "truncated"],
  ];
  for (const [xml, what] of tampered) {
    const msg = `<message from="${ROOM}/pub" type="groupchat">${xml}</message>`;
    bad(`tampered spdu element: ${what}`, ["malformed"], ["PD-128", "PD-130"], SUB_CONFIG, [
      ...SUB_READY,
      { type: "stanza", xml: msg },
    ], "group/malformed");
  }
  return cases;
}

const SOURCE =
  "generated by deno task vectors (state-machines/muc/vectorgen.ts, fixed seeds); XEP-0045 §7, §8.4, §9.3-9.4, §10 client side as derlink profiles it (PD-126..PD-131)";

export function roomVectorFile(): unknown {
  const tests = roomCases().map((c, i) => {
    const run = runTranscript(c.config, c.inputs);
    if (c.error && !run.last.some((o) => "error" in o && o.error === c.error)) {
      throw new Error(`muc vector "${c.comment}" does not end in ${c.error}`);
    }
    return {
      tcId: i + 1,
      comment: c.comment,
      flags: c.flags,
      spec: c.spec,
      result: c.error ? "invalid" : "valid",
      ...(c.error ? { error: c.error } : {}),
      config: c.config,
      inputs: c.inputs,
      phase: run.state.phase,
      outputs: run.last,
    };
  });
  return {
    suite: "muc.room",
    schema: "muc.schema.json",
    version: 1,
    source: SOURCE,
    generated: true,
    notes: {
      valid: "a transcript the room machine must follow exactly",
      spoof: "a stanza from an address that is not the room's",
      occupant: "a nick the room never announced",
      voice: "voice and moderation",
      owner: "an owner-only operation",
      phase: "an input in the wrong phase",
      malformed: "a stanza or payload element that does not read",
      config: "the room refuses its configuration",
      grant: "the room refuses an affiliation change",
      join: "the room refuses our join",
    },
    numberOfTests: tests.length,
    testGroups: [{ type: "muc-room", tests }],
  };
}

export const mucVectorGenerator = {
  name: "muc",
  generate: () => [{ path: "muc/room.json", content: roomVectorFile() }],
};
