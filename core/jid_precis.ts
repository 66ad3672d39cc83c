/**
 * PRECIS (RFC 8264) string classes and the two RFC 8265 profiles that
 * RFC 7622 uses for JIDs: UsernameCaseMapped for the localpart and
 * OpaqueString for the resourcepart.
 *
 * No PRECIS library is among derlink's dependencies, so this is an
 * implementation on the runtime's Unicode support. The derived property of
 * RFC 8264 §8 is computed per code point from property escapes
 * (General_Category, Default_Ignorable_Code_Point, Noncharacter_Code_Point,
 * Join_Control), NFKC and the RFC 5892 exception table; it is exact for the
 * runtime's Unicode version. Where the runtime cannot express a rule, the
 * string is refused, never guessed: see PD-30 (mappings, Unicode version,
 * stability), PD-31 (ZWNJ), PD-32 (Bidi Rule).
 *
 * @module
 */
import { DerlinkError } from "./errors.ts";
import { JidError, type JidErrorCode } from "./jid_errors.ts";
import { codePoints, contextRuleHolds, exceptionValue, isOldHangulJamo } from "./jid_context.ts";
import { bidiRuleViolation } from "./jid_bidi.ts";

/** The PRECIS derived property values (RFC 8264 §8); `ID_DIS_FREE_PVAL` differs per class. */
export type PrecisProperty =
  | "PVALID"
  | "CONTEXTJ"
  | "CONTEXTO"
  | "DISALLOWED"
  | "UNASSIGNED"
  | "ID_DIS_FREE_PVAL";

const UNASSIGNED = /\p{Cn}/u;
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
const JOIN_CONTROL = /\p{Join_Control}/u;
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
const CONTROL = /\p{Cc}/u;
const LETTER_DIGITS = /[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]/u;
const OTHER_LETTER_DIGITS = /[\p{Lt}\p{Nl}\p{No}\p{Me}]/u;
const SPACES = /\p{Zs}/u;
const SYMBOLS = /[\p{Sm}\p{Sc}\p{Sk}\p{So}]/u;
const PUNCTUATION = /\p{P}/u;

const PROPERTY_NAMES: readonly PrecisProperty[] = [
  "PVALID",
  "CONTEXTJ",
  "CONTEXTO",
  "DISALLOWED",
  "UNASSIGNED",
  "ID_DIS_FREE_PVAL",
];
// BMP results are memoised (index + 1, 0 = not yet computed): 64 KiB, bounded.
const bmpCache = new Uint8Array(0x10000);

// spec: RFC8264-8 RFC8264-9 PD-30
/**
 * The derived property of one code point, in the order of RFC 8264 §8. The
 * BackwardCompatible category (G) is empty, so it has no step here.
 */
export function precisProperty(cp: number): PrecisProperty {
  if (cp < 0x10000) {
    const cached = bmpCache[cp];
    if (cached !== 0) return PROPERTY_NAMES[cached - 1];
    const value = deriveProperty(cp);
    bmpCache[cp] = PROPERTY_NAMES.indexOf(value) + 1;
    return value;
  }
  return deriveProperty(cp);
}

function deriveProperty(cp: number): PrecisProperty {
  const exception = exceptionValue(cp);
  if (exception) return exception;
  const c = String.fromCodePoint(cp);
  if (UNASSIGNED.test(c) && !NONCHARACTER.test(c)) return "UNASSIGNED";
  if (cp >= 0x21 && cp <= 0x7e) return "PVALID"; // ASCII7 (K)
  if (JOIN_CONTROL.test(c)) return "CONTEXTJ";
  if (isOldHangulJamo(cp)) return "DISALLOWED";
  if (IGNORABLE.test(c)) return "DISALLOWED";
  if (CONTROL.test(c)) return "DISALLOWED";
  if (c.normalize("NFKC") !== c) return "ID_DIS_FREE_PVAL"; // HasCompat (Q)
  if (LETTER_DIGITS.test(c)) return "PVALID";
  if (OTHER_LETTER_DIGITS.test(c)) return "ID_DIS_FREE_PVAL";
  if (SPACES.test(c)) return "ID_DIS_FREE_PVAL";
  if (SYMBOLS.test(c)) return "ID_DIS_FREE_PVAL";
  if (PUNCTUATION.test(c)) return "ID_DIS_FREE_PVAL";
  return "DISALLOWED"; // surrogates, private use, Zl, Zp, Cf that are not ignorable...
}

