/**
 * The Bidi Rule of RFC 5893 §2, as UsernameCaseMapped applies it to
 * localparts that contain right-to-left code points (RFC 8265 §3.3.2 step 5).
 *
 * The rule is stated over Bidi_Class, which ECMAScript's property escapes do
 * not expose. This module derives the class only where it can be sure and
 * refuses the rest (PD-32):
 * - ASCII: a fixed table;
 * - letters in the blocks Unicode allocates to right-to-left scripts are R or
 *   AL; marks (Mn, Me) there and the Combining Diacritical Marks are NSM;
 * - the decimal digits there come from a short table (AN, EN or R), and so
 *   do the four RFC 5892 exceptions there that are not letters;
 * - any other code point has an unknown class. A string with right-to-left
 *   code points and a code point of unknown class is refused. Such a code
 *   point is almost always a strong left-to-right letter, which the rule
 *   refuses anyway.
 * Strings without right-to-left code points are not subject to the rule.
 * The claims above were checked against Python's unicodedata (Unicode 14):
 * no letter, digit or mark outside the ranges below is R, AL or AN.
 *
 * @module
 */

type Approx = "R" | "AN" | "EN" | "ES" | "CS" | "ET" | "ON" | "NSM" | "L" | "?";

// The blocks Unicode reserves for right-to-left scripts.
const RTL_RANGES: readonly (readonly [number, number])[] = [
  [0x0590, 0x08ff],
  [0xfb1d, 0xfdff],
  [0xfe70, 0xfeff],
  [0x10800, 0x10fff],
  [0x1e800, 0x1efff],
];
const inRtlRange = (cp: number) => RTL_RANGES.some(([a, b]) => cp >= a && cp <= b);

// Decimal digits inside those blocks, by Bidi_Class.
const RTL_DIGITS: readonly (readonly [number, number, Approx])[] = [
  [0x0660, 0x0669, "AN"], // Arabic-Indic
  [0x06f0, 0x06f9, "EN"], // Extended Arabic-Indic
  [0x07c0, 0x07c9, "R"], // N'Ko
  [0x10d30, 0x10d39, "AN"], // Hanifi Rohingya
  [0x1e950, 0x1e959, "R"], // Adlam
];

const LETTER = /\p{L}/u;
const MARK = /[\p{Mn}\p{Me}]/u;
const DIGIT = /\p{Nd}/u;

function asciiClass(cp: number): Approx {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return "L";
  if (cp >= 0x30 && cp <= 0x39) return "EN";
  if (cp === 0x2b || cp === 0x2d) return "ES";
  if (cp === 0x2c || cp === 0x2e || cp === 0x2f || cp === 0x3a) return "CS";
  if (cp === 0x23 || cp === 0x24 || cp === 0x25) return "ET";
  if (cp > 0x20 && cp < 0x7f) return "ON";
  return "?"; // controls and space do not reach here from a localpart
}

/** The Bidi_Class of `cp` where this module can be sure of it, else "?". */
export function approxBidiClass(cp: number): Approx {
  if (cp < 0x80) return asciiClass(cp);
  if (cp >= 0x0300 && cp <= 0x036f) return "NSM";
  if (!inRtlRange(cp)) return "?";
  const c = String.fromCodePoint(cp);
  if (LETTER.test(c)) return "R"; // R or AL: the rule treats them alike
  // The RFC 5892 exceptions that are not letters: Hebrew geresh and gershayim
  // (R), two Sindhi signs (AL).
  if (cp === 0x05f3 || cp === 0x05f4 || cp === 0x06fd || cp === 0x06fe) return "R";
  if (MARK.test(c)) return "NSM";
  if (DIGIT.test(c)) {
    for (const [a, b, cls] of RTL_DIGITS) if (cp >= a && cp <= b) return cls;
  }
  return "?";
}

const ALLOWED_IN_RTL = new Set<Approx>(["R", "AN", "EN", "ES", "CS", "ET", "ON", "NSM"]);

/**
 * Returns why the code points break the Bidi Rule, or undefined when they
 * satisfy it (or contain no right-to-left code point, so the rule does not
 * apply). A string is treated as right-to-left when it has a code point in
 * a right-to-left block that is neither a mark nor a European digit.
 */
// spec: RFC5893-2 PD-32
export function bidiRuleViolation(cps: readonly number[]): string | undefined {
  // Fast path: plain ASCII and anything below the Hebrew block is left-to-right.
  if (!cps.some((cp) => cp >= 0x0590)) return undefined;
  const classes = cps.map(approxBidiClass);
  const rtl = cps.some((cp, i) => inRtlRange(cp) && classes[i] !== "NSM" && classes[i] !== "EN");
  if (!rtl) return undefined;
  // spec: RFC5893-2
  // 1. An RTL label starts with R or AL.
  if (classes[0] !== "R") return "a right-to-left string must start with a right-to-left letter";
  // 2. Only R, AL, AN, EN, ES, CS, ET, ON, BN, NSM in an RTL label.
  const bad = classes.findIndex((c) => !ALLOWED_IN_RTL.has(c));
  if (bad >= 0) {
    const cp = cps[bad].toString(16).toUpperCase().padStart(4, "0");
    return `U+${cp} is not allowed (or not known to be allowed) in right-to-left text`;
  }
  // 3. It ends with R, AL, EN or AN, then any number of NSM.
  let end = classes.length - 1;
  while (end > 0 && classes[end] === "NSM") end--;
  if (!["R", "EN", "AN"].includes(classes[end])) {
    return "a right-to-left string must end with a right-to-left letter or a digit";
  }
  // 4. EN and AN are not mixed.
  if (classes.includes("EN") && classes.includes("AN")) {
    return "European and Arabic-Indic digits are mixed in right-to-left text";
  }
  return undefined;
}
