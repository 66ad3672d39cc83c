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
 * a decision is needed; this class makes it (limits, namespaces, events).
 * The rare markup (`<!…`, `<?…`) goes to
 * {@link RareMarkup} one code point at a time.
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
import { isSpace, nameStart } from "./xml_chars.ts";
import { BAD, EOC, resolveReference, XmlLexer } from "./xml_lexer.ts";
import { NamespaceScope, type Refusal } from "./xml_namespaces.ts";
import { qualifiedName } from "./xml_names.ts";
import { StartTag } from "./xml_start_tag.ts";
import { RareMarkup } from "./xml_tokenizer_rare.ts";
import { PositionMap, Utf8Stream } from "./xml_text.ts";
import { StanzaBuilder } from "./xml_tree.ts";

type Gap = "prolog" | "stanza-level" | "epilog";

const enum St {
  Gap,
  Less,
  OpenName,
  Attrib,
  AttrName,
  AttrNameWhite,
  AttrValueStart,
  AttrValue,
  AttrValueClosed,
  OpenSlash,
  CloseName,
  CloseWhite,
  Text,
  Entity,
  Rare,
  CData,
}

const LT = 0x3c;
const GT = 0x3e;
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
  #gap: Gap = "prolog";
  #epilogLess = false;
  #regionStart: number | undefined;
  #regionPos = 0;
  #sawRoot = false;
  #declPossible = true;
  readonly #lx = new XmlLexer();
  #state = St.Gap;
  readonly #tag: StartTag;
  #quote = 0;
  #entityInValue = false;

  constructor(limits: XmlLimits, stanzaDepth: 0 | 1) {
    this.#limits = limits;
    this.#stanzaDepth = stanzaDepth;
    this.#tag = new StartTag(limits.maxAttributes);
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
      this.#run(text);
      // spec: RFC6120-13.12 PD-20 PD-23
      if (!this.#failed) this.#sizeExceeded(this.#map.end);
    }
    // spec: RFC6120-11.6
    if (bad && !this.#failed) this.#fail(XmlError["invalid-utf8"], "malformed UTF-8 sequence");
  }

  #run(text: string): void {
    const lx = this.#lx;
    lx.load(text, this.#map.start);
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
      case St.Text:
        return this.#afterText(this.#lx.readText());
      case St.AttrValue:
        return this.#afterValue(this.#lx.readValue(this.#quote));
      case St.Entity:
        return this.#afterEntity(this.#lx.readEntity());
      default:
        return this.#stepMarkup();
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
      this.#state = St.Less;
      return;
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
      this.#state = St.Less;
    } else if (stop === AMP) this.#startEntity(false);
    else if (stop === BAD) this.#disallowed();
    else this.#refuse(XmlError.malformed, "]]> in character data");
  }

  #startEntity(inValue: boolean): void {
    this.#lx.entity = "";
    this.#entityInValue = inValue;
    this.#state = St.Entity;
  }

  #afterValue(stop: number): void {
    if (stop === EOC) return;
    if (stop === BAD) return this.#disallowed();
    if (stop === this.#quote) return this.#pushAttribute();
    if (stop === AMP) return this.#startEntity(true);
    // spec: RFC6120-11.3
    this.#refuse(XmlError.malformed, "< in an attribute value");
  }

  #afterEntity(stop: number): void {
    if (stop === EOC) return;
    if (stop === BAD) return this.#disallowed();
    const lx = this.#lx;
    const parsed = resolveReference(lx.entity);
    lx.entity = "";
    if (typeof parsed !== "string") return this.#refuseWith(parsed);
    if (this.#entityInValue) {
      lx.value += parsed;
      this.#state = St.AttrValue;
    } else {
      lx.text += parsed;
      this.#state = St.Text;
    }
  }

  /** One step in a tag, a close tag, CDATA or rare markup. */
  #stepMarkup(): void {
    switch (this.#state) {
      case St.Less: {
        // Only the stream's very first `<` may open the XML declaration.
        const declPossible = this.#declPossible && this.#regionPos === 0;
        this.#declPossible = false;
        if (this.#fastTag()) return;
        const start = this.#lx.i;
        const c = this.#lx.code();
        if (c === BAD) return this.#disallowed();
        if (c === EOC) return;
        if (nameStart(c)) {
          this.#lx.i = start;
          this.#lx.name = "";
          this.#state = St.OpenName;
        } else if (c === SLASH) {
          this.#lx.name = "";
          this.#state = St.CloseName;
        } else if (c === 0x21) {
          this.#rare.bang(this.#sawRoot);
          this.#state = St.Rare;
        } else if (c === 0x3f) {
          this.#rare.question(declPossible);
          this.#state = St.Rare;
        } else this.#refuse(XmlError.malformed, "< not followed by a name");
        return;
      }
      case St.OpenName: {
        const c = this.#lx.scanName();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        return this.#openTagStart(c);
      }
      case St.Attrib: {
        const c = this.#lx.skipSpace();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        if (nameStart(c)) {
          const lx = this.#lx;
          lx.i = lx.prev;
          lx.name = "";
          const quote = lx.attribute();
          if (quote === EOC) this.#state = St.AttrName;
          else {
            this.#quote = quote;
            this.#pushAttribute();
          }
        } else this.#endOfTag(c);
        return;
      }
      case St.AttrName: {
        const c = this.#lx.scanName();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        if (c === 0x3d) this.#state = St.AttrValueStart;
        else if (isSpace(c)) this.#state = St.AttrNameWhite;
        else this.#refuse(XmlError.malformed, "attribute without value");
        return;
      }
      case St.AttrNameWhite:
      case St.AttrValueStart: {
        const c = this.#lx.skipSpace();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        if (this.#state === St.AttrNameWhite) {
          if (c === 0x3d) this.#state = St.AttrValueStart;
          else this.#refuse(XmlError.malformed, "attribute without value");
        } else if (c === 0x22 || c === 0x27) {
          this.#quote = c;
          this.#lx.value = "";
          this.#state = St.AttrValue;
        } else this.#refuse(XmlError.malformed, "unquoted attribute value");
        return;
      }
      case St.AttrValueClosed: {
        const c = this.#lx.code();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        if (isSpace(c)) this.#state = St.Attrib;
        else if (nameStart(c)) this.#refuse(XmlError.malformed, "no space between attributes");
        else this.#endOfTag(c);
        return;
      }
      case St.OpenSlash: {
        const c = this.#lx.code();
        if (c === BAD) return this.#disallowed();
        if (c === GT) this.#openTag(true);
        else this.#refuse(XmlError.malformed, "/ in a start tag not followed by >");
        return;
      }
      case St.CloseName:
      case St.CloseWhite: {
        const c = this.#state === St.CloseName ? this.#lx.scanName() : this.#lx.skipSpace();
        if (c === EOC) return;
        if (c === BAD) return this.#disallowed();
        if (c === GT) this.#closeTag();
        else if (isSpace(c)) this.#state = St.CloseWhite;
        else this.#refuse(XmlError.malformed, "bad character in an end tag");
        return;
      }
      case St.Rare:
        return this.#stepRare();
      default:
        return this.#stepCData();
    }
  }

  /** After a `>` or `/` where an attribute could start. */
  #endOfTag(c: number): void {
    if (c === GT) this.#openTag(false);
    else if (c === SLASH) this.#state = St.OpenSlash;
    else this.#refuse(XmlError.malformed, "bad character in a start tag");
  }

  /** The name of a start tag has ended with `c`. */
  #openTagStart(c: number): void {
    const depth = this.#open.length + 1 - this.#stanzaDepth;
    // spec: PD-20 PD-25
    if (depth > this.#limits.maxDepth) {
      return this.#refuse(XmlError["depth-limit"], `deeper than ${this.#limits.maxDepth}`);
    }
    this.#sawRoot = true;
    this.#tag.begin(this.#lx.name, qualifiedName(this.#lx.name));
    if (isSpace(c)) this.#state = St.Attrib;
    else this.#endOfTag(c);
  }

  /**
   * Right after a `<`: a simple start tag whole (when it may open at this
   * depth), or the end tag of the innermost element, in one go. False when
   * the tag has to be read step by step.
   */
  #fastTag(): boolean {
    const lx = this.#lx;
    if (lx.s.charCodeAt(lx.i) === SLASH) {
      const expected = this.#open[this.#open.length - 1];
      lx.i++;
      if (expected !== undefined && lx.endTag(expected)) {
        this.#closeTag();
        return true;
      }
      lx.i--;
      return false;
    }
    if (this.#open.length + 1 - this.#stanzaDepth > this.#limits.maxDepth) return false;
    const end = lx.startTag(this.#tag);
    if (end === EOC) return false;
    this.#sawRoot = true;
    this.#openTag(end === SLASH);
    return true;
  }

  /** The closing quote of an attribute value. */
  #pushAttribute(): void {
    const lx = this.#lx;
    const name = lx.name;
    const refusal = this.#tag.add(name, qualifiedName(name), lx.value);
    lx.value = "";
    if (refusal !== undefined) return this.#refuseWith(refusal);
    this.#state = St.AttrValueClosed;
  }

  /** A complete start tag (`>` or `/>` read). */
  #openTag(selfClosing: boolean): void {
    const tag = this.#tag;
    const refusal = this.#ns.openTag(tag.name, tag.q, tag);
    if (refusal !== undefined) return this.#refuseWith(refusal);
    const pos = this.#pos();
    if (this.#sizeExceeded(pos)) return;
    const name = tag.name;
    this.#open.push(name);
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
