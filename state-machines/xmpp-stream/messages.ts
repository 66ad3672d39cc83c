/**
 * Wire format of the XMPP stream (RFC 6120): namespaces, stream headers,
 * stream errors, stream features and the small negotiation elements, built
 * and read as ltx Elements. Nothing here keeps state; the machines decide.
 *
 * Namespace resolution: a first-level element arrives from the reader
 * without its stream root as parent, so a prefix or default namespace it
 * does not declare itself is looked up in the declarations of the stream
 * header (`StreamDecls`).
 *
 * @module
 */
import { Element, escapeXML } from "ltx";
import { isStreamCondition, type StreamCondition } from "./errors.ts";

export const NS = {
  stream: "http://etherx.jabber.org/streams",
  client: "jabber:client",
  streams: "urn:ietf:params:xml:ns:xmpp-streams",
  tls: "urn:ietf:params:xml:ns:xmpp-tls",
  sasl: "urn:ietf:params:xml:ns:xmpp-sasl",
  bind: "urn:ietf:params:xml:ns:xmpp-bind",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  sm: "urn:xmpp:sm:3",
  ping: "urn:xmpp:ping",
} as const;

/** The subset of ltx's Element the machines read (ltx ships no types). */
export interface Xel {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (Xel | string)[];
  parent: Xel | null;
  getText(): string;
  getChildText(name: string, xmlns?: string): string | null;
  toString(): string;
}

/** Namespace declarations of a stream header: prefix ("" for the default namespace) → name. */
export type StreamDecls = Readonly<Record<string, string>>;

/** Collects the namespace declarations among a header's attributes. */
export function declsOf(attrs: Readonly<Record<string, string>>): StreamDecls {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "xmlns") out[""] = v;
    else if (k.startsWith("xmlns:")) out[k.slice(6)] = v;
  }
  return out;
}

export const prefixOf = (name: string): string => {
  const i = name.indexOf(":");
  return i >= 0 ? name.slice(0, i) : "";
};
export const localOf = (name: string): string => name.slice(name.indexOf(":") + 1);

/** The namespace of an element: its own or an ancestor's declaration, else the stream header's. */
export function nsOf(el: Xel, decls: StreamDecls): string | undefined {
  const prefix = prefixOf(el.name);
  const key = prefix ? `xmlns:${prefix}` : "xmlns";
  for (let e: Xel | null = el; e; e = e.parent) {
    const v = e.attrs[key];
    if (v !== undefined) return v;
  }
  return decls[prefix];
}

/** True when `el` is `{ns}local`. */
export const isEl = (el: Xel, ns: string, local: string, decls: StreamDecls): boolean =>
  localOf(el.name) === local && nsOf(el, decls) === ns;

/** Child elements (text nodes skipped). */
export const childElements = (el: Xel): Xel[] =>
  el.children.filter((c): c is Xel => typeof c === "object" && c !== null);

/** The first child `{ns}local`, if any. */
export const childEl = (el: Xel, ns: string, local: string, decls: StreamDecls): Xel | undefined =>
  childElements(el).find((c) => isEl(c, ns, local, decls));

/** Everything before the first stanza: the stream header as text (RFC 6120 §4.2, §4.7). */
export interface HeaderFields {
  readonly to?: string;
  readonly from?: string;
  readonly id?: string;
  readonly lang?: string;
}

/**
 * Our stream header. The XML declaration is included (RFC 6120 §11.5 allows
 * it); namespace prefixes are the conventional ones of §4.8.5.
 */
export function streamHeader(h: HeaderFields): string {
  const attr = (k: string, v: string | undefined) =>
    v === undefined ? "" : ` ${k}='${escapeXML(v)}'`;
  return `<?xml version='1.0'?><stream:stream xmlns='${NS.client}' xmlns:stream='${NS.stream}'` +
    attr("to", h.to) + attr("from", h.from) + attr("id", h.id) + ` version='1.0'` +
    attr("xml:lang", h.lang ?? "en") + ">";
}

export const STREAM_CLOSE = "</stream:stream>";

/**
 * `<stream:error>` with a condition, optional text, the location for
 * see-other-host, and an optional application-specific condition element
 * (RFC 6120 §4.9.4), for example XEP-0198's handled-count-too-high.
 */
export function streamErrorXml(
  condition: StreamCondition,
  text?: string,
  location?: string,
  appCondition?: Xel,
): string {
  const el = new Element("stream:error");
  const cond = el.c(condition, { xmlns: NS.streams });
  if (location !== undefined) cond.t(location);
  if (text) el.c("text", { xmlns: NS.streams, "xml:lang": "en" }).t(text);
  if (appCondition) el.cnode(appCondition);
  return el.toString();
}

