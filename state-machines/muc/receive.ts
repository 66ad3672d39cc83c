/**
 * What the room machine does with a stanza the server delivered: presence
 * from the room (own and occupants'), iq results and errors for requests we
 * sent, groupchat messages carrying group payloads, invitations, and direct
 * key-management messages from the key server.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { tryParseJid } from "../../core/jid.ts";
import type { StepResult } from "../../core/machine.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import {
  GDOI_NS,
  gdoiFromElement,
  GROUP_NS,
  spduFromElement,
  type XmlLike,
} from "../group-keying/xml.ts";
import { MucError } from "./errors.ts";
import {
  affiliationIq,
  child,
  configIq,
  errorCondition,
  inviteMessage,
  leaveReason,
  MUC_NS,
  readOccupant,
  roleIq,
} from "./stanzas.ts";
import { bare, nextId, NONE, refuse } from "./state.ts";
import type { Occupant, RoomEvent, RoomOutput, RoomState } from "./types.ts";

type Result = StepResult<RoomState, RoomOutput>;
const ev = (event: RoomEvent): RoomOutput => ({ type: "event", event });

interface Address {
  readonly bare: string;
  readonly resource?: string;
}

// The same few addresses (the room's occupants, the key server) send every
// stanza a room sees: each is prepared once (RFC 7622 preparation costs more
// than the rest of a presence). A pure function's results, so a cleared
// table changes nothing but speed.
const addresses = new Map<string, Address | null>();
const ADDRESS_MEMO = 4096;

/** Splits a `from` into bare JID and resource; undefined when it does not parse. */
function addressOf(from: string | undefined): Address | undefined {
  if (from === undefined) return undefined;
  let a = addresses.get(from);
  if (a === undefined) {
    const j = tryParseJid(from);
    a = j.ok ? Object.freeze({ bare: bare(from), resource: j.value.resource }) : null;
    if (addresses.size >= ADDRESS_MEMO) addresses.clear();
    addresses.set(from, a);
  }
  return a ?? undefined;
}

export function onStanza(state: RoomState, stanza: Xel): Result {
  if (!stanza || typeof stanza.name !== "string" || !stanza.attrs) {
    return refuse(state, MucError.malformed, "not a stanza");
  }
  const from = addressOf(stanza.attrs.from);
  const fromRoom = from !== undefined && from.bare === bare(state.config.room);
  switch (stanza.name) {
    case "presence":
      // spec: XEP0045-7.2.3 PD-128
      if (!fromRoom) return refuse(state, MucError.spoofed, "presence not from the room");
      return onPresence(state, stanza, from.resource);
    case "iq":
      if (!fromRoom) return { state, out: [] };
      return onIq(state, stanza);
    case "message":
      return onMessage(state, stanza, from, fromRoom);
    default:
      return { state, out: [] };
  }
}

function onPresence(state: RoomState, p: Xel, nick: string | undefined): Result {
  const isSelf = nick === state.config.nick;
  if (p.attrs.type === "error") {
    if (!isSelf) return { state, out: [] };
    const cond = errorCondition(p);
    // spec: XEP0045-7.2.6 XEP0045-7.2.7
    if (state.phase === "joining") {
      return refuse({ ...state, phase: "idle" }, MucError["join-refused"], cond);
    }
    return refuse(state, MucError["join-refused"], cond);
  }
  if (nick === undefined) return { state, out: [] };
  const info = readOccupant(p);
  if (!info) return refuse(state, MucError.malformed, "presence without a muc#user item");
  const occupant: Occupant = {
    nick,
    role: info.role,
    affiliation: info.affiliation,
    ...(info.jid ? { jid: bare(info.jid) } : {}),
  };
  // spec: XEP0045-7.2.3
  const self = isSelf || info.statuses.includes(110);
  if (p.attrs.type === "unavailable") {
    const reason = leaveReason(info.statuses);
    if (self) {
      // spec: XEP0045-7.14 XEP0045-9.4
      if (["idle", "left", "failed"].includes(state.phase)) return { state, out: [] };
      return {
        state: { ...state, phase: "left", self: undefined, occupants: NONE, pending: NONE },
        out: [ev({ type: "left", reason: state.phase === "leaving" ? "left" : reason })],
      };
    }
    const known = state.occupants.get(nick);
    const rest = state.occupants.delete(nick);
    // spec: XEP0045-7.14 PAPER-M4
    return {
      state: { ...state, occupants: rest },
      out: [ev({ type: "occupant-left", occupant: known ?? occupant, reason })],
    };
  }
  if (self) return onSelfPresence(state, occupant);
  return onOccupantPresence(state, occupant);
}

