/**
 * derlink's own streaming tokenizer for the XML that XMPP uses, the default
 * engine behind {@link XmlStreamReader} (PD-125); the saxes-based
 * `XmlEngine` stays as the differential oracle of the tests.
 *
 * Theory of operation. Bytes go through the same strict streaming UTF-8
 * decoder and byte-position map as before; the decoded text is read once,
 * left to right, by a state machine whose state survives chunk boundaries
 * (a token split across chunks costs nothing extra: names, values, text and
 * entity references are appended to as they arrive, and only a trailing
 * carriage return is held back, to see whether a line feed follows). Text,
 * attribute values, references and whitespace between stanzas are read by
 * the tight loops of {@link XmlLexer} (core/xml_lexer.ts), which stop where
 * a decision is needed; tags by {@link TagReader}
 * (core/xml_tokenizer_tags.ts), a simple one whole in one call; the
 * rare markup (`<!…`, `<?…`) by {@link RareMarkup} one code point at a
 * time. This class makes the decisions: limits, namespaces, events.
 *
 * Every rule is checked at the code point where the saxes-based reader
 * checks it, and the size limit is checked before every refusal and event
 * and at every slice end, so the first broken rule decides the code for any
 * chunking (PD-29) and the codes are those of the saxes-based reader.
 *
 * @module
 */
import { DerlinkError, type ErrorCode } from "./errors.ts";
import { XmlError } from "./xml_codes.ts";
import type { XmlEvent } from "./xml_engine.ts";
import { SLICE } from "./xml_engine.ts";
import type { XmlLimits } from "./xml_limits.ts";
import { BAD, EOC, XmlLexer } from "./xml_lexer.ts";
import { NamespaceScope, type Refusal } from "./xml_namespaces.ts";
import { tagContext } from "./xml_names.ts";
import { resolveReference } from "./xml_references.ts";
import { RareMarkup } from "./xml_tokenizer_rare.ts";
import { TagReader, TagStep } from "./xml_tokenizer_tags.ts";
import { PositionMap, Utf8Stream } from "./xml_text.ts";
import { StanzaBuilder } from "./xml_tree.ts";

type Gap = "prolog" | "stanza-level" | "epilog";

const enum St {
  Gap,
  Tag,
  Text,
  Entity,
  Rare,
  CData,
}

const LT = 0x3c;
const AMP = 0x26;
const SLASH = 0x2f;

export class TokenEngine {
  readonly #limits: XmlLimits;
  readonly #stanzaDepth: 0 | 1;
  readonly #utf8 = new Utf8Stream();
  readonly #map = new PositionMap();
  readonly #builder = new StanzaBuilder();
  readonly #ns = new NamespaceScope();
  readonly #rare = new RareMarkup();
  #out: XmlEvent[] = [];
  #failed = false;
  /** Names of the open elements, the stream root included. */
  #open: string[] = [];
  /** Their slots in the lexer's name table (-1 when none). */
  #openSlots: number[] = [];
  #gap: Gap = "prolog";
  #epilogLess = false;
  #regionStart: number | undefined;
  #regionPos = 0;
  #sawRoot = false;
  /** Whether the next `<` may open the XML declaration, and whether the last one could. */
  #declPossible = true;
  #declHere = false;
  readonly #lx = new XmlLexer();
  #state = St.Gap;
  readonly #tags: TagReader;

