/**
 * The tokenizer's whole-tag fast paths (a simple start tag, the end tag of
 * the innermost element, read in one go) against the saxes-based reader as
 * the oracle (PD-125): tags with every kind of whitespace, spacing around
 * `=`, both quotes, values that need a decision, names that are not QNames,
 * end tags that almost match, under small and default limits and cut into
 * chunks anywhere. Whatever the fast path takes must read as the
 * step-by-step path reads it; whatever it leaves must be refused at the same
 * place with the same code.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "./bytes.ts";
import {
  readDocument,
  type XmlEngineKind,
  type XmlEvent,
  type XmlLimits,
  XmlStreamReader,
} from "./xml.ts";

function summary(events: readonly XmlEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case "stream-open":
        return `open ${e.name} ${JSON.stringify(Object.entries(e.attrs))}`;
      case "stanza":
        return `stanza ${e.bytes} ${e.element.toString()} ${JSON.stringify(e.element.attrs)}`;
      case "stream-close":
        return "close";
      case "error":
        return `error ${e.error.code}`;
    }
  });
}

function readWith(
  engine: XmlEngineKind,
  bytes: Uint8Array,
  cuts: readonly number[],
  limits: Partial<XmlLimits>,
): string[] {
  const reader = new XmlStreamReader(limits, { engine });
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const events: XmlEvent[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    events.push(...reader.feed(bytes.subarray(from, to)));
    from = to;
  }
  return summary(events);
}

const space = fc.constantFrom(" ", " ", " ", "", "  ", "\t", "\n", "\r\n", "\r");
const tagName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "body", "ns1:q", "value", "_z", "a1", "x.y-z") },
  { weight: 1, arbitrary: fc.constantFrom("é", "aé", ":c", "a:b:c", "u:v", "xmlns:p", "a:", "1x") },
);
const attrName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("id", "to", "type", "ns1:a", "xml:lang", "xmlns", "q") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "xmlns:z",
      "xmlns:xml",
      "xmlns:ns1",
      "é",
      "aé",
      "1x",
      ":a",
      "a:",
      "p:a",
      "ns1:id",
    ),
  },
);
const attrValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom("", "v", "jabber:client", "urn:ns1", "x y", "a'b", 'a"b'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "a&amp;b",
      "&#65;",
      "<",
      ">",
      "\t",
      "\r\n",
      "é",
      "😀",
      "\u0001",
      " urn:z ",
    ),
  },
);
const equals = fc.constantFrom("=", "=", "=", "=", "=", " =", "= ", "\n=\t", "");
/** The value in quotes: mostly matching ones, sometimes none or a mismatched pair. */
const quoted = fc.tuple(
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(["'", "'"], ['"', '"']) },
    { weight: 1, arbitrary: fc.constantFrom(["", ""], ["'", '"'], ["'", ""]) },
  ),
  attrValue,
).map(([[open, close], v]) => open + v + close);
const attribute = fc.tuple(space, attrName, equals, quoted).map(([s, n, e, v]) => s + n + e + v);
const startEnd = fc.constantFrom(">", ">", ">", "/>", " >", " />", "/ >", "\n/>", "\r>", "x>", "/");
const endTag = (name: string) =>
  fc.constantFrom(
    `</${name}>`,
    `</${name}>`,
    `</${name}>`,
    `</${name} >`,
    `</${name}\n>`,
    `</${name}x>`,
    `</>`,
    `</${name}`,
  );

const { element } = fc.letrec((tie) => ({
  element: fc.tuple(
    tagName,
    fc.array(
      fc.oneof({ weight: 8, arbitrary: attribute }, { weight: 1, arbitrary: fc.constant("") }),
      {
        maxLength: 6,
      },
    ),
    startEnd,
    fc.array(
      fc.oneof({ depthSize: "small" }, fc.constantFrom("t", " ", "&amp;", "é"), tie("element")),
      {
        maxLength: 3,
      },
    ),
    fc.nat(),
  ).chain(([name, attrs, end, kids, k]) =>
    endTag(name).map((close) => {
      const open = `<${name}${attrs.join("")}`;
      return end.includes("/") && k % 2 === 0
        ? open + end
        : `${open}${end.includes("/") ? ">" : end}${(kids as string[]).join("")}${close}`;
    })
  ),
}));

