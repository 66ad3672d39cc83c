/**
 * Tests of the PRECIS pieces behind JIDs: the derived property, the RFC 5892
 * exceptions and contextual rules, width mapping, the two profiles and the
 * conservative Bidi Rule.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  enforceLocalpart,
  enforceResourcepart,
  precisProperty,
  utf8Length,
  widthMap,
} from "./jid_precis.ts";
import { codePoints, contextRuleHolds, exceptionValue, isVirama } from "./jid_context.ts";
import { approxBidiClass, bidiRuleViolation } from "./jid_bidi.ts";
import { JidError } from "./jid_errors.ts";
import { isDerlinkError } from "./errors.ts";

const refused = (f: () => unknown, code: string) =>
  assert.throws(f, (e) => isDerlinkError(e, code as never), code);

Deno.test("RFC8264-8 RFC8264-9: derived property of known code points", () => {
  const expect: [number, string][] = [
    [0x41, "PVALID"], // ASCII7
    [0x7e, "PVALID"],
    [0x20, "ID_DIS_FREE_PVAL"], // Spaces
    [0x09, "DISALLOWED"], // Controls
    [0x7f, "DISALLOWED"],
    [0x00a0, "ID_DIS_FREE_PVAL"], // HasCompat
    [0x00ad, "DISALLOWED"], // Default_Ignorable
    [0x00e9, "PVALID"], // LetterDigits
    [0x00df, "PVALID"], // exception
    [0x0640, "DISALLOWED"], // exception
    [0x00b7, "CONTEXTO"],
    [0x0378, "UNASSIGNED"],
    [0x01c5, "ID_DIS_FREE_PVAL"], // Lt with a compatibility decomposition
    [0x1100, "DISALLOWED"], // OldHangulJamo
    [0x200c, "CONTEXTJ"],
    [0x200b, "DISALLOWED"],
    [0x2028, "DISALLOWED"], // Zl: none of the listed categories
    [0x2163, "ID_DIS_FREE_PVAL"], // Nl with compat
    [0x2603, "ID_DIS_FREE_PVAL"], // Symbols
    [0x2014, "ID_DIS_FREE_PVAL"], // Punctuation
    [0x20e3, "ID_DIS_FREE_PVAL"], // Me (OtherLetterDigits)
    [0xe000, "DISALLOWED"], // private use
    [0xfdd0, "DISALLOWED"], // noncharacter, not unassigned
    [0xfeff, "DISALLOWED"],
    [0xfe0f, "DISALLOWED"], // variation selector
    [0x1f600, "ID_DIS_FREE_PVAL"],
    [0x1d4b6, "ID_DIS_FREE_PVAL"], // mathematical script a
    [0x20000, "PVALID"], // CJK extension B
    [0xe0001, "DISALLOWED"], // language tag (ignorable)
    [0x10ffff, "DISALLOWED"],
  ];
  for (const [cp, want] of expect) assert.equal(precisProperty(cp), want, cp.toString(16));
  // The BMP memo gives the same answer the second time.
  for (const [cp, want] of expect) assert.equal(precisProperty(cp), want);
});

Deno.test("RFC5892-2.6: the exceptions table", () => {
  for (const cp of [0xdf, 0x3c2, 0x6fd, 0x6fe, 0xf0b, 0x3007]) {
    assert.equal(exceptionValue(cp), "PVALID");
  }
  for (const cp of [0xb7, 0x375, 0x5f3, 0x5f4, 0x30fb, 0x660, 0x669, 0x6f0, 0x6f9]) {
    assert.equal(exceptionValue(cp), "CONTEXTO");
  }
  for (const cp of [0x640, 0x7fa, 0x302e, 0x302f, 0x3031, 0x3035, 0x303b]) {
    assert.equal(exceptionValue(cp), "DISALLOWED");
  }
  assert.equal(exceptionValue(0x61), undefined);
});

Deno.test("PD-31: virama detection by canonical reordering", () => {
  // Devanagari, Bengali, Tamil, Malayalam, Sinhala, Tibetan, Myanmar, Balinese (Mc), Brahmi.
  for (const cp of [0x094d, 0x09cd, 0x0bcd, 0x0d4d, 0x0dca, 0x0f84, 0x1039, 0x1b44, 0x11046]) {
    assert.ok(isVirama(cp), cp.toString(16));
  }
  // Nukta (7), kana voiced mark (8), sheva (10), acute (230), letters, decomposables.
  for (const cp of [0x093c, 0x3099, 0x05b0, 0x0301, 0x61, 0x0915, 0x0958]) {
    assert.ok(!isVirama(cp), cp.toString(16));
  }
});

Deno.test("RFC5892-A.1 RFC5892-A.2 RFC5892-A.3 RFC5892-A.4 RFC5892-A.5 RFC5892-A.6 RFC5892-A.7 RFC5892-A.8 RFC5892-A.9: contextual rules", () => {
  const holds = (s: string, i: number) => contextRuleHolds(codePoints(s), i);
  assert.ok(holds("\u0915\u094d\u200d", 2) && holds("\u0915\u094d\u200c", 2));
  assert.ok(!holds("a\u200d", 1) && !holds("\u200d", 0) && !holds("a\u200c", 1));
  // spec: PD-31
  assert.ok(!holds("\u0628\u200c\u0628", 1), "Joining_Type branch is not evaluated");
  assert.ok(holds("l\u00b7l", 1) && !holds("l\u00b7", 1) && !holds("a\u00b7l", 1));
  assert.ok(holds("\u0375\u03b1", 0) && !holds("\u0375a", 0) && !holds("\u0375", 0));
  assert.ok(holds("\u05d0\u05f3", 1) && holds("\u05d0\u05f4", 1) && !holds("a\u05f3", 1));
  assert.ok(holds("\u30a2\u30fb", 1) && holds("\u30fb\u6f22", 0) && !holds("a\u30fb", 1));
  assert.ok(holds("\u0661\u0662", 0) && !holds("\u0661\u06f2", 0));
  assert.ok(holds("\u06f1\u06f2", 0) && !holds("\u06f1\u0662", 0));
  assert.ok(!holds("a", 0), "a code point without a rule");
});

Deno.test("RFC8265-3.3.2 PD-30: width mapping is single-step and only for wide/narrow forms", () => {
  assert.equal(widthMap("\uff21\uff42\uff10\uff0e\u3000"), "Ab0. ");
  assert.equal(widthMap("\uff76\uff9e"), "\u30ab\u3099"); // halfwidth katakana + voiced mark
  assert.equal(widthMap("\uffa1\uffa0\uffe3"), "\u3131\u3164\u00af"); // one step, not NFKD
  assert.equal(widthMap("abc\u2126\u212a"), "abc\u2126\u212a"); // not width forms
  for (let cp = 0xff01; cp <= 0xffee; cp++) {
    const out = widthMap(String.fromCodePoint(cp));
    assert.equal([...out].length, 1, cp.toString(16));
  }
});

Deno.test("RFC8265-3.3.2: UsernameCaseMapped maps, then checks", () => {
  assert.equal(enforceLocalpart("JuLiEt"), "juliet");
  assert.equal(enforceLocalpart("\uff2a\uff55\uff4c"), "jul");
  assert.equal(enforceLocalpart("\u212a"), "k");
  assert.equal(enforceLocalpart("ΣΑΣ"), "σας");
  assert.equal(enforceLocalpart("e\u0301"), "é");
  refused(() => enforceLocalpart("a b"), JidError["localpart-forbidden-char"]);
  refused(() => enforceLocalpart("a\u2163"), JidError["localpart-disallowed"]);
  refused(() => enforceLocalpart("a\u200d"), JidError["context-rule"]);
  refused(() => enforceLocalpart("\u05d0a"), JidError["bidi-rule"]);
  refused(() => enforceLocalpart("a".repeat(1024)), JidError["localpart-too-long"]);
});

Deno.test("RFC8265-4.2.2: OpaqueString maps spaces and NFC only", () => {
  assert.equal(enforceResourcepart("A\u00a0B\u2003C"), "A B C");
  assert.equal(enforceResourcepart("\uff21 Σ"), "\uff21 Σ");
  assert.equal(enforceResourcepart("e\u0301/@"), "é/@");
  refused(() => enforceResourcepart("a\u0000"), JidError["resourcepart-disallowed"]);
  refused(() => enforceResourcepart("\u200c"), JidError["context-rule"]);
  refused(() => enforceResourcepart("r".repeat(1024)), JidError["resourcepart-too-long"]);
});

Deno.test("PD-30: enforcement output is a fixed point of the mappings", () => {
  const pool = fc.constantFrom(
    ..."aZß\u0130\u03a3\u03c3\u1e9e\u212a\uff21\u0301\u0308\u00a0\u3000e\u1100\u1161\u11a8",
  );
  fc.assert(
    fc.property(fc.array(pool, { minLength: 1, maxLength: 12 }), (a) => {
      const s = a.join("");
      for (const f of [enforceLocalpart, enforceResourcepart]) {
        let out: string;
        try {
          out = f(s);
        } catch (e) {
          assert.ok(isDerlinkError(e));
          continue;
        }
        assert.equal(f(out), out);
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("utf8Length counts octets like TextEncoder", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (s) => {
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length);
  }));
});

Deno.test("RFC5893-2 PD-32: Bidi Rule over known classes", () => {
  const v = (s: string) => bidiRuleViolation(codePoints(s));
  assert.equal(v("juliet"), undefined);
  assert.equal(v("\u06f1\u06f2"), undefined, "European digits alone are not right-to-left");
  assert.equal(v("\u05e9\u05dc\u05d5\u05dd"), undefined);
  assert.equal(v("\u05d0\u05b0\u05d1"), undefined, "NSM inside");
  assert.equal(v("\u05d01"), undefined);
  assert.equal(v("\u0645\u0661\u0662"), undefined);
  assert.equal(v("\u05d0.\u05d1"), undefined, "neutral punctuation inside");
  assert.equal(v("\u05d0\u05f3"), undefined, "geresh is R");
  assert.match(v("1\u05d0")!, /start/);
  assert.match(v("\u05d0a")!, /U\+0061/);
  assert.match(v("\u05d0-")!, /end/);
  assert.match(v("\u05d01\u0661")!, /mixed/);
  assert.match(v("\u0661")!, /start/, "Arabic-Indic digit alone is AN: right-to-left");
  assert.match(v("\u05d0\u0915")!, /U\+0915/, "unknown class in right-to-left text");
  assert.equal(approxBidiClass(0x0301), "NSM");
  assert.equal(approxBidiClass(0x0627), "R");
  assert.equal(approxBidiClass(0x07c1), "R");
  assert.equal(approxBidiClass(0x10d31), "AN");
  assert.equal(approxBidiClass(0x4e00), "?");
});
