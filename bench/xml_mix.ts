/**
 * The stanza mix of bench/xml_bench.ts and what is measured on it besides
 * derlink's reader: @xmpp/xml's parser and saxes alone, and the interleaved
 * measurement that compares one of them with @xmpp/xml.
 *
 * @module
 */
import { Parser as XmppJsParser } from "@xmpp/xml";
import { SaxesParser } from "saxes";
import { utf8 } from "../core/bytes.ts";

export const HEADER =
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "from='example.com' id='s1' version='1.0' xml:lang='en'>";
export const CHUNK = 4096;
export const STANZAS = 1000;

/** Deterministic pseudo-random numbers (a 32-bit LCG): the same mix on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function stanzaMix(n: number): string[] {
  const rnd = lcg(61850);
  const word = () =>
    ["status", "Schüttgut", "breaker", "Wärme", "电网", "setpoint", "ok"][Math.floor(rnd() * 7)];
  const text = (len: number) => {
    let s = "";
    while (s.length < len) s += word() + " ";
    return s;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    if (kind === 0) {
      out.push(
        `<message to='der${i}@example.com/plant' from='scada@example.com/hmi' type='chat' id='m${i}'>` +
          `<body>${text(640)}</body><thread>t${i}</thread>` +
          `<x xmlns='urn:derlink:61850'><report id='r${i}' seq='${i}'>` +
          `<value name='MMXU1.TotW.mag.f' t='2024-01-01T00:00:00Z'>${
            (rnd() * 1e4).toFixed(3)
          }</value>` +
          `<value name='MMXU1.Hz.mag.f' q='good'>50.0${i % 10}</value>` +
          `<value name='DRCT1.MaxWLim.setMag.f' q='good'>&lt;${i}&gt;</value></report></x></message>`,
      );
    } else if (kind === 1) {
      let items = "";
      for (let k = 0; k < 8; k++) {
        items +=
          `<item jid='node${i}-${k}@example.com' name='${word()} ${k}' subscription='both'>` +
          `<group>${word()}</group></item>`;
      }
      out.push(
        `<iq type='result' id='q${i}' to='der${i}@example.com/plant'>` +
          `<query xmlns='jabber:iq:roster' ver='v${i}'>${items}</query></iq>`,
      );
    } else {
      out.push(
        `<presence from='der${i}@example.com/plant' xml:lang='de'><show>away</show>` +
          `<status>${text(520)}</status><priority>5</priority>` +
          `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://derlink.example' ` +
          `ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>` +
          `<x xmlns='vcard-temp:x:update'><photo>${
            "0123456789abcdef".repeat(5)
          }</photo></x></presence>`,
      );
    }
  }
  return out;
}

const stanzas = stanzaMix(STANZAS);
export const streamBytes = utf8(HEADER + stanzas.join("\n"));
export const chunks: Uint8Array[] = [];
for (let at = 0; at < streamBytes.length; at += CHUNK) {
  chunks.push(streamBytes.subarray(at, at + CHUNK));
}

/** @xmpp/xml's parser on the mix, decoding as a careful xmpp.js user would. */
export function xmppJs(): number {
  const parser = new XmppJsParser();
  const decoder = new TextDecoder(); // what a careful xmpp.js user would add
  let n = 0;
  parser.on("element", () => n++);
  for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
  return n;
}

/** saxes alone on the same bytes (strict decoding, no tree): `xmlns` as the reader uses it, or off. */
export const rawSaxes = (xmlns: boolean) => (): number => {
  const parser = new SaxesParser({ xmlns, defaultXMLVersion: "1.0", forceXMLVersion: true });
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let n = 0;
  parser.on("closetag", () => n++); // every element, not only stanzas
  for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
  return n;
};

/** Stanzas per second over about `ms` milliseconds. */
export function rate(fn: () => number, ms: number): number {
  fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    fn();
    runs++;
  }
  return (runs * STANZAS) / ((performance.now() - start) / 1000);
}

/** Rounds of the interleaved measurement. */
export const ROUNDS = 7;
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1];

/** A contestant's rate and its ratio to @xmpp/xml's, medians over rounds. */
export interface Comparison {
  readonly rate: number;
  readonly ratio: number;
  readonly reference: number;
}

/**
 * Other processes share this machine: `fn` and @xmpp/xml run in interleaved
 * rounds, each ratio is taken within its round, and medians are reported.
 */
export function compare(fn: () => number): Comparison {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(rate(xmppJs, 250));
    ours.push(rate(fn, 250));
  }
  return {
    rate: median(ours),
    ratio: median(ours.map((r, i) => r / theirs[i])),
    reference: median(theirs),
  };
}
