/**
 * The input of bench/xmpp_stream_bench.ts (issue 3's target) and its
 * contestants: 1000 ~1 KB message stanzas in 4 KiB chunks, as a socket would
 * deliver them, read by a bound initiator StreamDriver, by derlink's XML
 * reader alone, by @xmpp/xml's parser (xmpp.js, ltx underneath) and by saxes
 * alone, and the initiator's step on already-parsed events. Each contestant
 * returns how many stanzas it saw, so one pass over the input is one run.
 * {@link interleave} compares one with @xmpp/xml in alternating short slices.
 *
 * @module
 */
import { Parser as XmppJsParser } from "@xmpp/xml";
import { SaxesParser } from "saxes";
import { utf8 } from "../core/bytes.ts";
import { XmlStreamReader } from "../core/xml.ts";
import { Pair } from "../state-machines/xmpp-stream/pair.ts";
import { clientConfig, DOMAIN, serverConfig } from "../state-machines/xmpp-stream/testing.ts";

export const STANZAS = 1000;
export const CHUNK = 4096;
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

export const batch = utf8(Array.from({ length: STANZAS }, (_, i) => messageStanza(i)).join(""));
export const chunks: Uint8Array[] = [];
for (let at = 0; at < batch.length; at += CHUNK) chunks.push(batch.subarray(at, at + CHUNK));
export const HEADER =
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

/** A contestant: reads the whole input once, returns the stanzas it saw. */
export type Contestant = () => number;

/** Parse + step + dispatch: the input into a bound initiator, counting `stanza` outputs. */
export function initiator(): Contestant {
  const driver = boundDriver();
  return () => {
    let n = 0;
    for (const c of chunks) {
      for (const o of driver.receive(c)) if (o.type === "stanza") n++;
    }
    return n;
  };
}

/** derlink's XmlStreamReader alone, after the stream header. */
export function reader(): Contestant {
  const r = new XmlStreamReader();
  r.feed(utf8(HEADER));
  return () => {
    let n = 0;
    for (const c of chunks) for (const e of r.feed(c)) if (e.type === "stanza") n++;
    return n;
  };
}

/** @xmpp/xml's parser (element events only, no stream logic), decoding as a careful xmpp.js user would. */
export function xmppJs(): Contestant {
  const parser = new XmppJsParser();
  const decoder = new TextDecoder();
  let count = 0;
  parser.on("element", () => count++);
  parser.write(HEADER);
  return () => {
    const before = count;
    for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
    return count - before;
  };
}

/** saxes alone (strict XML 1.0 + namespaces, as the saxes engine configures it), no tree. */
export function saxes(): Contestant {
  const parser = new SaxesParser({ xmlns: true });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let depth = 0;
  let count = 0;
  parser.on("opentag", () => depth++);
  parser.on("closetag", () => {
    if (--depth === 1) count++;
  });
  parser.write(HEADER);
  return () => {
    const before = count;
    for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
    return count - before;
  };
}

/** The initiator's step and dispatch alone: the same stanzas as already-parsed reader events. */
export function stepOnly(): Contestant {
  const r = new XmlStreamReader();
  r.feed(utf8(HEADER));
  const events = chunks.flatMap((c) => r.feed(c));
  const driver = boundDriver();
  return () => {
    let n = 0;
    for (const event of events) {
      for (const o of driver.input({ type: "xml", event })) if (o.type === "stanza") n++;
    }
    return n;
  };
}

/** Stanzas per second over about `ms` milliseconds. */
function rate(fn: Contestant, ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) n += fn();
  return n / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1];

/** A contestant beside @xmpp/xml: medians over the rounds, and the range of the ratios. */
export interface Comparison {
  readonly rate: number;
  readonly reference: number;
  readonly ratio: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Other processes share the machine: `fn` and `reference` run in alternating
 * slices of `ms` (the reference first in even rounds, second in odd ones),
 * each ratio is taken within its pair of slices, and medians are reported.
 * One warm-up round is not counted.
 */
export function interleave(
  fn: Contestant,
  reference: Contestant,
  rounds: number,
  ms: number,
): Comparison {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const referenceFirst = round % 2 === 0;
    const before = referenceFirst ? rate(reference, ms) : 0;
    const r = rate(fn, ms);
    const after = referenceFirst ? before : rate(reference, ms);
    if (round < 0) continue;
    ours.push(r);
    theirs.push(after);
  }
  const ratios = ours.map((r, i) => r / theirs[i]);
  return {
    rate: median(ours),
    reference: median(theirs),
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
}
