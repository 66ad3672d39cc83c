/**
 * Login cost at a real Prosody (issue 9 must-show): N clients (default
 * 1,000) log in — TCP, TLS, SASL, resource binding — with at most C at a
 * time (default 50), for SCRAM-SHA-256 against hashed storage, EXTERNAL
 * with client certificates over direct TLS, and Option 2's delegated check
 * (OAUTHBEARER, the operator's login service verifying an Ed25519 or an
 * ES256 login token). Two references run in the same process against the
 * same servers: STARTTLS and direct TLS up to the SASL offer, no
 * authentication, no bind.
 *
 * Printed per method: logins/s over the whole run, p50/p99 login latency,
 * CPU per login of Prosody (from /proc/<pid>/stat; Prosody is one thread,
 * so 1 / that is the most logins/s it can do), of the login service (its
 * own process) and of this process (the load generator: derlink's client),
 * and the ratios to the reference. Run by hand (not part of `deno task
 * bench`):
 *
 *   deno run -A bench/login_cost.ts [--clients 1000] [--concurrency 50] [--only key,key]
 *
 * @module
 */
import process from "node:process";
import { type Method, type MethodKey, setUp } from "./login_cost_setup.ts";

export interface MethodResult {
  readonly key: MethodKey;
  readonly label: string;
  readonly reference?: MethodKey;
  readonly ok: number;
  readonly failed: number;
  readonly firstFailure?: string;
  readonly wallMs: number;
  readonly loginsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU ms per login, each process measured over the method's whole run. */
  readonly prosodyCpuMs: number;
  readonly serviceCpuMs?: number;
  readonly clientCpuMs: number;
}

const TICK_MS = 10; // CLK_TCK 100 on Linux

/** utime + stime of a process in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

const clientCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** Runs `n` attempts of one method, `concurrency` at a time. */
export async function runMethod(m: Method, n: number, concurrency: number): Promise<MethodResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const p0 = cpuMsOf(m.prosodyPid), s0 = m.servicePid ? cpuMsOf(m.servicePid) : 0;
  const c0 = clientCpuMs(), t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        latencies.push(await m.attempt(i));
      } catch (e) {
        failed++;
        firstFailure ??= (e as { code?: string }).code ?? String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const wallMs = performance.now() - t0;
  // Let Prosody finish closing the last sessions before reading its CPU.
  await new Promise((r) => setTimeout(r, 300));
  const sorted = latencies.toSorted((a, b) => a - b);
  return {
    key: m.key,
    label: m.label,
    ...(m.reference ? { reference: m.reference } : {}),
    ok: latencies.length,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
    wallMs,
    loginsPerSecond: latencies.length / (wallMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    prosodyCpuMs: (cpuMsOf(m.prosodyPid) - p0) / n,
    ...(m.servicePid ? { serviceCpuMs: (cpuMsOf(m.servicePid) - s0) / n } : {}),
    clientCpuMs: (clientCpuMs() - c0) / n,
  };
}

export interface LoginCostOptions {
  readonly clients: number;
  readonly concurrency: number;
  readonly only?: readonly MethodKey[];
  readonly log?: (line: string) => void;
}

/** Sets everything up, runs every method in turn, stops everything. */
export async function runLoginCost(o: LoginCostOptions): Promise<MethodResult[]> {
  const setup = await setUp(o.clients, o.log);
  try {
    const results: MethodResult[] = [];
    for (const m of setup.methods) {
      if (
        o.only && !o.only.includes(m.key) &&
        !o.only.some((k) => setup.methods.find((x) => x.key === k)?.reference === m.key)
      ) {
        continue;
      }
      const r = await runMethod(m, o.clients, o.concurrency);
      o.log?.(`${m.key}: ${r.ok} ok, ${r.failed} failed, ${r.loginsPerSecond.toFixed(0)} logins/s`);
      results.push(r);
    }
    return results;
  } finally {
    await setup.stop();
  }
}

const f = (x: number | undefined, digits = 2) =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);

/** The results as a Markdown table, with ratios to each method's reference. */
export function formatResults(results: readonly MethodResult[]): string {
  const byKey = new Map(results.map((r) => [r.key, r]));
  const head = [
    "| method | ok / failed | logins/s | p50 ms | p99 ms | Prosody CPU ms/login (→ max logins/s) | service CPU ms/login | client CPU ms/login | × reference: logins/s, Prosody CPU |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  const rows = results.map((r) => {
    const ref = r.reference ? byKey.get(r.reference) : undefined;
    const ratio = ref
      ? `${f(r.loginsPerSecond / ref.loginsPerSecond)} , ${f(r.prosodyCpuMs / ref.prosodyCpuMs)}`
      : "(reference)";
    return `| ${r.label} | ${r.ok} / ${r.failed}${r.firstFailure ? ` (${r.firstFailure})` : ""} | ${
      f(r.loginsPerSecond, 0)
    } | ${f(r.p50Ms, 1)} | ${f(r.p99Ms, 1)} | ${f(r.prosodyCpuMs)} (${
      f(1000 / r.prosodyCpuMs, 0)
    }) | ${f(r.serviceCpuMs)} | ${f(r.clientCpuMs)} | ${ratio} |`;
  });
  return [...head, ...rows].join("\n");
}

if (import.meta.main) {
  const arg = (name: string, fallback: string) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? Deno.args[i + 1] : fallback;
  };
  const clients = Number(arg("clients", "1000"));
  const concurrency = Number(arg("concurrency", "50"));
  const only = arg("only", "") ? arg("only", "").split(",") as MethodKey[] : undefined;
  const log = (line: string) => console.error(`[login-cost] ${line}`);
  log(
    `${clients} clients, ${concurrency} at a time, ${navigator.hardwareConcurrency} cores, load ${
      Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
    }`,
  );
  const results = await runLoginCost({ clients, concurrency, ...(only ? { only } : {}), log });
  console.log(formatResults(results));
  log(`load after: ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
}
