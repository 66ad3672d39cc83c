/**
 * SASLprep (RFC 4013, a profile of stringprep RFC 3454), as profiled by
 * derlink (PD-40).
 *
 * Stringprep is defined over Unicode 3.2 tables. This profile applies the
 * same steps with the Unicode data of the running JavaScript engine: the
 * mapping and the few small prohibition tables are written out below, the
 * large classes come from Unicode property escapes (controls `\p{Cc}`,
 * private use `\p{Co}`, non-characters, surrogates, and unassigned `\p{Cn}`).
 * Two consequences, both deliberate: code points assigned after Unicode 3.2
 * count as assigned, and the bidirectional rule approximates the R/AL and L
 * classes by scripts and letters because JavaScript regular expressions have
 * no Bidi_Class property.
 *
 * @module
 */
/** Whether unassigned code points pass (RFC 3454 §7: "query") or are refused ("stored"). */
export interface SaslprepOptions {
  readonly allowUnassigned: boolean;
}

/** Why a string failed preparation (for the caller's own error code). */
export type SaslprepFailure = "ill-formed" | "prohibited" | "bidi" | "unassigned";

/** The prepared string, or why preparation failed (callers pick their own code). */
export type SaslprepResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: SaslprepFailure };

// spec: RFC4013-2.1
// Non-ASCII spaces (RFC 3454 C.1.2) map to SPACE.
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
// spec: RFC4013-2.1
// "Commonly mapped to nothing" (RFC 3454 B.1) are removed, before the space mapping.
const MAPPED_TO_NOTHING =
  /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;

// spec: RFC4013-2.3
// RFC 3454 C.1.2 (left after NFKC), C.2.1 + C.2.2 (controls), C.3 (private
// use), C.4 (non-characters), C.5 (surrogates), C.6, C.7, C.8, C.9.
const PROHIBITED = new RegExp(
  [
    "[\\u00A0\\u1680\\u2000-\\u200B\\u202F\\u205F\\u3000]", // C.1.2
    "\\p{Cc}", // C.2.1, most of C.2.2
    "[\\u06DD\\u070F\\u180E\\u200C\\u200D\\u2028\\u2029\\u2060-\\u2063\\u206A-\\u206F\\uFEFF\\uFFF9-\\uFFFC]", // C.2.2
    "[\\u{1D173}-\\u{1D17A}]", // C.2.2 musical controls
    "\\p{Co}", // C.3
    "\\p{Noncharacter_Code_Point}", // C.4
    "\\p{Cs}", // C.5
    "[\\uFFF9-\\uFFFD]", // C.6
    "[\\u2FF0-\\u2FFB]", // C.7
    "[\\u0340\\u0341\\u200E\\u200F\\u202A-\\u202E\\u206A-\\u206F]", // C.8
    "[\\u{E0001}\\u{E0020}-\\u{E007F}]", // C.9
  ].join("|"),
  "u",
);

// spec: RFC4013-2.4 PD-40
// Approximations of Bidi classes R/AL and L (no Bidi_Class in JS regexps).
const RAND_AL =
  /(?![\p{M}\p{N}])[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;
const L_CAT =
  /(?![\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}])\p{L}/u;

// spec: RFC4013-2.5
const UNASSIGNED = /\p{Cn}/u;

/**
 * Prepares a string. Returns the prepared string, or the reason it failed.
 * Empty results are returned as they are; whether empty is allowed is the
 * caller's rule.
 */
export function saslprep(input: string, options: SaslprepOptions): SaslprepResult {
  const refuse = (reason: SaslprepFailure): SaslprepResult => ({ ok: false, reason });
  // spec: RFC4013-2.3
  // A lone surrogate is not a character at all (C.5).
  if (!input.isWellFormed()) return refuse("ill-formed");
  const mapped = input.replace(MAPPED_TO_NOTHING, "").replace(NON_ASCII_SPACE, " ");
  // spec: RFC4013-2.2
  const normalized = mapped.normalize("NFKC");
  if (PROHIBITED.test(normalized)) return refuse("prohibited");
  if (!options.allowUnassigned && UNASSIGNED.test(normalized)) return refuse("unassigned");
  const chars = [...normalized];
  // spec: RFC4013-2.4
  if (chars.some((c) => RAND_AL.test(c))) {
    if (chars.some((c) => L_CAT.test(c))) return refuse("bidi");
    if (!RAND_AL.test(chars[0]) || !RAND_AL.test(chars[chars.length - 1])) return refuse("bidi");
  }
  return { ok: true, value: normalized };
}