/** The two PRECIS string classes. */
export type StringClass = "identifier" | "freeform";

/**
 * Checks that every code point of `s` is allowed in the string class:
 * PVALID, FREE_PVAL in the FreeformClass, or CONTEXTJ/CONTEXTO with its
 * rule holding over the whole string. Throws `code` or `jid/context-rule`.
 */
// spec: RFC8264-4.2 RFC8264-4.3
export function checkStringClass(s: string, cls: StringClass, code: JidErrorCode): number[] {
  const cps = codePoints(s);
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    // ASCII letters, digits and most punctuation: the common case, decided without a lookup.
    if (cp >= 0x21 && cp <= 0x7e) continue;
    const p = precisProperty(cp);
    if (p === "PVALID") continue;
    if (p === "ID_DIS_FREE_PVAL" && cls === "freeform") continue;
    if (p === "CONTEXTJ" || p === "CONTEXTO") {
      if (contextRuleHolds(cps, i)) continue;
      throw new DerlinkError(JidError["context-rule"], `${hex(cp)} at code point ${i}`);
    }
    const why = p === "ID_DIS_FREE_PVAL" ? "allowed only in FreeformClass" : p.toLowerCase();
    throw new DerlinkError(code, `${hex(cp)}: ${why}`);
  }
  return cps;
}

const hex = (cp: number) => "U+" + cp.toString(16).toUpperCase().padStart(4, "0");

// Fullwidth and halfwidth forms: the only code points whose decomposition
// type is <wide> or <narrow>.
const WIDE_OR_NARROW = /[\u3000\uFF01-\uFFEE]/u;
const WIDE_OR_NARROW_ALL = /[\u3000\uFF01-\uFFEE]/gu;
// Halfwidth Hangul and FULLWIDTH MACRON map one step to a character that has
// a further compatibility decomposition, so NFKD would go too far: their
// single-step targets, as [first, last, target of first].
const ONE_STEP: readonly (readonly [number, number, number])[] = [
  [0xffa0, 0xffa0, 0x3164],
  [0xffa1, 0xffbe, 0x3131],
  [0xffc2, 0xffc7, 0x314f],
  [0xffca, 0xffcf, 0x3155],
  [0xffd2, 0xffd7, 0x315b],
  [0xffda, 0xffdc, 0x3161],
  [0xffe3, 0xffe3, 0x00af],
];

// spec: RFC8265-3.3.2 RFC7622-3.2.2 PD-30
/**
 * Width mapping rule: fullwidth and halfwidth code points become their
 * decomposition mapping (RFC 8264 §9.x width mapping, RFC 8265 §3.3.2 step 1).
 */
export function widthMap(s: string): string {
  if (!WIDE_OR_NARROW.test(s)) return s;
  return s.replace(WIDE_OR_NARROW_ALL, (c) => {
    const cp = c.codePointAt(0)!;
    for (const [first, last, target] of ONE_STEP) {
      if (cp >= first && cp <= last) return String.fromCodePoint(target + cp - first);
    }
    return c.normalize("NFKD");
  });
}

/** UTF-8 length of a well-formed string without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) n += 1;
    else if (u < 0x800) n += 2;
    else if (u >= 0xd800 && u <= 0xdbff) {
      n += 4;
      i++; // the low surrogate of a well-formed pair
    } else n += 3;
  }
  return n;
}

/** Largest part, in octets of UTF-8 after preparation (RFC 7622 §3.2, §3.3, §3.4). */
export const MAX_PART_OCTETS = 1023;

