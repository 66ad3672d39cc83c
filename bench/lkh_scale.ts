/**
 * Scale run of the group key server: N = 10^3 … 10^6 members. For each N it
 * measures, through the key server machine's own `evict` step (tree update,
 * new traffic keys, wraps, encoding, Ed25519 signature):
 * - a single eviction: wraps, bytes, time (median, p95 and worst of 50, each a rekey);
 * - a batch of 1 % of the members evicted in one rekey;
 * - the flat per-member baseline for the same evictions, in the same run;
 * - the time a member takes to apply the single-eviction rekey;
 * - the key server's memory per member: typed arrays of the tree (exact, and
 *   the `external` delta), the registry on the JS heap (`heapUsed` delta after
 *   a full GC), JID strings included.
 * and prints a Markdown table for docs/performance.md.
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/lkh_scale.ts [maxN]`
 *
 * @module
 */
import { keyServer } from "../state-machines/group-keying/key_server.ts";
import type { KeyServerState } from "../state-machines/group-keying/key_server_types.ts";
import { member } from "../state-machines/group-keying/member.ts";
import { bulkKeyServer, flatRekey, jidOf, memberAt } from "./group_keying_setup.ts";

const gc = (globalThis as { gc?: () => void }).gc;
const settle = () => {
  for (let i = 0; i < 3; i++) gc?.();
};
const fmt = (n: number, d = 2) => n.toFixed(d);
const kib = (b: number) => b < 1 << 20 ? `${fmt(b / 1024, 1)} KiB` : `${fmt(b / (1 << 20), 2)} MiB`;

interface Row {
  n: number;
  bound: number;
  single: { wraps: number; bytes: number; medianMs: number; p95Ms: number; maxMs: number };
  batch: { evicted: number; wraps: number; bytes: number; ms: number };
  flatSingle: { wraps: number; bytes: number; ms: number };
  flatBatch: { wraps: number; bytes: number; ms: number };
  memberMs: number;
  treeBytes: number;
  externalDelta: number;
  heapDelta: number;
}

/** Evenly spread distinct leaves. */
const spread = (n: number, k: number, offset: number) =>
  Array.from({ length: k }, (_, i) => (Math.floor((i * n) / k) + offset) % n);

function evict(ks: KeyServerState, leaves: number[]) {
  const t0 = performance.now();
  const r = keyServer.step(ks, { type: "evict", jids: leaves.map(jidOf), now: ks.now + 1 });
  const ms = performance.now() - t0;
  const rekey = r.out.find((o) => o.type === "rekey");
  if (rekey?.type !== "rekey") throw new Error(`no rekey: ${JSON.stringify(r.out[0])}`);
  return { state: r.state, ms, rekey };
}

const SINGLES = 50;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

function measure(n: number): Row {
  settle();
  const m0 = Deno.memoryUsage();
  let ks = bulkKeyServer(n, `scale-${n}`);
  settle();
  const m1 = Deno.memoryUsage();
  const treeBytes = ks.tree.storageBytes();
  const bound = 2 * Math.ceil(Math.log2(n));

  // Single evictions, one rekey each; a member applies the first.
  const victims = spread(n, SINGLES, 1);
  const watcher = memberAt(ks, (victims[0] + 2) % n);
  let maxWraps = 0, maxBytes = 0, memberMs = 0;
  const times: number[] = [];
  settle();
  for (const [i, leaf] of victims.entries()) {
    const r = evict(ks, [leaf]);
    ks = r.state;
    maxWraps = Math.max(maxWraps, r.rekey.stats.wraps);
    maxBytes = Math.max(maxBytes, r.rekey.stats.bytes);
    times.push(r.ms);
    if (i === 0) {
      const t = performance.now();
      const applied = member.step(watcher, { type: "message", data: r.rekey.data, now: ks.now });
      memberMs = performance.now() - t;
      if (applied.state.phase !== "member" || applied.out[0]?.type !== "event") {
        throw new Error(`member refused: ${JSON.stringify(applied.out[0])}`);
      }
    }
  }
  // One batch of 1 %.
  const batchVictims = spread(n, Math.ceil(n / 100), 3).filter((l) => !victims.includes(l));
  settle();
  const b = evict(ks, batchVictims);
  ks = b.state;
  // The flat baselines, on the state the evictions left (N a little smaller; wraps say how much).
  settle();
  let t0 = performance.now();
  const flat1 = flatRekey(ks, new Set([ks.registry.leafOf(jidOf(0))!]));
  const flatSingle = { wraps: flat1.wraps, bytes: flat1.data.length, ms: performance.now() - t0 };
  settle();
  const someLeaves = new Set(spread(ks.tree.capacity, Math.ceil(n / 100), 5));
  t0 = performance.now();
  const flatB = flatRekey(ks, someLeaves);
  const flatBatch = { wraps: flatB.wraps, bytes: flatB.data.length, ms: performance.now() - t0 };
  return {
    n,
    bound,
    single: {
      wraps: maxWraps,
      bytes: maxBytes,
      medianMs: pct(times, 0.5),
      p95Ms: pct(times, 0.95),
      maxMs: Math.max(...times),
    },
    batch: {
      evicted: batchVictims.length,
      wraps: b.rekey.stats.wraps,
      bytes: b.rekey.stats.bytes,
      ms: b.ms,
    },
    flatSingle,
    flatBatch,
    memberMs,
    treeBytes,
    externalDelta: m1.external - m0.external,
    heapDelta: m1.heapUsed - m0.heapUsed,
  };
}

