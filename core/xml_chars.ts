/**
 * Character classes of XML 1.0 (fifth edition) and Namespaces in XML 1.0 for
 * derlink's tokenizer: a lookup table for ASCII (the common case in XMPP) and
 * xmlchars (the table saxes uses) for everything else, so both readers agree
 * on every code point.
 *
 * @module
 */
import { isChar, isNameChar, isNameStartChar } from "xmlchars/xml/1.0/ed5.js";
import { isNCNameChar, isNCNameStartChar, NC_NAME_RE } from "xmlchars/xmlns/1.0/ed3.js";

const NAME_START = 1;
const NAME = 2;
const NC_START = 4;
const NC = 8;

/** Class bits of every ASCII code point. */
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = (isNameStartChar(c) ? NAME_START : 0) | (isNameChar(c) ? NAME : 0) |
    (isNCNameStartChar(c) ? NC_START : 0) | (isNCNameChar(c) ? NC : 0);
}

/** XML `NameStartChar` (a colon included). */
export const nameStart = (c: number): boolean =>
  c < 128 ? (ASCII[c] & NAME_START) !== 0 : isNameStartChar(c);
/** XML `NameChar`. */
export const nameChar = (c: number): boolean => c < 128 ? (ASCII[c] & NAME) !== 0 : isNameChar(c);
/** Namespaces `NCName` start character (no colon). */
export const ncNameStart = (c: number): boolean =>
  c < 128 ? (ASCII[c] & NC_START) !== 0 : isNCNameStartChar(c);
/** Namespaces `NCName` character. */
export const ncNameChar = (c: number): boolean => c < 128 ? (ASCII[c] & NC) !== 0 : isNCNameChar(c);
/** A whole string is an NCName. */
export const isNCName = (s: string): boolean => NC_NAME_RE.test(s);
/** XML 1.0 `Char` production. */
export const xmlChar = (c: number): boolean => isChar(c);
/** XML `S` production. */
export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** {@link asciiNameEnd} over the bytes of an all-ASCII text. */
export function byteNameEnd(b: Uint8Array, i: number, limit: number): number {
  while (i < limit && nameChar(b[i])) i++;
  return i;
}

/** Index of the first unit from `i` on that is not an ASCII name character. */
export function asciiNameEnd(s: string, i: number, limit: number): number {
  while (i < limit) {
    const u = s.charCodeAt(i);
    if (u >= 128 || !nameChar(u)) break;
    i++;
  }
  return i;
}
