/**
 * Stanzas per second through the XMPP initiator in the bound phase: bytes
 * into a StreamDriver (XML reader + machine step + dispatch to a `stanza`
 * output) for ~1 KB message stanzas, beside @xmpp/xml's parser (xmpp.js,
 * ltx underneath; element events only, no stream logic) on the same bytes
 * in the same run, and derlink's XML reader alone to show where the time
 * goes. Chunks of 4 KiB, as a socket would deliver them.
 *
 * Run: deno bench --allow-read bench/xmpp_stream_bench.ts
 *
 * @module
 */
import { Parser as XmppJsParser } from "@xmpp/xml";
import { SaxesParser } from "saxes";
import { utf8 } from "../core/bytes.ts";
import { XmlStreamReader } from "../core/xml.ts";
import { Pair } from "../state-machines/xmpp-stream/pair.ts";
import { clientConfig, DOMAIN, serverConfig } from "../state-machines/xmpp-stream/testing.ts";

const STANZAS = 1000;
const CHUNK = 4096;
const JULIET = `juliet@${DOMAIN}/balcony`;

/** A ~1 KB chat message with an IEC 61850-style report payload, as the server routes it. */
function messageStanza(i: number): string {
  const values = Array.from(
    { length: 6 },
    (_, k) =>
      `<value name='MMXU1.W.phs${k}.cVal.mag.f' q='good' t='2024-01-01T00:00:0${k}Z'>${
        (1000 + i * 7 + k).toFixed(3)
      }</value>`,
  ).join("");
  const base = `<message xmlns='jabber:client' from='romeo@${DOMAIN}/orchard' to='${JULIET}' ` +
    `type='chat' id='m${i}'><body>report ${i} &amp; status</body>` +
    `<x xmlns='urn:derlink:61850'><report id='r${i}' seq='${i}'>${values}</report></x>`;
  const pad = Math.max(0, 1024 - base.length - "<thread></thread></message>".length);
  return `${base}<thread>${"t".repeat(pad)}</thread></message>`;
}

const batch = utf8(Array.from({ length: STANZAS }, (_, i) => messageStanza(i)).join(""));
const chunks: Uint8Array[] = [];
for (let at = 0; at < batch.length; at += CHUNK) chunks.push(batch.subarray(at, at + CHUNK));
const HEADER =
  `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' ` +
  `from='${DOMAIN}' id='s1' version='1.0' xml:lang='en'>`;

/** A client StreamDriver in the bound phase (negotiated in memory with the receiver machine). */
function boundDriver() {
  const pair = new Pair({
    client: clientConfig("bench"),
    server: serverConfig("bench"),
    checked: false,
  }).start();
  const driver = pair.client.driver;
  if (driver.state.phase !== "bound") throw new Error(`not bound: ${driver.state.phase}`);
  return driver;
}

const driver = boundDriver();
function throughInitiator(): number {
  let n = 0;
  for (const c of chunks) {
    for (const o of driver.receive(c)) if (o.type === "stanza") n++;
  }
  return n;
}

const reader = new XmlStreamReader();
reader.feed(utf8(HEADER));
function readerOnly(): number {
  let n = 0;
  for (const c of chunks) for (const e of reader.feed(c)) if (e.type === "stanza") n++;
  return n;
}

const parser = new XmppJsParser();
const decoder = new TextDecoder();
let xmppJsCount = 0;
parser.on("element", () => xmppJsCount++);
parser.write(HEADER);
function xmppJs(): number {
  const before = xmppJsCount;
  for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
  return xmppJsCount - before;
}

/** saxes alone (strict XML 1.0 + namespaces, as the reader configures it), no tree. */
const saxes = new SaxesParser({ xmlns: true });
const saxesDecoder = new TextDecoder("utf-8", { fatal: true });
let depth = 0;
let saxesCount = 0;
saxes.on("opentag", () => depth++);
saxes.on("closetag", () => {
  if (--depth === 1) saxesCount++;
});
saxes.write(HEADER);
function rawSaxes(): number {
  const before = saxesCount;
  for (const c of chunks) saxes.write(saxesDecoder.decode(c, { stream: true }));
  return saxesCount - before;
}

/** The machine step and dispatch alone: the same stanzas as already-parsed reader events. */
const preParsed = (() => {
  const r = new XmlStreamReader();
  r.feed(utf8(HEADER));
  return chunks.flatMap((c) => r.feed(c));
})();
const stepDriver = boundDriver();
function stepOnly(): number {
  let n = 0;
  for (const event of preParsed) {
    for (const o of stepDriver.input({ type: "xml", event })) if (o.type === "stanza") n++;
  }
  return n;
}

for (
  const [name, f] of [
    ["initiator", throughInitiator],
    ["reader", readerOnly],
    ["@xmpp/xml", xmppJs],
    ["saxes", rawSaxes],
    ["step", stepOnly],
  ] as const
) {
  const n = f();
  if (n !== STANZAS) throw new Error(`${name} counted ${n} stanzas, expected ${STANZAS}`);
}

/** Stanzas per second over about `ms` milliseconds. */
function rate(fn: () => number, ms = 1_000): number {
  fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) n += fn();
  return n / ((performance.now() - start) / 1000);
}
const theirs = rate(xmppJs);
const ours = rate(throughInitiator);
const parseOnly = rate(readerOnly);
const tokenOnly = rate(rawSaxes);
const machineOnly = rate(stepOnly);
console.log(
  `1 KB messages (${(batch.length / STANZAS).toFixed(0)} B each), ${CHUNK} B chunks\n` +
    `  derlink initiator (parse + step + dispatch) ${ours.toFixed(0)} stanzas/s -> ` +
    `initiator/@xmpp/xml = ${(ours / theirs).toFixed(2)}\n` +
    `  derlink XmlStreamReader alone              ${parseOnly.toFixed(0)} stanzas/s -> ` +
    `reader/@xmpp/xml = ${(parseOnly / theirs).toFixed(2)}\n` +
    `  saxes tokenising alone (no tree)           ${tokenOnly.toFixed(0)} stanzas/s -> ` +
    `saxes/@xmpp/xml = ${(tokenOnly / theirs).toFixed(2)}\n` +
    `  initiator step + dispatch on parsed events ${machineOnly.toFixed(0)} stanzas/s\n` +
    `  @xmpp/xml Parser (parse only)              ${theirs.toFixed(0)} stanzas/s\n` +
    `  time per stanza: initiator ${(1e6 / ours).toFixed(1)} us = reader ${
      (1e6 / parseOnly).toFixed(1)
    } us (of which saxes ${(1e6 / tokenOnly).toFixed(1)} us) + step ${
      (1e6 / machineOnly).toFixed(1)
    } us; @xmpp/xml ${(1e6 / theirs).toFixed(1)} us`,
);

const group = "1 KB message stanzas";
Deno.bench({ name: "@xmpp/xml Parser", group, baseline: true, fn: () => void xmppJs() });
Deno.bench({ name: "derlink initiator StreamDriver", group, fn: () => void throughInitiator() });
Deno.bench({ name: "derlink XmlStreamReader only", group, fn: () => void readerOnly() });
Deno.bench({ name: "saxes tokenising only", group, fn: () => void rawSaxes() });
Deno.bench({ name: "initiator step on parsed events", group, fn: () => void stepOnly() });
