/**
 * Tests of the restricted-XML stream reader: one test per error code, the
 * attack inputs of the issue (billion laughs, deep nesting, a 10 MB stanza,
 * long whitespace and text runs), namespaces on emitted stanzas, reset, and
 * the vectors through the conformance checkers.
 */
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";
import { concat, utf8 } from "./bytes.ts";
import { DerlinkError, isRegisteredCode } from "./errors.ts";
import {
  DEFAULT_MAX_ATTRIBUTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_STANZA_BYTES,
  parseElement,
  readDocument,
  streamErrorCondition,
  tryParseElement,
  XmlError,
  type XmlErrorCode,
  type XmlEvent,
  XmlStreamReader,
} from "./xml.ts";
import { SLICE } from "./xml_engine.ts";

const HEADER = "<stream:stream xmlns='jabber:client' " +
  "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
const STREAMS_NS = "http://etherx.jabber.org/streams";

/** Feeds text (or bytes) whole and returns the events. */
function read(input: string | Uint8Array, limits = {}): XmlEvent[] {
  return new XmlStreamReader(limits).feed(typeof input === "string" ? utf8(input) : input);
}

function errorCode(events: readonly XmlEvent[]): string | undefined {
  const last = events.at(-1);
  return last?.type === "error" ? last.error.code : undefined;
}

function stanzas(events: readonly XmlEvent[]): string[] {
  return events.flatMap((e) => e.type === "stanza" ? [e.element.toString()] : []);
}

/** One input per code, each breaking exactly that rule. */
const ONE_PER_CODE: Record<XmlErrorCode, { input: string | Uint8Array; limits?: object }> = {
  "xml/invalid-utf8": { input: new Uint8Array([...utf8(HEADER + "<message>"), 0xc3, 0x28]) },
  "xml/malformed": { input: HEADER + "<message><body></message>" },
  "xml/dtd": { input: "<!DOCTYPE stream [<!ENTITY a 'b'>]>" + HEADER },
  "xml/comment": { input: HEADER + "<!-- hi -->" },
  "xml/processing-instruction": { input: HEADER + "<message><?pi x?></message>" },
  "xml/undefined-entity": { input: HEADER + "<message>&nbsp;</message>" },
  "xml/unbound-prefix": { input: HEADER + "<x:message/>" },
  "xml/unsupported-encoding": { input: "<?xml version='1.0' encoding='latin1'?>" },
  "xml/unsupported-xml-version": { input: "<?xml version='1.1'?>" },
  "xml/text-at-stream-level": { input: HEADER + "<presence/> hello" },
  "xml/after-close": { input: HEADER + "</stream:stream>x" },
  "xml/second-root": { input: HEADER + "</stream:stream><stream:stream>" },
  "xml/depth-limit": { input: HEADER + "<iq><a><b/></a></iq>", limits: { maxDepth: 2 } },
  "xml/size-limit": {
    input: HEADER + "<message>0123456789</message>",
    limits: { maxStanzaBytes: 20 },
  },
  "xml/attribute-limit": { input: HEADER + "<message a='1' b='2'/>", limits: { maxAttributes: 1 } },
  "xml/incomplete": { input: "<a><b/>" }, // single documents only, below
};

for (const [code, { input, limits }] of Object.entries(ONE_PER_CODE)) {
  if (code === XmlError.incomplete) continue;
  Deno.test(`refuses with ${code} (RFC6120-11.1 RFC6120-11.3 PD-29)`, () => {
    const events = read(input, limits);
    assert.equal(errorCode(events), code);
    assert.equal(events.filter((e) => e.type === "error").length, 1);
  });
}

Deno.test("xml/incomplete: a document cut short (PD-28)", () => {
  const result = tryParseElement(ONE_PER_CODE[XmlError.incomplete].input);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, XmlError.incomplete);
  assert.throws(
    () => parseElement(""),
    (e) => e instanceof DerlinkError && e.code === XmlError.incomplete,
  );
  assert.throws(
    () => parseElement(new Uint8Array([0x3c, 0x61, 0x3e, 0xe2, 0x82])),
    (e) => e instanceof DerlinkError && e.code === XmlError["invalid-utf8"],
  );
});