/** What a received `<stream:error>` says. */
export interface ParsedStreamError {
  readonly condition: StreamCondition;
  /** The condition as written, when it is not one of RFC 6120's. */
  readonly unknown?: string;
  readonly text?: string;
  /** For see-other-host: the host (and port) to reconnect to. */
  readonly location?: string;
}

// spec: RFC6120-4.9.2 RFC6120-4.9.3
/** Reads a `<stream:error>`; an unknown or missing condition reads as undefined-condition (§4.9.3.21). */
export function parseStreamError(el: Xel, decls: StreamDecls): ParsedStreamError {
  let condition: StreamCondition = "undefined-condition";
  let unknown: string | undefined;
  let text: string | undefined;
  let location: string | undefined;
  for (const c of childElements(el)) {
    if (nsOf(c, decls) !== NS.streams) continue;
    const local = localOf(c.name);
    if (local === "text") text = c.getText();
    else if (isStreamCondition(local)) {
      condition = local;
      if (local === "see-other-host") location = c.getText().trim();
    } else unknown = local;
  }
  return { condition, unknown, text, location };
}

/** The stream features a receiving entity offered (RFC 6120 §4.3.2). */
export interface Features {
  readonly starttls?: { readonly required: boolean };
  readonly mechanisms?: readonly string[];
  readonly bind: boolean;
  readonly sm: boolean;
}

export function parseFeatures(el: Xel, decls: StreamDecls): Features {
  const tls = childEl(el, NS.tls, "starttls", decls);
  const mechs = childEl(el, NS.sasl, "mechanisms", decls);
  return {
    starttls: tls ? { required: childEl(tls, NS.tls, "required", decls) !== undefined } : undefined,
    mechanisms: mechs
      ? childElements(mechs).filter((m) => isEl(m, NS.sasl, "mechanism", decls)).map((m) =>
        m.getText().trim()
      )
      : undefined,
    bind: childEl(el, NS.bind, "bind", decls) !== undefined,
    sm: childEl(el, NS.sm, "sm", decls) !== undefined,
  };
}

/** `<stream:features>` as a receiving entity sends it. */
export function featuresXml(f: Features): string {
  const el = new Element("stream:features");
  if (f.starttls) {
    const s = el.c("starttls", { xmlns: NS.tls });
    if (f.starttls.required) s.c("required");
  }
  if (f.mechanisms) {
    const m = el.c("mechanisms", { xmlns: NS.sasl });
    for (const name of f.mechanisms) m.c("mechanism").t(name);
  }
  if (f.bind) el.c("bind", { xmlns: NS.bind });
  if (f.sm) el.c("sm", { xmlns: NS.sm });
  return el.toString();
}

/** A namespaced empty element such as `<proceed xmlns='…tls'/>`, with attributes. */
export const nonza = (
  local: string,
  ns: string,
  attrs: Record<string, string | undefined> = {},
): string => new Element(local, { xmlns: ns, ...attrs }).toString();

/** A SASL element carrying base64 data; empty data is written as `=` (RFC 6120 §6.4.2). */
export function saslXml(
  local: "auth" | "response" | "challenge" | "success",
  b64: string | undefined,
  attrs: Record<string, string> = {},
): string {
  const el = new Element(local, { xmlns: NS.sasl, ...attrs });
  if (b64 !== undefined) el.t(b64 === "" ? "=" : b64);
  return el.toString();
}

/** The text of a SASL element: `=` means empty, no text means absent (RFC 6120 §6.4.2, §6.4.6). */
export function saslPayload(el: Xel): string | undefined {
  const t = el.getText().trim();
  if (t === "") return undefined;
  return t === "=" ? "" : t;
}

/** `<iq type='set'><bind><resource/></bind></iq>` (RFC 6120 §7.6, §7.7). */
export function bindRequestXml(id: string, resource?: string): string {
  const iq = new Element("iq", { type: "set", id });
  const b = iq.c("bind", { xmlns: NS.bind });
  if (resource !== undefined) b.c("resource").t(resource);
  return iq.toString();
}

/** The bind result carrying the full JID (RFC 6120 §7.6.1). */
export function bindResultXml(id: string, jid: string): string {
  const iq = new Element("iq", { type: "result", id });
  iq.c("bind", { xmlns: NS.bind }).c("jid").t(jid);
  return iq.toString();
}

/** A stanza error reply (RFC 6120 §8.3.2): to/from swapped, the original id kept. */
export function stanzaError(
  original: Xel,
  type: "cancel" | "modify" | "auth" | "wait",
  condition: string,
  from?: string,
): Xel {
  const el = new Element(localOf(original.name), {
    type: "error",
    id: original.attrs.id,
    to: original.attrs.from,
    from: from ?? original.attrs.to,
  });
  el.c("error", { type }).c(condition, { xmlns: NS.stanzas });
  return el;
}

/** UTF-8 encoding of outgoing text. */
const encoder = new TextEncoder();
export const bytesOf = (text: string): Uint8Array => encoder.encode(text);
