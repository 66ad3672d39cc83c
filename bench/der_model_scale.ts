/**
 * The DER model's cost per DER at fleet size, as the simulation uses it
 * (simulation/der_node.ts: clear sky, 30-s sub-steps, a tick every 150 s,
 * integrity reports every 5 min): creating N models (µs per DER), the heap
 * they hold (bytes per DER, after a full GC), and ticking every model for
 * some virtual hours (µs per tick, each tick five sub-steps with their
 * reports). The reference, measured in the same process over the same
 * states, is `structuredClone` of one DER's state: the ratios say how many
 * plain copies of its own state a model creation or a tick costs. A hash of
 * every report produced shows that runs agree.
 *
 * Run: deno run -A --v8-flags=--expose-gc bench/der_model_scale.ts [N=10000] [hours=2]
 * No timed assertion: the numbers go to docs/performance.md ("Simulation").
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { derConfig } from "../apps/der/config.ts";
import { createDer, tick } from "../apps/der/serve.ts";
import type { DerState } from "../apps/der/state.ts";

const n = Number(Deno.args[0] ?? 10_000);
const hours = Number(Deno.args[1] ?? 2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const START = Date.UTC(2025, 5, 21, 10, 30);
const PERIOD = 150_000;
const cpuMs = () => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};
const heap = () => {
  gc();
  gc();
  return Deno.memoryUsage().heapUsed;
};

/** The configuration simulation/der_node.ts gives DER `i`. */
function config(i: number) {
  const ratedW = 5_000 + (i % 5) * 1_000;
  return derConfig({
    ld: `DER${i}`,
    ratedW,
    weather: { kind: "clear-sky", seed: i + 1 },
    dcRatio: 0.9 + (i % 7) * 0.05,
    grid: { nominalHz: 50, hzNoise: 0, nominalV: 230, riseAtRated: 0, vNoise: 0 },
    deadband: { w: ratedW * 0.02, hz: 1, v: 10 },
    priorities: { "cc@grid.example": 200, "market@grid.example": 100 },
    stepMs: 30_000,
    reports: {
      Meas: { enabled: true, integrityMs: 300_000 },
      Ctl: { enabled: true, integrityMs: 0 },
    },
  });
}

const configs = Array.from({ length: n }, (_, i) => config(i));
const h0 = heap();
let t = cpuMs();
const models: DerState[] = configs.map((c) => createDer(c, START));
const createUs = ((cpuMs() - t) * 1000) / n;
const bytes = (heap() - h0) / n;

t = cpuMs();
const clones = models.map((m) => structuredClone(m));
const cloneUs = ((cpuMs() - t) * 1000) / n;

let ticks = 0, reports = 0, hash = 0;
t = cpuMs();
for (let at = START + PERIOD; at <= START + hours * 3_600_000; at += PERIOD) {
  for (let i = 0; i < n; i++) {
    const r = tick(models[i], at + ((i * 7919) % PERIOD) - PERIOD + 1);
    models[i] = r.model;
    ticks++;
    for (const rep of r.reports) {
      reports++;
      hash = (Math.imul(hash, 31) + rep.sqNum + rep.entries.length * 7 + (rep.time % 65_521)) | 0;
    }
  }
}
const tickUs = ((cpuMs() - t) * 1000) / ticks;

const fmt = (x: number, d = 1) => x.toFixed(d);
console.log(`DER model, N = ${n}, ${hours} h of ticks every ${PERIOD / 1000} s`);
console.log(`  create    ${fmt(createUs)} us/DER  (${fmt(createUs / cloneUs)} state clones)`);
console.log(`  heap      ${fmt(bytes / 1024, 2)} KB/DER (configuration held apart)`);
console.log(`  tick      ${fmt(tickUs)} us/tick (${fmt(tickUs / cloneUs)} state clones)`);
console.log(`  reference structuredClone of a state ${fmt(cloneUs)} us`);
console.log(`  ${ticks} ticks, ${reports} reports, hash ${hash >>> 0}; ${clones.length} clones`);
