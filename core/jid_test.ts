/**
 * Tests of the JID API (core/jid.ts): RFC 7622 examples, structure, case
 * rules, length limits, property tests, and every vector of vectors/jid/
 * through the conformance checkers.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../conformance/vector_testing.ts";
import fc from "fast-check";
import {
  bareJid,
  clearJidMemo,
  compareJids,
  formatJid,
  isBare,
  isFull,
  type Jid,
  jidEquals,
  JidError,
  parseJid,
  prepareJid,
  splitJid,
  tryParseJid,
  withResource,
} from "./jid.ts";
import { isDerlinkError, isRegisteredCode } from "./errors.ts";
import { checkers } from "../conformance/suites/jid.ts";

/** The code parseJid refuses `text` with (fails the test if it accepts). */
function codeOf(text: string): string {
  const r = tryParseJid(text);
  assert.ok(!r.ok, `expected ${JSON.stringify(text)} to be refused`);
  return r.error.code;
}
const canon = (text: string) => formatJid(parseJid(text));

// ---- arbitraries of valid canonical parts -------------------------------------------------

const LOCAL_CHARS = [..."abcdefghijklmnopqrstuvwxyz0123456789!#$%*+-.=?^_`{|}~\\,;()[]"].concat(
  [..."éüßçñøåæœıσςπλжщ中文日本アイ한국"],
);
const HEBREW = [..."אבגדהוזחטיכלמנסעפצקרשת"];
const RESOURCE_CHARS = [..."abcXYZ019 /@!\"&'<>:;.,-_~☃♚€ÄÖÜéñ中文アイ한مرحبا"].concat(["😀", "𝄞"]);
const LABEL_CHARS = [..."éüßçñøåæœжщ中文日本アイ한국"];

const localArb = fc.oneof(
  fc.array(fc.constantFrom(...LOCAL_CHARS), { minLength: 1, maxLength: 24 }).map((a) => a.join("")),
  fc.array(fc.constantFrom(...HEBREW), { minLength: 1, maxLength: 8 }).map((a) => a.join("")),
);
const resourceArb = fc.array(fc.constantFrom(...RESOURCE_CHARS), { minLength: 1, maxLength: 24 })
  .map((a) => a.join(""));
const ldhLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/)
  .filter((l) => l.slice(2, 4) !== "--");
const uLabel = fc.tuple(
  fc.array(fc.constantFrom(...LABEL_CHARS), { minLength: 1, maxLength: 6 }),
  fc.stringMatching(/^[a-z0-9]{0,4}$/),
).map(([u, a]) => u.join("") + a);
const nameArb = fc.array(fc.oneof(ldhLabel, uLabel), { minLength: 1, maxLength: 4 })
  .filter((ls) => !/^(?:[0-9]+|0x[0-9a-f]*)$/.test(ls[ls.length - 1]))
  .map((ls) => ls.join("."));
const domainArb = fc.oneof(
  { weight: 8, arbitrary: nameArb },
  { weight: 1, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.constantFrom("[::1]", "[2001:db8::1]", "[fe80::1:2]") },
);
const partsArb = fc.record(
  { local: localArb, domain: domainArb, resource: resourceArb },
  { requiredKeys: ["domain"] },
);
const textOf = (p: { local?: string; domain: string; resource?: string }) =>
  (p.local !== undefined ? p.local + "@" : "") + p.domain +
  (p.resource !== undefined ? "/" + p.resource : "");

// ---- RFC 7622 §3.5 examples ----------------------------------------------------------------

Deno.test("RFC7622-3.5: the RFC's valid examples parse to their canonical form", () => {
  const examples: [string, string][] = [
    ["juliet@example.com", "juliet@example.com"],
    ["juliet@example.com/foo", "juliet@example.com/foo"],
    ["juliet@example.com/foo bar", "juliet@example.com/foo bar"],
    ["juliet@example.com/foo@bar", "juliet@example.com/foo@bar"],
    ["foo\\20bar@example.com", "foo\\20bar@example.com"],
    ["fussball@example.com", "fussball@example.com"],
    ["fußball@example.com", "fußball@example.com"],
    ["π@example.com", "π@example.com"],
    ["Σ@example.com/foo", "σ@example.com/foo"],
    ["σ@example.com/foo", "σ@example.com/foo"],
    ["ς@example.com/foo", "ς@example.com/foo"],
    ["king@example.com/♚", "king@example.com/♚"],
    ["example.com", "example.com"],
    ["example.com/foobar", "example.com/foobar"],
    ["a.example.com/b@example.net", "a.example.com/b@example.net"],
  ];
  for (const [text, want] of examples) assert.equal(canon(text), want, text);
});

