/**
 * Tags for derlink's XML tokenizer: what follows a `<` up to the `>` that
 * ends a start or end tag, or the `!` or `?` that starts rare markup.
 *
 * A simple start tag, or the end tag of the innermost element, whole in the
 * text at hand, is read in one call ({@link scanStartTag},
 * {@link scanEndTag}, core/xml_tag_scan.ts); anything else (a tag split across chunks,
 * whitespace around `=`, a value with a reference or a line end, a non-ASCII
 * name, anything to refuse) is read here one token at a time, to the same
 * name and attributes, and refused at the code point where the saxes-based
 * reader refuses it (PD-29). {@link TagReader.step} says what it found; the
 * tokenizer acts on it (limits, namespaces, events).
 *
 * @module
 */
import { XmlError } from "./xml_codes.ts";
import { isSpace, nameStart } from "./xml_chars.ts";
import { BAD, EOC, type XmlLexer } from "./xml_lexer.ts";
import type { Refusal } from "./xml_namespaces.ts";
import { qualifiedName } from "./xml_names.ts";
import { resolveReference } from "./xml_references.ts";
import { StartTag } from "./xml_start_tag.ts";
import { scanAttribute, scanEndTag, scanStartTag } from "./xml_tag_scan.ts";

/** What a step of {@link TagReader} found. */
export const enum TagStep {
  /** Nothing yet (the text ran out, or a token ended inside the tag). */
  More,
  /** A complete start tag, `>`: its name and attributes are in {@link TagReader.tag}. */
  Open,
  /** A complete empty-element tag, `/>`. */
  OpenEmpty,
  /** A complete end tag: its name is the lexer's `name`. */
  Close,
  /** `<!` */
  Bang,
  /** `<?` */
  Question,
  /** A refusal, in {@link TagReader.refusal}. */
  Refused,
}

const enum S {
  Less,
  OpenName,
  Attrib,
  AttrName,
  AttrNameWhite,
  AttrValueStart,
  AttrValue,
  AttrEntity,
  AttrValueClosed,
  OpenSlash,
  CloseName,
  CloseWhite,
}

const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;

const notAllowed: Refusal = {
  code: XmlError.malformed,
  detail: "character not allowed in XML 1.0",
};
const malformed = (detail: string): Refusal => ({ code: XmlError.malformed, detail });

export class TagReader {
  readonly #lx: XmlLexer;
  readonly #maxDepth: number;
  /** The start tag being read. */
  readonly tag: StartTag;
  /** Why the last step refused. */
  refusal: Refusal = notAllowed;
  #state = S.Less;
  #quote = 0;
  /** Depth a start tag here would have (the stanza 1), and the name an end tag here must have. */
  #depth = 0;
  #innermost: string | undefined;

  constructor(lx: XmlLexer, maxAttributes: number, maxDepth: number) {
    this.#lx = lx;
    this.tag = new StartTag(maxAttributes);
    this.#maxDepth = maxDepth;
  }

  /** A `<` was read: a start tag here would be at `depth`; `innermost` is the open element. */
  begin(depth: number, innermost: string | undefined): void {
    this.#state = S.Less;
    this.#depth = depth;
    this.#innermost = innermost;
  }

