/**
 * One XEP-0060 node of the in-memory pubsub service: configuration,
 * affiliations, subscriptions and items, and the rules that decide who may
 * do what (XEP-0060 §4.1, §4.5). Plain data; the service (pubsub.ts) does
 * the talking.
 *
 * @module
 */
import type { PubsubAffiliation } from "../../state-machines/pubsub/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";

export type AccessModel = "open" | "whitelist";
export type PublishModel = "publishers" | "subscribers" | "open";

export interface NodeConfig {
  accessModel: AccessModel;
  publishModel: PublishModel;
  maxItems: number;
  title?: string;
  payloadType?: string;
  deliverPayloads: boolean;
  notifyRetract: boolean;
}

export interface PubsubNode {
  readonly name: string;
  config: NodeConfig;
  /** Affiliations by bare JID ("none" is never stored). */
  readonly affiliations: Map<string, PubsubAffiliation>;
  /** Subscribed JIDs (as they subscribed: full or bare), in subscription order. */
  readonly subscribers: Set<string>;
  /** Items by id, oldest first; the `<item/>` as published. */
  readonly items: Map<string, Xel>;
}

export const DEFAULT_NODE_CONFIG: NodeConfig = {
  accessModel: "open",
  publishModel: "publishers",
  maxItems: 16,
  deliverPayloads: true,
  notifyRetract: true,
};

export const MAX_ITEMS_LIMIT = 256;
const AFFILIATIONS: readonly string[] = ["owner", "publisher", "member", "none", "outcast"];
export const isAffiliation = (a: string | undefined): a is PubsubAffiliation =>
  a !== undefined && AFFILIATIONS.includes(a);

export function newNode(name: string, owner: string, config: NodeConfig): PubsubNode {
  return {
    name,
    config,
    affiliations: new Map([[owner, "owner"]]),
    subscribers: new Set(),
    items: new Map(),
  };
}

/**
 * A node configuration form's values applied to `base`; a string saying what
 * is wrong when a value is one the service does not offer (Prosody 0.12
 * offers open and whitelist access only: PD-133).
 */
// spec: XEP0060-8.2 XEP0060-4.5 PD-133
export function applyConfig(
  base: NodeConfig,
  fields: ReadonlyMap<string, string>,
): NodeConfig | string {
  const c: NodeConfig = { ...base };
  const bool = (v: string) => v === "1" || v === "true";
  for (const [k, v] of fields) {
    switch (k) {
      case "pubsub#access_model":
        if (v !== "open" && v !== "whitelist") return `access model ${v}`;
        c.accessModel = v;
        break;
      case "pubsub#publish_model":
        if (v !== "publishers" && v !== "subscribers" && v !== "open") return `publish model ${v}`;
        c.publishModel = v;
        break;
      case "pubsub#max_items": {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > MAX_ITEMS_LIMIT) return `max_items ${v}`;
        c.maxItems = n;
        break;
      }
      case "pubsub#title":
        c.title = v;
        break;
      case "pubsub#type":
        c.payloadType = v;
        break;
      case "pubsub#deliver_payloads":
        c.deliverPayloads = bool(v);
        break;
      case "pubsub#notify_retract":
        c.notifyRetract = bool(v);
        break;
    }
  }
  return c;
}

/** The actor's affiliation: service admins own every node (as Prosody's admins do). */
export function affiliationOf(node: PubsubNode, bare: string, admin: boolean): PubsubAffiliation {
  if (admin) return "owner";
  return node.affiliations.get(bare) ?? "none";
}

/** May an entity with this affiliation subscribe or read items (XEP-0060 §4.5)? */
// spec: XEP0060-4.5 XEP0060-6.1.3.4
export function mayAccess(node: PubsubNode, aff: PubsubAffiliation): boolean {
  if (aff === "outcast") return false;
  if (node.config.accessModel === "open") return true;
  return aff === "owner" || aff === "publisher" || aff === "member";
}

/** May this entity publish (XEP-0060 §4.1 publish models)? */
// spec: XEP0060-7.1.3.1
export function mayPublish(node: PubsubNode, aff: PubsubAffiliation, jid: string, bare: string) {
  if (aff === "owner" || aff === "publisher") return true;
  if (aff === "outcast") return false;
  if (node.config.publishModel === "open") return true;
  return node.config.publishModel === "subscribers" &&
    (node.subscribers.has(jid) || node.subscribers.has(bare));
}

export function nodeSnapshot(n: PubsubNode) {
  return {
    name: n.name,
    config: n.config,
    affiliations: Object.fromEntries(n.affiliations),
    subscribers: [...n.subscribers],
    items: [...n.items.values()].map((i) => i.toString()),
  };
}