Deno.test("RFC7622-3.5: the RFC's invalid examples are refused with the expected codes", () => {
  assert.equal(codeOf('"juliet"@example.com'), JidError["localpart-forbidden-char"]);
  assert.equal(codeOf("foo bar@example.com"), JidError["localpart-forbidden-char"]);
  assert.equal(codeOf("juliet@example.com/"), JidError["empty-resourcepart"]);
  assert.equal(codeOf("@example.com/"), JidError["empty-localpart"]);
  assert.equal(codeOf("henryⅣ@example.com"), JidError["localpart-disallowed"]);
  assert.equal(codeOf("♚@example.com"), JidError["localpart-disallowed"]);
  assert.equal(codeOf("juliet@"), JidError["empty-domainpart"]);
  assert.equal(codeOf("/foobar"), JidError["empty-domainpart"]);
});

// ---- structure and comparison --------------------------------------------------------------

Deno.test("RFC7622-3.2.a RFC7622-3.1: split at the first '/', then the first '@', before mapping", () => {
  assert.deepEqual(splitJid("a@b/c/d"), { local: "a", domain: "b", resource: "c/d" });
  assert.deepEqual(splitJid("b/c@d"), { domain: "b", resource: "c@d" });
  assert.deepEqual(splitJid("a@b@c"), { local: "a", domain: "b@c" });
  assert.deepEqual(parseJid("a@b/c/d"), { local: "a", domain: "b", resource: "c/d" });
  // FULLWIDTH SOLIDUS and COMMERCIAL AT map to '/' and '@' only after the split.
  assert.deepEqual(splitJid("a\uff20b\uff0fc"), { domain: "a\uff20b\uff0fc" });
  assert.equal(codeOf("a\uff20b@example.com"), JidError["localpart-forbidden-char"]);
});

Deno.test("RFC7622-3.3.3 RFC7622-3.2.3 RFC7622-3.4.3: local and domain ignore case, resource does not", () => {
  const j = parseJid("Juliet@Example.COM/Balcony");
  assert.deepEqual(j, { local: "juliet", domain: "example.com", resource: "Balcony" });
  assert.ok(jidEquals(j, parseJid("JULIET@example.com/Balcony")));
  assert.ok(!jidEquals(j, parseJid("juliet@example.com/balcony")));
  assert.ok(!jidEquals(j, parseJid("juliet@example.com")));
});

Deno.test("RFC7622-3.2.c: one trailing dot is stripped, two are refused", () => {
  assert.equal(canon("juliet@example.com./r"), "juliet@example.com/r");
  assert.equal(codeOf("example.com.."), JidError["invalid-domain"]);
  assert.equal(codeOf("a@."), JidError["empty-domainpart"]);
});

Deno.test("bare, full, withResource and prepareJid", () => {
  const full = parseJid("juliet@example.com/balcony");
  assert.ok(isFull(full) && !isBare(full));
  const bare = bareJid(full);
  assert.deepEqual(bare, { local: "juliet", domain: "example.com" });
  assert.ok(isBare(bare) && !isFull(bare));
  assert.equal(bareJid(bare), bare);
  assert.equal(formatJid(withResource(bare, "Orchard\u00a0/x")), "juliet@example.com/Orchard /x");
  // spec: RFC7622-3.4.a
  assert.throws(
    () => withResource(bare, ""),
    (e) => isDerlinkError(e, JidError["empty-resourcepart"]),
  );
  assert.deepEqual(prepareJid({ local: "Ｒomeo", domain: "EXAMPLE.net", resource: "a@b/c" }), {
    local: "romeo",
    domain: "example.net",
    resource: "a@b/c",
  });
  assert.ok(Object.isFrozen(full));
});

Deno.test("hand-built Jid values are prepared before formatting and comparing", () => {
  const hand: Jid = { local: "Juliet", domain: "Example.COM.", resource: "R" };
  assert.equal(formatJid(hand), "juliet@example.com/R");
  assert.ok(jidEquals(hand, parseJid("juliet@example.com/R")));
  assert.throws(
    () => formatJid({ local: "", domain: "x" }),
    (e) => isDerlinkError(e, JidError["empty-localpart"]),
  );
  assert.throws(() => formatJid({ local: "a b", domain: "x" }));
});

Deno.test("RFC7622-3.1: non-strings and lone surrogates are refused with codes", () => {
  assert.throws(
    () => parseJid(42 as unknown as string),
    (e) => isDerlinkError(e, "core/invalid-argument"),
  );
  assert.equal(codeOf("a\ud800@example.com"), JidError["ill-formed-unicode"]);
  assert.equal(codeOf("a@example.com/\udc00"), JidError["ill-formed-unicode"]);
});

