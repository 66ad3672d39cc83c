/**
 * derlink's XML tokenizer against the saxes-based reader as the oracle
 * (PD-125): on generated XMPP-like streams and on mutations of them (byte
 * flips, inserted `<!`, `<?`, `&`, `]]>`, quotes, deep nesting), cut into
 * chunks anywhere (inside UTF-8 characters too) and read under small and
 * default limits, both readers must give the same events, the same
 * serialised stanzas with their byte counts, and the same error code.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "./bytes.ts";
import { SLICE } from "./xml_engine.ts";
import { XmlLexer } from "./xml_lexer.ts";
import {
  readDocument,
  type XmlEngineKind,
  type XmlEvent,
  type XmlLimits,
  XmlStreamReader,
} from "./xml.ts";

/** What is compared: event kinds, header attributes, stanzas as text with byte counts, the code. */
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

const HEADER = "<stream:stream xmlns='jabber:client' xmlns:ns1='urn:ns1' " +
  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

/** Mostly harmless pieces of text, sometimes one that breaks a rule. */
const piece = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "a",
      " ",
      "\n",
      "\r",
      "\r\n",
      "\t",
      "é",
      "中",
      "😀",
      "&amp;",
      "&lt;",
      "&#x1F600;",
      "&#65;",
      ">",
      "]",
      "]]",
      "'",
      '"',
      "<![CDATA[x]]>",
      "<![CDATA[]]]]>",
      "<b/>",
      "<b>t</b>",
      "<ns1:q/>",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "&#65abc;",
      "&#0;",
      "&#xD800;",
      "&#X41;",
      "&nbsp;",
      "&a:b;",
      "&;",
      "]]>",
      "<!-- c -->",
      "<?pi x?>",
      "<?xml version='1.0'?>",
      "<!DOCTYPE x>",
      "<x:q/>",
      "<b a='1' a='2'/>",
      "<b xmlns:p='urn:p' p:a='1' p:a='2'/>",
      "<b xmlns:p=''/>",
      "<b a='<'/>",
      "<b a=x/>",
      "<b a='\t\r\n'/>",
      "</b>",
      "</message>",
      "<",
      "&",
      "\u0001",
      "\uFFFE",
      "\u{FEFF}",
      "\u0085",
      "<b xmlns:xml='urn:x'/>",
      "<xmlns:b/>",
      "<b:/>",
      "<b\r\n/>",
      "<![CDATA[a",
    ),
  },
);
const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(""));
/** Attribute values: mostly legal characters, sometimes any piece. */
const value = fc.array(
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.constantFrom("a", " ", "é", "&amp;", "&#65;", "\t", "\r\n", "😀", ">", "]]>"),
    },
    { weight: 1, arbitrary: piece },
  ),
  { maxLength: 5 },
).map((p) => p.join(""));

const { element } = fc.letrec((tie) => ({
  element: fc.tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom("body", "x", "ns1:q", "data", "é") },
      { weight: 1, arbitrary: fc.constantFrom("a:b:c", "u:v", "1x") },
    ),
    fc.uniqueArray(
      fc.tuple(fc.constantFrom("id", "to", "ns1:a", "xml:lang", "xmlns", "xmlns:z"), value),
      { selector: ([n]) => n, maxLength: 5 },
    ),
    fc.constantFrom("'", '"'),
    fc.array(fc.oneof({ depthSize: "small" }, text, tie("element")), { maxLength: 3 }),
  ).map(([name, attrs, q, kids]) =>
    `<${name}${attrs.map(([n, v]) => ` ${n}=${q}${v}${q}`).join("")}>${
      (kids as string[]).join("")
    }</${name}>`
  ),
}));

const stanza = fc.tuple(
  fc.constantFrom("message", "iq", "presence"),
  fc.array(element, {
    maxLength: 3,
  }),
).map(([n, kids]) => `<${n} id='s'>${kids.join("")}</${n}>`);

const stream = fc.tuple(
  fc.constantFrom("", "<?xml version='1.0'?>", "<?xml version='1.0' encoding='UTF-8'?>\n", " "),
  fc.array(fc.tuple(fc.constantFrom("", " ", "\r\n", "\n\n", "", " x"), stanza), { maxLength: 4 }),
  fc.constantFrom("", "</stream:stream>", "</stream:stream> ", "</stream:stream><a/>"),
).map(([decl, parts, end]) => decl + HEADER + parts.map(([w, s]) => w + s).join("") + end);