/** True for printable ASCII, where width mapping and NFC change nothing. */
export const isPrintableAscii = (s: string): boolean => /^[ -~]*$/.test(s);

function mapUsername(s: string): string {
  if (isPrintableAscii(s)) return s.toLowerCase();
  // spec: RFC8265-3.3.2 PD-30
  // width mapping, no additional mapping, toLowerCase, NFC - in that order (RFC 8264 §7).
  return widthMap(s).toLowerCase().normalize("NFC");
}

// spec: RFC7622-3.3.1
// Characters RFC 7622 §3.3.1 excludes from localparts although IdentifierClass
// allows them (space is already outside IdentifierClass; it is reported here
// with the others because XEP-0106 escapes the same set).
const LOCALPART_FORBIDDEN = /[ "&'/:<>@]/;

/**
 * Enforcement of the UsernameCaseMapped profile plus the localpart rules of
 * RFC 7622 §3.3: returns the canonical localpart or throws a `jid/` code.
 */
// spec: RFC7622-3.3.2 RFC8265-3.3.2
export function enforceLocalpart(raw: string): string {
  const out = mapUsername(raw);
  // spec: PD-30
  if (mapUsername(out) !== out) throw new DerlinkError(JidError.unstable, "localpart");
  // spec: RFC7622-3.3.a
  if (out.length === 0) throw new DerlinkError(JidError["empty-localpart"]);
  const octets = utf8Length(out);
  // spec: RFC7622-3.3.a
  if (octets > MAX_PART_OCTETS) {
    throw new DerlinkError(JidError["localpart-too-long"], `${octets} octets`);
  }
  const forbidden = LOCALPART_FORBIDDEN.exec(out);
  // spec: RFC7622-3.3.1
  if (forbidden) {
    throw new DerlinkError(JidError["localpart-forbidden-char"], JSON.stringify(forbidden[0]));
  }
  // spec: RFC8264-4.2 RFC7622-3.3.1
  const cps = checkStringClass(out, "identifier", JidError["localpart-disallowed"]);
  // spec: RFC8265-3.3.2 RFC5893-2 PD-32
  const why = bidiRuleViolation(cps);
  if (why) throw new DerlinkError(JidError["bidi-rule"], why);
  return out;
}

const NON_ASCII_SPACE = /[^\P{Zs} ]/u;
const NON_ASCII_SPACE_ALL = /[^\P{Zs} ]/gu;

function mapOpaque(s: string): string {
  if (isPrintableAscii(s)) return s;
  // spec: RFC8265-4.2.2
  // no width or case mapping; non-ASCII spaces become U+0020; NFC.
  const spaced = NON_ASCII_SPACE.test(s) ? s.replace(NON_ASCII_SPACE_ALL, " ") : s;
  return spaced.normalize("NFC");
}

/**
 * Enforcement of the OpaqueString profile for the resourcepart (RFC 7622
 * §3.4): returns the canonical resourcepart or throws a `jid/` code.
 */
// spec: RFC7622-3.4.2 RFC8265-4.2.2
export function enforceResourcepart(raw: string): string {
  const out = mapOpaque(raw);
  // spec: PD-30
  if (mapOpaque(out) !== out) throw new DerlinkError(JidError.unstable, "resourcepart");
  // spec: RFC7622-3.4.a
  if (out.length === 0) throw new DerlinkError(JidError["empty-resourcepart"]);
  const octets = utf8Length(out);
  // spec: RFC7622-3.4.a
  if (octets > MAX_PART_OCTETS) {
    throw new DerlinkError(JidError["resourcepart-too-long"], `${octets} octets`);
  }
  // spec: RFC8264-4.3 RFC7622-3.4.1
  checkStringClass(out, "freeform", JidError["resourcepart-disallowed"]);
  return out;
}
