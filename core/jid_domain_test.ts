/**
 * Tests of domainpart preparation: the IDNA2008 derived property, label
 * syntax, A-labels, the cross-check with the URL parser (UTS #46), IP
 * literals and the numeric-label rule.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { idnaProperty, prepareDomainpart } from "./jid_domain.ts";
import { JidError } from "./jid_errors.ts";
import { isDerlinkError } from "./errors.ts";

const refused = (d: string, code: string) =>
  assert.throws(() => prepareDomainpart(d), (e) => isDerlinkError(e, code as never), d);

Deno.test("RFC5892-2: IDNA2008 derived property of known code points", () => {
  const expect: [number, string][] = [
    [0x61, "PVALID"],
    [0x2d, "PVALID"],
    [0x41, "DISALLOWED"], // upper case is unstable
    [0x5f, "DISALLOWED"], // underscore
    [0xe9, "PVALID"],
    [0xc9, "DISALLOWED"],
    [0xdf, "PVALID"], // exception
    [0x3c2, "PVALID"], // exception
    [0x131, "PVALID"], // dotless i is stable
    [0x200d, "CONTEXTJ"],
    [0xb7, "CONTEXTO"],
    [0xad, "DISALLOWED"], // ignorable
    [0x2603, "DISALLOWED"], // symbol
    [0x210c, "DISALLOWED"], // compatibility letter
    [0x20d0, "DISALLOWED"], // IgnorableBlocks
    [0x1d165, "DISALLOWED"], // musical symbol (Mc) in IgnorableBlocks
    [0x1100, "DISALLOWED"], // OldHangulJamo
    [0xac00, "PVALID"],
    [0x0378, "UNASSIGNED"],
    [0x4e2d, "PVALID"],
    [0x3000, "DISALLOWED"],
  ];
  for (const [cp, want] of expect) assert.equal(idnaProperty(cp), want, cp.toString(16));
});

Deno.test("RFC7622-3.2.2 RFC7622-3.2.1: mapping, A-labels to U-labels", () => {
  assert.equal(prepareDomainpart("EXAMPLE.com"), "example.com");
  assert.equal(prepareDomainpart("B\u00dcCHER.example"), "b\u00fccher.example");
  assert.equal(prepareDomainpart("xn--bcher-kva.example"), "b\u00fccher.example");
  assert.equal(prepareDomainpart("\uff45\uff58\uff0e\uff43\uff4f"), "ex.co");
  assert.equal(prepareDomainpart("ex\u3002co"), "ex.co");
  assert.equal(prepareDomainpart("ex\uff61co"), "ex.co", "halfwidth ideographic full stop");
  assert.equal(prepareDomainpart("\u0130stanbul.example"), "i\u0307stanbul.example");
});

Deno.test("RFC5890-2.3.1 RFC5891-4.2.3.1 RFC5891-4.2.3.2: label syntax", () => {
  assert.equal(prepareDomainpart("a-b.c-d"), "a-b.c-d");
  refused("a_b.example", JidError["invalid-domain"]);
  refused("-a.example", JidError["invalid-domain"]);
  refused("a-.example", JidError["invalid-domain"]);
  refused("ab--c.example", JidError["invalid-domain"]);
  refused("\u00fcb--c.example", JidError["invalid-domain"]);
  refused("\u00fc-.example", JidError["invalid-domain"]);
  refused("\u0301a.example", JidError["invalid-domain"]);
  refused("a..b", JidError["invalid-domain"]);
  refused("a" + "\u3002", JidError["invalid-domain"]);
  refused("a".repeat(64), JidError["domain-label-too-long"]);
  assert.equal(prepareDomainpart("a".repeat(63)), "a".repeat(63));
});

Deno.test("RFC5891-5.3: A-labels must decode to valid, mapped U-labels and round-trip", () => {
  refused("xn--99999999999.example", JidError["invalid-a-label"]);
  refused("xn--abc.example", JidError["invalid-a-label"]);
  refused("xn--e-xbb.example", JidError["invalid-a-label"]); // "e" + combining acute, not NFC
  refused("xn--wca.example", JidError["invalid-a-label"]); // "Ü", not lower case
  refused("xn--ls8h.example", JidError["invalid-a-label"]); // emoji
  assert.equal(prepareDomainpart("xn--zca.de"), "\u00df.de");
});

Deno.test("RFC5891-4.2.3.3 RFC5893-2 PD-33: URL parser as second opinion", () => {
  refused("a\u200db.example", JidError["context-rule"]);
  refused("\u05d0a.example", JidError["domain-rejected-by-idna"]);
  refused("x\u1f80.example", JidError["domain-rejected-by-idna"]);
  refused("\uab70.example", JidError["domain-rejected-by-idna"]);
  refused("\u13a0.example", JidError["domain-rejected-by-idna"]);
  assert.equal(prepareDomainpart("\u05d0\u05d1.example"), "\u05d0\u05d1.example");
  assert.equal(
    prepareDomainpart("\u0915\u094d\u200d\u0937.example"),
    "\u0915\u094d\u200d\u0937.example",
  );
  // Whatever derlink accepts, the URL parser accepts too, and maps to the same labels.
  const chars = fc.constantFrom(
    ..."ab-9\u00e9\u00fc\u00df\u03c3\u03c2\u0436\u4e2d\u30a2\u05d0\u0627\u0301",
  );
  fc.assert(
    fc.property(fc.array(chars, { minLength: 1, maxLength: 10 }), (a) => {
      const name = a.join("") + ".example";
      let out: string;
      try {
        out = prepareDomainpart(name);
      } catch (e) {
        assert.ok(isDerlinkError(e) && e.code.startsWith("jid/"));
        return;
      }
      const host = new URL(`http://${out}/`).hostname;
      assert.equal(prepareDomainpart(host), out);
    }),
    { numRuns: 300 },
  );
});

Deno.test("RFC3986-3.2.2 PD-34: IP literals", () => {
  assert.equal(prepareDomainpart("192.0.2.1"), "192.0.2.1");
  assert.equal(prepareDomainpart("[::1]"), "[::1]");
  assert.equal(prepareDomainpart("[0:0:0:0:0:0:0:1]"), "[::1]");
  assert.equal(prepareDomainpart("[2001:DB8:0:0:1::1]"), "[2001:db8::1:0:0:1]");
  assert.equal(prepareDomainpart("[::ffff:192.0.2.1]"), "[::ffff:c000:201]");
  refused("[v1.x]", JidError["invalid-ip-literal"]);
  refused("[fe80::1%25eth0]", JidError["invalid-ip-literal"]);
  refused("[1.2.3.4]", JidError["invalid-ip-literal"]);
  refused("[::1]:5222", JidError["invalid-ip-literal"]);
  refused("[12345::]", JidError["invalid-ip-literal"]);
});

Deno.test("RFC7622-3.2.b PD-33 PD-34: numbers are IPv4 dotted quads or nothing", () => {
  fc.assert(fc.property(fc.ipV4(), (ip) => assert.equal(prepareDomainpart(ip), ip)));
  for (
    const d of [
      "1.2.3",
      "256.0.0.1",
      "01.2.3.4",
      "0x7f.0.0.1",
      "127.1",
      "example.123",
      "a.0x",
      "a.0xff",
      "2130706433",
    ]
  ) {
    refused(d, JidError["invalid-domain"]);
  }
  assert.equal(prepareDomainpart("123.example"), "123.example");
  assert.equal(prepareDomainpart("example.0xg"), "example.0xg");
});

Deno.test("RFC7622-3.2.c RFC7622-3.2.d: trailing dot and emptiness", () => {
  assert.equal(prepareDomainpart("example.com."), "example.com");
  refused("", JidError["empty-domainpart"]);
  refused(".", JidError["empty-domainpart"]);
  refused("example.com..", JidError["invalid-domain"]);
});
