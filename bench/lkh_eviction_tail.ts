/**
 * Tail latency of single evictions at scale: one key server of N members
 * (default 10^6), K single evictions (default 300, after 20 warm-up ones),
 * each timed through the key server machine's `evict` step. Prints the
 * median, p95, p99 and worst, the load average, and for every eviction over
 * 5 ms the main thread's CPU time and run-queue wait during it (Linux
 * /proc/thread-self/schedstat), which tells our own work from preemption.
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/lkh_eviction_tail.ts [N] [K]`
 * (with --expose-gc the setup's garbage is collected before the timed part;
 * without it V8 is still sweeping the setup while the evictions run).
 *
 * @module
 */
import { keyServer } from "../state-machines/group-keying/key_server.ts";
import { bulkKeyServer, jidOf } from "./group_keying_setup.ts";

const n = Number(Deno.args[0] ?? 1_000_000);
const k = Number(Deno.args[1] ?? 300);
const WARM = 20;
const loadavg = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
/** [ns on CPU, ns waiting on the run queue] of this thread; zeros where unavailable. */
const sched = (): number[] => {
  try {
    return Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ").map(Number);
  } catch {
    return [0, 0];
  }
};
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
const f = (x: number) => x.toFixed(2);

let ks = bulkKeyServer(n, `tail-${n}`);
const gc = (globalThis as { gc?: () => void }).gc;
for (let i = 0; gc && i < 3; i++) gc();
const total = WARM + k;
const victims = Array.from({ length: total }, (_, i) => (Math.floor((i * n) / total) + 1) % n);
const times: number[] = [];
const slow: string[] = [];
const load0 = loadavg();
for (const [i, leaf] of victims.entries()) {
  const s0 = sched();
  const t0 = performance.now();
  const r = keyServer.step(ks, { type: "evict", jids: [jidOf(leaf)], now: ks.now + 1 });
  const ms = performance.now() - t0;
  const s1 = sched();
  if (r.out[0]?.type !== "rekey") throw new Error("no rekey");
  ks = r.state;
  if (i < WARM) continue;
  times.push(ms);
  if (ms >= 5) {
    slow.push(
      `${f(ms)} (cpu ${f((s1[0] - s0[0]) / 1e6)}, run-queue wait ${f((s1[1] - s0[1]) / 1e6)})`,
    );
  }
}
times.sort((a, b) => a - b);
console.log(
  `N=${n}, ${k} single evictions, GC ${gc ? "settled before" : "not settled"}: median ${
    f(pct(times, 0.5))
  } p95 ${f(pct(times, 0.95))} p99 ${f(pct(times, 0.99))} max ${f(times[times.length - 1])} ms; ` +
    `${slow.length} over 5 ms${
      slow.length ? ": " + slow.join(", ") : ""
    }; load ${load0} -> ${loadavg()}`,
);
