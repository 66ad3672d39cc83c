/**
 * The XML vectors through the conformance checkers (one code path for tests
 * and conformance), and fast-check properties: the events of a stream do not
 * depend on where its bytes are split, even inside a UTF-8 character.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../conformance/vector_testing.ts";
import fc from "fast-check";
import { utf8 } from "./bytes.ts";
import { listVectorFiles, loadVectorFile, type VectorTest } from "./vectors.ts";
import { checkers, inputBytes, observe, readStream } from "../conformance/suites/xml.ts";
import { type XmlEvent, type XmlLimits, XmlStreamReader } from "./xml.ts";

const files = listVectorFiles().filter((p) => p.startsWith("xml/"));

Deno.test("every XML vector passes its checker (PD-29)", async () => {
  const run = await runAreaVectors("xml/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.files.length > 0);
  assert.ok(run.invalid >= 40, `only ${run.invalid} negative vectors`);
  console.log(`  ${run.valid} valid and ${run.invalid} invalid XML vectors pass`);
});

/** Feeds `bytes` cut at the given offsets. */
function readSplit(
  bytes: Uint8Array,
  cuts: readonly number[],
  limits: Partial<XmlLimits>,
): XmlEvent[] {
  const reader = new XmlStreamReader(limits);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const events: XmlEvent[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    events.push(...reader.feed(bytes.subarray(from, to)));
    from = to;
  }
  return events;
}

Deno.test("vectors give the same events and code for any split (PD-29 RFC6120-11.6)", () => {
  const cases: { test: VectorTest; limits: Partial<XmlLimits> }[] = [];
  for (const path of files) {
    for (const group of loadVectorFile(path).testGroups) {
      if (group.type !== "xml-stream") continue;
      for (const test of group.tests) {
        cases.push({ test, limits: (group.limits ?? {}) as Partial<XmlLimits> });
      }
    }
  }
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: cases.length - 1 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (index, cuts) => {
        const { test, limits } = cases[index];
        const bytes = inputBytes(test);
        assert.deepEqual(
          observe(readSplit(bytes, cuts, limits)),
          observe(readStream(bytes, limits)),
        );
      },
    ),
    { numRuns: 600 },
  );
});

// --- random well-formed streams ------------------------------------------

const escapeText = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s: string) => escapeText(s).replace(/'/g, "&apos;").replace(/"/g, "&quot;");

/** XML 1.0 characters only (no C0 controls but tab/LF/CR, no U+FFFE/U+FFFF). */
const xmlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom("a", " ", "\n", "\t", "\r\n", "é", "中", "😀", "&", "<", "]]>", "\u{FEFF}"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
})
  // deno-lint-ignore no-control-regex -- removes the characters XML 1.0 forbids
  .map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu, "?"));

const names = fc.constantFrom("body", "x", "item", "ns1:q", "data");
const attrs = fc.uniqueArray(
  fc.tuple(fc.constantFrom("id", "to", "type", "ns1:a", "xml:lang", "v"), xmlText),
  {
    selector: ([n]) => n,
    maxLength: 3,
  },
);

const { element } = fc.letrec((tie) => ({
  element: fc.tuple(
    names,
    attrs,
    fc.boolean(),
    fc.array(fc.oneof({ depthSize: "small" }, xmlText.map((t) => ({ text: t })), tie("element")), {
      maxLength: 3,
    }),
  ).map(([name, as, declare, children]) => {
    const decl = declare ? " xmlns:ns1='urn:ns1'" : "";
    const attrText = as.map(([n, v]) => ` ${n}='${escapeAttr(v)}'`).join("");
    const inner = (children as ({ text: string } | string)[]).map((c) =>
      typeof c === "string" ? c : escapeText(c.text)
    ).join("");
    return `<${name}${decl}${attrText}>${inner}</${name}>`;
  }),
}));

const stanza = fc.tuple(
  fc.constantFrom("message", "iq", "presence"),
  fc.array(element, { maxLength: 3 }),
  fc.constantFrom("", "<![CDATA[<&>]]>", "&#x1F600;&lt;"),
)
  .map(([name, kids, extra]) => `<${name} id='s'>${kids.join("")}${extra}</${name}>`);

const HEADER = "<stream:stream xmlns='jabber:client' xmlns:ns1='urn:ns1' " +
  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

const stream = fc.tuple(
  fc.array(fc.tuple(fc.constantFrom("", " ", "\n", "\r\n\t"), stanza), { maxLength: 6 }),
  fc.boolean(),
).map(([parts, close]) =>
  HEADER + parts.map(([ws, s]) => ws + s).join("") + (close ? "</stream:stream>" : "")
);

Deno.test("random streams: events do not depend on where the bytes are split, even mid-character (PD-21 PD-29 RFC6120-11.6)", () => {
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
      const bytes = utf8(text);
      const whole = observe(readStream(bytes, {}));
      assert.equal(whole.error, undefined, `${whole.error} for ${text}`);
      assert.deepEqual(observe(readSplit(bytes, cuts, {})), whole);
      assert.deepEqual(observe(readStream(bytes, {}, 1)), whole);
    }),
    { numRuns: 300 },
  );
});