Deno.test("compareJids sorts by domain, then local, then resource, absent parts first", () => {
  const texts = [
    "b.example/r",
    "a@b.example",
    "b.example",
    "a@a.example",
    "a@b.example/r",
    "z@a.example",
  ];
  const sorted = texts.map(parseJid).sort(compareJids).map(formatJid);
  assert.deepEqual(sorted, [
    "a@a.example",
    "z@a.example",
    "b.example",
    "b.example/r",
    "a@b.example",
    "a@b.example/r",
  ]);
  // Code point order, not UTF-16 order: U+FF5E sorts before U+1F600.
  assert.ok(compareJids(parseJid("x/\uff5e"), parseJid("x/😀")) < 0);
});

// ---- length limits -------------------------------------------------------------------------

Deno.test("RFC7622-3.3.a RFC7622-3.2.d RFC7622-3.4.a: 1023 octets per part after preparation, 1024 refused", () => {
  const a = (n: number) => "a".repeat(n);
  assert.equal(parseJid(a(1023) + "@x").local!.length, 1023);
  assert.equal(codeOf(a(1024) + "@x"), JidError["localpart-too-long"]);
  assert.equal(parseJid("x/" + "😀".repeat(255) + "abc").resource!.length, 513);
  assert.equal(codeOf("x/" + "😀".repeat(256)), JidError["resourcepart-too-long"]);
  const label = a(63);
  const d1023 = Array(16).fill(label).join(".");
  assert.equal(parseJid(d1023).domain, d1023);
  assert.equal(codeOf(d1023 + "9"), JidError["domain-label-too-long"]);
  assert.equal(
    codeOf([...Array(15).fill(label), "b".repeat(62), "c"].join(".")),
    JidError["domainpart-too-long"],
  );
  // After preparation: 1534 octets of decomposed é are 1023 after NFC.
  assert.equal(parseJid("e\u0301".repeat(511) + "a@x").local, "é".repeat(511) + "a");
  assert.equal(codeOf("e\u0301".repeat(512) + "@x"), JidError["localpart-too-long"]);
  // Far too long input is refused before any mapping runs.
  assert.equal(codeOf(a(100_000) + "@x"), JidError["localpart-too-long"]);
  assert.equal(codeOf("x/" + a(100_000)), JidError["resourcepart-too-long"]);
  assert.equal(codeOf(a(100_000)), JidError["domainpart-too-long"]);
});

Deno.test("RFC7622-3.3.a: localpart length boundary over multi-octet characters (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 300, max: 400 }), fc.constantFrom("é", "ア", "𝒶"), (n, c) => {
      const r = tryParseJid(c.repeat(n) + "@example.com");
      const octets = new TextEncoder().encode(c.repeat(n)).length;
      if (c === "𝒶") return !r.ok; // MATHEMATICAL SCRIPT SMALL A has a compatibility mapping
      return octets <= 1023 ? r.ok : !r.ok && r.error.code === JidError["localpart-too-long"];
    }),
  );
});

// ---- properties ----------------------------------------------------------------------------

Deno.test("RFC7622-3.3.1 RFC7622-3.4.1 RFC7622-3.2.1: parse then format is the identity on canonical JIDs", () => {
  fc.assert(
    fc.property(partsArb, (p) => {
      const text = textOf(p);
      const j = parseJid(text);
      assert.deepEqual({ ...j }, { ...p });
      assert.equal(formatJid(j), text);
    }),
    { numRuns: 300 },
  );
});

const messyChar = fc.constantFrom(
  ..."aZ9@/.-_ \u00a0\u3000\uff21\uff0e\uff20\uff0f\u0301\u0308\u200d\u200c\u00b7\u30fb" +
    "\u05d0\u0628\u0661\u06f1ßςΣİ\u212a\u2163\u1100\u1161\u11a8\u0000\u0009\u00adé☃😀",
);
const messyText = fc.array(messyChar, { maxLength: 16 }).map((a) => a.join(""));

Deno.test("RFC7622-3.1: format(parse(x)) is idempotent and parses to an equal JID", () => {
  fc.assert(
    fc.property(fc.oneof(messyText, fc.string({ unit: "grapheme" }), partsArb.map(textOf)), (x) => {
      const r = tryParseJid(x);
      if (!r.ok) return;
      const once = formatJid(r.value);
      const again = parseJid(once);
      assert.equal(formatJid(again), once);
      assert.ok(jidEquals(r.value, again));
      assert.equal(compareJids(r.value, again), 0);
    }),
    { numRuns: 500 },
  );
});