Deno.test("every code is registered and maps to a stream-error condition (PD-27)", () => {
  for (const code of Object.values(XmlError)) {
    assert.ok(isRegisteredCode(code), code);
    assert.ok(code in ONE_PER_CODE, `no test input for ${code}`);
  }
  assert.equal(streamErrorCondition(XmlError.comment), "restricted-xml");
  assert.equal(streamErrorCondition(XmlError["undefined-entity"]), "restricted-xml");
  assert.equal(streamErrorCondition(XmlError["unsupported-encoding"]), "unsupported-encoding");
  assert.equal(streamErrorCondition(XmlError["size-limit"]), "policy-violation");
  assert.equal(streamErrorCondition(XmlError["text-at-stream-level"]), "bad-format");
  assert.equal(streamErrorCondition(XmlError["invalid-utf8"]), "not-well-formed");
  assert.equal(streamErrorCondition(XmlError["unbound-prefix"]), "not-well-formed");
});

Deno.test("reads a stream: header, stanzas as they complete, close (RFC6120-4.1.xml RFC6120-4.4.xml)", () => {
  const reader = new XmlStreamReader();
  const first = reader.feed(utf8("<?xml version='1.0'?>" + HEADER + "<message to='a@b'><body>"));
  assert.deepEqual(first, [{
    type: "stream-open",
    name: "stream:stream",
    attrs: {
      "xmlns": "jabber:client",
      "xmlns:stream": STREAMS_NS,
      "to": "example.com",
      "version": "1.0",
    },
  }]);
  const second = reader.feed(utf8("hi</body></message> \n<presence/></stream:stream>\n"));
  assert.deepEqual(second.map((e) => e.type), ["stanza", "stanza", "stream-close"]);
  assert.deepEqual(stanzas(second), [
    '<message xmlns="jabber:client" to="a@b"><body>hi</body></message>',
    '<presence xmlns="jabber:client"/>',
  ]);
  assert.equal(second[0].type === "stanza" && second[0].bytes, 43);
  assert.deepEqual(reader.feed(utf8("  ")), []);
});

Deno.test("emitted stanzas carry their namespace (RFC6120-4.8.2.xml PD-22)", () => {
  const events = read(
    HEADER + "<message><body>x</body></message>" +
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></stream:features>",
  );
  const [message, features] = events.flatMap((e) => e.type === "stanza" ? [e.element] : []);
  assert.equal(message.attrs.xmlns, "jabber:client");
  assert.equal(message.getNS(), "jabber:client");
  assert.equal(message.getChild("body").getNS(), "jabber:client");
  assert.equal(message.parent, null);
  assert.equal(features.getNS(), STREAMS_NS);
  assert.equal(features.getName(), "features");
  assert.equal(features.getChild("mechanisms").getNS(), "urn:ietf:params:xml:ns:xmpp-sasl");
  // The emitted element re-parses on its own to the same thing.
  assert.equal(parseElement(features.toString()).toString(), features.toString());
});

