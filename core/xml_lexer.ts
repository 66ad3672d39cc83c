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
import { isSpace, nameChar, nameStart } from "./xml_chars.ts";
import { NameTable, type QName } from "./xml_names.ts";
import type { StartTag } from "./xml_start_tag.ts";

/** End of the readable text. */
export const EOC = -1;
/** A character XML 1.0 does not allow. */
export const BAD = -2;
/** Character data reached `]]>`. */
export const CDATA_END = -3;

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
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
  name = "";
  value = "";
  text = "";
  entity = "";
  /** `]]>` watch in character data: how many `]` (at most 2) just preceded. */
  brackets = 0;
  /** How many `]` (at most 2) just preceded in a CDATA section. */
  #cdataBrackets = 0;
  #carry = "";
  /** Names read so far (see {@link NameTable}). */
  readonly names = new NameTable();

  /** Starts reading `text` (at stream position `start`) after any held-back CR. */
  load(text: string, start: number): void {
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

  /**
   * The common attribute in one go, from its first character at the cursor:
   * an ASCII name, `=` right after it, and a quoted value whose closing quote
   * is in this text with nothing before it that needs a decision (no `&`,
   * `<`, control character or surrogate). Then sets `name` (empty before) and
   * `value`, moves past the quote and returns the quote. Otherwise returns
   * EOC and moves nothing: the step-by-step path reads the attribute, and
   * would read this one to the same name and value.
   */
  attribute(): number {
    const s = this.s;
    const limit = this.limit;
    const start = this.i;
    const eq = asciiNameEnd(s, start, limit);
    if (eq + 1 >= limit || s.charCodeAt(eq) !== 0x3d) return EOC;
    const quote = s.charCodeAt(eq + 1);
    if (quote !== 0x27 && quote !== 0x22) return EOC;
    let j = eq + 2;
    while (j < limit) {
      const u = s.charCodeAt(j);
      if (u === quote || u < 0x20 || u === AMP || u === LT || u >= 0xd800) break;
      j++;
    }
    if (j >= limit || s.charCodeAt(j) !== quote) return EOC;
    this.name = this.names.take(s, start, eq);
    this.value = s.slice(eq + 2, j);
    this.prev = j;
    this.i = j + 1;
    return quote;
  }

  /**
   * A whole start tag in one go, from the first character of its name at the
   * cursor, when it is simple and complete in this text: ASCII names, `=`
   * right after each attribute name, values as {@link attribute} takes them,
   * whitespace before each attribute, `>` or `/>` at the end. The name and
   * each attribute go to `tag`, which may refuse an attribute. Then moves
   * past the `>` and returns GT, or SLASH for `/>`. Otherwise (or on a
   * refusal) returns EOC and moves nothing: the step-by-step path reads the
   * tag again, to the same name and attributes, and refuses where it must.
   */
  startTag(tag: StartTag): number {
    const s = this.s;
    const limit = this.limit;
    const names = this.names;
    let i = this.i;
    const nameEnd = asciiNameEnd(s, i, limit);
    if (nameEnd === i || nameEnd >= limit || !nameStart(s.charCodeAt(i))) return EOC;
    tag.begin(names.take(s, i, nameEnd), names.q, names.slot);
    // The attributes this element had last time, checked name by name in place.
    const shape = names.slot < 0 ? undefined : names.shape(names.slot);
    let same = shape !== undefined;
    let k = 0;
    i = nameEnd;
    for (;;) {
      let u = s.charCodeAt(i);
      if (u === GT || u === SLASH) {
        if (u === SLASH) {
          if (i + 1 >= limit || s.charCodeAt(i + 1) !== GT) return EOC;
          i++;
        }
        if (same && k === shape!.names.length) tag.matched(shape!);
        this.i = i + 1;
        return u;
      }
      if (!isSpace(u)) return EOC;
      do if (++i >= limit) return EOC; while (isSpace(u = s.charCodeAt(i)));
      if (u === GT || u === SLASH) continue;
      const expected = same ? shape!.names[k] : undefined;
      let eq = expected === undefined ? -1 : nameAt(s, i, limit, expected);
      let name: string;
      let q: QName | null;
      if (eq >= 0) {
        name = expected!;
        q = shape!.qs[k];
      } else {
        same = false;
        eq = asciiNameEnd(s, i, limit);
        if (eq === i || eq + 1 >= limit || s.charCodeAt(eq) !== 0x3d || !nameStart(u)) return EOC;
        name = names.take(s, i, eq);
        q = names.q;
      }
      const quote = s.charCodeAt(eq + 1);
      if (quote !== 0x27 && quote !== 0x22) return EOC;
      let j = eq + 2;
      while (j < limit) {
        const v = s.charCodeAt(j);
        if (v === quote || v < 0x20 || v === AMP || v === LT || v >= 0xd800) break;
        j++;
      }
      if (j + 1 >= limit || s.charCodeAt(j) !== quote) return EOC;
      if (tag.add(name, q, s.slice(eq + 2, j)) !== undefined) return EOC;
      k++;
      i = j + 1;
    }
  }

  /** `expected` and `>` at the cursor (just after `</`): moves past them, sets `name` and returns true. */
  endTag(expected: string): boolean {
    const s = this.s;
    const n = expected.length;
    const i = this.i;
    if (i + n >= this.limit || s.charCodeAt(i + n) !== GT) return false;
    for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== expected.charCodeAt(k)) return false;
    this.name = expected;
    this.i = i + n + 1;
    return true;
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

/** Index of the `=` right after `name` when `s` has them at `i` (before `limit`), else -1. */
function nameAt(s: string, i: number, limit: number, name: string): number {
  const n = name.length;
  if (i + n + 1 >= limit || s.charCodeAt(i + n) !== 0x3d) return -1;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== name.charCodeAt(k)) return -1;
  return i + n;
}

/** Index of the first unit from `i` on that is not an ASCII name character. */
function asciiNameEnd(s: string, i: number, limit: number): number {
  while (i < limit) {
    const u = s.charCodeAt(i);
    if (u >= 128 || !nameChar(u)) break;
    i++;
  }
  return i;
}
