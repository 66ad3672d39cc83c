/**
 * How a token travels (PD-208): as the text of one element
 * `<access-token xmlns="urn:derlink:access:0">` — for an association, the
 * UTF-8 of that element is the first application payload sent inside the
 * established A-profile association (so the XMPP server, trusted to route
 * but not to process, never sees it); for a one-time command token, the
 * element sits beside the protected command in the same stanza.
 *
 * @module
 */
import { Element } from "ltx";
import { fail, ok, type Result } from "../errors.ts";
import { AccessError } from "./errors.ts";
import { ACCESS_DEFAULTS } from "./types.ts";

export const ACCESS_NS = "urn:derlink:access:0";

/** The carrier element of a token. */
export function tokenElement(token: string): Element {
  return new Element("access-token", { xmlns: ACCESS_NS }).t(token);
}

/** The token text of a carrier element; anything else is refused as malformed. */
// spec: PD-208
export function tokenOfElement(
  e: Element,
  maxBytes: number = ACCESS_DEFAULTS.maxTokenBytes,
): Result<string> {
  if (e.name !== "access-token" || e.attrs.xmlns !== ACCESS_NS) {
    return fail(AccessError.malformed, "not an access-token element");
  }
  if (Object.keys(e.attrs).some((k) => k !== "xmlns")) {
    return fail(AccessError.malformed, "attributes on access-token");
  }
  let text = "";
  for (const c of e.children) {
    if (typeof c !== "string") return fail(AccessError.malformed, "child element in access-token");
    text += c;
  }
  if (text.length > maxBytes) return fail(AccessError.oversize, `${text.length} characters`);
  return ok(text);
}
