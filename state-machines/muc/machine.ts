/**
 * The room machine: the client side of XEP-0045 for one multicast
 * association (paper §II.D, §IV.B; PAPER-MAP4).
 *
 * Theory of operation. Each group has one room. The publisher (the owner and
 * only moderator) sends `join`: it enters the room, which the server creates
 * for it; on its own presence it submits the configuration (moderated,
 * members-only, non-anonymous, no history: stanzas.ts ROOM_CONFIG); on the
 * result it makes every JID of the group policy a member, one iq each; when
 * all are granted it invites them and is `ready`. A subscriber sends `join`
 * (usually after an `invited` event) and is `ready` on its own presence.
 * In a moderated room a member enters with voice, so the publisher revokes
 * the voice of every occupant that is neither owner nor admin as soon as it
 * sees it (PD-127); the group layer refuses a non-publisher's SPDU anyway.
 *
 * Every presence from the room becomes an occupant event (joined, changed,
 * left with its reason); presence from any other address is ignored as
 * spoofed. A groupchat message from the room carrying `<spdu>` becomes an
 * `spdu` output for the group member machine, named by the occupant's real
 * JID; a `<gdoi kind=rekey>` from a moderator, or any `<gdoi>` sent directly
 * by the configured key server, becomes a `gdoi` output (key distribution
 * both ways, PD-129). The machine never sees a key: it carries bytes.
 *
 * A refused input changes nothing and yields one `error` output.
 *
 * @module
 */
