/**
 * XEP-0030 wire format: the two queries, their results, and a strict reader
 * of results with size limits. Builders return ltx elements; readers take
 * any ltx-shaped element (`Xel`) and find children by their `xmlns`
 * attribute, as servers serialise them.
 *
 * @module
 */
import { Element } from "ltx";
import { fail, ok, type Result } from "../../core/errors.ts";
import { formatJid, tryParseJid } from "../../core/jid.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { DiscoError } from "./errors.ts";
import { DISCO_NS } from "./namespaces.ts";

export type DiscoKind = "info" | "items";

export interface Identity {
  readonly category: string;
  readonly type: string;
  readonly name?: string;
  readonly lang?: string;
}

/** What a disco#info answer says about an entity (or one of its nodes). */
export interface DiscoInfo {
  readonly identities: readonly Identity[];
  readonly features: readonly string[];
}

export interface DiscoItem {
  readonly jid: string;
  readonly node?: string;
  readonly name?: string;
}

/** How much of a response the reader accepts (PD-156). */
export interface DiscoLimits {
  readonly identities: number;
  readonly features: number;
  readonly items: number;
  /** Longest attribute value (category, type, name, var, jid, node), in characters. */
  readonly valueLength: number;
}

export const DEFAULT_DISCO_LIMITS: DiscoLimits = {
  identities: 32,
  features: 256,
  items: 4096,
  valueLength: 1023,
};

/** Child elements of `el`. */
export const elements = (el: Xel): Xel[] =>
  (el.children ?? []).filter((c): c is Xel => typeof c === "object" && c !== null);

/** A disco query (XEP-0030 §3.1 / §4.1), optionally to a node (§3.2 / §4.2). */
// spec: XEP0030-3.1 XEP0030-4.1 XEP0030-3.2 XEP0030-4.2
export function discoQuery(kind: DiscoKind, to: string, id: string, node?: string): Xel {
  const attrs: Record<string, string> = { xmlns: DISCO_NS[kind] };
  if (node !== undefined) attrs.node = node;
  return new Element("iq", { type: "get", to, id }).c("query", attrs).root() as unknown as Xel;
}

/** The result answering `request` (to/from swapped, id kept). */
function resultTo(request: Xel, kind: DiscoKind, node: string | undefined): Element {
  const attrs: Record<string, string> = { xmlns: DISCO_NS[kind] };
  if (node !== undefined) attrs.node = node;
  const iq = new Element("iq", { type: "result", id: request.attrs.id });
  if (request.attrs.from !== undefined) iq.attrs.to = request.attrs.from;
  if (request.attrs.to !== undefined) iq.attrs.from = request.attrs.to;
  return iq.c("query", attrs);
}

export function infoResult(request: Xel, info: DiscoInfo, node?: string): Xel {
  const q = resultTo(request, "info", node);
  for (const i of info.identities) {
    const attrs: Record<string, string> = { category: i.category, type: i.type };
    if (i.name !== undefined) attrs.name = i.name;
    if (i.lang !== undefined) attrs["xml:lang"] = i.lang;
    q.c("identity", attrs).up();
  }
  for (const f of info.features) q.c("feature", { var: f }).up();
  return q.root() as unknown as Xel;
}

export function itemsResult(request: Xel, items: readonly DiscoItem[], node?: string): Xel {
  const q = resultTo(request, "items", node);
  for (const it of items) {
    const attrs: Record<string, string> = { jid: it.jid };
    if (it.node !== undefined) attrs.node = it.node;
    if (it.name !== undefined) attrs.name = it.name;
    q.c("item", attrs).up();
  }
  return q.root() as unknown as Xel;
}

/** The `<query/>` of a disco iq and which kind it is; undefined when it has none. */
export function discoPayload(iq: Xel): { kind: DiscoKind; query: Xel } | undefined {
  const q = elements(iq).find((c) => c.name === "query");
  if (!q) return undefined;
  if (q.attrs.xmlns === DISCO_NS.info) return { kind: "info", query: q };
  if (q.attrs.xmlns === DISCO_NS.items) return { kind: "items", query: q };
  return undefined;
}

