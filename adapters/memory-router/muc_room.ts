/**
 * One XEP-0045 room of the in-memory MUC service: its configuration,
 * affiliations and occupants, and the occupant presence it sends. Plain
 * data plus the few rules that decide roles (XEP-0045 §5).
 *
 * @module
 */
import { Element } from "ltx";
import { MUC_NS } from "../../state-machines/muc/stanzas.ts";
import type { Affiliation, Role } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";

export interface Occupant {
  readonly nick: string;
  /** Real full JID. */
  readonly jid: string;
  readonly bare: string;
  role: Role;
}

export interface Room {
  /** Bare room JID. */
  readonly jid: string;
  /** Created and not yet configured: only the owner may be in it (XEP-0045 §10.1). */
  locked: boolean;
  config: Record<string, string>;
  /** Affiliations by bare JID ("none" is never stored). */
  readonly affiliations: Map<string, Affiliation>;
  /** Occupants by nick, in join order. */
  readonly occupants: Map<string, Occupant>;
  /** Nick of each occupant by real full JID. */
  readonly nickOf: Map<string, string>;
}

export function newRoom(jid: string, owner: string): Room {
  return {
    jid,
    locked: true,
    config: {},
    affiliations: new Map([[owner, "owner"]]),
    occupants: new Map(),
    nickOf: new Map(),
  };
}

export const affiliationOf = (room: Room, bare: string): Affiliation =>
  room.affiliations.get(bare) ?? "none";

const flag = (room: Room, field: string) => {
  const v = room.config[`muc#roomconfig_${field}`];
  return v === "1" || v === "true";
};
export const moderated = (room: Room) => flag(room, "moderatedroom");
export const membersOnly = (room: Room) => flag(room, "membersonly");
export const persistent = (room: Room) => flag(room, "persistentroom");
export const allowInvites = (room: Room) => flag(room, "allowinvites");
/** Non-anonymous: every occupant sees real JIDs (XEP-0045 §7.2.4). */
export const nonAnonymous = (room: Room) => room.config["muc#roomconfig_whois"] === "anyone";

/** The role an occupant of this affiliation gets on entering (XEP-0045 §5.1.2). */
// spec: XEP0045-5.1.2 DL-ROUTER-9
export function defaultRole(room: Room, aff: Affiliation): Role {
  if (aff === "owner" || aff === "admin") return "moderator";
  if (moderated(room) && aff !== "member") return "visitor";
  return "participant";
}

/** Occupant `o`'s presence as `viewer` sees it, with status codes. */
// spec: XEP0045-7.2.3 XEP0045-7.2.4
export function occupantPresence(
  room: Room,
  o: Occupant,
  viewer: Occupant | undefined,
  to: string,
  statuses: readonly number[] = [],
  unavailable = false,
): Xel {
  const attrs: Record<string, string> = { from: `${room.jid}/${o.nick}`, to };
  if (unavailable) attrs.type = "unavailable";
  const p = new Element("presence", attrs);
  const x = p.c("x", { xmlns: MUC_NS.user });
  const item: Record<string, string> = {
    affiliation: affiliationOf(room, o.bare),
    role: unavailable ? "none" : o.role,
  };
  if (nonAnonymous(room) || viewer?.role === "moderator") item.jid = o.jid;
  x.c("item", item);
  for (const code of statuses) x.c("status", { code: String(code) });
  return p as unknown as Xel;
}

/** What the router keeps of a room, for searches and snapshots. */
export function roomSnapshot(room: Room) {
  return {
    jid: room.jid,
    locked: room.locked,
    config: room.config,
    affiliations: [...room.affiliations],
    occupants: [...room.occupants.values()].map((o) => ({ ...o })),
  };
}