import {
  ANY,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { tryParseJid } from "../../core/jid.ts";
import { DerlinkError } from "../../core/errors.ts";
import { MucError } from "./errors.ts";
import { onStanza } from "./receive.ts";
import { affiliationIq, groupchat, joinPresence, leavePresence } from "./stanzas.ts";
import {
  ROOM_PHASES,
  type RoomConfig,
  type RoomInput,
  type RoomOutput,
  type RoomPhase,
  type RoomState,
} from "./types.ts";
import { bare, nextId, NONE, occupantJid, refuse } from "./state.ts";
import { GDOI_NS, GROUP_NS } from "../group-keying/xml.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges (DESIGN.md §8): the literal table, then the code it cannot say. */
export const ROOM_TRANSITIONS: readonly Transition[] = [
  t("idle", "join", "joining", ["XEP0045-7.2"], "enter the room"),
  t("left", "join", "joining", ["XEP0045-7.2"], "enter again"),
  t("failed", "join", "joining", ["XEP0045-7.2"], "try again"),
  t("joining", "stanza", "ready", ["XEP0045-7.2.3"], "own presence (subscriber)"),
  t("joining", "stanza", "configuring", ["XEP0045-10.1", "PAPER-MAP4"], "own presence: configure"),
  t("joining", "stanza", "idle", ["XEP0045-7.2.6"], "join refused"),
  t(
    "configuring",
    "stanza",
    "granting",
    ["XEP0045-10.2", "PAPER-MAP4"],
    "configured: grant members",
  ),
  t("configuring", "stanza", "ready", ["XEP0045-10.2"], "configured, no members to grant"),
  t("configuring", "stanza", "failed", ["XEP0045-10.2"], "configuration refused"),
  t("granting", "stanza", "ready", ["XEP0045-9.3", "XEP0045-7.8.2"], "all granted: invite"),
  t("ready", "stanza", "left", ["XEP0045-9.4"], "we were removed"),
  t("configuring", "stanza", "left", ["XEP0045-9.4"], "removed while configuring"),
  t("granting", "stanza", "left", ["XEP0045-9.4"], "removed while granting"),
  t("joining", "stanza", "left", ["XEP0045-9.4"], "removed while joining"),
  t("joining", "leave", "leaving", ["XEP0045-7.14"], "exit"),
  t("configuring", "leave", "leaving", ["XEP0045-7.14"], "exit"),
  t("granting", "leave", "leaving", ["XEP0045-7.14"], "exit"),
  t("ready", "leave", "leaving", ["XEP0045-7.14"], "exit"),
  t("leaving", "stanza", "left", ["XEP0045-7.14"], "own unavailable presence"),
  t("ready", "grant", "ready", ["XEP0045-9.3"], "make a member"),
  t("ready", "revoke", "ready", ["XEP0045-9.4", "PAPER-M4"], "withdraw membership"),
  t("ready", "publish", "ready", ["XEP0045-7.4"], "groupchat to the room"),
  // Any other input leaves the phase as it is (handled, ignored or refused).
  ...ROOM_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

function init(config: RoomConfig): RoomState {
  const room = tryParseJid(config.room);
  const self = tryParseJid(config.jid);
  const bad = (d: string) => {
    throw new DerlinkError(MucError["invalid-config"], d);
  };
  if (!room.ok || room.value.local === undefined || room.value.resource !== undefined) {
    bad("room must be a bare JID with a local part");
  }
  if (!self.ok) bad("jid must be a JID");
  if (typeof config.nick !== "string" || config.nick.length === 0 || config.nick.length > 1023) {
    bad("nick must be a non-empty string");
  }
  if (config.role !== "publisher" && config.role !== "subscriber") bad("role");
  if (config.members !== undefined && config.members.some((m) => !tryParseJid(m).ok)) {
    bad("members must be JIDs");
  }
  return { phase: "idle", config, occupants: NONE, pending: NONE, granted: [], nextId: 1 };
}

function onJoin(state: RoomState): StepResult<RoomState, RoomOutput> {
  if (!["idle", "left", "failed"].includes(state.phase)) {
    return refuse(state, MucError["unexpected-input"], `join in phase ${state.phase}`);
  }
  return {
    state: { ...state, phase: "joining", self: undefined, occupants: NONE, pending: NONE },
    out: [{ type: "send", stanza: joinPresence(occupantJid(state)) }],
  };
}

function onLeave(state: RoomState): StepResult<RoomState, RoomOutput> {
  if (!["joining", "configuring", "granting", "ready"].includes(state.phase)) {
    return refuse(state, MucError["not-joined"], `leave in phase ${state.phase}`);
  }
  return {
    state: { ...state, phase: "leaving" },
    out: [{ type: "send", stanza: leavePresence(occupantJid(state)) }],
  };
}

function onAffiliation(
  state: RoomState,
  jid: string,
  grant: boolean,
): StepResult<RoomState, RoomOutput> {
  if (state.config.role !== "publisher") return refuse(state, MucError["not-owner"], "");
  if (state.phase !== "ready") return refuse(state, MucError["not-joined"], state.phase);
  if (!tryParseJid(jid).ok) return refuse(state, MucError["invalid-config"], "not a JID");
  const [id, s] = nextId(state);
  const target = bare(jid);
  return {
    state: {
      ...s,
      pending: s.pending.set(
        id,
        grant ? { kind: "grant", jid: target } : { kind: "revoke", jid: target },
      ),
    },
    out: [{
      type: "send",
      stanza: affiliationIq(state.config.room, id, target, grant ? "member" : "none"),
    }],
  };
}

function onPublish(state: RoomState, payload: RoomInput & { type: "publish" }) {
  if (state.phase !== "ready") return refuse(state, MucError["not-joined"], state.phase);
  const el = payload.payload;
  const ns = el?.attrs?.xmlns;
  if (!(el?.name === "spdu" && ns === GROUP_NS) && !(el?.name === "gdoi" && ns === GDOI_NS)) {
    return refuse(state, MucError.malformed, "publish carries <spdu> or <gdoi> only");
  }
  // spec: XEP0045-7.4 PAPER-MAP4
  const role = state.self?.role;
  if (role !== "moderator" && role !== "participant") {
    return refuse(state, MucError["no-voice"], `role ${role ?? "none"}`);
  }
  const [id, s] = nextId(state);
  return {
    state: s,
    out: [{ type: "send" as const, stanza: groupchat(state.config.room, id, el) }],
  };
}

function step(state: RoomState, input: RoomInput): StepResult<RoomState, RoomOutput> {
  switch (input?.type) {
    case "join":
      return onJoin(state);
    case "leave":
      return onLeave(state);
    case "stanza":
      return onStanza(state, input.stanza);
    case "grant":
      return onAffiliation(state, input.jid, true);
    case "revoke":
      return onAffiliation(state, input.jid, false);
    case "publish":
      return onPublish(state, input);
    default:
      return refuse(state, MucError["unexpected-input"], "");
  }
}

/** The room machine (XEP-0045 client side for one multicast association). */
export const room: Machine<RoomConfig, RoomState, RoomInput, RoomOutput> & {
  readonly phases: readonly RoomPhase[];
} = {
  name: "muc.room",
  phases: ROOM_PHASES,
  transitions: ROOM_TRANSITIONS,
  init,
  step: totalStep(step, (s, e) => ({ state: s, out: [e] })),
};