  constructor(limits: XmlLimits, stanzaDepth: 0 | 1) {
    this.#limits = limits;
    this.#stanzaDepth = stanzaDepth;
    this.#tags = new TagReader(this.#lx, limits.maxAttributes, limits.maxDepth);
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
    const { text, bad, byteLength, ascii } = this.#utf8.decode(bytes);
    if (text.length > 0) {
      this.#map.load(text, byteLength);
      this.#run(text, ascii ? bytes : undefined);
      // spec: RFC6120-13.12 PD-20 PD-23
      if (!this.#failed) this.#sizeExceeded(this.#map.end);
    }
    // spec: RFC6120-11.6
    if (bad && !this.#failed) this.#fail(XmlError["invalid-utf8"], "malformed UTF-8 sequence");
  }

  #run(text: string, ascii: Uint8Array | undefined): void {
    const lx = this.#lx;
    lx.load(text, this.#map.start, ascii);
    while (!this.#failed) {
      // A final CR waits for the next text, except between top-level markup.
      if (lx.i >= lx.limit && !(this.#state === St.Gap && lx.releaseFinalCr())) break;
      this.#step();
    }
    if (!this.#failed) lx.hold();
  }

  #pos(): number {
    return this.#lx.pos();
  }

  #fail(code: ErrorCode, detail: string): void {
    // spec: PD-29
    if (this.#failed) return;
    this.#failed = true;
    this.#out.push({ type: "error", error: new DerlinkError(code, detail) });
  }

  /** Refuses at the current position, unless the size limit was passed first. */
  #refuse(code: ErrorCode, detail: string): void {
    if (!this.#sizeExceeded(this.#pos())) this.#fail(code, detail);
  }

  #refuseWith(r: Refusal): void {
    this.#refuse(r.code, r.detail);
  }

  /** Refuses (and returns true) when the markup being read has passed maxStanzaBytes at `pos`. */
  #sizeExceeded(pos: number): boolean {
    if (this.#regionStart === undefined || this.#failed) return this.#failed;
    const max = this.#limits.maxStanzaBytes;
    // spec: RFC6120-13.12 PD-20 PD-23
    if ((pos - this.#regionPos) * 3 > max && this.#map.byteAt(pos) - this.#regionStart > max) {
      this.#fail(XmlError["size-limit"], `more than ${max} bytes`);
      return true;
    }
    return false;
  }

  #disallowed(): void {
    // spec: RFC6120-11.3
    this.#refuse(XmlError.malformed, "character not allowed in XML 1.0");
  }

  #step(): void {
    switch (this.#state) {
      case St.Gap:
        return this.#gap === "epilog" ? this.#scanEpilog() : this.#scanGap();
      case St.Tag:
        return this.#afterTag(this.#tags.step());
      case St.Text:
        return this.#afterText(this.#lx.readText());
      case St.Entity:
        return this.#afterEntity(this.#lx.readEntity());
      case St.Rare:
        return this.#stepRare();
      default:
        return this.#stepCData();
    }
  }

  /** A `<` was read (at the region start when between top-level markup). */
  #less(): void {
    // Only the stream's very first `<` may open the XML declaration.
    this.#declHere = this.#declPossible && this.#regionPos === 0;
    this.#declPossible = false;
    const open = this.#open;
    this.#tags.begin(open.length + 1 - this.#stanzaDepth, open[open.length - 1]);
    this.#state = St.Tag;
    // Most tags are whole in the text: read on at once rather than through #run.
    const lx = this.#lx;
    if (lx.i < lx.limit) this.#afterTag(this.#tags.step());
  }

  #afterTag(found: TagStep): void {
    switch (found) {
      case TagStep.More:
        return;
      case TagStep.Open:
      case TagStep.OpenEmpty:
        this.#sawRoot = true;
        return this.#openTag(found === TagStep.OpenEmpty);
      case TagStep.Close:
        return this.#closeTag();
      case TagStep.Bang:
        this.#rare.bang(this.#sawRoot);
        this.#state = St.Rare;
        return;
      case TagStep.Question:
        this.#rare.question(this.#declHere);
        this.#state = St.Rare;
        return;
      default:
        return this.#refuseWith(this.#tags.refusal);
    }
  }

