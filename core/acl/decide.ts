/**
 * The ACL's decision for one stanza a client sent, after the server stamped
 * its `from` — the one procedure that derlink's receiver applies and that
 * prosody.ts compiles, rule for rule in the same order, into mod_firewall
 * (PD-210):
 *
 *  1. no `to`, the sender's own bare JID, or the server's domain: pass;
 *  2. the MUC service: the service itself, replies and leaving pass; a room
 *     the ACL does not list is not-allowed; a sender neither moderator nor
 *     member is forbidden; administration (muc#admin, muc#owner),
 *     invitations and stanzas to an occupant other than presence need a
 *     moderator;
 *  3. the pubsub service: replies and non-iq pass; publisher actions
 *     (publish, retract, create, configure, and everything in pubsub#owner)
 *     need a listed node and one of its publishers; subscribe and items need
 *     a listed node and, when it lists subscribers, one of them or a
 *     publisher; anything else passes;
 *  4. anyone else: a reply passes along the reverse of an allowed pair (and
 *     is dropped silently otherwise); any other stanza needs an addressing
 *     rule covering (sender, recipient).
 *
 * @module
 */
import { AclError, type AclErrorCode } from "./errors.ts";
import { type Acl, includes, type Principals } from "./types.ts";

export const NS_MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
export const NS_MUC_OWNER = "http://jabber.org/protocol/muc#owner";
export const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
export const NS_PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner";
/** Actions in the pubsub namespace that change a node: publishers only. */
export const PUBLISHER_ACTIONS = ["publish", "retract", "create", "configure"] as const;
/** Actions that read a node: its subscribers, when it lists them. */
export const SUBSCRIBER_ACTIONS = ["subscribe", "items"] as const;

/** What the decision looks at in a stanza (stanza.ts reads it from XML). */
export interface StanzaFacts {
  readonly kind: "message" | "presence" | "iq";
  /** The type attribute, absent when the stanza has none. */
  readonly type?: string;
  /** Bare JID of the sender (the stamped `from`). */
  readonly from: string;
  readonly to?: { readonly local?: string; readonly domain: string; readonly resource?: string };
  /** Namespaces of the stanza's child elements. */
  readonly payloadNs: readonly string[];
  /** A MUC invitation (`<x xmlns=muc#user><invite/>`) is inside. */
  readonly invite: boolean;
  /** The first element inside a pubsub (or pubsub#owner) payload, and its node. */
  readonly pubsub?: { readonly owner: boolean; readonly action: string; readonly node?: string };
}

export type Decision =
  | { readonly allow: true }
  | {
    readonly allow: false;
    readonly condition: "forbidden" | "not-allowed";
    readonly code: AclErrorCode;
  };

const PASS: Decision = { allow: true };
const forbidden = (code: AclErrorCode): Decision => ({
  allow: false,
  condition: "forbidden",
  code,
});
const notAllowed = (code: AclErrorCode): Decision => ({
  allow: false,
  condition: "not-allowed",
  code,
});

/** A reply (result or error) never opens a conversation. */
export const isReply = (f: StanzaFacts): boolean => f.type === "result" || f.type === "error";

/** Decides one stanza. Pure; the same ACL and facts always give the same decision. */
// spec: PD-210 PAPER-OPT1
export function decide(acl: Acl, f: StanzaFacts): Decision {
  const to = f.to;
  const has = (p: Principals, jid = f.from) => includes(p, jid, acl.domain);
  // spec: DL-ACL-10
  if (!to) return PASS;
  const toBare = to.local === undefined ? to.domain : `${to.local}@${to.domain}`;
  if (to.resource === undefined && toBare === f.from) return PASS;
  if (to.local === undefined && to.domain === acl.domain) return PASS;
  if (to.domain === acl.mucService) {
    if (to.local === undefined || isReply(f)) return PASS;
    if (f.kind === "presence" && f.type === "unavailable") return PASS;
    const room = acl.rooms.get(toBare);
    // spec: DL-ACL-4 RFC6120-8.3.3.12
    if (!room) return notAllowed(AclError["room-unknown"]);
    if (has(room.moderators)) return PASS;
    // spec: DL-ACL-4 RFC6120-8.3.3.6
    if (!has(room.members)) return forbidden(AclError["room-denied"]);
    // spec: DL-ACL-5
    if (f.kind === "iq" && f.payloadNs.some((ns) => ns === NS_MUC_ADMIN || ns === NS_MUC_OWNER)) {
      return forbidden(AclError["moderation-denied"]);
    }
    if (f.kind === "message" && f.invite) return forbidden(AclError["moderation-denied"]);
    if (to.resource !== undefined && f.kind !== "presence") {
      return forbidden(AclError["moderation-denied"]);
    }
    return PASS;
  }
  if (to.domain === acl.pubsubService && to.local === undefined) {
    if (isReply(f) || f.kind !== "iq" || !f.pubsub) return PASS;
    const { owner, action, node } = f.pubsub;
    const rule = node === undefined ? undefined : acl.nodes.get(node);
    // spec: DL-ACL-6
    if (owner || (PUBLISHER_ACTIONS as readonly string[]).includes(action)) {
      if (!rule) return notAllowed(AclError["node-unknown"]);
      return has(rule.publishers) ? PASS : forbidden(AclError["publish-denied"]);
    }
    if ((SUBSCRIBER_ACTIONS as readonly string[]).includes(action)) {
      if (!rule) return notAllowed(AclError["node-unknown"]);
      if (!rule.subscribers || has(rule.subscribers) || has(rule.publishers)) return PASS;
      return forbidden(AclError["subscribe-denied"]);
    }
    return PASS;
  }
  // spec: DL-ACL-3
  if (isReply(f)) {
    const back = acl.addressing.some((r) => has(r.from, toBare) && has(r.to, f.from));
    return back ? PASS : forbidden(AclError["reply-denied"]);
  }
  // spec: DL-ACL-2
  const allowed = acl.addressing.some((r) => has(r.from) && has(r.to, toBare));
  return allowed ? PASS : forbidden(AclError["address-denied"]);
}
