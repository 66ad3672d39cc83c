/**
 * Limits of the restricted-XML reader and their XMPP defaults.
 *
 * @module
 */
import { CoreError, DerlinkError } from "./errors.ts";

/** Limits applied while reading; every one refuses with its own code. */
export interface XmlLimits {
  /** Deepest element nesting inside a stanza (the stream root is depth 0, a stanza depth 1). */
  readonly maxDepth: number;
  /** Largest stanza, in UTF-8 bytes from its start tag to its end tag. */
  readonly maxStanzaBytes: number;
  /** Most attributes on one element (namespace declarations included). */
  readonly maxAttributes: number;
}

// spec: PD-20
/** Default stanza size limit: 256 KiB. */
export const DEFAULT_MAX_STANZA_BYTES = 262_144;
/** Default nesting limit: 32 levels, the stanza itself being level 1. */
export const DEFAULT_MAX_DEPTH = 32;
/** Default attribute limit per element, namespace declarations included. */
export const DEFAULT_MAX_ATTRIBUTES = 64;

/** The defaults together. */
export const DEFAULT_XML_LIMITS: XmlLimits = Object.freeze({
  maxDepth: DEFAULT_MAX_DEPTH,
  maxStanzaBytes: DEFAULT_MAX_STANZA_BYTES,
  maxAttributes: DEFAULT_MAX_ATTRIBUTES,
});

/** Fills in defaults and refuses limits that are not positive integers (`core/invalid-argument`). */
export function resolveLimits(given: Partial<XmlLimits> = DEFAULT_XML_LIMITS): XmlLimits {
  if (given === DEFAULT_XML_LIMITS) return DEFAULT_XML_LIMITS;
  const limits: XmlLimits = {
    maxDepth: given.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxStanzaBytes: given.maxStanzaBytes ?? DEFAULT_MAX_STANZA_BYTES,
    maxAttributes: given.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new DerlinkError(
        CoreError["invalid-argument"],
        `XML limit ${name} must be a positive integer`,
      );
    }
  }
  return Object.freeze(limits);
}