Deno.test("billion laughs is refused before any entity is expanded (RFC6120-11.1)", () => {
  let dtd = "<!ENTITY lol0 'lol'>";
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} '${`&lol${i - 1};`.repeat(10)}'>`;
  const doc = `<?xml version='1.0'?><!DOCTYPE lolz [${dtd}]><lolz>&lol9;</lolz>`;
  assert.equal(errorCode(read(doc)), XmlError.dtd);
  assert.equal(tryParseElement(doc).ok, false);
  // The same DTD inside a stream is refused as soon as "<!DOCTYPE" is seen.
  assert.equal(errorCode(read(HEADER + `<!DOCTYPE lolz [${dtd}]>`)), XmlError.dtd);
});

Deno.test("100,000 nested elements are refused at the depth limit without recursion (PD-25)", () => {
  const started = performance.now();
  const events = read(HEADER + "<a>".repeat(100_000) + "</a>".repeat(100_000));
  const ms = performance.now() - started;
  assert.equal(errorCode(events), XmlError["depth-limit"]);
  const detail = events.at(-1)?.type === "error"
    ? (events.at(-1) as { error: DerlinkError }).error.detail
    : "";
  assert.match(detail, new RegExp(`deeper than ${DEFAULT_MAX_DEPTH}`));
  console.log(`  100,000-deep nesting refused in ${ms.toFixed(1)} ms`);
});

/** Counts the UTF-16 units handed to saxes while `fn` runs. */
function countSaxesInput(fn: () => void): number {
  const original = SaxesParser.prototype.write;
  let units = 0;
  SaxesParser.prototype.write = function (this: SaxesParser, chunk: string | object | null) {
    if (typeof chunk === "string") units += chunk.length;
    return original.call(this, chunk);
  };
  try {
    fn();
  } finally {
    SaxesParser.prototype.write = original;
  }
  return units;
}

Deno.test("a 10 MB stanza is refused under a 1 MB limit without reading it all (PD-23 RFC6120-13.12)", () => {
  const limit = 1_000_000;
  const big = utf8("<message><body>" + "x".repeat(10_000_000) + "</body></message>");
  // Fed in 64 KiB chunks: refused in the chunk where the count passes the limit.
  const reader = new XmlStreamReader({ maxStanzaBytes: limit });
  reader.feed(utf8(HEADER));
  let fed = 0;
  let refusedAt = -1;
  for (let at = 0; at < big.length; at += 65_536) {
    const events = reader.feed(big.subarray(at, at + 65_536));
    fed += Math.min(65_536, big.length - at);
    if (refusedAt < 0 && events.length > 0) {
      assert.equal(errorCode(events), XmlError["size-limit"]);
      refusedAt = fed;
    } else assert.deepEqual(events, []);
  }
  assert.ok(refusedAt > limit && refusedAt <= limit + 65_536, `refused after ${refusedAt} bytes`);
  // Fed as one 10 MB chunk: saxes is handed at most one slice past the limit.
  let events: XmlEvent[] = [];
  const units = countSaxesInput(() => {
    const one = new XmlStreamReader({ maxStanzaBytes: limit });
    events = one.feed(concat(utf8(HEADER), big));
  });
  assert.equal(errorCode(events), XmlError["size-limit"]);
  assert.ok(units <= HEADER.length + limit + SLICE, `saxes was given ${units} units`);
});

Deno.test("1 MiB of whitespace keepalives between stanzas is read and dropped (RFC6120-11.7)", () => {
  // The saxes engine, whose input is counted below (the default engine: xml_tokenizer_test.ts).
  const reader = new XmlStreamReader({ maxStanzaBytes: 1024 }, { engine: "saxes" });
  const events: XmlEvent[] = [...reader.feed(utf8(HEADER + "<presence/>"))];
  const spaces = utf8(" \n\t\r".repeat(256)); // 1 KiB
  let units = 0;
  units = countSaxesInput(() => {
    for (let i = 0; i < 1024; i++) events.push(...reader.feed(spaces));
    for (let i = 0; i < 4096; i++) events.push(...reader.feed(utf8(" "))); // one space at a time
  });
  events.push(...reader.feed(utf8("<iq id='z'/></stream:stream>")));
  assert.deepEqual(events.map((e) => e.type), ["stream-open", "stanza", "stanza", "stream-close"]);
  assert.equal(stanzas(events)[1], '<iq xmlns="jabber:client" id="z"/>');
  assert.ok(units >= 1024 * 1024); // it went through saxes (with its text handler off)
});

Deno.test("a 1 MiB text run inside a stanza arrives whole (PD-23)", () => {
  const text = "é".repeat(512 * 1024); // 1 MiB of UTF-8, split mid-character by the chunks below
  const bytes = utf8(HEADER + "<message><body>" + text + "</body></message>");
  const reader = new XmlStreamReader({ maxStanzaBytes: 2 * 1024 * 1024 });
  const events: XmlEvent[] = [];
  for (let at = 0; at < bytes.length; at += 4_099) {
    events.push(...reader.feed(bytes.subarray(at, at + 4_099)));
  }
  const stanza = events.find((e) => e.type === "stanza");
  assert.ok(stanza?.type === "stanza");
  assert.equal(stanza.element.getChildText("body"), text);
  assert.equal(stanza.bytes, 1024 * 1024 + "<message><body></body></message>".length);
});

Deno.test("after an error the reader reports nothing more; reset starts a fresh stream (PD-29 RFC6120-5.4.3.3.xml RFC6120-6.4.6.xml)", () => {
  const reader = new XmlStreamReader();
  const events = reader.feed(utf8(HEADER + "<!-- x --><presence/>"));
  assert.equal(errorCode(events), XmlError.comment);
  assert.deepEqual(reader.feed(utf8("<presence/>")), []);
  reader.reset();
  const again = reader.feed(utf8(HEADER + "<presence/>"));
  assert.deepEqual(again.map((e) => e.type), ["stream-open", "stanza"]);
});

Deno.test("reset drops a half-read stanza and a half-read UTF-8 character (RFC6120-5.4.3.3.xml RFC6120-6.4.6.xml)", () => {
  const reader = new XmlStreamReader();
  reader.feed(new Uint8Array([...utf8(HEADER + "<message><body>"), 0xe2, 0x82]));
  reader.reset();
  const events = reader.feed(utf8(HEADER + "<presence/>"));
  assert.deepEqual(events.map((e) => e.type), ["stream-open", "stanza"]);
  assert.deepEqual(stanzas(events), ['<presence xmlns="jabber:client"/>']);
  // New limits on reset apply to the new stream.
  reader.reset({ maxStanzaBytes: 10 });
  assert.equal(
    errorCode(reader.feed(utf8(HEADER + "<presence type='unavailable'/>"))),
    XmlError["size-limit"],
  );
});

Deno.test("limits: defaults and validation (PD-20)", () => {
  assert.equal(DEFAULT_MAX_STANZA_BYTES, 256 * 1024);
  assert.equal(DEFAULT_MAX_DEPTH, 32);
  assert.equal(DEFAULT_MAX_ATTRIBUTES, 64);
  assert.deepEqual(new XmlStreamReader().limits, {
    maxDepth: 32,
    maxStanzaBytes: 262_144,
    maxAttributes: 64,
  });
  assert.equal(new XmlStreamReader({ maxDepth: 3 }).limits.maxDepth, 3);
  for (
    const bad of [{ maxDepth: 0 }, { maxStanzaBytes: 1.5 }, { maxAttributes: -1 }, {
      maxDepth: NaN,
    }]
  ) {
    assert.throws(
      () => new XmlStreamReader(bad),
      (e) => e instanceof DerlinkError && e.code === "core/invalid-argument",
    );
  }
});

Deno.test("U+FEFF at the start is a character, not a byte order mark (RFC6120-11.6 PD-21)", () => {
  assert.equal(
    errorCode(read(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(HEADER)]))),
    XmlError.malformed,
  );
});

Deno.test("readDocument reports the document element with its byte count (PD-28)", () => {
  const events = readDocument("<?xml version='1.0'?>\n<a xmlns='urn:x'>é</a>\n");
  assert.deepEqual(events.map((e) => e.type), ["stanza"]);
  assert.equal(events[0].type === "stanza" && events[0].bytes, 23);
  assert.equal(parseElement("<a xmlns='urn:x'><b/></a>").getChild("b").getNS(), "urn:x");
});
