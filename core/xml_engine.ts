/**
 * The reading engine behind {@link XmlStreamReader} and `parseElement`.
 *
 * Theory of operation. Bytes are decoded by a strict streaming UTF-8 decoder
 * and the text goes to saxes (strict XML 1.0 with namespaces), which calls
 * back as it recognises markup. The engine owns everything saxes does not:
 *
 * - Between top-level markup (before the root, between stanzas, after the
 *   close) the engine reads the text itself ("gap" scanning): whitespace is
 *   dropped, `<` starts the next top-level markup, anything else is refused
 *   at once. saxes' text handler is off there, so keepalive whitespace is
 *   never buffered, however much of it comes.
 * - Every top-level markup (XML declaration, stream header, stanza, stream
 *   close tag) is a "region" counted in input bytes from its `<`; crossing
 *   maxStanzaBytes refuses it at the callback or chunk end where that is
 *   first seen. Input is handed to saxes in slices of at most SLICE bytes,
 *   so no more than limit + SLICE bytes are ever held.
 * - Each callback first catches up (gap scan, size check) to saxes' current
 *   position, so a refusal is the first rule broken in stream order, the same
 *   for any way the input is split.
 * - After the first refusal the engine is failed: it reports that error once
 *   and ignores everything after it.
 *
 * `stanzaDepth` is 1 for an XMPP stream (the stream root is depth 0) and 0
 * for a single document whose root element is the "stanza".
 *
 * @module
 */
import type { Element } from "ltx";
import { type SaxesAttributeNS, SaxesParser, type SaxesTagNS } from "saxes";
import { DerlinkError, type ErrorCode } from "./errors.ts";
import { codeForSaxesMessage, XmlError } from "./xml_codes.ts";
import type { XmlLimits } from "./xml_limits.ts";
import { PositionMap, Utf8Stream } from "./xml_text.ts";
import { AttributeList, StanzaBuilder } from "./xml_tree.ts";

/** What the reader reports, in stream order. */
export type XmlEvent =
  | {
    readonly type: "stream-open";
    /** Qualified name as written, e.g. "stream:stream". */
    readonly name: string;
    /** Attributes as written, namespace declarations included. */
    readonly attrs: Readonly<Record<string, string>>;
  }
  | { readonly type: "stanza"; readonly element: Element; readonly bytes: number }
  | { readonly type: "stream-close" }
  | { readonly type: "error"; readonly error: DerlinkError };

/** Largest piece of input handed to saxes at once (bytes). */
export const SLICE = 16_384;

/** Where gap scanning is: before the root, between stanzas, after the root closed. */
type Gap = "prolog" | "stanza-level" | "epilog";

/** Thrown through saxes to stop it reading the rest of a slice after a refusal. */
const STOP = Symbol("xml-reader-stop");

/**
 * saxes configured for XMPP, its handlers set while it is being constructed.
 *
 * saxes' `on()` stores each handler under a computed property name; V8 turns
 * an object that gains more than a few properties that way after its
 * construction into a slow dictionary-mode object, and every property access
 * of saxes' per-character loop then costs a hash lookup (measured: the plain
 * parser with this reader's 11 handlers ran 3x slower). Handlers added
 * during construction get in-object slots and the parser stays fast.
 */
const READER_OPTIONS = { xmlns: true, defaultXMLVersion: "1.0", forceXMLVersion: true } as const;

class ReaderSaxes extends SaxesParser<typeof READER_OPTIONS> {
  constructor(register: (parser: ReaderSaxes) => void) {
    // spec: RFC6120-11.8 RFC6120-11.2
    super(READER_OPTIONS);
    register(this);
  }
}

const isXmlSpace = (u: number) => u === 0x20 || u === 0x0a || u === 0x09 || u === 0x0d;
const LT = 0x3c;

export class XmlEngine {
  readonly #limits: XmlLimits;
  readonly #stanzaDepth: 0 | 1;
  readonly #utf8 = new Utf8Stream();
  readonly #map = new PositionMap();
  readonly #parser: ReaderSaxes;
  readonly #builder = new StanzaBuilder();
  #out: XmlEvent[] = [];
  #failed = false;
  /** Open elements, the stream root included. */
  #open = 0;
  #gap: Gap | undefined = "prolog";
  /** Stream position from which the gap is still to be scanned. */
  #gapFrom = 0;
  /** In the epilog: a `<` was seen, its next character decides the code. */
  #epilogLess = false;
  /** Byte offset of the `<` of the top-level markup being read, and its stream position. */
  #regionStart: number | undefined;
  #regionPos = 0;
  /** Attributes of the start tag being read, in document order. */
  #attributes: SaxesAttributeNS[] = [];
  /** The same attributes as the builder takes them. */
  readonly #list = new AttributeList();
  /** Stream position of the last stanza or stream-close event, to withdraw it if saxes then objects. */
  #lastEndAt = -1;
  /** True while saxes runs (a refusal then unwinds it with STOP). */
  #writing = false;
  readonly #onText = (text: string) => this.#onCharacterData(text);

