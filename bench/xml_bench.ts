/**
 * Restricted-XML reader throughput: stanzas per second on a deterministic mix
 * of ~1 KB XMPP stanzas (message, iq, presence with nested payloads) fed in
 * 4 KiB chunks, beside @xmpp/xml's parser (xmpp.js, ltx underneath) and
 * saxes alone (with and without namespace processing, no tree) on the same
 * bytes in the same run. A second group shows that a long
 * whitespace keepalive run costs linear time in derlink's reader.
 *
 * Run: deno bench --allow-read bench/xml_bench.ts
 *
 * @module
 */
import { Parser as XmppJsParser } from "@xmpp/xml";
import { utf8 } from "../core/bytes.ts";
import { XmlStreamReader } from "../core/xml.ts";
import {
  CHUNK,
  chunks,
  compare,
  type Comparison,
  HEADER,
  rawSaxes,
  ROUNDS,
  STANZAS,
  streamBytes,
  xmppJs,
} from "./xml_mix.ts";

function derlink(): number {
  const reader = new XmlStreamReader();
  let n = 0;
  for (const c of chunks) for (const e of reader.feed(c)) if (e.type === "stanza") n++;
  return n;
}

// Same answer from both readers before anything is timed.
if (derlink() !== STANZAS || xmppJs() !== STANZAS) {
  throw new Error("readers disagree on the stanza count");
}

/**
 * saxes alone, measured in a worker (its own V8 isolate): in this one the
 * reader's parser objects would make saxes' property accesses polymorphic
 * and the floor would look lower than it is.
 */
function saxesAlone(xmlns: boolean): Promise<Comparison> {
  const worker = new Worker(new URL("./xml_saxes_worker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Comparison>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(e);
    };
    worker.postMessage({ xmlns });
  });
}

const ours = compare(derlink);
const saxesNs = await saxesAlone(true);
const saxesPlain = await saxesAlone(false);
const line = (label: string, m: Comparison, note = "") =>
  `  ${label.padEnd(28)} ${m.rate.toFixed(0).padStart(7)} stanzas/s  -> /@xmpp/xml = ${
    m.ratio.toFixed(2)
  }${note}\n`;
console.log(
  `xml stanza mix: ${STANZAS} stanzas, ${(streamBytes.length / STANZAS).toFixed(0)} B average, ` +
    `${CHUNK} B chunks; medians of ${ROUNDS} rounds interleaved with @xmpp/xml\n` +
    line(
      "derlink XmlStreamReader",
      ours,
      ` (${(ours.rate * streamBytes.length / STANZAS / 1e6).toFixed(1)} MB/s)`,
    ) +
    `  @xmpp/xml Parser             ${ours.reference.toFixed(0).padStart(7)} stanzas/s\n` +
    line("saxes alone, xmlns: true", saxesNs, " (the floor under derlink's reader)") +
    line("saxes alone, xmlns: false", saxesPlain),
);

Deno.bench({
  name: "derlink XmlStreamReader",
  group: "stanza mix",
  baseline: true,
  fn: () => void derlink(),
});
Deno.bench({ name: "@xmpp/xml Parser", group: "stanza mix", fn: () => void xmppJs() });
Deno.bench({
  name: "saxes tokenising (xmlns: true)",
  group: "stanza mix",
  fn: () => void rawSaxes(true)(),
});

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
