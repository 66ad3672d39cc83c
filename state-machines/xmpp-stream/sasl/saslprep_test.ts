/** SASLprep (RFC 4013) as profiled by PD-40: the RFC's examples and each step's tables. */
import assert from "node:assert/strict";
import { saslprep } from "./saslprep.ts";

const stored = (s: string) => saslprep(s, { allowUnassigned: false });
const query = (s: string) => saslprep(s, { allowUnassigned: true });
const reason = (r: ReturnType<typeof saslprep>) => (r.ok ? `ok:${r.value}` : r.reason);

Deno.test("RFC4013-2.1 RFC4013-2.2 RFC4013-2.3 RFC4013-2.4: the RFC 4013 §3 examples", () => {
  assert.equal(reason(stored("I\u00ADX")), "ok:IX");
  assert.equal(reason(stored("user")), "ok:user");
  assert.equal(reason(stored("USER")), "ok:USER");
  assert.equal(reason(stored("\u00AA")), "ok:a");
  assert.equal(reason(stored("\u2168")), "ok:IX");
  assert.equal(reason(stored("\u0007")), "prohibited");
  assert.equal(reason(stored("\u0627\u0031")), "bidi");
});

Deno.test("RFC4013-2.1: non-ASCII spaces become SPACE, mapped-to-nothing characters vanish (U+200B too)", () => {
  for (const sp of ["\u00A0", "\u1680", "\u2000", "\u2009", "\u202F", "\u205F", "\u3000"]) {
    assert.equal(reason(stored(`a${sp}b`)), "ok:a b", sp.codePointAt(0)!.toString(16));
  }
  for (
    const z of [
      "\u00AD",
      "\u034F",
      "\u1806",
      "\u180B",
      "\u200B",
      "\u200C",
      "\u200D",
      "\u2060",
      "\uFE0F",
      "\uFEFF",
    ]
  ) {
    assert.equal(reason(stored(`a${z}b`)), "ok:ab", z.codePointAt(0)!.toString(16));
  }
});

Deno.test("RFC4013-2.2: NFKC normalization", () => {
  assert.equal(reason(stored("\uFB01")), "ok:fi");
  assert.equal(reason(stored("A\u030A")), "ok:\u00C5");
  assert.equal(reason(stored("\uFF21\uFF22")), "ok:AB");
});

Deno.test("RFC4013-2.3: prohibited classes C.2-C.9 and lone surrogates", () => {
  const prohibited = [
    "\u0000",
    "\u001F",
    "\u007F", // C.2.1
    "\u0085",
    "\u06DD",
    "\u2028",
    "\u2063",
    "\uFFFC",
    "\u{1D173}", // C.2.2
    "\uE000",
    "\u{F0000}",
    "\u{10FFFD}", // C.3
    "\uFDD0",
    "\uFFFE",
    "\u{1FFFF}", // C.4
    "\uFFFD", // C.6
    "\u2FF0",
    "\u2FFB", // C.7
    "\u200E",
    "\u202E",
    "\u206F", // C.8
    "\u{E0001}",
    "\u{E0041}", // C.9
  ];
  for (const c of prohibited) {
    assert.equal(reason(query(`a${c}`)), "prohibited", c.codePointAt(0)!.toString(16));
  }
  // U+0340 is in C.8 but NFKC (step 2) already turned it into U+0300, as in stringprep itself.
  assert.equal(reason(query("a\u0340")), "ok:\u00E0");
  assert.equal(reason(query("a\uD800")), "ill-formed");
  assert.equal(reason(query("\uDC00a")), "ill-formed");
});

Deno.test("RFC4013-2.4 PD-40: bidirectional rule with approximate R/AL and L classes", () => {
  assert.equal(reason(stored("\u05D0\u05D1")), "ok:\u05D0\u05D1");
  assert.equal(reason(stored("\u0627\u0031\u0628")), "ok:\u0627\u0031\u0628");
  assert.equal(reason(stored("\u05D0a\u05D1")), "bidi");
  assert.equal(reason(stored("1\u05D0")), "bidi");
  assert.equal(reason(stored("\u05D0 ")), "bidi");
  assert.equal(reason(stored("abc 123")), "ok:abc 123");
});

Deno.test("RFC4013-2.5: unassigned code points refused in stored strings, allowed in queries", () => {
  assert.equal(reason(stored("a\u0378")), "unassigned");
  assert.equal(reason(query("a\u0378")), "ok:a\u0378");
  assert.equal(reason(stored("\u{E0080}")), "unassigned");
});

Deno.test("PD-40: empty input and input mapped to nothing are returned empty (the caller decides)", () => {
  assert.equal(reason(stored("")), "ok:");
  assert.equal(reason(stored("\u00AD")), "ok:");
});
