/**
 * The control centre's case (paper §II.C at fleet size): N client
 * associations in one process (default 10^5), one per DER, each associated
 * (initiate answered) with one read outstanding, kept in a Map by the DER's
 * full JID as a presence dispatcher would.
 *
 * Measures:
 * - memory per association: heap delta over the fleet after forced GC
 *   (needs `--v8-flags=--expose-gc`; without it the numbers include garbage);
 * - presence events per second through the monitor, for three kinds: the
 *   peer's available presence (no effect), presence from another address
 *   (ignored, counted) and the peer's unavailable presence (abort, the read
 *   fails) — each over all N associations;
 * - per association, the time from presence unavailable to the abort
 *   output (median, p99, worst): (a) the machine step alone, (b) the whole
 *   path: strict XML parse of the stanza text, Map lookup by `from`, step.
 *
 * References measured in the same run: a Map lookup plus one small object
 * allocation, and the strict XML parse of the same presence stanza alone;
 * ratios are printed against them. Targets (issue 6): < 2 GB, < 1 ms.
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/association_scale.ts [N] [K]`
 * (K = associations timed one by one, default all N).
 *
 * @module
 */
import { utf8 } from "../core/bytes.ts";
import { parseElement } from "../core/xml.ts";
import { associationClient, type ClientState } from "../state-machines/association/client.ts";
import type { ClientInput, ClientSettings } from "../state-machines/association/types.ts";
import type { Xel } from "../state-machines/association/xer_dom.ts";
import { DEFAULT_PROPOSAL } from "../state-machines/association/settings.ts";
import { pduText } from "../state-machines/association/xer.ts";

const n = Number(Deno.args[0] ?? 100_000);
const k = Math.min(n, Number(Deno.args[1] ?? n));
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => {
  for (let i = 0; gc && i < 3; i++) gc();
};
const heap = () => {
  collect();
  return Deno.memoryUsage().heapUsed;
};
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;
const loadavg = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const peerOf = (i: number) => `der${i}@grid.example/iec61850`;

const settings: ClientSettings = { requestTimeoutMs: 30_000 };
const answer = utf8(
  pduText({ kind: "initiate-response", params: { ...DEFAULT_PROPOSAL, maxOutstanding: 4 } }),
);
const read = {
  service: "read" as const,
  items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" as const }],
};

function step(s: ClientState, input: ClientInput): ClientState {
  return associationClient.step(s, input).state;
}

/** One association, associated, with one read outstanding. */
function associate(i: number): ClientState {
  const peer = peerOf(i);
  let s = associationClient.init({ peer, settings });
  s = step(s, { type: "associate", now: T0 });
  s = step(s, {
    type: "pdu",
    data: answer,
    carriage: { kind: "iq", type: "result", id: "a1" },
    from: peer,
    now: T0,
  });
  s = step(s, { type: "request", request: read, now: T0 });
  if (s.phase !== "associated" || Object.keys(s.pending).length !== 1) throw new Error("setup");
  return s;
}

console.log(
  `association scale: N=${n}, K=${k}, gc ${
    gc ? "forced" : "NOT exposed (use --v8-flags=--expose-gc)"
  }, load ${loadavg()}`,
);

// ---------------------------------------------------------------- memory
const before = heap();
const rss0 = Deno.memoryUsage().rss;
const build0 = performance.now();
const fleet = new Map<string, ClientState>();
for (let i = 0; i < n; i++) fleet.set(peerOf(i), associate(i));
const buildMs = performance.now() - build0;
const after = heap();
const perAssociation = (after - before) / n;
console.log(
  `memory: ${perAssociation.toFixed(0)} B per association (heap +${
    ((after - before) / 2 ** 20).toFixed(1)
  } MiB for ${n}), ` +
    `rss ${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (+${
      ((Deno.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)
    }); ` +
    `set-up ${(buildMs / 1000).toFixed(1)} s (${((n / buildMs) * 1000).toFixed(0)} associations/s)`,
);

// ---------------------------------------------------------------- throughput
function throughput(label: string, stanza: (i: number) => Xel, keep: boolean): number {
  const stanzas = Array.from({ length: n }, (_, i) => stanza(i));
  collect();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const from = peerOf(i);
    const s = fleet.get(from)!;
    const next =
      associationClient.step(s, { type: "presence", stanza: stanzas[i], now: T0 + 1 }).state;
    if (keep) fleet.set(from, next);
  }
  const rate = n / ((performance.now() - t0) / 1000);
  console.log(`presence ${label}: ${rate.toFixed(0)} events/s`);
  return rate;
}
const presence = (from: string, type?: string) =>
  parseElement(
    type ? `<presence from='${from}' type='${type}'/>` : `<presence from='${from}'/>`,
  ) as unknown as Xel;