/** Canonical text of a JID, or undefined when it does not parse. */
export function canonicalJid(text: string | undefined): string | undefined {
  if (typeof text !== "string") return undefined;
  const j = tryParseJid(text);
  return j.ok ? formatJid(j.value) : undefined;
}

function checkValues(el: Xel, names: readonly string[], limits: DiscoLimits): Result<true> {
  for (const n of names) {
    const v = el.attrs[n];
    if (v !== undefined && v.length > limits.valueLength) {
      return fail(DiscoError.oversize, `${el.name} ${n} of ${v.length} characters`);
    }
  }
  return ok(true);
}

/**
 * Reads a disco#info result's query (XEP-0030 §3.1): at least one identity,
 * each with category and type, no identity twice (same category, type and
 * language), features with a var, none twice, and the disco#info feature
 * itself. Anything else is refused with a code (PD-156).
 */
// spec: XEP0030-3.1 PD-156
export function readInfo(
  query: Xel,
  limits: DiscoLimits = DEFAULT_DISCO_LIMITS,
): Result<DiscoInfo> {
  const identities: Identity[] = [];
  const features: string[] = [];
  const seen = new Set<string>();
  const kids = elements(query);
  const nIds = kids.filter((c) => c.name === "identity").length;
  const nFeatures = kids.filter((c) => c.name === "feature").length;
  if (nIds > limits.identities) return fail(DiscoError.oversize, `${nIds} identities`);
  if (nFeatures > limits.features) return fail(DiscoError.oversize, `${nFeatures} features`);
  for (const c of kids) {
    const sized = checkValues(c, ["category", "type", "name", "xml:lang", "var"], limits);
    if (!sized.ok) return sized;
    if (c.name === "identity") {
      const { category, type, name } = c.attrs;
      const lang = c.attrs["xml:lang"];
      if (!category || !type) return fail(DiscoError.malformed, "identity without category/type");
      const key = `${category}\u0000${type}\u0000${lang ?? ""}`;
      if (seen.has(key)) return fail(DiscoError.malformed, `identity ${category}/${type} twice`);
      seen.add(key);
      identities.push({
        category,
        type,
        ...(name !== undefined ? { name } : {}),
        ...(lang !== undefined ? { lang } : {}),
      });
    } else if (c.name === "feature") {
      const v = c.attrs.var;
      if (!v) return fail(DiscoError.malformed, "feature without var");
      if (features.includes(v)) return fail(DiscoError.malformed, `feature ${v} twice`);
      features.push(v);
    }
  }
  if (identities.length === 0) return fail(DiscoError.malformed, "no identity");
  if (!features.includes(DISCO_NS.info)) {
    return fail(DiscoError.malformed, "the disco#info feature is missing");
  }
  return ok({ identities, features });
}

/** Reads a disco#items result's query (XEP-0030 §4.1): every item has a valid JID. */
// spec: XEP0030-4.1 PD-156
export function readItems(
  query: Xel,
  limits: DiscoLimits = DEFAULT_DISCO_LIMITS,
): Result<DiscoItem[]> {
  const items: DiscoItem[] = [];
  const kids = elements(query).filter((c) => c.name === "item");
  if (kids.length > limits.items) return fail(DiscoError.oversize, `${kids.length} items`);
  for (const c of kids) {
    const sized = checkValues(c, ["jid", "node", "name"], limits);
    if (!sized.ok) return sized;
    const jid = canonicalJid(c.attrs.jid);
    if (jid === undefined) return fail(DiscoError.malformed, "item without a valid jid");
    const { node, name } = c.attrs;
    items.push({
      jid,
      ...(node !== undefined ? { node } : {}),
      ...(name !== undefined ? { name } : {}),
    });
  }
  return ok(items);
}

/** The defined condition of a stanza error, or "undefined-condition". */
export function errorCondition(stanza: Xel): string {
  const err = elements(stanza).find((c) => c.name === "error");
  const cond = err &&
    elements(err).find((c) =>
      c.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas" && c.name !== "text"
    );
  return cond?.name ?? "undefined-condition";
}
