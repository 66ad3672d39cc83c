/**
 * Restricted-XML reader for XMPP streams (RFC 6120 §11).
 *
 * {@link XmlStreamReader} takes the bytes of an XML stream in chunks split
 * anywhere (even inside a UTF-8 character) and reports the stream header, each
 * complete top-level stanza as an ltx `Element`, and the stream close. It
 * tokenises with derlink's own strict, linear tokenizer for the XML subset
 * XMPP uses (core/xml_tokenizer.ts, PD-125) rather than ltx's own parser
 * (DESIGN.md §6); the earlier saxes-based engine stays available as
 * `{ engine: "saxes" }`, the differential oracle of the tests. It refuses with a typed code everything RFC 6120
 * excludes (DTDs, comments, processing instructions, entity references other
 * than the predefined ones) and everything beyond its limits (depth, stanza
 * bytes, attributes). {@link parseElement} reads one standalone document with
 * the same rules.
 *
 * @module
 */
import type { Element } from "ltx";
import { DerlinkError, fail, ok, type Result } from "./errors.ts";
import { XmlEngine, type XmlEvent } from "./xml_engine.ts";
import { TokenEngine } from "./xml_tokenizer.ts";
import { resolveLimits, type XmlLimits } from "./xml_limits.ts";
import { XmlError } from "./xml_codes.ts";
import { utf8 } from "./bytes.ts";

export type { XmlEvent } from "./xml_engine.ts";
export {
  DEFAULT_MAX_ATTRIBUTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_STANZA_BYTES,
  DEFAULT_XML_LIMITS,
  type XmlLimits,
} from "./xml_limits.ts";
export { streamErrorCondition, XmlError, type XmlErrorCode } from "./xml_codes.ts";

/** Which tokenizer a reader uses. */
export type XmlEngineKind = "derlink" | "saxes";

/** Reader options besides the limits. */
export interface XmlReaderOptions {
  /** The tokenizer; derlink's own unless `"saxes"` (the tests' oracle). */
  readonly engine?: XmlEngineKind;
}

// spec: PD-125
const DEFAULT_ENGINE: XmlEngineKind = "derlink";

interface Engine {
  feed(chunk: Uint8Array): XmlEvent[];
  finish(): XmlEvent[];
}

function makeEngine(kind: XmlEngineKind, limits: XmlLimits, stanzaDepth: 0 | 1): Engine {
  return kind === "saxes"
    ? new XmlEngine(limits, stanzaDepth)
    : new TokenEngine(limits, stanzaDepth);
}

/**
 * Incremental reader of one XMPP stream after another.
 *
 * ```ts
 * const reader = new XmlStreamReader({ maxStanzaBytes: 65_536 });
 * for (const event of reader.feed(bytesFromSocket)) {
 *   if (event.type === "stanza") handle(event.element);
 * }
 * ```
 */
export class XmlStreamReader {
  #limits: XmlLimits;
  readonly #kind: XmlEngineKind;
  #engine: Engine;

  /**
   * Throws `core/invalid-argument` when a limit is not a positive integer.
   * `options.engine` picks the tokenizer: derlink's own (the default, PD-125)
   * or `"saxes"`, kept as the differential oracle of the tests.
   */
  constructor(limits?: Partial<XmlLimits>, options: XmlReaderOptions = {}) {
    this.#limits = resolveLimits(limits);
    this.#kind = options.engine ?? DEFAULT_ENGINE;
    this.#engine = makeEngine(this.#kind, this.#limits, 1);
  }

  /** The limits in force. */
  get limits(): XmlLimits {
    return this.#limits;
  }

  /**
   * Feeds a chunk split anywhere (even inside a UTF-8 character); returns the
   * events it completes. After an error event the reader is failed and returns
   * nothing more until {@link reset}.
   */
  feed(chunk: Uint8Array): XmlEvent[] {
    return this.#engine.feed(chunk);
  }

  /**
   * Starts a new stream (after STARTTLS or SASL success, RFC 6120 §5.4.3.3,
   * §6.4.6): everything buffered from the old stream is dropped, a failed
   * reader reads again. `limits` replaces the limits when given (a server may
   * allow larger stanzas once the peer has authenticated).
   */
  reset(limits?: Partial<XmlLimits>): void {
    if (limits !== undefined) this.#limits = resolveLimits(limits);
    // spec: RFC6120-5.4.3.3.xml RFC6120-6.4.6.xml
    this.#engine = makeEngine(this.#kind, this.#limits, 1);
  }
}

/**
 * Reads one standalone document (text or UTF-8 bytes) under the same rules as
 * a stream, the document element counting as a stanza (depth 1, and its bytes
 * against maxStanzaBytes). Throws the `DerlinkError` of the first rule broken.
 */
export function parseElement(input: string | Uint8Array, limits?: Partial<XmlLimits>): Element {
  const result = tryParseElement(input, limits);
  if (!result.ok) throw result.error;
  return result.value;
}

/** {@link parseElement} reporting failure as data. */
export function tryParseElement(
  input: string | Uint8Array,
  limits?: Partial<XmlLimits>,
): Result<Element> {
  let element: Element | undefined;
  for (const event of readDocument(input, limits)) {
    if (event.type === "error") return { ok: false, error: event.error };
    if (event.type === "stanza") element = event.element;
  }
  return element === undefined ? fail(XmlError.incomplete, "no root element") : ok(element);
}

/**
 * Reads one standalone document and returns the reader's events: the document
 * element as a single "stanza" event (with its byte count), or an error.
 */
export function readDocument(
  input: string | Uint8Array,
  limits?: Partial<XmlLimits>,
  options: XmlReaderOptions = {},
): XmlEvent[] {
  // spec: PD-28
  const engine = makeEngine(options.engine ?? DEFAULT_ENGINE, resolveLimits(limits), 0);
  const bytes = typeof input === "string" ? utf8(input) : input;
  return [...engine.feed(bytes), ...engine.finish()];
}

/** True when `e` is a refusal of this reader (its code starts with `xml/`). */
export const isXmlError = (e: unknown): e is DerlinkError =>
  e instanceof DerlinkError && e.code.startsWith("xml/");
