/**
 * XEP-0060 wire format for the market: the owner's create-and-configure,
 * configure and affiliation requests, the publisher's publish and retract,
 * the subscriber's subscribe, unsubscribe and items requests, and readers of
 * event notifications, items results and pubsub errors. Builders return
 * ltx elements; readers take ltx-shaped elements and look children up by
 * their `xmlns` attribute.
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../xmpp-stream/messages.ts";

export const PUBSUB_NS = "http://jabber.org/protocol/pubsub";
export const PUBSUB = {
  pubsub: PUBSUB_NS,
  owner: `${PUBSUB_NS}#owner`,
  event: `${PUBSUB_NS}#event`,
  errors: `${PUBSUB_NS}#errors`,
  nodeConfig: `${PUBSUB_NS}#node_config`,
  data: "jabber:x:data",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
} as const;

export type PubsubAffiliation = "owner" | "publisher" | "member" | "none" | "outcast";

/**
 * The market node's configuration (XEP-0060 §8.1.3, §16.4.3; PD-159):
 * only publishers (the operator) publish; only whitelisted DERs subscribe
 * or read; items persist (a DER that connects later fetches the current
 * tariff); notifications carry the payload; nothing is sent on subscribe
 * (the subscriber fetches explicitly).
 */
// spec: XEP0060-4.5 XEP0060-8.1.3 PD-159
export function nodeConfig(payloadType: string, title = "derlink tariffs"): [string, string][] {
  return [
    ["FORM_TYPE", PUBSUB.nodeConfig],
    ["pubsub#title", title],
    ["pubsub#type", payloadType],
    ["pubsub#access_model", "whitelist"],
    ["pubsub#publish_model", "publishers"],
    ["pubsub#persist_items", "1"],
    ["pubsub#max_items", "16"],
    ["pubsub#deliver_payloads", "1"],
    ["pubsub#deliver_notifications", "1"],
    ["pubsub#notify_retract", "1"],
    ["pubsub#send_last_published_item", "never"],
  ];
}

const iq = (type: "get" | "set", to: string, id: string, ns: string) =>
  new Element("iq", { type, to, id }).c("pubsub", { xmlns: ns });

function form(parent: Element, fields: readonly [string, string][]): void {
  const x = parent.c("x", { xmlns: PUBSUB.data, type: "submit" });
  for (const [name, value] of fields) x.c("field", { var: name }).c("value").t(value);
}

/** Create a node and configure it in one request (XEP-0060 §8.1.3). */
// spec: XEP0060-8.1.3
export function createNodeIq(
  to: string,
  id: string,
  node: string,
  config: readonly [string, string][],
): Xel {
  const p = iq("set", to, id, PUBSUB.pubsub);
  p.c("create", { node }).up();
  form(p.c("configure"), config);
  return p.root() as unknown as Xel;
}

/** Submit a node configuration (XEP-0060 §8.2). */
// spec: XEP0060-8.2
export function configureNodeIq(
  to: string,
  id: string,
  node: string,
  config: readonly [string, string][],
): Xel {
  const p = iq("set", to, id, PUBSUB.owner);
  form(p.c("configure", { node }), config);
  return p.root() as unknown as Xel;
}

/** Modify affiliations, one element per JID (XEP-0060 §8.9.2). */
// spec: XEP0060-8.9.2
export function affiliationsIq(
  to: string,
  id: string,
  node: string,
  changes: readonly { jid: string; affiliation: PubsubAffiliation }[],
): Xel {
  const a = iq("set", to, id, PUBSUB.owner).c("affiliations", { node });
  for (const c of changes) a.c("affiliation", { jid: c.jid, affiliation: c.affiliation }).up();
  return a.root() as unknown as Xel;
}

/** Publish one item (XEP-0060 §7.1.1). */
// spec: XEP0060-7.1
export function publishIq(to: string, id: string, node: string, itemId: string, payload: Xel): Xel {
  const item = iq("set", to, id, PUBSUB.pubsub).c("publish", { node }).c("item", { id: itemId });
  item.cnode(payload as unknown as Element);
  return item.root() as unknown as Xel;
}

