/**
 * The reading half of derlink's XML tokenizer: a cursor over the decoded
 * text with the token being accumulated (a name, an attribute value, an
 * entity reference, character data), and the tight loops that read them.
 * It knows nothing of limits, events or namespaces: each loop stops at the
 * code point that needs a decision and says which (see the `Stop` codes),
 * and the tokenizer decides. A token split across chunks is simply appended
 * to; only a carriage return at the end of a text is held back, to see
 * whether a line feed follows (CR and CRLF read as LF, as XML requires).
 *
 * @module
 */
import { asciiNameEnd, isSpace, nameChar } from "./xml_chars.ts";
import { NAMES, type NameTable } from "./xml_names.ts";

/** End of the readable text. */
export const EOC = -1;
/** A character XML 1.0 does not allow. */
export const BAD = -2;
/** Character data reached `]]>`. */
export const CDATA_END = -3;

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const CR = 0x0d;
const LF = 0x0a;

export class XmlLexer {
  /** The text being read, the index in it, the index before the last code point, where reading stops. */
  s = "";
  i = 0;
  prev = 0;
  limit = 0;
  /** Stream position of `s[0]`. */
  base = 0;
  /**
   * The bytes `s` was decoded from when it is all ASCII (then `b[k]` is
   * `s.charCodeAt(k)`), for the hot loops: V8 reads a byte array about twice
   * as fast as a string's code units. Undefined otherwise.
   */
  b: Uint8Array | undefined = undefined;
  name = "";
  value = "";
  text = "";
  entity = "";
  /** `]]>` watch in character data: how many `]` (at most 2) just preceded. */
  brackets = 0;
  /** How many `]` (at most 2) just preceded in a CDATA section. */
  #cdataBrackets = 0;
  #carry = "";
  /** Names read so far (see {@link NameTable}; shared by every reader). */
  readonly names: NameTable = NAMES;
  /** The last start or end tag read whole (`tagContext` of core/xml_names.ts), -1 when none. */
  tagContext = -1;

  /** Starts reading `text` (at stream position `start`) after any held-back CR; `ascii` its bytes when it is all ASCII. */
  load(text: string, start: number, ascii?: Uint8Array): void {
    this.b = this.#carry === "" ? ascii : undefined;
    const s = this.#carry === "" ? text : this.#carry + text;
    this.base = start - this.#carry.length;
    this.#carry = "";
    this.s = s;
    this.i = 0;
    this.limit = s.charCodeAt(s.length - 1) === CR ? s.length - 1 : s.length;
  }

  /** Lets the held-back final CR be read now (between top-level markup, where it is just space). */
  releaseFinalCr(): boolean {
    if (this.limit === this.s.length) return false;
    this.limit = this.s.length;
    return true;
  }

  /** Keeps what is left unread (a final CR) for the next text. */
  hold(): void {
    if (this.i < this.s.length) this.#carry = this.s.slice(this.i);
  }

  /** Stream position of the cursor. */
  pos(): number {
    return this.base + this.i;
  }

  /** Next code point (CR and CRLF read as LF), EOC at the end, BAD for a character XML forbids. */
  code(): number {
    const i = this.i;
    if (i >= this.limit) return EOC;
    const s = this.s;
    let c = s.charCodeAt(i);
    this.prev = i;
    this.i = i + 1;
    if (c < 0x20) {
      if (c === CR) {
        if (s.charCodeAt(i + 1) === LF) this.i = i + 2;
        return LF;
      }
      return c === LF || c === 0x09 ? c : BAD;
    }
    if (c >= 0xd800) {
      if (c <= 0xdbff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
        this.i = i + 2;
      } else if (c >= 0xfffe) return BAD;
    }
    return c;
  }

  /** Next UTF-16 unit as it is (consumed), or EOC. */
  unit(): number {
    return this.i < this.limit ? this.s.charCodeAt(this.i++) : EOC;
  }

  /** Skips whitespace between top-level markup; returns the next UTF-16 unit (consumed) or EOC. */
  skipGapSpace(): number {
    const s = this.s;
    const limit = this.limit;
    for (let i = this.i; i < limit; i++) {
      const u = s.charCodeAt(i);
      if (u === 0x20 || u === LF || u === CR || u === 0x09) continue;
      this.i = i + 1;
      return u;
    }
    this.i = limit;
    return EOC;
  }