const loadavg = () => {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
};

const max = Number(Deno.args[0] ?? 1_000_000);
const rows: Row[] = [];
const loadBefore = loadavg();
for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
  if (n > max) break;
  rows.push(measure(n));
  console.error(`measured N=${n}`);
}

const env =
  `Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, ${navigator.hardwareConcurrency} cores`;
const gcNote = gc ? "forced between phases" : "not available (pass --v8-flags=--expose-gc)";
console.log(
  `${env}, load average ${loadBefore} before and ${loadavg()} after; suite x25519-ed25519 ` +
    `(default providers), 16-byte KEKs, 2 streams; GC ${gcNote}.\n`,
);
console.log(
  `| N | single eviction: wraps (bound 2·⌈log2 N⌉) | bytes | ms median / p95 / worst of ${SINGLES} ` +
    "| flat baseline: wraps | bytes | ms | LKH speed-up (median) | member applies (ms) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const s = r.single, f = r.flatSingle;
  const time = `${fmt(s.medianMs)} / ${fmt(s.p95Ms)} / ${fmt(s.maxMs)}`;
  console.log(
    `| ${r.n.toLocaleString("en")} | ${s.wraps} (${r.bound}) | ${kib(s.bytes)} | ${time} | ` +
      `${f.wraps.toLocaleString("en")} | ${kib(f.bytes)} | ${fmt(f.ms, 1)} | ` +
      `${fmt(f.ms / s.medianMs, 0)}× | ${fmt(r.memberMs)} |`,
  );
}
console.log(
  "\n| N | 1 % batch: evicted | wraps | bytes | ms | ms per evicted member | flat baseline: wraps | bytes | ms | LKH speed-up |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.n.toLocaleString("en")} | ${r.batch.evicted} | ${r.batch.wraps.toLocaleString("en")} | ${
      kib(r.batch.bytes)
    } | ${fmt(r.batch.ms, 1)} | ${fmt(r.batch.ms / r.batch.evicted, 3)} | ${
      r.flatBatch.wraps.toLocaleString("en")
    } | ${kib(r.flatBatch.bytes)} | ${fmt(r.flatBatch.ms, 1)} | ${
      fmt(r.flatBatch.ms / r.batch.ms, 1)
    }× |`,
  );
}
console.log(
  "\n| N | tree typed arrays (exact) | per member | `external` Δ | `heapUsed` Δ (registry, JIDs included) | per member | total per member |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) {
  const per = (b: number) => fmt(b / r.n, 1);
  console.log(
    `| ${r.n.toLocaleString("en")} | ${kib(r.treeBytes)} | ${per(r.treeBytes)} B | ${
      kib(r.externalDelta)
    } | ${kib(r.heapDelta)} | ${per(r.heapDelta)} B | ${
      per(Math.max(r.treeBytes, r.externalDelta) + r.heapDelta)
    } B |`,
  );
}