  constructor(limits: XmlLimits, stanzaDepth: 0 | 1) {
    this.#limits = limits;
    this.#stanzaDepth = stanzaDepth;
    this.#parser = new ReaderSaxes((parser) => {
      parser.on("xmldecl", (decl) => this.#onXmlDecl(decl));
      // spec: RFC6120-11.1
      parser.on(
        "doctype",
        () => this.#live() && this.#fail(XmlError.dtd, "document type declaration"),
      );
      // spec: RFC6120-11.1
      parser.on("comment", () => this.#live() && this.#fail(XmlError.comment, "comment"));
      // spec: RFC6120-11.1
      parser.on(
        "processinginstruction",
        (pi) =>
          this.#live() && this.#fail(XmlError["processing-instruction"], `target ${pi.target}`),
      );
      parser.on("opentagstart", () => this.#onOpenTagStart());
      parser.on("attribute", (attr) => this.#onAttribute(attr));
      parser.on("opentag", (tag) => this.#onOpenTag(tag));
      parser.on("closetag", () => this.#onCloseTag());
      parser.on("cdata", (data) => this.#onCharacterData(data));
      parser.on("error", (err) => this.#onSaxesError(err));
      // Created here (and switched off) so the parser's shape never changes later.
      parser.on("text", this.#onText);
      parser.off("text");
    });
  }

  /** Feeds bytes; returns the events they complete. */
  feed(chunk: Uint8Array): XmlEvent[] {
    if (this.#failed) return [];
    for (let at = 0; at < chunk.length && !this.#failed; at += SLICE) {
      this.#feedSlice(chunk.subarray(at, at + SLICE));
    }
    return this.#take();
  }

  /** Ends a single document: refuses a truncated one. Returns the last events. */
  finish(): XmlEvent[] {
    if (this.#failed) return [];
    if (this.#utf8.finish()) this.#fail(XmlError["invalid-utf8"], "input ends inside a character");
    else if (this.#gap !== "epilog" || this.#epilogLess) {
      this.#fail(XmlError.incomplete, "input ended before the root element closed");
    }
    return this.#take();
  }

  #take(): XmlEvent[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #feedSlice(bytes: Uint8Array): void {
    const { text, bad, byteLength } = this.#utf8.decode(bytes);
    if (text.length > 0) {
      this.#map.load(text, byteLength);
      if (this.#gap !== "epilog") {
        try {
          this.#writing = true;
          this.#parser.write(text);
        } catch (e) {
          if (e !== STOP) throw e;
        } finally {
          this.#writing = false;
        }
      }
      if (!this.#failed) this.#catchUp(this.#map.end);
    }
    // spec: RFC6120-11.6
    if (bad && !this.#failed) this.#fail(XmlError["invalid-utf8"], "malformed UTF-8 sequence");
  }

  #fail(code: ErrorCode, detail: string): void {
    // spec: PD-29
    if (this.#failed) return;
    this.#failed = true;
    this.#out.push({ type: "error", error: new DerlinkError(code, detail) });
    // Nothing after a refusal is read: stop saxes in the middle of the slice.
    if (this.#writing) throw STOP;
  }

  /** Catches up to saxes' position; false when the callback must be ignored. */
  #live(): boolean {
    if (this.#failed || this.#gap === "epilog") return false;
    // spec: PD-29
    this.#catchUp(this.#parser.position);
    return !this.#failed;
  }

  /** Scans the gap and checks the region size up to stream position `pos`. */
  #catchUp(pos: number): void {
    if (this.#gap !== undefined) this.#scanGap(pos);
    // spec: RFC6120-13.12 PD-20 PD-23
    if (!this.#failed && this.#regionStart !== undefined) {
      const max = this.#limits.maxStanzaBytes;
      // A UTF-16 unit is at most 3 UTF-8 bytes: count only when that bound passes the limit.
      if ((pos - this.#regionPos) * 3 > max && this.#map.byteAt(pos) - this.#regionStart > max) {
        this.#fail(XmlError["size-limit"], `more than ${max} bytes`);
      }
    }
  }

  #scanGap(pos: number): void {
    const map = this.#map;
    for (let at = Math.max(this.#gapFrom, map.start); at < pos; at++) {
      const unit = map.unitAt(at);
      if (this.#gap === "epilog") {
        if (this.#epilogLess) {
          // spec: PD-24
          const other = unit === 0x21 || unit === 0x3f || unit === 0x2f; // "!" "?" "/"
          this.#fail(
            other ? XmlError["after-close"] : XmlError["second-root"],
            "markup after the root element closed",
          );
          return;
        }
        // spec: RFC6120-4.4.xml PD-24
        if (isXmlSpace(unit)) continue;
        if (unit === LT) {
          this.#epilogLess = true;
          continue;
        }
        this.#fail(XmlError["after-close"], "text after the root element closed");
        return;
      }
      // spec: RFC6120-11.7
      if (isXmlSpace(unit)) continue;
      if (unit === LT) {
        this.#gap = undefined;
        this.#regionStart = map.byteAt(at);
        this.#regionPos = at;
        return;
      }
      // spec: RFC6120-11.6 RFC6120-11.7 PD-21
      if (this.#gap === "stanza-level") {
        this.#fail(XmlError["text-at-stream-level"], "character data between stanzas");
      } else {
        this.#fail(XmlError.malformed, "character data outside the root element");
      }
      return;
    }
    this.#gapFrom = pos;
  }

  /** Resumes gap scanning after a top-level markup that ended at saxes' position. */
  #enterGap(gap: Gap): void {
    this.#gap = gap;
    this.#gapFrom = this.#parser.position;
    this.#regionStart = undefined;
    this.#parser.off("text");
  }

  #onXmlDecl(decl: { version?: string; encoding?: string }): void {
    if (!this.#live()) return;
    // spec: RFC6120-11.5 RFC6120-11.8
    if (decl.version !== "1.0") {
      this.#fail(XmlError["unsupported-xml-version"], `XML version ${decl.version}`);
      return;
    }
    // spec: RFC6120-11.6
    if (decl.encoding !== undefined && decl.encoding.toLowerCase() !== "utf-8") {
      this.#fail(XmlError["unsupported-encoding"], `encoding ${decl.encoding}`);
      return;
    }
    this.#enterGap("prolog");
  }

  #onOpenTagStart(): void {
    if (!this.#live()) return;
    const depth = this.#open + 1 - this.#stanzaDepth;
    // spec: PD-20 PD-25
    if (depth > this.#limits.maxDepth) {
      this.#fail(XmlError["depth-limit"], `deeper than ${this.#limits.maxDepth}`);
      return;
    }
    if (this.#attributes.length !== 0) this.#attributes = [];
    // Text is buffered by saxes only inside a stanza, where the size limit bounds it.
    if (this.#open === this.#stanzaDepth) this.#parser.on("text", this.#onText);
  }

  #onAttribute(attr: SaxesAttributeNS): void {
    if (!this.#live()) return;
    // spec: PD-20 PD-25
    if (this.#attributes.push(attr) > this.#limits.maxAttributes) {
      this.#fail(XmlError["attribute-limit"], `more than ${this.#limits.maxAttributes} attributes`);
    }
  }

  #onOpenTag(tag: SaxesTagNS): void {
    if (!this.#live()) return;
    this.#open++;
    if (this.#open <= this.#stanzaDepth) {
      const attrs: Record<string, string> = {};
      for (const attr of Object.values(tag.attributes)) {
        Object.defineProperty(attrs, attr.name, { value: attr.value, enumerable: true });
      }
      // spec: RFC6120-4.1.xml
      this.#out.push({ type: "stream-open", name: tag.name, attrs });
      this.#enterGap("stanza-level");
      return;
    }
    // saxes has set each attribute's namespace name by now.
    const list = this.#list;
    list.clear();
    for (const attr of this.#attributes) {
      list.uris[list.push(attr.name, attr.prefix, attr.local, attr.value) - 1] = attr.uri ?? "";
    }
    this.#builder.open(tag.name, tag.prefix, tag.uri, list);
  }

  #onCloseTag(): void {
    if (!this.#live()) return;
    this.#open--;
    if (this.#open < this.#stanzaDepth) {
      this.#out.push({ type: "stream-close" });
      this.#lastEndAt = this.#parser.position;
      this.#enterGap("epilog");
      return;
    }
    const stanza = this.#builder.close();
    if (stanza === undefined) return;
    const bytes = this.#map.byteAt(this.#parser.position) - (this.#regionStart ?? 0);
    // spec: RFC6120-4.1.xml
    this.#out.push({ type: "stanza", element: stanza, bytes });
    this.#lastEndAt = this.#parser.position;
    this.#enterGap(this.#stanzaDepth === 1 ? "stanza-level" : "epilog");
  }

  #onCharacterData(data: string): void {
    if (!this.#live()) return;
    // spec: RFC6120-11.7 PD-26
    if (this.#open === this.#stanzaDepth) {
      this.#fail(XmlError["text-at-stream-level"], "CDATA section between stanzas");
      return;
    }
    this.#builder.text(data);
  }

  #onSaxesError(err: Error): void {
    if (this.#failed) return;
    const code = codeForSaxesMessage(err.message);
    // saxes objects to a mismatched end tag only after reporting the element
    // closed: withdraw the event that close produced (even the stream close).
    // spec: RFC6120-11.3
    if (this.#lastEndAt === this.#parser.position) {
      const last = this.#out.at(-1);
      if (last?.type === "stanza" || last?.type === "stream-close") this.#out.pop();
      this.#fail(code, `saxes: ${err.message}`);
      return;
    }
    if (!this.#live()) return;
    // spec: RFC6120-11.3 RFC6120-11.1
    this.#fail(code, `saxes: ${err.message}`);
  }
}
