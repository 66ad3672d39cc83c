/**
 * XEP-0045 stanzas the room machine sends and the parts of received ones it
 * reads. Builders return ltx elements; readers take any element shaped like
 * ltx's (`Xel`) and look children up by their `xmlns` attribute, which is how
 * servers serialise MUC payloads (prefixed MUC namespaces are not read).
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../xmpp-stream/messages.ts";

export const MUC_NS = {
  muc: "http://jabber.org/protocol/muc",
  user: "http://jabber.org/protocol/muc#user",
  admin: "http://jabber.org/protocol/muc#admin",
  owner: "http://jabber.org/protocol/muc#owner",
  data: "jabber:x:data",
  roomconfig: "http://jabber.org/protocol/muc#roomconfig",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
} as const;

export type Role = "moderator" | "participant" | "visitor" | "none";
export type Affiliation = "owner" | "admin" | "member" | "outcast" | "none";

const ROLES: readonly string[] = ["moderator", "participant", "visitor", "none"];
const AFFILIATIONS: readonly string[] = ["owner", "admin", "member", "outcast", "none"];

/** Child elements of `el`. */
export const elements = (el: Xel): Xel[] =>
  el.children.filter((c): c is Xel => typeof c === "object");

/** The first child called `name` in namespace `ns` (by its xmlns attribute). */
export function child(el: Xel, name: string, ns?: string): Xel | undefined {
  for (const c of el.children) {
    if (typeof c === "object" && c.name === name && (ns === undefined || c.attrs.xmlns === ns)) {
      return c;
    }
  }
  return undefined;
}

/**
 * The room configuration derlink submits (XEP-0045 §10.2): moderated and
 * members-only, non-anonymous so occupants see the publisher's real JID,
 * not persistent, hidden, no invitations or subject changes by occupants,
 * no history (old SPDUs would be refused as stale anyway).
 */
// spec: XEP0045-10.2 PAPER-MAP4 PD-126
export const ROOM_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ["FORM_TYPE", MUC_NS.roomconfig],
  ["muc#roomconfig_moderatedroom", "1"],
  ["muc#roomconfig_membersonly", "1"],
  ["muc#roomconfig_whois", "anyone"],
  ["muc#roomconfig_persistentroom", "0"],
  ["muc#roomconfig_publicroom", "0"],
  ["muc#roomconfig_allowinvites", "0"],
  ["muc#roomconfig_changesubject", "0"],
  ["muc#roomconfig_historylength", "0"],
];

/** Join presence to room/nick, asking for no history (XEP-0045 §7.2, §7.2.13). */
// spec: XEP0045-7.2
export function joinPresence(occupantJid: string): Xel {
  return new Element("presence", { to: occupantJid })
    .c("x", { xmlns: MUC_NS.muc }).c("history", { maxstanzas: "0" }).root() as Xel;
}

/** Exit presence (XEP-0045 §7.14). */
// spec: XEP0045-7.14
export const leavePresence = (occupantJid: string): Xel =>
  new Element("presence", { to: occupantJid, type: "unavailable" }) as Xel;

/** Owner's configuration form submission (XEP-0045 §10.1.3 / §10.2). */
export function configIq(room: string, id: string): Xel {
  const x = new Element("iq", { type: "set", to: room, id })
    .c("query", { xmlns: MUC_NS.owner }).c("x", { xmlns: MUC_NS.data, type: "submit" });
  for (const [name, value] of ROOM_CONFIG) x.c("field", { var: name }).c("value").t(value);
  return x.root() as Xel;
}

/** Admin change of one affiliation (XEP-0045 §9.3 member, §9.4 revoke) by real JID. */
export function affiliationIq(
  room: string,
  id: string,
  jid: string,
  affiliation: Affiliation,
): Xel {
  return new Element("iq", { type: "set", to: room, id })
    .c("query", { xmlns: MUC_NS.admin }).c("item", { affiliation, jid }).root() as Xel;
}

/** Moderator change of one occupant's role by nick (XEP-0045 §8.4 revoke voice). */
export function roleIq(room: string, id: string, nick: string, role: Role): Xel {
  return new Element("iq", { type: "set", to: room, id })
    .c("query", { xmlns: MUC_NS.admin }).c("item", { nick, role }).root() as Xel;
}

/** Mediated invitation through the room (XEP-0045 §7.8.2). */
// spec: XEP0045-7.8.2
export function inviteMessage(room: string, id: string, jid: string): Xel {
  return new Element("message", { to: room, id })
    .c("x", { xmlns: MUC_NS.user }).c("invite", { to: jid }).root() as Xel;
}

/** A groupchat message to the room carrying one payload element (XEP-0045 §7.4). */
export function groupchat(room: string, id: string, payload: Xel): Xel {
  const m = new Element("message", { to: room, type: "groupchat", id });
  m.cnode(payload as unknown as Element);
  return m as unknown as Xel;
}

/** A direct (non-room) message carrying one payload element: the unicast key path. */
export function directMessage(to: string, id: string, payload: Xel): Xel {
  const m = new Element("message", { to, type: "normal", id });
  m.cnode(payload as unknown as Element);
  return m as unknown as Xel;
}

/** What an occupant presence says (XEP-0045 §7.2.3, §7.2.8, §9, §10). */
export interface OccupantPresence {
  readonly role: Role;
  readonly affiliation: Affiliation;
  /** The occupant's real JID, when the room discloses it. */
  readonly jid?: string;
  readonly statuses: readonly number[];
}

/** Reads the muc#user item and status codes; undefined when absent or malformed. */
export function readOccupant(presence: Xel): OccupantPresence | undefined {
  const x = child(presence, "x", MUC_NS.user);
  if (!x) return undefined;
  const item = child(x, "item");
  if (!item) return undefined;
  const role = item.attrs.role ?? "none", affiliation = item.attrs.affiliation ?? "none";
  if (!ROLES.includes(role) || !AFFILIATIONS.includes(affiliation)) return undefined;
  const statuses = elements(x).filter((c) => c.name === "status")
    .map((c) => Number(c.attrs.code)).filter((n) => Number.isInteger(n));
  return {
    role: role as Role,
    affiliation: affiliation as Affiliation,
    ...(item.attrs.jid ? { jid: item.attrs.jid } : {}),
    statuses,
  };
}

/** Why an occupant left, from the status codes of its unavailable presence. */
export type LeaveReason =
  | "left"
  | "kicked"
  | "banned"
  | "affiliation-changed"
  | "members-only"
  | "shutdown";

// spec: XEP0045-9.4 XEP0045-7.14
export function leaveReason(statuses: readonly number[]): LeaveReason {
  if (statuses.includes(301)) return "banned";
  if (statuses.includes(307)) return "kicked";
  if (statuses.includes(321)) return "affiliation-changed";
  if (statuses.includes(322)) return "members-only";
  if (statuses.includes(332)) return "shutdown";
  return "left";
}

/** The defined condition of a stanza error, or "undefined-condition". */
export function errorCondition(stanza: Xel): string {
  const err = child(stanza, "error");
  const cond = err &&
    elements(err).find((c) => c.attrs.xmlns === MUC_NS.stanzas && c.name !== "text");
  return cond?.name ?? "undefined-condition";
}