Deno.test("tryParseJid is total: any UTF-16 text gives a JID or a registered jid/ code", () => {
  // Any code point, and any UTF-16 unit (so lone surrogates too).
  const anyCodePoints = fc.array(fc.nat({ max: 0x10ffff }), { maxLength: 24 })
    .map((cps) => cps.map((c) => String.fromCodePoint(c)).join(""));
  const anyUnits = fc.array(fc.nat({ max: 0xffff }), { maxLength: 24 })
    .map((us) => String.fromCharCode(...us));
  fc.assert(
    fc.property(fc.oneof(anyCodePoints, anyUnits, messyText), (x) => {
      const r = tryParseJid(x);
      if (!r.ok) {
        assert.ok(r.error.code.startsWith("jid/") && isRegisteredCode(r.error.code), r.error.code);
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("PD-272: the memo of prepared JIDs gives the answers preparation gives, refusals included", () => {
  // spec: PD-272
  const anyCodePoints = fc.array(fc.nat({ max: 0x10ffff }), { maxLength: 24 })
    .map((cps) => cps.map((c) => String.fromCodePoint(c)).join(""));
  const answer = (x: string) => {
    const r = tryParseJid(x);
    return r.ok ? { jid: r.value, text: formatJid(r.value) } : { code: r.error.code };
  };
  fc.assert(
    fc.property(fc.array(fc.oneof(anyCodePoints, messyText), { maxLength: 6 }), (texts) => {
      const warm = [...texts, ...texts].map(answer);
      clearJidMemo();
      const cold = [...texts, ...texts].map(answer);
      assert.deepEqual(warm, cold);
      // A memo hit is the same frozen value.
      for (const a of warm) if ("jid" in a) assert.ok(Object.isFrozen(a.jid));
    }),
    { numRuns: 300 },
  );
  // A refusal is never remembered as anything else.
  assert.equal(codeOf("@example.com"), codeOf("@example.com"));
  // Far more distinct JIDs than one generation holds: every answer stays right.
  for (let i = 0; i < 70_000; i += 1) {
    const text = `Der${i}@Grid.Example/plc`;
    if (i % 9_973 === 0) assert.equal(canon(text), `der${i}@grid.example/plc`);
    else parseJid(text);
  }
  assert.equal(canon("Der5@Grid.Example/plc"), "der5@grid.example/plc");
});

Deno.test("RFC7622-3.3.1 RFC8264-4.3 RFC5890-2.3.1: injected faults give the expected codes", () => {
  fc.assert(fc.property(partsArb, fc.constantFrom(..."\"&':<> "), fc.nat(), (p, bad, at) => {
    const local = p.local ?? "user";
    const i = at % (local.length + 1);
    const broken = { ...p, local: local.slice(0, i) + bad + local.slice(i) };
    assert.equal(codeOf(textOf(broken)), JidError["localpart-forbidden-char"]);
    const resource = (p.resource ?? "r") + "\u0007";
    assert.equal(codeOf(textOf({ ...p, resource })), JidError["resourcepart-disallowed"]);
    assert.equal(
      codeOf(textOf({ ...p, resource: undefined }) + "/"),
      JidError["empty-resourcepart"],
    );
    assert.equal(codeOf("@" + textOf({ ...p, local: undefined })), JidError["empty-localpart"]);
    if (!p.domain.startsWith("[") && !/^[0-9.]+$/.test(p.domain)) {
      assert.equal(codeOf(textOf({ ...p, domain: "x_" + p.domain })), JidError["invalid-domain"]);
    }
  }));
});

Deno.test("RFC7622-3.3.3 RFC7622-3.4.3: upper-casing changes local/domain never, the resource always", () => {
  fc.assert(fc.property(partsArb, (p) => {
    const j = parseJid(textOf(p));
    const upper = (s?: string) => s?.replace(/[a-z]/g, (c) => c.toUpperCase());
    assert.ok(
      jidEquals(j, parseJid(textOf({ ...p, local: upper(p.local), domain: upper(p.domain)! }))),
    );
    if (p.resource !== undefined && upper(p.resource) !== p.resource) {
      assert.ok(!jidEquals(j, parseJid(textOf({ ...p, resource: upper(p.resource) }))));
    }
  }));
});

Deno.test("compareJids is a total order consistent with jidEquals", () => {
  fc.assert(fc.property(partsArb, partsArb, partsArb, (p, q, r) => {
    const [a, b, c] = [p, q, r].map((x) => parseJid(textOf(x)));
    assert.equal(Math.sign(compareJids(a, b)), -Math.sign(compareJids(b, a)));
    assert.equal(compareJids(a, b) === 0, jidEquals(a, b));
    if (compareJids(a, b) <= 0 && compareJids(b, c) <= 0) assert.ok(compareJids(a, c) <= 0);
  }));
});

// ---- vectors -------------------------------------------------------------------------------

Deno.test("RFC7622-3.5: every vector of vectors/jid passes its checker", async () => {
  const run = await runAreaVectors("jid/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.files.length >= 1);
  assert.ok(run.valid + run.invalid >= 100);
});
