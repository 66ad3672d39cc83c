/**
 * Whole tags read in one call over the lexer's text, for derlink's XML
 * tokenizer: the common attribute, a simple start tag, the end tag of the
 * innermost element. Each takes only what is complete in the text at hand
 * and has nothing to decide (ASCII names, no whitespace around `=`, values
 * with no reference, line end or character to refuse); otherwise it moves
 * nothing and says so, and {@link TagReader} (core/xml_tokenizer_tags.ts)
 * reads the tag step by step, to the same names and values. On an all-ASCII
 * text the loops read the lexer's bytes rather than the string.
 *
 * @module
 */
import { asciiNameEnd, byteNameEnd, isSpace, nameStart } from "./xml_chars.ts";
import { EOC, type XmlLexer } from "./xml_lexer.ts";
import type { QName } from "./xml_names.ts";
import type { StartTag } from "./xml_start_tag.ts";

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;

/**
 * The common attribute in one go, from its first character at the cursor:
 * an ASCII name, `=` right after it, and a quoted value whose closing quote
 * is in this text with nothing before it that needs a decision (no `&`,
 * `<`, control character or surrogate). Then sets `name` (empty before) and
 * `value`, moves past the quote and returns the quote. Otherwise returns
 * EOC and moves nothing: the step-by-step path reads the attribute, and
 * would read this one to the same name and value.
 */
export function scanAttribute(lx: XmlLexer): number {
  const s = lx.s;
  const limit = lx.limit;
  const start = lx.i;
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
  lx.name = lx.names.take(s, start, eq);
  lx.value = s.slice(eq + 2, j);
  lx.prev = j;
  lx.i = j + 1;
  return quote;
}

/**
 * A whole start tag in one go, from the first character of its name at the
 * cursor, when it is simple and complete in this text: ASCII names, `=`
 * right after each attribute name, values as {@link scanAttribute} takes them,
 * whitespace before each attribute, `>` or `/>` at the end. The name and
 * each attribute go to `tag`, which may refuse an attribute. Then moves
 * past the `>` and returns GT, or SLASH for `/>`. Otherwise (or on a
 * refusal) returns EOC and moves nothing: the step-by-step path reads the
 * tag again, to the same name and attributes, and refuses where it must.
 */
export function scanStartTag(lx: XmlLexer, tag: StartTag): number {
  const s = lx.s;
  const limit = lx.limit;
  const names = lx.names;
  const b = lx.b;
  let i = lx.i;
  // The element name that followed the last tag last time, checked in place.
  const expectedSlot = names.expected(lx.tagContext);
  let nameEnd = -1;
  let name = "";
  if (expectedSlot >= 0 && nameStart(s.charCodeAt(i))) {
    name = names.named(expectedSlot);
    nameEnd = b !== undefined ? bytesAre(b, i, limit, name) : charsAre(s, i, limit, name);
  }
  if (nameEnd < 0) {
    nameEnd = b !== undefined ? byteNameEnd(b, i, limit) : asciiNameEnd(s, i, limit);
    if (nameEnd === i || nameEnd >= limit || !nameStart(s.charCodeAt(i))) return EOC;
    name = names.take(s, i, nameEnd);
    names.follows(lx.tagContext, names.slot);
  }
  tag.begin(name, names.q, names.slot);
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
      lx.i = i + 1;
      return u;
    }
    if (!isSpace(u)) return EOC;
    do if (++i >= limit) return EOC; while (isSpace(u = s.charCodeAt(i)));
    if (u === GT || u === SLASH) continue;
    const expected = same ? shape!.names[k] : undefined;
    let eq = expected === undefined
      ? -1
      : b !== undefined
      ? byteNameAt(b, i, limit, expected)
      : nameAt(s, i, limit, expected);
    let q: QName | null;
    if (eq >= 0) {
      name = expected!;
      q = shape!.qs[k];
    } else {
      same = false;
      eq = b !== undefined ? byteNameEnd(b, i, limit) : asciiNameEnd(s, i, limit);
      if (eq === i || eq + 1 >= limit || s.charCodeAt(eq) !== 0x3d || !nameStart(u)) return EOC;
      name = names.take(s, i, eq);
      q = names.q;
    }
    const quote = s.charCodeAt(eq + 1);
    if (quote !== 0x27 && quote !== 0x22) return EOC;
    let j = eq + 2;
    if (b !== undefined) {
      while (j < limit) {
        const v = b[j];
        if (v === quote || v < 0x20 || v === AMP || v === LT) break;
        j++;
      }
    } else {
      while (j < limit) {
        const v = s.charCodeAt(j);
        if (v === quote || v < 0x20 || v === AMP || v === LT || v >= 0xd800) break;
        j++;
      }
    }
    if (j + 1 >= limit || s.charCodeAt(j) !== quote) return EOC;
    if (tag.add(name, q, s.slice(eq + 2, j)) !== undefined) return EOC;
    k++;
    i = j + 1;
  }
}

/** `expected` and `>` at the cursor (just after `</`): moves past them, sets `name` and returns true. */
export function scanEndTag(lx: XmlLexer, expected: string): boolean {
  const s = lx.s;
  const n = expected.length;
  const i = lx.i;
  if (i + n >= lx.limit || s.charCodeAt(i + n) !== GT) return false;
  const b = lx.b;
  if (b !== undefined) {
    for (let k = 0; k < n; k++) if (b[i + k] !== expected.charCodeAt(k)) return false;
  } else {
    for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== expected.charCodeAt(k)) return false;
  }
  lx.name = expected;
  lx.i = i + n + 1;
  return true;
}

/** Index of the `=` right after `name` when `s` has them at `i` (before `limit`), else -1. */
function nameAt(s: string, i: number, limit: number, name: string): number {
  const n = name.length;
  if (i + n + 1 >= limit || s.charCodeAt(i + n) !== 0x3d) return -1;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== name.charCodeAt(k)) return -1;
  return i + n;
}

/** {@link nameAt} over the bytes of an all-ASCII text. */
function byteNameAt(b: Uint8Array, i: number, limit: number, name: string): number {
  const n = name.length;
  if (i + n + 1 >= limit || b[i + n] !== 0x3d) return -1;
  for (let k = 0; k < n; k++) if (b[i + k] !== name.charCodeAt(k)) return -1;
  return i + n;
}

/**
 * The index after `name` when `s` has it at `i`, followed (before `limit`)
 * by whitespace, `>` or `/` (so it is the whole name), else -1.
 */
function charsAre(s: string, i: number, limit: number, name: string): number {
  const n = name.length;
  if (i + n >= limit) return -1;
  const after = s.charCodeAt(i + n);
  if (!isSpace(after) && after !== GT && after !== SLASH) return -1;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== name.charCodeAt(k)) return -1;
  return i + n;
}

/** {@link charsAre} over the bytes of an all-ASCII text. */
function bytesAre(b: Uint8Array, i: number, limit: number, name: string): number {
  const n = name.length;
  if (i + n >= limit) return -1;
  const after = b[i + n];
  if (!isSpace(after) && after !== GT && after !== SLASH) return -1;
  for (let k = 0; k < n; k++) if (b[i + k] !== name.charCodeAt(k)) return -1;
  return i + n;
}
