/**
 * The XMPP side of a protected association (PD-140): which stanza carries
 * what, built and read as ltx elements. A stanza carrying association
 * traffic holds one or more A-profile elements (`<request>`, `<response>`,
 * `<pdu>` in the A-profile namespace) and nothing else: the MMS XER PDU is
 * inside a protected `<pdu>`, so the XMPP server sees only the stanza kind,
 * its id and the addresses. Pings (XEP-0199) are plain iq stanzas.
 *
 * @module
 */
import { Element } from "ltx";
import { NS as A_PROFILE_NS, type XmlElement } from "../a-profile/xml.ts";
import { NS as XMPP_NS } from "../xmpp-stream/messages.ts";
import { ELEMENT as PER_MESSAGE_ELEMENT, NS as PER_MESSAGE_NS } from "../per-message/wire.ts";
import type { Carriage } from "./pdus.ts";
import { MMS_XER_NS, type Xel } from "./xer_dom.ts";

const A_PROFILE_ELEMENTS = ["request", "response", "pdu"];

/** A stanza carrying A-profile elements to `to`, of the kind `carriage` names. */
// spec: PAPER-MAP1 PAPER-MAP2 PD-140
export function carry(
  to: string,
  carriage: Carriage,
  elements: readonly XmlElement[],
): Element {
  const stanza = carriage.kind === "message"
    ? new Element("message", { to })
    : new Element("iq", { to, type: carriage.type, id: carriage.id });
  for (const e of elements) stanza.cnode(e as unknown as Element);
  return stanza;
}

/** Presence as the XMPP server delivers it (`from` stamped; unavailable when the sender left). */
export function presenceStanza(from: string, type?: "unavailable"): Element {
  return new Element("presence", type === undefined ? { from } : { from, type });
}

/** An XEP-0199 ping to `to`. */
export const pingStanza = (to: string, id: string): Element =>
  new Element("iq", { to, type: "get", id }).c("ping", { xmlns: XMPP_NS.ping }).root();

/** The answer to a ping (or any iq get we answer with an empty result). */
export const pongStanza = (to: string, id: string): Element =>
  new Element("iq", { to, type: "result", id });

/** An iq error answering a request we could not read (RFC 6120 §8.2.3: every request is answered). */
// spec: RFC6120-8.2.3 PD-152
export function iqError(to: string, id: string, condition: string): Element {
  return new Element("iq", { to, type: "error", id })
    .c("error", { type: "modify" })
    .c(condition, { xmlns: XMPP_NS.stanzas })
    .root();
}

/** What a received stanza is to a protected association. */
export type Received =
  | { readonly kind: "presence" }
  | { readonly kind: "ping"; readonly id: string; readonly from: string }
  | { readonly kind: "pong"; readonly id: string; readonly from: string }
  | {
    readonly kind: "carried";
    readonly carriage: Carriage;
    readonly from: string;
    readonly elements: readonly XmlElement[];
  }
  | { readonly kind: "iq-error"; readonly id: string; readonly from: string }
  | { readonly kind: "other"; readonly detail: string };

const childElements = (e: Xel): Xel[] => e.children.filter((c): c is Xel => typeof c === "object");

/**
 * Sorts a received stanza; `from` is the address the XMPP server stamped.
 * `plaintext` (test only, PD-247): MMS XER PDUs in clear are carried too.
 */
export function readStanza(stanza: Xel, plaintext = false): Received {
  if (typeof stanza !== "object" || stanza === null || typeof stanza.attrs !== "object") {
    return { kind: "other", detail: "not a stanza" };
  }
  const from = stanza.attrs.from;
  if (stanza.name === "presence") return { kind: "presence" };
  if (typeof from !== "string") return { kind: "other", detail: "no from" };
  const kids = childElements(stanza);
  const id = stanza.attrs.id;
  if (stanza.name === "iq") {
    const type = stanza.attrs.type;
    if (typeof id !== "string") return { kind: "other", detail: "iq without id" };
    if (type === "get" && kids.length === 1 && kids[0].name === "ping") {
      return kids[0].attrs.xmlns === XMPP_NS.ping
        ? { kind: "ping", id, from }
        : { kind: "other", detail: "iq get" };
    }
    if (type === "result" && kids.length === 0) return { kind: "pong", id, from };
    if (type === "error") return { kind: "iq-error", id, from };
    if (type !== "set" && type !== "result") return { kind: "other", detail: `iq ${type}` };
    return carried({ kind: "iq", type, id }, from, kids, plaintext);
  }
  if (stanza.name === "message" && stanza.attrs.type !== "error") {
    return carried({ kind: "message" }, from, kids, plaintext);
  }
  return { kind: "other", detail: `<${stanza.name}>` };
}

function carried(carriage: Carriage, from: string, kids: Xel[], plaintext: boolean): Received {
  // spec: PD-226 PD-247
  const protectedElement = (k: Xel) =>
    (A_PROFILE_ELEMENTS.includes(k.name) && k.attrs.xmlns === A_PROFILE_NS) ||
    (k.name === PER_MESSAGE_ELEMENT && k.attrs.xmlns === PER_MESSAGE_NS) ||
    (plaintext && k.attrs.xmlns === MMS_XER_NS);
  if (kids.length === 0 || !kids.every(protectedElement)) {
    return { kind: "other", detail: "not A-profile elements" };
  }
  return { kind: "carried", carriage, from, elements: kids as unknown as XmlElement[] };
}