const HEADER = "<stream:stream xmlns='jabber:client' xmlns:ns1='urn:ns1' " +
  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
const stream = fc.array(element, { minLength: 1, maxLength: 4 }).map((els) =>
  HEADER + els.map((e) => `<message id='s'>${e}</message>`).join("") + "</stream:stream>"
);

const limits = fc.constantFrom<Partial<XmlLimits>>(
  {},
  { maxStanzaBytes: 60 },
  { maxDepth: 2, maxAttributes: 2 },
  { maxStanzaBytes: 150, maxDepth: 4, maxAttributes: 4 },
);

Deno.test("whole-tag fast paths = saxes oracle on odd tags, any split (PD-125 PD-29 RFC6120-11.3 RFC6120-11.2)", () => {
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), limits, (textIn, cuts, lim) => {
      const bytes = utf8(textIn);
      const oracle = readWith("saxes", bytes, [], lim);
      assert.deepEqual(readWith("derlink", bytes, [], lim), oracle);
      assert.deepEqual(readWith("derlink", bytes, cuts, lim), oracle);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("whole-tag fast paths = saxes oracle on standalone documents (PD-125 PD-28)", () => {
  fc.assert(
    fc.property(element, limits, (doc, lim) => {
      const bytes = utf8(doc);
      assert.deepEqual(
        summary(readDocument(bytes, lim, { engine: "derlink" })),
        summary(readDocument(bytes, lim, { engine: "saxes" })),
      );
    }),
    { numRuns: 1500 },
  );
});

Deno.test("whole-tag fast paths: the stream header and a stanza read in one piece keep names, values and namespaces (PD-125 RFC6120-4.8.2.xml)", () => {
  const reader = new XmlStreamReader();
  const events = reader.feed(utf8(
    HEADER + "<message to='a@b' type=\"chat\"><ns1:x ns1:a='1' b='2'/><body>hi</body></message>",
  ));
  assert.deepEqual(summary(events), [
    `open stream:stream [["xmlns","jabber:client"],["xmlns:ns1","urn:ns1"],` +
    `["xmlns:stream","http://etherx.jabber.org/streams"],["version","1.0"]]`,
    `stanza 79 <message xmlns="jabber:client" xmlns:ns1="urn:ns1" to="a@b" type="chat">` +
    `<ns1:x ns1:a="1" b="2"/><body>hi</body></message> ` +
    `{"xmlns":"jabber:client","xmlns:ns1":"urn:ns1","to":"a@b","type":"chat"}`,
  ]);
});

Deno.test("an element's remembered attribute names never skip a check that depends on bindings (PD-125 RFC6120-11.2)", () => {
  const cases: [string, string][] = [
    // The same names twice; the second time both prefixes are bound to one namespace.
    [
      "<message><b xmlns:p='urn:x' ns1:a='1' p:a='2'/>" +
      "<b xmlns:p='urn:ns1' ns1:a='1' p:a='2'/></message>",
      "error xml/malformed",
    ],
    // The same names twice; the second time the prefix is not bound.
    [
      "<message><x xmlns:p='urn:p'><c p:a='1'/></x><c p:a='1'/></message>",
      "error xml/unbound-prefix",
    ],
    // A remembered shape, then the same names with one repeated.
    ["<message><d id='1' to='2'/><d id='1' id='2'/></message>", "error xml/malformed"],
  ];
  for (const [stanza, last] of cases) {
    const bytes = utf8(HEADER + stanza);
    const events = readWith("derlink", bytes, [], {});
    assert.equal(events.at(-1), last, stanza);
    assert.deepEqual(events, readWith("saxes", bytes, [], {}), stanza);
  }
});