throughput("available from the peer (no effect)", (i) => presence(peerOf(i)), false);
throughput(
  "unavailable from another address (ignored)",
  (i) => presence(`der${i}@grid.example/other`, "unavailable"),
  false,
);

// ---------------------------------------------------------------- per-association latency
const sample = Array.from({ length: k }, (_, j) => Math.floor((j * n) / k));
const stanzaText = (i: number) => `<presence from='${peerOf(i)}' type='unavailable'/>`;
const texts = sample.map(stanzaText);
const parsed = sample.map((i) => parseElement(stanzaText(i)) as unknown as Xel);

// Floor: two clock reads with nothing between (what every timing below includes).
const floor: number[] = [];
for (let j = 0; j < k; j++) {
  const t0 = performance.now();
  floor.push(performance.now() - t0);
}
// Reference 1: a Map lookup and one small object allocation per event.
const ref1: number[] = [];
let sink = 0;
for (let j = 0; j < k; j++) {
  const t0 = performance.now();
  const s = fleet.get(peerOf(sample[j]))!;
  const o = { phase: "aborted", now: s.now + 1 };
  sink += o.now;
  ref1.push(performance.now() - t0);
}
// Reference 2: the strict XML parse of the presence stanza alone.
const ref2: number[] = [];
for (let j = 0; j < k; j++) {
  const t0 = performance.now();
  sink += parseElement(texts[j]).name.length;
  ref2.push(performance.now() - t0);
}
// (a) The machine step alone.
const stepTimes: number[] = [];
const half = Math.floor(k / 2);
for (let j = 0; j < half; j++) {
  const from = peerOf(sample[j]);
  const s = fleet.get(from)!;
  const t0 = performance.now();
  const r = associationClient.step(s, { type: "presence", stanza: parsed[j], now: T0 + 2 });
  stepTimes.push(performance.now() - t0);
  if (r.state.phase !== "aborted") throw new Error("not aborted");
  fleet.set(from, r.state);
}
// (b) The whole path: parse, look up, step.
const pathTimes: number[] = [];
for (let j = half; j < k; j++) {
  const t0 = performance.now();
  const stanza = parseElement(texts[j]) as unknown as Xel;
  const from = stanza.attrs.from!;
  const r = associationClient.step(fleet.get(from)!, { type: "presence", stanza, now: T0 + 2 });
  fleet.set(from, r.state);
  pathTimes.push(performance.now() - t0);
  if (r.out.at(-1)?.type !== "event") throw new Error("no abort output");
}
if (sink === -1) console.log(sink);
for (const a of [floor, ref1, ref2, stepTimes, pathTimes]) a.sort((x, y) => x - y);
const line = (label: string, a: number[]) =>
  `${label}: median ${us(pct(a, 0.5))}, p99 ${us(pct(a, 0.99))}, worst ${us(a[a.length - 1])}`;
console.log(line("clock floor (two performance.now() reads)", floor));
console.log(line("reference Map lookup + allocation", ref1));
console.log(line("reference strict XML parse of the presence stanza", ref2));
console.log(
  line(`presence unavailable → abort, machine step (${stepTimes.length} associations)`, stepTimes),
);
console.log(
  line(
    `presence unavailable → abort, parse + lookup + step (${pathTimes.length} associations)`,
    pathTimes,
  ),
);
console.log(
  `ratios (median): step / (lookup + allocation) ${
    (pct(stepTimes, 0.5) / pct(ref1, 0.5)).toFixed(1)
  }x, ` +
    `whole path / XML parse ${(pct(pathTimes, 0.5) / pct(ref2, 0.5)).toFixed(2)}x`,
);

// ---------------------------------------------------------------- abort throughput
const fresh = new Map<string, ClientState>();
for (let i = 0; i < n; i++) {
  fresh.set(
    peerOf(i),
    fleet.get(peerOf(i))!.phase === "aborted" ? associate(i) : fleet.get(peerOf(i))!,
  );
}
fleet.clear();
for (const [key, value] of fresh) fleet.set(key, value);
fresh.clear();
const aborted = throughput(
  "unavailable from the peer (abort, one read failed each)",
  (i) => presence(peerOf(i), "unavailable"),
  true,
);
let phases = 0;
for (const s of fleet.values()) {
  if (s.phase === "aborted" && Object.keys(s.pending).length === 0) phases++;
}
console.log(
  `aborted ${phases}/${n}; targets: memory ${
    (after - before) / 2 ** 30 < 2 ? "met" : "MISSED"
  } (< 2 GB), p99 path ${pct(pathTimes, 0.99) < 1 ? "met" : "MISSED"} (< 1 ms); abort rate ${
    aborted.toFixed(0)
  }/s; load ${loadavg()}`,
);
