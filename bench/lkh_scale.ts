/**
 * Scale run of the group key server: N = 10^3 … 10^6 members. For each N it
 * measures, through the key server machine's own `evict` step (tree update,
 * new traffic keys, wraps, encoding, Ed25519 signature):
 * - a single eviction: wraps, bytes, time (mean and worst of 20, each a rekey);
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
  single: { wraps: number; bytes: number; meanMs: number; maxMs: number };
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

function measure(n: number): Row {
  settle();
  const m0 = Deno.memoryUsage();
  let ks = bulkKeyServer(n, `scale-${n}`);
  settle();
  const m1 = Deno.memoryUsage();
  const treeBytes = ks.tree.storageBytes();
  const bound = 2 * Math.ceil(Math.log2(n));

  // Flat baselines first, on the untouched state (they do not change it).
  const victims = spread(n, 20, 1);
  let t0 = performance.now();
  const flat1 = flatRekey(ks, new Set([victims[0]]));
  const flatSingle = { wraps: flat1.wraps, bytes: flat1.data.length, ms: performance.now() - t0 };
  const batchVictims = spread(n, Math.ceil(n / 100), 3).filter((l) => !victims.includes(l));
  t0 = performance.now();
  const flatB = flatRekey(ks, new Set(batchVictims));
  const flatBatch = { wraps: flatB.wraps, bytes: flatB.data.length, ms: performance.now() - t0 };

  // Single evictions, one rekey each; a member applies the first.
  const watcher = memberAt(ks, (victims[0] + 2) % n);
  let maxWraps = 0, maxBytes = 0, total = 0, worst = 0, memberMs = 0;
  for (const [i, leaf] of victims.entries()) {
    const r = evict(ks, [leaf]);
    ks = r.state;
    maxWraps = Math.max(maxWraps, r.rekey.stats.wraps);
    maxBytes = Math.max(maxBytes, r.rekey.stats.bytes);
    total += r.ms;
    worst = Math.max(worst, r.ms);
    if (i === 0) {
      const t = performance.now();
      const applied = member.step(watcher, { type: "message", data: r.rekey.data, now: ks.now });
      memberMs = performance.now() - t;
      if (applied.state.phase !== "member" || applied.out[0]?.type !== "event") {
        throw new Error(`member refused: ${JSON.stringify(applied.out[0])}`);
      }
    }
  }
  const b = evict(ks, batchVictims);
  return {
    n,
    bound,
    single: { wraps: maxWraps, bytes: maxBytes, meanMs: total / victims.length, maxMs: worst },
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

const max = Number(Deno.args[0] ?? 1_000_000);
const rows: Row[] = [];
for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
  if (n > max) break;
  rows.push(measure(n));
  console.error(`measured N=${n}`);
}

console.log(
  `Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, ${navigator.hardwareConcurrency} cores; suite x25519-ed25519 (default providers), 16-byte KEKs, 2 streams; GC ${
    gc ? "forced" : "not available (pass --v8-flags=--expose-gc)"
  }.\n`,
);
console.log(
  "| N | single eviction: wraps (bound 2·⌈log2 N⌉) | bytes | ms mean / worst of 20 | flat baseline: wraps | bytes | ms | LKH speed-up | member applies (ms) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.n.toLocaleString("en")} | ${r.single.wraps} (${r.bound}) | ${kib(r.single.bytes)} | ${
      fmt(r.single.meanMs)
    } / ${fmt(r.single.maxMs)} | ${r.flatSingle.wraps.toLocaleString("en")} | ${
      kib(r.flatSingle.bytes)
    } | ${fmt(r.flatSingle.ms, 1)} | ${fmt(r.flatSingle.ms / r.single.meanMs, 0)}× | ${
      fmt(r.memberMs)
    } |`,
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
