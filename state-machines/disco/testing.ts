/**
 * Test helpers for service discovery: a DER and a domain as disco entities,
 * and responses as a server or a hostile peer would send them. Used by the
 * unit tests and the vector generator; not part of the public API.
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../xmpp-stream/messages.ts";
import { derEntity } from "./entities.ts";
import { DISCO_NS, IDENTITY } from "./namespaces.ts";
import type { DiscoEntity } from "./responder.ts";

export const DOMAIN = "derlink.test";
export const DER = "der1@derlink.test/ied";
export const ME = "vpp@derlink.test/cc";

export const DER_ENTITY: DiscoEntity = derEntity({
  jid: DER,
  name: "DER1 inverter",
  suites: ["p256", "x25519-ed25519"],
  groupKeying: true,
  tariffs: true,
  logicalDevices: [{ name: "DER1PV", description: "PV inverter" }, { name: "DER1BAT" }],
});

export const DOMAIN_ENTITY: DiscoEntity = {
  identities: [{ ...IDENTITY.server, name: "derlink" }],
  features: ["urn:xmpp:ping"],
  items: [
    { jid: `rooms.${DOMAIN}`, name: "rooms" },
    { jid: `pubsub.${DOMAIN}`, name: "market" },
    { jid: `kdc@${DOMAIN}`, name: "derlink key server" },
  ],
};

/** A request as the responder receives it (from stamped by the server). */
export function request(
  kind: "info" | "items",
  id: string,
  node?: string,
  type = "get",
  to = DER,
): Xel {
  const attrs: Record<string, string> = { xmlns: DISCO_NS[kind] };
  if (node !== undefined) attrs.node = node;
  return new Element("iq", { type, id, from: ME, to }).c("query", attrs)
    .root() as unknown as Xel;
}

/** A hand-built response: `children` inside a query of namespace `ns` (none when null). */
export function response(
  id: string,
  from: string,
  ns: string | null,
  children: string[] = [],
  extra: Record<string, string> = {},
): string {
  const q = ns === null
    ? ""
    : `<query xmlns="${ns}"${Object.entries(extra).map(([k, v]) => ` ${k}="${v}"`).join("")}>${
      children.join("")
    }</query>`;
  return `<iq type="result" id="${id}" from="${from}" to="${ME}">${q}</iq>`;
}

export const identity = (category = "client", type = "bot", name?: string) =>
  `<identity category="${category}" type="${type}"${name ? ` name="${name}"` : ""}/>`;
export const feature = (v: string) => `<feature var="${v}"/>`;
export const item = (jid: string, node?: string) =>
  `<item jid="${jid}"${node ? ` node="${node}"` : ""}/>`;

/** A well-formed info answer body. */
export const GOOD_INFO = [identity(), feature(DISCO_NS.info), feature("urn:derlink:association:0")];

export function errorResponse(id: string, from: string, condition: string): string {
  return `<iq type="error" id="${id}" from="${from}" to="${ME}"><error type="cancel"><${condition} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`;
}