function onSelfPresence(state: RoomState, me: Occupant): Result {
  const changed = { type: "self-changed", role: me.role, affiliation: me.affiliation } as const;
  if (state.phase !== "joining") {
    return { state: { ...state, self: me }, out: [ev(changed)] };
  }
  const joined = ev({ type: "joined", role: me.role, affiliation: me.affiliation });
  if (state.config.role === "subscriber") {
    return { state: { ...state, phase: "ready", self: me }, out: [joined, ev({ type: "ready" })] };
  }
  // spec: XEP0045-10.1 XEP0045-10.2 PAPER-MAP4
  const [id, s] = nextId({ ...state, self: me });
  return {
    state: { ...s, phase: "configuring", pending: s.pending.set(id, { kind: "config" }) },
    out: [joined, { type: "send", stanza: configIq(state.config.room, id) }],
  };
}

/** True when the publisher must take this occupant's voice away (PD-127). */
const mustMute = (state: RoomState, o: Occupant): boolean =>
  state.config.role === "publisher" && state.self?.role === "moderator" &&
  o.role === "participant" && o.affiliation !== "owner" && o.affiliation !== "admin";

function onOccupantPresence(state: RoomState, o: Occupant): Result {
  const known = state.occupants.get(o.nick);
  let s: RoomState = { ...state, occupants: state.occupants.set(o.nick, o) };
  const out: RoomOutput[] = [];
  if (!known) out.push(ev({ type: "occupant-joined", occupant: o }));
  else if (known.role !== o.role || known.affiliation !== o.affiliation || known.jid !== o.jid) {
    out.push(ev({ type: "occupant-changed", occupant: o }));
  }
  // spec: XEP0045-8.4 PAPER-MAP4 PD-127
  if (mustMute(s, o)) {
    const [id, next] = nextId(s);
    s = { ...next, pending: next.pending.set(id, { kind: "mute", nick: o.nick }) };
    out.push({ type: "send", stanza: roleIq(state.config.room, id, o.nick, "visitor") });
  }
  return { state: s, out };
}

function onIq(state: RoomState, iq: Xel): Result {
  const id = iq.attrs.id;
  // spec: PD-269
  const pending = id === undefined ? undefined : state.pending.get(id);
  if (!pending || (iq.attrs.type !== "result" && iq.attrs.type !== "error")) {
    return { state, out: [] };
  }
  const s: RoomState = { ...state, pending: state.pending.delete(id as string) };
  const failed = iq.attrs.type === "error";
  switch (pending.kind) {
    case "config":
      if (failed) {
        return refuse({ ...s, phase: "failed" }, MucError["config-refused"], errorCondition(iq));
      }
      return afterConfig(s);
    case "grant":
    case "revoke":
      if (failed) {
        const more = s.phase === "granting" ? maybeReady(s) : { state: s, out: [] };
        return {
          state: more.state,
          out: [{
            type: "error",
            code: MucError["grant-refused"],
            detail: `${pending.jid}: ${errorCondition(iq)}`,
          }, ...more.out],
        };
      }
      if (pending.kind === "revoke") {
        return {
          state: { ...s, granted: s.granted.filter((j) => j !== pending.jid) },
          out: [ev({ type: "member-revoked", jid: pending.jid })],
        };
      }
      return onGranted(s, pending.jid);
    case "mute":
      if (failed) {
        return refuse(
          s,
          MucError["grant-refused"],
          `voice of ${pending.nick}: ${errorCondition(iq)}`,
        );
      }
      return { state: s, out: [] };
  }
}

function afterConfig(s: RoomState): Result {
  const out: RoomOutput[] = [ev({ type: "configured" })];
  const own = bare(s.config.jid);
  const members = [...new Set((s.config.members ?? []).map(bare))].filter((m) => m !== own);
  let next: RoomState = { ...s, phase: "granting" };
  // spec: XEP0045-9.3 PAPER-MAP4 PAPER-M4
  for (const jid of members) {
    const [id, n] = nextId(next);
    next = { ...n, pending: n.pending.set(id, { kind: "grant", jid }) };
    out.push({ type: "send", stanza: affiliationIq(s.config.room, id, jid, "member") });
  }
  const more = maybeReady(next);
  return { state: more.state, out: [...out, ...more.out] };
}

