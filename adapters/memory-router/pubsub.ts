/**
 * A minimal XEP-0060 service for the in-memory router at `pubsub.<domain>`,
 * enough for the market (state-machines/pubsub/) and behaving as Prosody
 * 0.12's component where XEP-0060 leaves a choice (PD-133): nodes are
 * created by service admins only, with or without a configuration (§8.1);
 * owners configure (§8.2) and change affiliations (§8.9.2); entities
 * subscribe themselves (§6.1) and unsubscribe (§6.2) as the access model
 * allows (open or whitelist, §4.5); owners and publishers publish (§7.1),
 * and every subscriber gets a headline notification with the payload, in
 * subscription order; items can be retracted with notification (§7.2) and
 * retrieved, newest first (§6.5). Errors carry the XEP's conditions.
 * Deterministic: generated item ids are a counter, orders are insertion
 * orders.
 *
 * @module
 */
import { Element } from "ltx";
import { answerDisco, type DiscoEntity } from "../../state-machines/disco/responder.ts";
import { IDENTITY } from "../../state-machines/disco/namespaces.ts";
import { child, elements, PUBSUB } from "../../state-machines/pubsub/stanzas.ts";
import { stanzaError, type Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { address, type RouterCore, type Session } from "./core.ts";
import {
  affiliationOf,
  applyConfig,
  DEFAULT_NODE_CONFIG,
  isAffiliation,
  mayAccess,
  mayPublish,
  newNode,
  type NodeConfig,
  nodeSnapshot,
  type PubsubNode,
} from "./pubsub_node.ts";

type ErrType = "cancel" | "auth" | "modify" | "wait";

const FEATURES = [
  "create-nodes",
  "create-and-configure",
  "config-node",
  "publish",
  "retract-items",
  "retrieve-items",
  "subscribe",
  "modify-affiliations",
  "persistent-items",
  "item-ids",
  "access-open",
  "access-whitelist",
].map((f) => `${PUBSUB.pubsub}#${f}`);

export class PubsubService {
  readonly nodes = new Map<string, PubsubNode>();
  #nextItem = 1;

  /** `admins`: bare JIDs that may create nodes and own every node. */
  constructor(readonly core: RouterCore, readonly admins: ReadonlySet<string>) {}

  snapshot() {
    return [...this.nodes.values()].map(nodeSnapshot);
  }

  /** The service's disco entity: its nodes are its items (XEP-0060 §5.2). */
  // spec: XEP0060-5.2 PD-133
  disco(): DiscoEntity {
    const service = this.core.pubsubDomain;
    const nodes = Object.fromEntries(
      [...this.nodes.values()].map((n) => [n.name, {
        identities: [{ category: "pubsub", type: "leaf" }],
        features: [PUBSUB.pubsub],
        items: [],
      }]),
    );
    return {
      identities: [{ ...IDENTITY.pubsub, name: "derlink market" }],
      features: [PUBSUB.pubsub, ...FEATURES],
      items: [...this.nodes.values()].map((n) => ({
        jid: service,
        node: n.name,
        ...(n.config.title !== undefined ? { name: n.config.title } : {}),
      })),
      nodes,
    };
  }

  /** A stanza addressed to the service. */
  handle(el: Xel, from: Session): void {
    const jid = from.jid, bare = from.bare;
    if (jid === undefined || bare === undefined || el.name !== "iq") return;
    const type = el.attrs.type;
    if (type !== "get" && type !== "set") return;
    const disco = answerDisco(this.disco(), el);
    if (disco) return this.core.route(disco);
    const ps = child(el, "pubsub", PUBSUB.pubsub);
    const owner = child(el, "pubsub", PUBSUB.owner);
    const op = elements(ps ?? owner ?? el)[0];
    if ((!ps && !owner) || !op) return this.#error(el, "cancel", "service-unavailable");
    const admin = this.admins.has(bare);
    const key = `${type} ${owner ? "owner:" : ""}${op.name}`;
    switch (key) {
      case "set create":
        return this.#create(el, ps!, op, bare, admin);
      case "set owner:configure":
        return this.#configure(el, op, bare, admin);
      case "set owner:affiliations":
        return this.#affiliations(el, op, bare, admin);
      case "set subscribe":
        return this.#subscribe(el, op, bare, admin);
      case "set unsubscribe":
        return this.#unsubscribe(el, op, bare);
      case "set publish":
        return this.#publish(el, op, jid, bare, admin);
      case "set retract":
        return this.#retract(el, op, bare, admin);
      case "get items":
        return this.#items(el, op, bare, admin);
      default:
        // spec: PD-133
        return this.#error(el, "cancel", "feature-not-implemented");
    }
  }

  #reply(el: Xel, build?: (iq: Element) => void): void {
    const iq = new Element("iq", {
      type: "result",
      id: el.attrs.id,
      to: el.attrs.from,
      from: this.core.pubsubDomain,
    });
    build?.(iq);
    this.core.route(iq as unknown as Xel);
  }

  /** A stanza error, with a pubsub#errors condition when the XEP names one. */
  #error(el: Xel, type: ErrType, condition: string, pubsubCondition?: string): void {
    if (el.attrs.from === undefined) return;
    const e = stanzaError(el, type, condition, this.core.pubsubDomain);
    if (pubsubCondition) {
      const err = elements(e)[0] as unknown as Element;
      err.c(pubsubCondition, { xmlns: PUBSUB.errors });
    }
    this.core.route(e);
  }

  #node(el: Xel, op: Xel): PubsubNode | undefined {
    const name = op.attrs.node;
    if (name === undefined) {
      this.#error(el, "modify", "bad-request", "nodeid-required");
      return undefined;
    }
    const node = this.nodes.get(name);
    // spec: XEP0060-6.1 XEP0060-7.1 PD-133
    if (!node) this.#error(el, "cancel", "item-not-found");
    return node;
  }

  /** Fields of a submitted data form. */
  #form(parent: Xel | undefined): Map<string, string> {
    const x = parent && child(parent, "x", PUBSUB.data);
    const out = new Map<string, string>();
    for (const f of x ? elements(x) : []) {
      if (f.name === "field" && f.attrs.var) {
        out.set(f.attrs.var, child(f, "value")?.getText() ?? "");
      }
    }
    return out;
  }

  // spec: XEP0060-8.1.3 PD-133
  #create(el: Xel, ps: Xel, op: Xel, bare: string, admin: boolean): void {
    const name = op.attrs.node;
    if (!name) return this.#error(el, "modify", "not-acceptable", "nodeid-required");
    if (!admin) return this.#error(el, "auth", "forbidden");
    if (this.nodes.has(name)) return this.#error(el, "cancel", "conflict");
    const config = applyConfig(DEFAULT_NODE_CONFIG, this.#form(child(ps, "configure")));
    if (typeof config === "string") return this.#error(el, "modify", "not-acceptable");
    this.nodes.set(name, newNode(name, bare, config));
    this.#reply(el);
  }

  // spec: XEP0060-8.2
  #configure(el: Xel, op: Xel, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    if (affiliationOf(node, bare, admin) !== "owner") return this.#error(el, "auth", "forbidden");
    const config: NodeConfig | string = applyConfig(node.config, this.#form(op));
    if (typeof config === "string") return this.#error(el, "modify", "not-acceptable");
    node.config = config;
    this.#reply(el);
  }

  // spec: XEP0060-8.9.2
  #affiliations(el: Xel, op: Xel, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    if (affiliationOf(node, bare, admin) !== "owner") return this.#error(el, "auth", "forbidden");
    const changes: [string, string][] = [];
    for (const a of elements(op).filter((c) => c.name === "affiliation")) {
      const who = address(a.attrs.jid);
      if (!who || !isAffiliation(a.attrs.affiliation)) {
        return this.#error(el, "modify", "bad-request");
      }
      changes.push([who.bare, a.attrs.affiliation]);
    }
    for (const [who, aff] of changes) {
      if (aff === "none") node.affiliations.delete(who);
      else node.affiliations.set(who, aff as never);
      // Whoever may no longer access the node loses its subscriptions.
      if (!mayAccess(node, affiliationOf(node, who, this.admins.has(who)))) {
        for (const s of [...node.subscribers]) {
          if (address(s)?.bare === who) node.subscribers.delete(s);
        }
      }
    }
    this.#reply(el);
  }

  // spec: XEP0060-6.1 XEP0060-6.1.3.4
  #subscribe(el: Xel, op: Xel, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    const who = address(op.attrs.jid);
    if (!who || who.bare !== bare) return this.#error(el, "modify", "bad-request", "invalid-jid");
    if (!mayAccess(node, affiliationOf(node, bare, admin))) {
      return this.#error(el, "cancel", "not-allowed", "closed-node");
    }
    node.subscribers.add(who.full);
    this.#reply(el, (iq) =>
      iq.c("pubsub", { xmlns: PUBSUB.pubsub }).c("subscription", {
        node: node.name,
        jid: who.full,
        subscription: "subscribed",
      }));
  }

  // spec: XEP0060-6.2
  #unsubscribe(el: Xel, op: Xel, bare: string): void {
    const node = this.#node(el, op);
    if (!node) return;
    const who = address(op.attrs.jid);
    if (!who || who.bare !== bare) return this.#error(el, "modify", "bad-request", "invalid-jid");
    if (!node.subscribers.delete(who.full)) {
      return this.#error(el, "cancel", "unexpected-request", "not-subscribed");
    }
    this.#reply(el);
  }

  // spec: XEP0060-7.1 XEP0060-7.1.3.1 XEP0060-7.1.2.1
  #publish(el: Xel, op: Xel, jid: string, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    if (!mayPublish(node, affiliationOf(node, bare, admin), jid, bare)) {
      return this.#error(el, "auth", "forbidden");
    }
    const item = child(op, "item");
    if (!item || elements(item).length !== 1) {
      return this.#error(el, "modify", "bad-request", "invalid-payload");
    }
    const id = item.attrs.id ?? `item-${this.#nextItem++}`;
    const stored = new Element("item", { id });
    stored.cnode(elements(item)[0] as unknown as Element);
    node.items.delete(id);
    node.items.set(id, stored as unknown as Xel);
    while (node.items.size > node.config.maxItems) {
      node.items.delete(node.items.keys().next().value!);
    }
    this.#reply(
      el,
      (iq) =>
        iq.c("pubsub", { xmlns: PUBSUB.pubsub }).c("publish", { node: node.name }).c("item", {
          id,
        }),
    );
    const notice = node.config.deliverPayloads ? stored : new Element("item", { id });
    this.#notify(node, (items) => items.cnode(notice as unknown as Element));
  }

  // spec: XEP0060-7.2 XEP0060-7.2.2.1
  #retract(el: Xel, op: Xel, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    const aff = affiliationOf(node, bare, admin);
    if (aff !== "owner" && aff !== "publisher") return this.#error(el, "auth", "forbidden");
    const id = child(op, "item")?.attrs.id;
    if (id === undefined) return this.#error(el, "modify", "bad-request", "item-required");
    if (!node.items.delete(id)) return this.#error(el, "cancel", "item-not-found");
    this.#reply(el);
    const notify = op.attrs.notify === "true" || op.attrs.notify === "1";
    if (notify && node.config.notifyRetract) {
      this.#notify(node, (items) => items.c("retract", { id }));
    }
  }

  // spec: XEP0060-6.5
  #items(el: Xel, op: Xel, bare: string, admin: boolean): void {
    const node = this.#node(el, op);
    if (!node) return;
    if (!mayAccess(node, affiliationOf(node, bare, admin))) {
      return this.#error(el, "cancel", "not-allowed", "closed-node");
    }
    const max = Number(op.attrs.max_items ?? node.items.size);
    const newest = [...node.items.values()].reverse().slice(0, Number.isInteger(max) ? max : 0);
    this.#reply(el, (iq) => {
      const items = iq.c("pubsub", { xmlns: PUBSUB.pubsub }).c("items", { node: node.name });
      for (const i of newest) items.cnode(i as unknown as Element);
    });
  }

  /** One headline message per subscriber, in subscription order. */
  #notify(node: PubsubNode, fill: (items: Element) => void): void {
    for (const to of node.subscribers) {
      const m = new Element("message", { from: this.core.pubsubDomain, to, type: "headline" });
      fill(m.c("event", { xmlns: PUBSUB.event }).c("items", { node: node.name }));
      this.core.route(m as unknown as Xel);
    }
  }
}