  #refuse(refusal: Refusal): TagStep {
    this.refusal = refusal;
    return TagStep.Refused;
  }

  /** Reads on; the lexer has text left. */
  step(): TagStep {
    const lx = this.#lx;
    switch (this.#state) {
      case S.Less:
        return this.#less();
      case S.OpenName: {
        const c = lx.scanName();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        // spec: PD-20 PD-25
        if (this.#depth > this.#maxDepth) {
          return this.#refuse({
            code: XmlError["depth-limit"],
            detail: `deeper than ${this.#maxDepth}`,
          });
        }
        this.tag.begin(lx.name, qualifiedName(lx.name));
        if (!isSpace(c)) return this.#endOfTag(c);
        this.#state = S.Attrib;
        return TagStep.More;
      }
      case S.Attrib: {
        const c = lx.skipSpace();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        if (!nameStart(c)) return this.#endOfTag(c);
        lx.i = lx.prev;
        lx.name = "";
        const quote = scanAttribute(lx);
        if (quote === EOC) {
          this.#state = S.AttrName;
          return TagStep.More;
        }
        this.#quote = quote;
        return this.#pushAttribute();
      }
      case S.AttrName: {
        const c = lx.scanName();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        if (c === 0x3d) this.#state = S.AttrValueStart;
        else if (isSpace(c)) this.#state = S.AttrNameWhite;
        else return this.#refuse(malformed("attribute without value"));
        return TagStep.More;
      }
      case S.AttrNameWhite:
      case S.AttrValueStart: {
        const c = lx.skipSpace();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        if (this.#state === S.AttrNameWhite) {
          if (c !== 0x3d) return this.#refuse(malformed("attribute without value"));
          this.#state = S.AttrValueStart;
        } else if (c === 0x22 || c === 0x27) {
          this.#quote = c;
          lx.value = "";
          this.#state = S.AttrValue;
        } else return this.#refuse(malformed("unquoted attribute value"));
        return TagStep.More;
      }
      case S.AttrValue: {
        const stop = lx.readValue(this.#quote);
        if (stop === EOC) return TagStep.More;
        if (stop === BAD) return this.#refuse(notAllowed);
        if (stop === this.#quote) return this.#pushAttribute();
        if (stop === AMP) {
          lx.entity = "";
          this.#state = S.AttrEntity;
          return TagStep.More;
        }
        // spec: RFC6120-11.3
        return this.#refuse(malformed("< in an attribute value"));
      }
      case S.AttrEntity: {
        const stop = lx.readEntity();
        if (stop === EOC) return TagStep.More;
        if (stop === BAD) return this.#refuse(notAllowed);
        const parsed = resolveReference(lx.entity);
        lx.entity = "";
        if (typeof parsed !== "string") return this.#refuse(parsed);
        lx.value += parsed;
        this.#state = S.AttrValue;
        return TagStep.More;
      }
      case S.AttrValueClosed: {
        const c = lx.code();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        if (nameStart(c)) return this.#refuse(malformed("no space between attributes"));
        if (!isSpace(c)) return this.#endOfTag(c);
        this.#state = S.Attrib;
        return TagStep.More;
      }
      case S.OpenSlash: {
        const c = lx.code();
        if (c === BAD) return this.#refuse(notAllowed);
        if (c === GT) return TagStep.OpenEmpty;
        return this.#refuse(malformed("/ in a start tag not followed by >"));
      }
      default: {
        const c = this.#state === S.CloseName ? lx.scanName() : lx.skipSpace();
        if (c === EOC) return TagStep.More;
        if (c === BAD) return this.#refuse(notAllowed);
        if (c === GT) return TagStep.Close;
        if (!isSpace(c)) return this.#refuse(malformed("bad character in an end tag"));
        this.#state = S.CloseWhite;
        return TagStep.More;
      }
    }
  }

  /** Right after the `<`: a whole tag in one go, or what the next code point starts. */
  #less(): TagStep {
    const lx = this.#lx;
    if (lx.s.charCodeAt(lx.i) === SLASH) {
      const innermost = this.#innermost;
      lx.i++;
      if (innermost !== undefined && scanEndTag(lx, innermost)) return TagStep.Close;
      lx.i--;
    } else if (this.#depth <= this.#maxDepth) {
      const end = scanStartTag(lx, this.tag);
      if (end !== EOC) return end === GT ? TagStep.Open : TagStep.OpenEmpty;
    }
    const start = lx.i;
    const c = lx.code();
    if (c === BAD) return this.#refuse(notAllowed);
    lx.name = "";
    if (nameStart(c)) {
      lx.i = start;
      this.#state = S.OpenName;
      return TagStep.More;
    }
    if (c === SLASH) {
      this.#state = S.CloseName;
      return TagStep.More;
    }
    if (c === 0x21) return TagStep.Bang;
    if (c === 0x3f) return TagStep.Question;
    return this.#refuse(malformed("< not followed by a name"));
  }

  /** After a `>` or `/` where an attribute could start. */
  #endOfTag(c: number): TagStep {
    if (c === GT) return TagStep.Open;
    if (c !== SLASH) return this.#refuse(malformed("bad character in a start tag"));
    this.#state = S.OpenSlash;
    return TagStep.More;
  }

  /** The closing quote of an attribute value. */
  #pushAttribute(): TagStep {
    const lx = this.#lx;
    const name = lx.name;
    const refusal = this.tag.add(name, qualifiedName(name), lx.value);
    lx.value = "";
    if (refusal !== undefined) return this.#refuse(refusal);
    this.#state = S.AttrValueClosed;
    return TagStep.More;
  }
}