function onGranted(s: RoomState, jid: string): Result {
  const granted = s.granted.includes(jid) ? s.granted : [...s.granted, jid];
  const out: RoomOutput[] = [ev({ type: "member-granted", jid })];
  let next: RoomState = { ...s, granted };
  if (s.phase === "ready") {
    // A member granted later is invited at once.
    // spec: PD-131
    const [id, n] = nextId(next);
    next = n;
    out.push({ type: "send", stanza: inviteMessage(s.config.room, id, jid) });
    return { state: next, out };
  }
  const more = maybeReady(next);
  return { state: more.state, out: [...out, ...more.out] };
}

/** Publisher: once no grant is outstanding, invite every member and be ready. */
function maybeReady(s: RoomState): Result {
  if (s.phase !== "granting") return { state: s, out: [] };
  for (const [, p] of s.pending) {
    if (p.kind === "grant" || p.kind === "config") return { state: s, out: [] };
  }
  const out: RoomOutput[] = [];
  let next = s;
  // spec: XEP0045-7.8.2 PAPER-MAP4
  for (const jid of s.granted) {
    const [id, n] = nextId(next);
    next = n;
    out.push({ type: "send", stanza: inviteMessage(s.config.room, id, jid) });
  }
  out.push(ev({ type: "ready" }));
  return { state: { ...next, phase: "ready" }, out };
}

function onMessage(
  state: RoomState,
  m: Xel,
  from: Address | undefined,
  fromRoom: boolean,
): Result {
  const spdu = child(m, "spdu", GROUP_NS);
  const gdoi = child(m, "gdoi", GDOI_NS);
  if (!fromRoom) {
    const ks = state.config.keyServerJid;
    // spec: PAPER-OPT6 PAPER-M6 PD-129
    if (
      gdoi && ks !== undefined && from !== undefined && from.bare === bare(ks) &&
      m.attrs.type !== "error"
    ) {
      return carryGdoi(state, gdoi, "direct", from.bare);
    }
    if (spdu || gdoi) return refuse(state, MucError.spoofed, "group payload not from the room");
    return { state, out: [] };
  }
  if (m.attrs.type === "error") {
    // spec: XEP0045-7.4 PAPER-MAP4
    return refuse(state, MucError["publish-refused"], errorCondition(m));
  }
  const invite = child(m, "x", MUC_NS.user);
  const inv = invite && child(invite, "invite");
  if (inv && from?.resource === undefined) {
    // spec: XEP0045-7.8.2
    return {
      state,
      out: [
        ev({
          type: "invited",
          room: bare(state.config.room),
          ...(inv.attrs.from ? { from: bare(inv.attrs.from) } : {}),
        }),
      ],
    };
  }
  if (m.attrs.type !== "groupchat" || (!spdu && !gdoi)) return { state, out: [] };
  if (state.phase !== "ready") return refuse(state, MucError["not-joined"], state.phase);
  const nick = from?.resource;
  const sender = nick === undefined ? undefined : state.occupants.get(nick) ??
    (nick === state.config.nick ? state.self : undefined);
  if (!sender) return refuse(state, MucError["unknown-occupant"], "groupchat from an unknown nick");
  if (gdoi) {
    // Rekeys through the room come from the publisher only (PD-129).
    if (sender.role !== "moderator") return refuse(state, MucError["not-moderator"], sender.nick);
    return carryGdoi(state, gdoi, "room", sender.jid);
  }
  try {
    const data = spduFromElement(withNs(spdu as Xel));
    // spec: PAPER-MAP4 PAPER-TA5
    return {
      state,
      out: [{ type: "spdu", data, nick: sender.nick, ...(sender.jid ? { from: sender.jid } : {}) }],
    };
  } catch (e) {
    return refuse(state, e instanceof DerlinkError ? e.code : MucError.malformed, "spdu element");
  }
}

// spec: PD-130 PD-129
function carryGdoi(state: RoomState, el: Xel, via: "room" | "direct", from?: string): Result {
  try {
    const { kind, data } = gdoiFromElement(withNs(el));
    if (via === "room" && kind !== "rekey") {
      return refuse(state, MucError.malformed, "only rekeys travel through the room");
    }
    return { state, out: [{ type: "gdoi", data, kind, via, ...(from ? { from } : {}) }] };
  } catch (e) {
    return refuse(state, e instanceof DerlinkError ? e.code : MucError.malformed, "gdoi element");
  }
}

/**
 * The element as the group-keying readers take it, its namespace from its
 * xmlns attribute (child() found it by that attribute; plain Xel test doubles
 * have no getNS). A small view object: deriving one from the element itself
 * (Object.create) made every received element a prototype, which costs V8
 * more than reading the whole payload.
 */
const withNs = (el: Xel): XmlLike => ({
  name: el.name,
  attrs: el.attrs,
  getNS: () => el.attrs.xmlns,
  getText: () => el.getText(),
});