/** Retract one item and notify subscribers (XEP-0060 §7.2). */
// spec: XEP0060-7.2
export function retractIq(to: string, id: string, node: string, itemId: string): Xel {
  return iq("set", to, id, PUBSUB.pubsub).c("retract", { node, notify: "true" })
    .c("item", { id: itemId }).root() as unknown as Xel;
}

/** Subscribe `jid` (our own) to a node (XEP-0060 §6.1.1). */
// spec: XEP0060-6.1
export function subscribeIq(to: string, id: string, node: string, jid: string): Xel {
  return iq("set", to, id, PUBSUB.pubsub).c("subscribe", { node, jid }).root() as unknown as Xel;
}

/** Unsubscribe (XEP-0060 §6.2). */
export function unsubscribeIq(to: string, id: string, node: string, jid: string): Xel {
  return iq("set", to, id, PUBSUB.pubsub).c("unsubscribe", { node, jid }).root() as unknown as Xel;
}

/** Ask for the most recent `max` items (XEP-0060 §6.5). */
// spec: XEP0060-6.5
export function itemsIq(to: string, id: string, node: string, max = 1): Xel {
  return iq("get", to, id, PUBSUB.pubsub).c("items", { node, max_items: String(max) })
    .root() as unknown as Xel;
}

/** Child elements of `el`. */
export const elements = (el: Xel): Xel[] =>
  (el?.children ?? []).filter((c): c is Xel => typeof c === "object" && c !== null);

export const child = (el: Xel, name: string, ns?: string): Xel | undefined =>
  elements(el).find((c) => c.name === name && (ns === undefined || c.attrs.xmlns === ns));

/** One item: its id and its single payload element (undefined when not exactly one). */
export interface ReadItem {
  readonly id?: string;
  readonly payload?: Xel;
}

function readItemList(items: Xel): ReadItem[] {
  return elements(items).filter((c) => c.name === "item").map((i) => {
    const kids = elements(i);
    return {
      ...(i.attrs.id !== undefined ? { id: i.attrs.id } : {}),
      ...(kids.length === 1 ? { payload: kids[0] } : {}),
    };
  });
}

/** What an event notification says (XEP-0060 §7.1.2.1, §7.2.2.1). */
export interface EventNotice {
  readonly node?: string;
  readonly items: readonly ReadItem[];
  readonly retracted: readonly string[];
}

/** Reads `<event><items node>` from a message; undefined when it has no pubsub event. */
// spec: XEP0060-7.1.2.1 XEP0060-7.2.2.1
export function readEvent(message: Xel): EventNotice | undefined {
  const ev = child(message, "event", PUBSUB.event);
  if (!ev) return undefined;
  const items = child(ev, "items");
  if (!items) return { items: [], retracted: [] };
  return {
    ...(items.attrs.node !== undefined ? { node: items.attrs.node } : {}),
    items: readItemList(items),
    retracted: elements(items).filter((c) => c.name === "retract").flatMap((r) =>
      r.attrs.id !== undefined ? [r.attrs.id] : []
    ),
  };
}

/** Reads the items of an items result (XEP-0060 §6.5.2); undefined when there are none. */
export function readItemsResult(result: Xel): { node?: string; items: ReadItem[] } | undefined {
  const items = child(child(result, "pubsub", PUBSUB.pubsub) ?? result, "items");
  if (!items) return undefined;
  return {
    ...(items.attrs.node !== undefined ? { node: items.attrs.node } : {}),
    items: readItemList(items),
  };
}

/** The subscription state of a subscribe result (XEP-0060 §6.1.2), if it says one. */
export function subscriptionState(result: Xel): string | undefined {
  return child(child(result, "pubsub", PUBSUB.pubsub) ?? result, "subscription")?.attrs
    .subscription;
}

/** "condition" or "condition+pubsub-condition" of a stanza error (XEP-0060 §7.1.3, §6.1.3). */
export function errorOf(stanza: Xel): string {
  const err = child(stanza, "error");
  if (!err) return "undefined-condition";
  const kids = elements(err);
  const cond = kids.find((c) => c.attrs.xmlns === PUBSUB.stanzas && c.name !== "text");
  const ps = kids.find((c) => c.attrs.xmlns === PUBSUB.errors);
  return `${cond?.name ?? "undefined-condition"}${ps ? `+${ps.name}` : ""}`;
}
