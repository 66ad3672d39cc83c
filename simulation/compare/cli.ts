/**
 * `deno task compare [--ders N] [--seed S] [--attack-ders N] [--minutes M]
 * [--check] [--out DIR] [--server SPEC] [--protection-cost N]`: runs the scenario once
 * per configuration of simulation/compare/combinations.ts that can run today, executes
 * the attacks against each, and writes docs/options.md (deterministic),
 * docs/options-measured.md and docs/options.html. `--check` writes nothing
 * and fails when docs/options.md would change (what CI runs, PD-239).
 *
 * @module
 */
import { combinations, missingFor } from "./combinations.ts";
import { measure, type Measurement } from "./measure.ts";
import { certificateLogins, runAttacks, type RunSettings } from "./run.ts";
import { CERTIFICATE_LOGINS_AT_SERVER, networkFor } from "../run.ts";
import {
  type ComboReport,
  type CompareReport,
  renderHtml,
  renderMarkdown,
  renderMeasured,
} from "./report.ts";

export interface CompareArgs {
  readonly ders: number;
  readonly attackDers: number;
  readonly seed: string;
  readonly minutes: number;
  readonly out: string;
  readonly check: boolean;
  readonly servers: readonly string[];
  /** Fleet size for bench/protection_cost.ts; undefined: not run. */
  readonly protectionCost?: number;
  /** A saved output of bench/protection_cost.ts to take the ratios from instead of running it. */
  readonly protectionCostFrom?: string;
}

export const COMPARE_DEFAULTS: CompareArgs = {
  ders: 20,
  attackDers: 8,
  seed: "derlink",
  minutes: 10,
  out: "docs",
  check: false,
  servers: [],
};

const USAGE =
  `deno task compare [--ders N] [--seed S] [--attack-ders N] [--minutes M] [--check] [--out DIR]
  --ders N          DERs in the traffic runs (default ${COMPARE_DEFAULTS.ders})
  --attack-ders N   DERs in the attack runs (default ${COMPARE_DEFAULTS.attackDers}; groups of half)
  --seed S          seed of every run (default ${COMPARE_DEFAULTS.seed})
  --minutes M       virtual duration of each run (default ${COMPARE_DEFAULTS.minutes})
  --check           write nothing; fail when docs/options.md would change
  --out DIR         where the documents go (default ${COMPARE_DEFAULTS.out})
  --server SPEC     also run the traffic runs over a real XMPP server (simulate's --server values,
                    e.g. prosody?scale=10); measured, so only in options-measured.md and the page
  --protection-cost N   run bench/protection_cost.ts N (per-message vs A-profile) and keep its ratios
  --protection-cost-from FILE   take them from a saved output of that bench instead`;

export function parseCompareArgs(args: readonly string[]): CompareArgs {
  const o: Record<string, unknown> = { ...COMPARE_DEFAULTS, servers: [] };
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} takes an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i], v = args[i + 1];
    if (a === "--ders") o.ders = int(a, args[++i], 4);
    else if (a === "--attack-ders") o.attackDers = int(a, args[++i], 4);
    else if (a === "--minutes") o.minutes = int(a, args[++i], 1);
    else if (a === "--seed" && v) o.seed = args[++i];
    else if (a === "--out" && v) o.out = args[++i];
    else if (a === "--server" && v) (o.servers as string[]).push(args[++i]);
    else if (a === "--protection-cost") o.protectionCost = int(a, args[++i], 1);
    else if (a === "--protection-cost-from" && v) o.protectionCostFrom = args[++i];
    else if (a === "--check") o.check = true;
    else throw new Error(a === "--help" ? USAGE : `unknown or incomplete option ${a}\n${USAGE}`);
  }
  const extras = o.protectionCost !== undefined || o.protectionCostFrom !== undefined;
  if (o.check && ((o.servers as string[]).length > 0 || extras)) {
    throw new Error(
      "--check compares docs/options.md only: leave out --server and --protection-cost",
    );
  }
  if ((o.servers as string[]).length > 1) throw new Error("--server: one server per run");
  return o as unknown as CompareArgs;
}

/** The deterministic arguments, as the document names them. */
export function commandLine(a: CompareArgs): string {
  const parts = ["deno task compare", `--ders ${a.ders}`, `--seed ${a.seed}`];
  if (a.attackDers !== COMPARE_DEFAULTS.attackDers) parts.push(`--attack-ders ${a.attackDers}`);
  if (a.minutes !== COMPARE_DEFAULTS.minutes) parts.push(`--minutes ${a.minutes}`);
  return parts.join(" ");
}

/** Attack runs: small fleet, two groups, a quarter drops out (so someone is evicted). */
export const attackSettings = (a: CompareArgs): RunSettings => ({
  ders: a.attackDers,
  seed: a.seed,
  minutes: a.minutes,
  groupSize: Math.ceil(a.attackDers / 2),
  dropoutPct: 25,
  pkiCache: "report/cache",
});

export const trafficSettings = (a: CompareArgs): RunSettings => ({
  ders: a.ders,
  seed: a.seed,
  minutes: a.minutes,
  groupSize: 50,
  dropoutPct: 5,
  pkiCache: "report/cache",
});

