/**
 * Restricted-XML reader throughput: stanzas per second on a deterministic mix
 * of ~1 KB XMPP stanzas (message, iq, presence with nested payloads) fed in
 * 4 KiB chunks, beside @xmpp/xml's parser (xmpp.js, ltx underneath) and raw
 * saxes on the same bytes in the same run. A second group shows that a long
 * whitespace keepalive run costs linear time in derlink's reader.
 *
 * Run: deno bench --allow-read bench/xml_bench.ts
 *
 * @module
 */
import { Parser as XmppJsParser } from "@xmpp/xml";
import { SaxesParser } from "saxes";
import { utf8 } from "../core/bytes.ts";
import { XmlStreamReader } from "../core/xml.ts";

const HEADER =
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "from='example.com' id='s1' version='1.0' xml:lang='en'>";
const CHUNK = 4096;
const STANZAS = 1000;

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
const streamBytes = utf8(HEADER + stanzas.join("\n"));
const chunks: Uint8Array[] = [];
for (let at = 0; at < streamBytes.length; at += CHUNK) {
  chunks.push(streamBytes.subarray(at, at + CHUNK));
}

function derlink(): number {
  const reader = new XmlStreamReader();
  let n = 0;
  for (const c of chunks) for (const e of reader.feed(c)) if (e.type === "stanza") n++;
  return n;
}

function xmppJs(): number {
  const parser = new XmppJsParser();
  const decoder = new TextDecoder(); // what a careful xmpp.js user would add
  let n = 0;
  parser.on("element", () => n++);
  for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
  return n;
}

function rawSaxes(): number {
  const parser = new SaxesParser({ xmlns: true });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let n = 0;
  parser.on("closetag", () => n++); // every element, not only stanzas
  for (const c of chunks) parser.write(decoder.decode(c, { stream: true }));
  return n;
}

// Same answer from both readers before anything is timed.
if (derlink() !== STANZAS || xmppJs() !== STANZAS) {
  throw new Error("readers disagree on the stanza count");
}

/** Stanzas per second over about `ms` milliseconds. */
function rate(fn: () => number, ms = 700): number {
  fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    fn();
    runs++;
  }
  return (runs * STANZAS) / ((performance.now() - start) / 1000);
}
const ours = rate(derlink);
const theirs = rate(xmppJs);
const saxes = rate(rawSaxes);
console.log(
  `xml stanza mix: ${STANZAS} stanzas, ${(streamBytes.length / STANZAS).toFixed(0)} B average, ` +
    `${CHUNK} B chunks\n` +
    `  derlink XmlStreamReader ${ours.toFixed(0)} stanzas/s (${
      (ours * streamBytes.length / STANZAS / 1e6).toFixed(1)
    } MB/s)\n` +
    `  @xmpp/xml Parser         ${theirs.toFixed(0)} stanzas/s  -> derlink/xmpp.js = ${
      (ours / theirs).toFixed(2)
    }\n` +
    `  raw saxes (no tree)      ${saxes.toFixed(0)} stanzas/s  -> derlink/raw saxes = ${
      (ours / saxes).toFixed(2)
    }`,
);

Deno.bench({
  name: "derlink XmlStreamReader",
  group: "stanza mix",
  baseline: true,
  fn: () => void derlink(),
});
Deno.bench({ name: "@xmpp/xml Parser", group: "stanza mix", fn: () => void xmppJs() });
Deno.bench({ name: "raw saxes tokenising", group: "stanza mix", fn: () => void rawSaxes() });

// Whitespace keepalives between two stanzas, written 1 KiB or 1 byte at a time:
// derlink's cost grows linearly with the run; compare the 4x-larger inputs.
function keepalives(bytes: number, write: number): Uint8Array[] {
  const out = [utf8(HEADER + "<presence/>")];
  const space = utf8(" ".repeat(write));
  for (let i = 0; i < bytes / write; i++) out.push(space);
  out.push(utf8("<presence/>"));
  return out;
}
const derlinkOn = (input: Uint8Array[]) => () => {
  const reader = new XmlStreamReader();
  for (const c of input) reader.feed(c);
};
const xmppJsOn = (input: Uint8Array[]) => () => {
  const parser = new XmppJsParser();
  const decoder = new TextDecoder();
  for (const c of input) parser.write(decoder.decode(c, { stream: true }));
};
for (
  const [group, write, small] of [["keepalive 1 KiB writes", 1024, 262_144], [
    "keepalive 1 B writes",
    1,
    16_384,
  ]] as const
) {
  const smallInput = keepalives(small, write);
  const largeInput = keepalives(4 * small, write);
  const kib = (n: number) => `${n / 1024} KiB`;
  Deno.bench({ name: `derlink ${kib(small)}`, group, baseline: true, fn: derlinkOn(smallInput) });
  Deno.bench({ name: `derlink ${kib(4 * small)}`, group, fn: derlinkOn(largeInput) });
  Deno.bench({ name: `@xmpp/xml ${kib(small)}`, group, fn: xmppJsOn(smallInput) });
  Deno.bench({ name: `@xmpp/xml ${kib(4 * small)}`, group, fn: xmppJsOn(largeInput) });
}
