/**
 * Shape checks for inputs that cross the machine boundary, so that a
 * malformed input (from a buggy adapter or a fuzzer) is refused as
 * `xmpp/invalid-input` instead of throwing inside the machine.
 *
 * @module
 */
import type { XmlEvent } from "../../core/xml.ts";
import type { Xel } from "./messages.ts";

/** True for an element as ltx builds it: a name, attributes, a children array. */
export function isXel(x: unknown): x is Xel {
  if (typeof x !== "object" || x === null) return false;
  const e = x as {
    name?: unknown;
    attrs?: unknown;
    children?: unknown;
    getText?: unknown;
    toString?: unknown;
  };
  return typeof e.name === "string" && typeof e.attrs === "object" && e.attrs !== null &&
    Array.isArray(e.children) && typeof e.getText === "function";
}

/** True for one of the reader's events with the fields it promises. */
export function validXmlEvent(x: unknown): x is XmlEvent {
  if (typeof x !== "object" || x === null) return false;
  const e = x as Record<string, unknown>;
  switch (e.type) {
    case "stream-open":
      return typeof e.name === "string" && typeof e.attrs === "object" && e.attrs !== null;
    case "stanza":
      return isXel(e.element);
    case "stream-close":
      return true;
    case "error": {
      const err = e.error as { code?: unknown } | null | undefined;
      return typeof err === "object" && err !== null && typeof err.code === "string";
    }
    default:
      return false;
  }
}