/** Runs every combination that can run; `attacksOnly` skips the traffic runs (tests). */
// spec: PD-235 PD-236 DL-CMP-1
export async function compare(
  a: CompareArgs,
  progress: (line: string) => void = () => {},
  attacksOnly = false,
): Promise<CompareReport> {
  const combos: ComboReport[] = [];
  for (const combo of combinations()) {
    const missing = missingFor(combo.config);
    if (missing.length > 0) {
      combos.push({ combo, missing });
      continue;
    }
    progress(`${combo.name}: attacks`);
    const attacks = await runAttacks(combo.config, attackSettings(a));
    progress(`${combo.name}: traffic at ${a.ders} DERs`);
    const measurement = attacksOnly ? undefined : await measure(combo.config, trafficSettings(a));
    combos.push({ combo, missing, attacks, measurement });
  }
  const server = a.servers.length === 0 || attacksOnly ? undefined : {
    spec: a.servers[0],
    rows: await atServer(a, combos, progress),
  };
  const protectionCost = a.protectionCostFrom !== undefined
    ? ratioLines(
      await Deno.readTextFile(a.protectionCostFrom),
      "a saved output of deno run -A bench/protection_cost.ts",
    )
    : a.protectionCost === undefined
    ? undefined
    : await runProtectionCost(a.protectionCost, progress);
  return {
    command: commandLine(a),
    ders: a.ders,
    attackDers: a.attackDers,
    seed: a.seed,
    combos,
    server,
    protectionCost,
  };
}

/** The traffic runs of every combination that ran, over the real server. */
// spec: DL-CMP-8
async function atServer(
  a: CompareArgs,
  combos: readonly ComboReport[],
  progress: (line: string) => void,
): Promise<{ name: string; result: Measurement | string }[]> {
  const factory = await networkFor(a.servers);
  const rows: { name: string; result: Measurement | string }[] = [];
  for (const c of combos.filter((x) => x.missing.length === 0)) {
    // spec: PD-254
    if (certificateLogins(c.combo.config)) {
      rows.push({ name: c.combo.name, result: CERTIFICATE_LOGINS_AT_SERVER });
      continue;
    }
    progress(`${c.combo.name}: traffic at ${a.servers[0]}`);
    rows.push({
      name: c.combo.name,
      result: await measure(c.combo.config, trafficSettings(a), factory),
    });
  }
  return rows;
}

/** Runs the per-message helper's bench and keeps the lines that give ratios at N DERs. */
async function runProtectionCost(
  n: number,
  progress: (line: string) => void,
): Promise<{ command: string; lines: string[] }> {
  const bench = new URL("../../bench/protection_cost.ts", import.meta.url);
  const command = `deno run -A bench/protection_cost.ts ${n}`;
  progress(`${command} (takes minutes)`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", bench.pathname, String(n)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${command} failed`);
  const text = new TextDecoder().decode(out.stdout);
  await Deno.mkdir("report", { recursive: true });
  await Deno.writeTextFile("report/protection_cost.txt", text);
  return ratioLines(text, command);
}

/**
 * The bench's ratios, each with its suite: at N DERs reached once each (fresh sessions against
 * first contact), and per command in steady state (an established session against per-message).
 */
// spec: DL-CMP-7
export function ratioLines(text: string, command: string): { command: string; lines: string[] } {
  const lines: string[] = [];
  let suite = "";
  for (const line of text.split("\n")) {
    const head = /^(?:### )?([A-Za-z0-9-]+)(?:, N = \d+ DERs|: per command)/.exec(line);
    if (head) suite = head[1];
    if (line.startsWith("ratio per-message / A-profile at N =")) lines.push(`${suite}: ${line}`);
    const steady = /^- per command in a session: (.*)$/.exec(line);
    if (steady) {
      lines.push(`${suite}: steady state, per command in an established session: ${steady[1]}`);
    }
  }
  if (lines.length === 0) throw new Error(`${command}: no ratio lines in its output`);
  return { command, lines };
}

async function main(): Promise<number> {
  let a: CompareArgs;
  try {
    a = parseCompareArgs(Deno.args);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const t0 = performance.now();
  const report = await compare(a, (l) => console.error(`compare: ${l}`));
  const md = renderMarkdown(report);
  const file = `${a.out}/options.md`;
  if (a.check) {
    const old = await Deno.readTextFile(file).catch(() => "");
    if (old !== md) {
      console.error(`${file} differs from a fresh run: run \`${report.command}\` and commit it`);
      return 1;
    }
    console.error(`${file} is up to date (${Math.round(performance.now() - t0)} ms)`);
    return 0;
  }
  const when = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
  await Deno.mkdir(a.out, { recursive: true });
  await Deno.writeTextFile(file, md);
  await Deno.writeTextFile(`${a.out}/options-measured.md`, renderMeasured(report, when));
  await Deno.writeTextFile(`${a.out}/options.html`, renderHtml(report, when));
  console.error(
    `wrote ${file}, options-measured.md, options.html (${Math.round(performance.now() - t0)} ms)`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