/** Mutations: flip a byte, insert a troublemaker, nest deeply. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip"), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert"),
    at: fc.nat(),
    what: fc.constantFrom("<!", "<?", "&", "]]>", "'", '"', "<", ">", "<!--", "--", "\r", "\u00e9"),
  }),
  fc.record({ kind: fc.constant("nest"), at: fc.nat(), depth: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(
  bytes: Uint8Array,
  muts: readonly { kind: string; at: number; byte?: number; what?: string; depth?: number }[],
): Uint8Array {
  let out = bytes;
  for (const m of muts) {
    const at = m.at % (out.length + 1);
    if (m.kind === "flip" && out.length > 0) {
      out = out.slice();
      out[at % out.length] = m.byte!;
    } else {
      const add = utf8(
        m.kind === "insert" ? m.what! : "<d>".repeat(m.depth!) + "</d>".repeat(m.depth!),
      );
      out = new Uint8Array([...out.subarray(0, at), ...add, ...out.subarray(at)]);
    }
  }
  return out;
}

const limits = fc.constantFrom<Partial<XmlLimits>>(
  {},
  { maxStanzaBytes: 40 },
  { maxStanzaBytes: 120 },
  { maxDepth: 3, maxAttributes: 4 },
  { maxStanzaBytes: 200, maxDepth: 5, maxAttributes: 5 },
);

Deno.test("tokenizer = saxes oracle on generated and mutated streams, any split (PD-125 PD-29 RFC6120-11.1)", () => {
  fc.assert(
    fc.property(
      stream,
      fc.array(mutation, { maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      limits,
      (textIn, muts, cuts, lim) => {
        const bytes = mutate(utf8(textIn), muts);
        const oracle = readWith("saxes", bytes, [], lim);
        assert.deepEqual(readWith("derlink", bytes, [], lim), oracle);
        assert.deepEqual(readWith("derlink", bytes, cuts, lim), oracle);
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("tokenizer = saxes oracle fed one byte at a time (PD-125 PD-29 RFC6120-11.6)", () => {
  fc.assert(
    fc.property(stream, fc.array(mutation, { maxLength: 2 }), limits, (textIn, muts, lim) => {
      const bytes = mutate(utf8(textIn), muts);
      const every = Array.from({ length: bytes.length }, (_, i) => i);
      assert.deepEqual(readWith("derlink", bytes, every, lim), readWith("saxes", bytes, [], lim));
    }),
    { numRuns: 300 },
  );
});

Deno.test("tokenizer = saxes oracle on standalone documents (PD-125 PD-28)", () => {
  fc.assert(
    fc.property(
      fc.oneof(element, stanza, text),
      fc.array(mutation, { maxLength: 2 }),
      limits,
      (doc, muts, lim) => {
        const bytes = mutate(utf8(doc), muts);
        assert.deepEqual(
          summary(readDocument(bytes, lim, { engine: "derlink" })),
          summary(readDocument(bytes, lim, { engine: "saxes" })),
        );
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("1 MiB text and attribute runs fed one byte at a time arrive whole (PD-125 PD-23)", () => {
  const run = "é".repeat(256 * 1024) + "a&amp;\r\n".repeat(64 * 1024); // 1 MiB, CRLF split everywhere
  const bytes = utf8(
    "<stream xmlns='jabber:client'><message a='" + "v\t".repeat(64 * 1024) +
      "'><body>" + run + "</body></message>",
  );
  const reader = new XmlStreamReader({ maxStanzaBytes: 2 * 1024 * 1024 });
  const events: XmlEvent[] = [];
  for (let at = 0; at < bytes.length; at++) {
    for (const e of reader.feed(bytes.subarray(at, at + 1))) events.push(e);
  }
  const stanza = events.find((e) => e.type === "stanza");
  assert.ok(stanza?.type === "stanza");
  assert.equal(
    stanza.element.getChildText("body"),
    run.replaceAll("&amp;", "&").replaceAll("\r\n", "\n"),
  );
  assert.equal(stanza.element.attrs.a, "v ".repeat(64 * 1024));
  assert.deepEqual(
    summary(events),
    readWith("saxes", bytes, [], { maxStanzaBytes: 2 * 1024 * 1024 }),
  );
});

Deno.test("default engine: 1 MiB of whitespace keepalives between stanzas is read and dropped (RFC6120-11.7 PD-125)", () => {
  const header = "<stream:stream xmlns='jabber:client' " +
    "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
  const reader = new XmlStreamReader({ maxStanzaBytes: 1024 });
  const events: XmlEvent[] = [...reader.feed(utf8(header + "<presence/>"))];
  const spaces = utf8(" \n\t\r".repeat(256)); // 1 KiB
  for (let i = 0; i < 1024; i++) events.push(...reader.feed(spaces));
  for (let i = 0; i < 4096; i++) events.push(...reader.feed(utf8(" "))); // one space at a time
  events.push(...reader.feed(utf8("<iq id='z'/></stream:stream>")));
  assert.deepEqual(events.map((e) => e.type), ["stream-open", "stanza", "stanza", "stream-close"]);
  assert.equal(
    events[2].type === "stanza" && events[2].element.toString(),
    '<iq xmlns="jabber:client" id="z"/>',
  );
});

Deno.test("default engine: a 10 MB stanza under a 1 MB limit is refused having read at most one slice past it (PD-23 PD-125 RFC6120-13.12)", () => {
  const limit = 1_000_000;
  const header = "<stream xmlns='jabber:client'>";
  const big = utf8(header + "<message><body>" + "x".repeat(10_000_000) + "</body></message>");
  const original = XmlLexer.prototype.load;
  let units = 0;
  XmlLexer.prototype.load = function (this: XmlLexer, text: string, start: number) {
    units += text.length;
    return original.call(this, text, start);
  };
  let events: XmlEvent[];
  try {
    events = new XmlStreamReader({ maxStanzaBytes: limit }).feed(big);
  } finally {
    XmlLexer.prototype.load = original;
  }
  assert.deepEqual(summary(events), [
    'open stream [["xmlns","jabber:client"]]',
    "error xml/size-limit",
  ]);
  assert.ok(units <= header.length + limit + SLICE, `the lexer was given ${units} units`);
});
