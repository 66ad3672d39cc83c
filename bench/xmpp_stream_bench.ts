/**
 * Issue 3's target: stanzas per second through the XMPP initiator in the
 * bound phase (bytes into a StreamDriver: XML reader + machine step +
 * dispatch to a `stanza` output) for ~1 KB message stanzas, beside @xmpp/xml's
 * parser (xmpp.js, ltx underneath; element events only, no stream logic) on
 * the same bytes in the same run. derlink's XML reader alone, and (each in a
 * worker of its own) saxes alone and the step on parsed events, show where
 * the time goes. Input and contestants: bench/xmpp_stream_messages.ts.
 *
 * Other processes share the machine, so each contestant runs in short slices
 * alternating with @xmpp/xml and the summary gives the median of the
 * per-round ratios, with their range.
 *
 * Run: deno run -A bench/xmpp_stream_bench.ts (summary only), or
 * deno bench --allow-read bench/xmpp_stream_bench.ts (summary, then Deno.bench).
 *
 * @module
 */
import {
  batch,
  CHUNK,
  type Comparison,
  type Contestant,
  initiator,
  interleave,
  reader,
  STANZAS,
  xmppJs,
} from "./xmpp_stream_messages.ts";

const ROUNDS = 41;
const WORKER_ROUNDS = 15;
const SLICE_MS = 50;

const reference = xmppJs();
const throughInitiator = initiator();
const readerAlone = reader();
for (
  const [name, f] of [
    ["@xmpp/xml", reference],
    ["initiator", throughInitiator],
    ["reader", readerAlone],
  ] as const
) {
  const n = f();
  if (n !== STANZAS) throw new Error(`${name} counted ${n} stanzas, expected ${STANZAS}`);
}

function inWorker(which: "saxes" | "step"): Promise<Comparison> {
  const worker = new Worker(new URL("./xmpp_stream_worker.ts", import.meta.url), {
    type: "module",
  });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Comparison>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(e);
    };
    worker.postMessage({ which, rounds: WORKER_ROUNDS, ms: SLICE_MS });
  });
}

const measured: [string, Comparison][] = [
  [
    "derlink initiator (parse + step + dispatch)",
    interleave(throughInitiator, reference, ROUNDS, SLICE_MS),
  ],
  ["derlink XmlStreamReader alone", interleave(readerAlone, reference, ROUNDS, SLICE_MS)],
  ["saxes tokenising alone (no tree), worker", await inWorker("saxes")],
  ["initiator step on parsed events, worker", await inWorker("step")],
];
const us = (r: number) => (1e6 / r).toFixed(1).padStart(5);
const row = (name: string, r: number) =>
  `  ${name.padEnd(44)} ${r.toFixed(0).padStart(7)} stanzas/s ${us(r)} us`;
console.log(
  `1 KB messages (${(batch.length / STANZAS).toFixed(0)} B each), ${CHUNK} B chunks; ` +
    `${SLICE_MS} ms slices alternating with @xmpp/xml, medians of ${ROUNDS} rounds ` +
    `(${WORKER_ROUNDS} in workers), ratio range in brackets\n` +
    measured.map(([name, m]) =>
      `${row(name, m.rate)} -> /@xmpp/xml = ${m.ratio.toFixed(2)} ` +
      `(${m.min.toFixed(2)}–${m.max.toFixed(2)})\n`
    ).join("") +
    row("@xmpp/xml Parser (parse only)", measured[0][1].reference),
);

const group = "1 KB message stanzas";
const benches: [string, Contestant][] = [
  ["derlink initiator StreamDriver", throughInitiator],
  ["derlink XmlStreamReader only", readerAlone],
];
Deno.bench({ name: "@xmpp/xml Parser", group, baseline: true, fn: () => void reference() });
for (const [name, fn] of benches) Deno.bench({ name, group, fn: () => void fn() });
