/**
 * The answering side of XEP-0030 as a pure function: given what an entity
 * is (identities, features, items, and named info/items nodes), it answers
 * a disco#info or disco#items request with a result or a stanza error.
 * Used by DERs, the key server and the market operator (as XMPP clients)
 * and by the in-memory router for the domain and its services.
 *
 * Rules: results carry the disco#info feature (and disco#items) besides
 * the entity's own; an unknown node is `item-not-found` (§3.2, §4.2); a
 * disco query sent as `set` is `bad-request`; a response (result/error) is
 * never answered; a request in another namespace is not ours (undefined).
 *
 * @module
 */
import { stanzaError, type Xel } from "../xmpp-stream/messages.ts";
import {
  type DiscoInfo,
  type DiscoItem,
  discoPayload,
  type Identity,
  infoResult,
  itemsResult,
} from "./stanzas.ts";
import { DISCO_NS } from "./namespaces.ts";

/** One answerable thing: the entity itself or one of its nodes. */
export interface DiscoNode {
  readonly identities: readonly Identity[];
  readonly features: readonly string[];
  readonly items: readonly DiscoItem[];
}

/** An entity with optional named nodes (XEP-0030 §3.2 / §4.2). */
export interface DiscoEntity extends DiscoNode {
  readonly nodes?: Readonly<Record<string, DiscoNode>>;
}

/** True when `iq` is a disco request (get or set with a disco query). */
export function isDiscoRequest(iq: Xel): boolean {
  return iq?.name === "iq" && (iq.attrs?.type === "get" || iq.attrs?.type === "set") &&
    discoPayload(iq) !== undefined;
}

/** The features an answer lists: the disco ones first, then the entity's, each once. */
export function featuresOf(n: DiscoNode): string[] {
  return [...new Set([DISCO_NS.info, DISCO_NS.items, ...n.features])];
}

/**
 * The answer to `iq` from `entity`, or undefined when `iq` is not a disco
 * request (a response, another namespace, not an iq).
 */
// spec: XEP0030-3.1 XEP0030-3.2 XEP0030-4.1 XEP0030-4.2
export function answerDisco(entity: DiscoEntity, iq: Xel): Xel | undefined {
  if (!isDiscoRequest(iq)) return undefined;
  const { kind, query } = discoPayload(iq)!;
  if (iq.attrs.type === "set") return stanzaError(iq, "modify", "bad-request");
  const nodeName = query.attrs.node;
  const target: DiscoNode | undefined = nodeName === undefined
    ? entity
    : Object.hasOwn(entity.nodes ?? {}, nodeName)
    ? entity.nodes![nodeName]
    : undefined;
  // spec: XEP0030-3.2 XEP0030-4.2
  if (!target) return stanzaError(iq, "cancel", "item-not-found");
  if (kind === "items") return itemsResult(iq, target.items, nodeName);
  const info: DiscoInfo = { identities: target.identities, features: featuresOf(target) };
  return infoResult(iq, info, nodeName);
}