  /** Whitespace between top-level markup is dropped; `<` starts the next one; anything else is refused. */
  #scanGap(): void {
    const lx = this.#lx;
    // spec: RFC6120-11.7
    const u = lx.skipGapSpace();
    if (u === EOC) return;
    if (u === LT) {
      this.#regionPos = lx.pos() - 1;
      this.#regionStart = this.#map.byteAt(this.#regionPos);
      return this.#less();
    }
    // spec: RFC6120-11.6 RFC6120-11.7 PD-21
    if (this.#gap === "stanza-level") {
      this.#fail(XmlError["text-at-stream-level"], "character data between stanzas");
    } else this.#fail(XmlError.malformed, "character data outside the root element");
  }

  #scanEpilog(): void {
    const lx = this.#lx;
    if (this.#epilogLess) {
      const u = lx.unit();
      // spec: PD-24
      const other = u === 0x21 || u === 0x3f || u === SLASH;
      return this.#fail(
        other ? XmlError["after-close"] : XmlError["second-root"],
        "markup after the root element closed",
      );
    }
    // spec: RFC6120-4.4.xml PD-24
    const u = lx.skipGapSpace();
    if (u === EOC) return;
    if (u === LT) this.#epilogLess = true;
    else this.#fail(XmlError["after-close"], "text after the root element closed");
  }

  #enterGap(gap: Gap): void {
    this.#gap = gap;
    this.#state = St.Gap;
    this.#regionStart = undefined;
  }

  #afterText(stop: number): void {
    const lx = this.#lx;
    if (stop === EOC) return;
    if (stop === LT) {
      this.#builder.text(lx.text);
      lx.text = "";
      this.#less();
    } else if (stop === AMP) {
      lx.entity = "";
      this.#state = St.Entity;
    } else if (stop === BAD) this.#disallowed();
    else this.#refuse(XmlError.malformed, "]]> in character data");
  }

  #afterEntity(stop: number): void {
    if (stop === EOC) return;
    if (stop === BAD) return this.#disallowed();
    const lx = this.#lx;
    const parsed = resolveReference(lx.entity);
    lx.entity = "";
    if (typeof parsed !== "string") return this.#refuseWith(parsed);
    lx.text += parsed;
    this.#state = St.Text;
  }

  /** A complete start tag (`>` or `/>` read). */
  #openTag(selfClosing: boolean): void {
    const tag = this.#tags.tag;
    const refusal = this.#ns.openTag(tag.name, tag.q, tag);
    if (refusal !== undefined) return this.#refuseWith(refusal);
    const pos = this.#pos();
    if (this.#sizeExceeded(pos)) return;
    tag.learn(this.#lx.names);
    this.#lx.tagContext = tagContext(tag.slot, true);
    const name = tag.name;
    this.#open.push(name);
    this.#openSlots.push(tag.slot);
    if (this.#open.length <= this.#stanzaDepth) {
      const attrs: Record<string, string> = {};
      for (let i = 0; i < tag.count; i++) {
        Object.defineProperty(attrs, tag.names[i], { value: tag.values[i], enumerable: true });
      }
      // spec: RFC6120-4.1.xml
      this.#out.push({ type: "stream-open", name, attrs });
      this.#enterGap("stanza-level");
    } else {
      this.#builder.open(name, this.#ns.prefix, this.#ns.uri, tag);
      this.#state = St.Text;
    }
    if (selfClosing) this.#closeElement(pos);
  }

  /** `>` of an end tag. */
  #closeTag(): void {
    const name = this.#lx.name;
    // spec: RFC6120-11.3
    if (name === "" || this.#open.at(-1) !== name) {
      return this.#refuse(XmlError.malformed, `end tag ${name} does not match`);
    }
    const pos = this.#pos();
    if (!this.#sizeExceeded(pos)) this.#closeElement(pos);
  }

  #closeElement(pos: number): void {
    this.#open.pop();
    this.#lx.tagContext = tagContext(this.#openSlots.pop()!, false);
    this.#ns.pop();
    if (this.#open.length < this.#stanzaDepth) {
      this.#out.push({ type: "stream-close" });
      return this.#enterGap("epilog");
    }
    const stanza = this.#builder.close();
    if (stanza === undefined) {
      this.#state = St.Text;
      return;
    }
    const bytes = this.#map.byteAt(pos) - (this.#regionStart ?? 0);
    // spec: RFC6120-4.1.xml
    this.#out.push({ type: "stanza", element: stanza, bytes });
    this.#enterGap(this.#stanzaDepth === 1 ? "stanza-level" : "epilog");
  }

  #stepRare(): void {
    for (;;) {
      const c = this.#lx.code();
      if (c === EOC) return;
      if (c === BAD) return this.#disallowed();
      const r = this.#rare.step(c);
      if (r === undefined) continue;
      if (r === "cdata") {
        this.#state = St.CData;
        return;
      }
      if ("error" in r) return this.#refuse(r.error, r.detail);
      if (this.#sizeExceeded(this.#pos())) return;
      // spec: RFC6120-11.5 RFC6120-11.8
      if (r.decl.version !== "1.0") {
        return this.#fail(XmlError["unsupported-xml-version"], `XML version ${r.decl.version}`);
      }
      // spec: RFC6120-11.6
      const encoding = r.decl.encoding;
      if (encoding !== undefined && encoding.toLowerCase() !== "utf-8") {
        return this.#fail(XmlError["unsupported-encoding"], `encoding ${encoding}`);
      }
      return this.#enterGap("prolog");
    }
  }

  /** Inside `<![CDATA[…]]>`: the section's text goes to the element (refused between stanzas). */
  #stepCData(): void {
    const stop = this.#lx.readCData();
    if (stop === EOC) return;
    if (stop === BAD) return this.#disallowed();
    // spec: RFC6120-11.7 PD-26
    if (this.#open.length === this.#stanzaDepth) {
      return this.#refuse(XmlError["text-at-stream-level"], "CDATA section between stanzas");
    }
    if (this.#sizeExceeded(this.#pos())) return;
    this.#builder.text(this.#lx.text);
    this.#lx.text = "";
    this.#state = St.Text;
  }
}