  /** Reads name characters into `name`; returns the code point that ended it (consumed). */
  scanName(): number {
    const s = this.s;
    const start = this.i;
    this.i = asciiNameEnd(s, start, this.limit);
    for (;;) {
      const at = this.i;
      const c = this.code();
      if (c === EOC || c === BAD || !nameChar(c)) {
        this.name = this.name === ""
          ? this.names.take(s, start, at)
          : this.name + s.slice(start, at);
        return c;
      }
    }
  }

  /** Skips whitespace; returns the first other code point (consumed). */
  skipSpace(): number {
    for (;;) {
      const c = this.code();
      if (c < 0 || !isSpace(c)) return c;
    }
  }

  /** Character data into `text`; stops after `<` or `&` (returned), at `]]>`, a BAD character or the end. */
  readText(): number {
    const s = this.s;
    const limit = this.limit;
    let i = this.i;
    let start = i;
    let brackets = this.brackets;
    const b = this.b;
    if (b !== undefined) {
      // All ASCII: skip the characters with nothing to decide at byte speed.
      while (i < limit) {
        const u = b[i];
        if (u > GT) {
          if (u === 0x5d) break;
        } else if (u < 0x20 ? u !== LF && u !== 0x09 : u === LT || u === AMP || u === GT) break;
        brackets = 0;
        i++;
      }
    }
    while (i < limit) {
      const u = s.charCodeAt(i);
      if (u > GT) {
        if (u === 0x5d) brackets = brackets === 0 ? 1 : 2;
        else {
          brackets = 0;
          if (u >= 0xd800) {
            if (u <= 0xdbff) {
              i += 2;
              continue;
            }
            if (u >= 0xfffe) return this.#stopAt(i, BAD);
          }
        }
        i++;
        continue;
      }
      if (u >= 0x20) {
        if (u === LT || u === AMP) {
          this.text += s.slice(start, i);
          this.brackets = 0;
          return this.#stopAt(i, u);
        }
        if (u === GT && brackets === 2) return this.#stopAt(i, CDATA_END);
        brackets = 0;
        i++;
        continue;
      }
      brackets = 0;
      if (u === LF || u === 0x09) i++;
      else if (u === CR) {
        this.text += s.slice(start, i) + "\n";
        i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        start = i;
      } else return this.#stopAt(i, BAD);
    }
    this.text += s.slice(start, i);
    this.i = i;
    this.brackets = brackets;
    return EOC;
  }

  #stopAt(i: number, stop: number): number {
    this.i = i + 1;
    return stop;
  }

  /**
   * A quoted attribute value into `value`, line ends and tabs read as spaces
   * (attribute-value normalisation); stops after the quote, `&` or `<`
   * (returned), at a BAD character or the end.
   */
  readValue(quote: number): number {
    const s = this.s;
    let start = this.i;
    for (;;) {
      let i = this.i;
      const limit = this.limit;
      while (i < limit) {
        const u = s.charCodeAt(i);
        if (u === quote || u < 0x20 || u === AMP || u === LT || u >= 0xd800) break;
        i++;
      }
      this.value += s.slice(start, i);
      this.i = i;
      const c = this.code();
      if (c === EOC || c === BAD || c === quote || c === AMP || c === LT) return c;
      this.value += c === LF || c === 0x09 ? " " : s.slice(i, this.i);
      start = this.i;
    }
  }

  /** Inside a CDATA section: its text into `text`; stops after `]]>` (CDATA_END), at a BAD character or the end. */
  readCData(): number {
    const s = this.s;
    for (;;) {
      const at = this.i;
      const c = this.code();
      if (c === EOC || c === BAD) return c;
      const brackets = this.#cdataBrackets;
      if (c === 0x5d) {
        if (brackets < 2) this.#cdataBrackets++;
        else this.text += "]";
        continue;
      }
      this.#cdataBrackets = 0;
      if (c === GT && brackets === 2) return CDATA_END;
      const ch = c === LF ? "\n" : s.slice(at, this.i);
      this.text += brackets === 0 ? ch : (brackets === 1 ? "]" : "]]") + ch;
    }
  }

  /** An entity or character reference into `entity`; stops after `;` (returned), at a BAD character or the end. */
  readEntity(): number {
    const s = this.s;
    let start = this.i;
    for (;;) {
      let i = this.i;
      const limit = this.limit;
      while (i < limit) {
        const u = s.charCodeAt(i);
        if (u === 0x3b || u < 0x20 || u >= 0xd800) break;
        i++;
      }
      this.entity += s.slice(start, i);
      this.i = i;
      const c = this.code();
      if (c === EOC || c === BAD || c === 0x3b) return c;
      this.entity += c === LF ? "\n" : s.slice(i, this.i);
      start = this.i;
    }
  }
}
