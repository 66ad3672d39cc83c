/**
 * The code-point exceptions and contextual rules of RFC 5892, shared by the
 * PRECIS string classes (RFC 8264 reuses them) and by the IDNA2008 domain
 * check.
 *
 * Everything here is computed from the JavaScript runtime's own Unicode data
 * (property escapes and normalization), so the Unicode version is the
 * runtime's (Unicode 16.0 in Deno 2.9.6). One rule needs a property
 * ECMAScript does not expose (Joining_Type, for ZERO WIDTH NON-JOINER after a
 * non-virama); that case is refused rather than guessed (PD-31).
 *
 * @module
 */

/** Value an RFC 5892 §2.6 exception assigns to a code point. */
export type ExceptionValue = "PVALID" | "CONTEXTO" | "DISALLOWED";

// spec: RFC5892-2.6 RFC8264-8
/**
 * The RFC 5892 §2.6 exceptions table (category F), which PRECIS applies
 * first too (RFC 8264 §9.2 refers to it).
 */
export function exceptionValue(cp: number): ExceptionValue | undefined {
  switch (cp) {
    // ß, final sigma, two Arabic letters, Tibetan tsheg, ideographic zero.
    case 0x00df:
    case 0x03c2:
    case 0x06fd:
    case 0x06fe:
    case 0x0f0b:
    case 0x3007:
      return "PVALID";
    // middle dot, Greek keraia, Hebrew geresh and gershayim, katakana middle dot.
    case 0x00b7:
    case 0x0375:
    case 0x05f3:
    case 0x05f4:
    case 0x30fb:
      return "CONTEXTO";
    // tatweel, N'Ko lajanyalan, ideographic tone marks and vertical kana repeat marks.
    case 0x0640:
    case 0x07fa:
    case 0x302e:
    case 0x302f:
    case 0x303b:
      return "DISALLOWED";
  }
  if (cp >= 0x0660 && cp <= 0x0669) return "CONTEXTO"; // Arabic-Indic digits
  if (cp >= 0x06f0 && cp <= 0x06f9) return "CONTEXTO"; // Extended Arabic-Indic digits
  if (cp >= 0x3031 && cp <= 0x3035) return "DISALLOWED";
  return undefined;
}

/** ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER (RFC 5892 §2.8, category H). */
export const ZWNJ = 0x200c;
export const ZWJ = 0x200d;

// Marks whose canonical combining class brackets 9 (virama): 8 below, 10 above.
const CCC_8 = "\u3099"; // COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK
const CCC_10 = "\u05b0"; // HEBREW POINT SHEVA

/**
 * True when `cp` has Canonical_Combining_Class 9 (Virama).
 *
 * ECMAScript has no property escape for combining classes, but canonical
 * ordering in NFD reveals them: a mark that NFD moves after a class-8 mark
 * has a class above 8, one it moves before a class-10 mark has a class below
 * 10; only 9 is both. A decomposable code point is not a single mark and is
 * answered false (no virama decomposes).
 */
export function isVirama(cp: number): boolean {
  const m = String.fromCodePoint(cp);
  if (!/\p{M}/u.test(m) || m.normalize("NFD") !== m || m === CCC_8 || m === CCC_10) return false;
  const above8 = ("a" + m + CCC_8).normalize("NFD") === "a" + CCC_8 + m;
  const below10 = ("a" + CCC_10 + m).normalize("NFD") === "a" + m + CCC_10;
  return above8 && below10;
}

const GREEK = /\p{Script=Greek}/u;
const HEBREW = /\p{Script=Hebrew}/u;
const KANA_OR_HAN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const ch = (cp: number | undefined) => cp === undefined ? "" : String.fromCodePoint(cp);

/**
 * Whether the contextual rule of the CONTEXTJ/CONTEXTO code point at
 * `cps[i]` holds. `cps` is the whole string being checked: the label for
 * IDNA2008, the whole localpart or resourcepart for PRECIS. Code points that
 * have no rule answer false.
 */
export function contextRuleHolds(cps: readonly number[], i: number): boolean {
  const cp = cps[i];
  const before = i > 0 ? cps[i - 1] : undefined;
  const after = i + 1 < cps.length ? cps[i + 1] : undefined;
  switch (cp) {
    // spec: RFC5892-A.1 PD-31
    // ZWNJ: allowed after a virama.
    // spec-exception: RFC5892-A.1 the Joining_Type branch is not evaluated (the runtime does not expose Joining_Type); such ZWNJ are refused (PD-31)
    case ZWNJ:
      return before !== undefined && isVirama(before);
    // spec: RFC5892-A.2
    case ZWJ:
      return before !== undefined && isVirama(before);
    // spec: RFC5892-A.3
    // MIDDLE DOT only between two 'l' (Catalan ela geminada).
    case 0x00b7:
      return before === 0x6c && after === 0x6c;
    // spec: RFC5892-A.4
    // GREEK LOWER NUMERAL SIGN must be followed by a Greek character.
    case 0x0375:
      return GREEK.test(ch(after));
    // spec: RFC5892-A.5 RFC5892-A.6
    // HEBREW GERESH / GERSHAYIM must follow a Hebrew character.
    case 0x05f3:
    case 0x05f4:
      return HEBREW.test(ch(before));
    // spec: RFC5892-A.7
    // KATAKANA MIDDLE DOT needs some Hiragana, Katakana or Han in the string.
    case 0x30fb:
      return cps.some((c) => KANA_OR_HAN.test(ch(c)));
  }
  // spec: RFC5892-A.8 RFC5892-A.9
  // The two Arabic digit sets must not be mixed.
  if (cp >= 0x0660 && cp <= 0x0669) return !cps.some((c) => c >= 0x06f0 && c <= 0x06f9);
  if (cp >= 0x06f0 && cp <= 0x06f9) return !cps.some((c) => c >= 0x0660 && c <= 0x0669);
  return false;
}

/** Hangul_Syllable_Type L, V or T (RFC 5892 §2.9, category I); these ranges are fixed by Unicode. */
export function isOldHangulJamo(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97c) ||
    (cp >= 0xd7b0 && cp <= 0xd7c6) || (cp >= 0xd7cb && cp <= 0xd7fb);
}

/** The code points of a string (it must be well formed). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const c of s) out.push(c.codePointAt(0)!);
  return out;
}
