/**
 * Runs the mutation check (PD-170): every mutant is applied to a temporary
 * copy of the tree and the suites it names run against it in a subprocess
 * (child.ts), at most `concurrency` at a time, each in its own copy. A
 * baseline run of the unmutated copy comes first: a case that already fails
 * there cannot kill anything. Production code carries no switch for any of
 * this: the bug is in the copied source text, nowhere else.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { applyInCopy, applyMutant, copyTree, REPO_ROOT } from "./apply.ts";
import type { ChildResult } from "./child.ts";
import {
  KILLERS_LISTED,
  type Mutant,
  type MutantResult,
  type MutationSection,
  summariseMutants,
} from "./types.ts";

/** Default minimum score (PD-172). */
export const DEFAULT_THRESHOLD = 0.95;
/** Bound on one mutant's run; a run that takes longer counts as caught (timeout). */
export const DEFAULT_TIMEOUT_MS = 120_000;

export interface MutationOptions {
  readonly mutants: readonly Mutant[];
  /** Repository to copy; default this one. */
  readonly root?: URL;
  /** Subprocesses at a time (PD-173). Default 2. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly threshold?: number;
  /** Called after each mutant. */
  readonly onResult?: (r: MutantResult, done: number, total: number) => void;
  readonly now?: () => Date;
  /** Commit label; default from git. */
  readonly commit?: string;
}

interface ChildRun {
  readonly result?: ChildResult;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly failure?: string;
}

const tail = (s: string, n = 600) => s.length <= n ? s : "…" + s.slice(-n);

/** Runs the child in `copy` on `suites`. */
// spec: DL-MUT-1 PD-170 PD-173
export async function runChild(
  copy: URL,
  suites: readonly string[],
  timeoutMs: number,
  vectors?: URL,
): Promise<ChildRun> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-read",
        "--allow-env",
        new URL("conformance/mutation/child.ts", copy).pathname,
        ...(vectors ? ["--vectors", vectors.pathname] : []),
        ...suites,
      ],
      cwd: copy.pathname,
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
  } catch (e) {
    return { timedOut: false, durationMs: performance.now() - started, failure: String(e) };
  }
  const durationMs = performance.now() - started;
  if (signal.aborted) return { timedOut: true, durationMs };
  const text = new TextDecoder().decode(out.stdout).trim();
  const last = text.slice(text.lastIndexOf("\n") + 1);
  try {
    if (out.code !== 0) throw new Error(`exit ${out.code}`);
    return { result: JSON.parse(last) as ChildResult, timedOut: false, durationMs };
  } catch (e) {
    const err = new TextDecoder().decode(out.stderr);
    return { timedOut: false, durationMs, failure: `${(e as Error).message}: ${tail(err)}` };
  }
}

/**
 * A vectors folder inside `copy` holding only `files` (links to the copy's
 * vectors), for a mutant limited to some files; made once per file set.
 */
export function vectorSubset(copy: URL, files: readonly string[]): URL {
  const dir = new URL(
    `mutation-vectors/${files.join("+").replace(/[^A-Za-z0-9.+-]/g, "_")}/`,
    copy,
  );
  for (const f of files) {
    const link = new URL(f, dir);
    const target = new URL(`vectors/${f}`, copy);
    Deno.statSync(target); // an unknown file fails the mutant here
    Deno.mkdirSync(new URL(".", link), { recursive: true });
    try {
      Deno.symlinkSync(target.pathname, link.pathname);
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
  }
  return dir;
}

/** The commit the mutants ran on, `+changes` when the copied folders had uncommitted edits. */
export async function currentCommit(root: URL = REPO_ROOT): Promise<string> {
  const git = async (...args: string[]) => {
    const r = await new Deno.Command("git", {
      args,
      cwd: root.pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    return r.code === 0 ? new TextDecoder().decode(r.stdout).trim() : undefined;
  };
  try {
    const head = await git("rev-parse", "--short=12", "HEAD");
    if (!head) return "unknown";
    const dirty = await git("status", "--porcelain", "--", "core", "state-machines", "conformance");
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
}

function invalid(m: Mutant, detail: string, durationMs = 0): MutantResult {
  return {
    id: m.id,
    file: m.file,
    breaks: m.breaks,
    spec: m.spec,
    suites: m.suites,
    status: "invalid",
    killedBy: [],
    killedCount: 0,
    cases: 0,
    durationMs,
    detail,
  };
}

/** One mutant's result from its run, given the cases that fail without it. */
export function judge(m: Mutant, run: ChildRun, baseline: ReadonlySet<string>): MutantResult {
  if (run.timedOut) {
    return {
      ...invalid(m, `no result within the time bound (${Math.round(run.durationMs)} ms)`),
      status: "timeout",
      durationMs: Math.round(run.durationMs),
    };
  }
  if (!run.result) {
    return invalid(
      m,
      `mutation/child-failed: ${run.failure ?? "no result"}`,
      Math.round(run.durationMs),
    );
  }
  const killers = run.result.failed.filter((c) => !baseline.has(c));
  // spec: DL-MUT-1
  return {
    id: m.id,
    file: m.file,
    breaks: m.breaks,
    spec: m.spec,
    suites: m.suites,
    status: killers.length > 0 ? "killed" : "survived",
    killedBy: killers.slice(0, KILLERS_LISTED),
    killedCount: killers.length,
    cases: run.result.cases,
    durationMs: Math.round(run.durationMs),
  };
}

/** Runs every mutant and returns the report section. */
export async function runMutants(o: MutationOptions): Promise<MutationSection> {
  const now = o.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const root = o.root ?? REPO_ROOT;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const problems: string[] = [];
  const results = new Map<string, MutantResult>();
  const runnable: Mutant[] = [];
  const ids = new Set<string>();
  for (const m of o.mutants) {
    try {
      if (ids.has(m.id)) throw new Error(`${m.id}: duplicate id`);
      ids.add(m.id);
      applyMutant(Deno.readTextFileSync(new URL(m.file, root)), m);
      runnable.push(m);
    } catch (e) {
      // spec: DL-MUT-2 PD-171
      const detail = e instanceof DerlinkError ? `${e.code}: ${e.detail}` : String(e);
      problems.push(detail);
      results.set(m.id, invalid(m, detail));
    }
  }
  const workers = Math.max(1, Math.min(o.concurrency ?? 2, runnable.length || 1));
  const copies = Array.from({ length: workers }, () => copyTree(root));
  try {
    const suites = [...new Set(runnable.flatMap((m) => m.suites))].sort();
    const baseRun = suites.length ? await runChild(copies[0], suites, timeoutMs) : undefined;
    const baseline = new Set(baseRun?.result?.failed ?? []);
    if (baseRun && !baseRun.result) {
      problems.push(`mutation/baseline-failed: ${baseRun.failure ?? "timeout"}`);
    } else if (baseline.size > 0) {
      problems.push(
        `mutation/baseline-failed: ${baseline.size} case(s) fail without any mutant ` +
          `(e.g. ${[...baseline].slice(0, 3).join(", ")}); they are not counted as kills`,
      );
    }
    let next = 0, done = 0;
    await Promise.all(copies.map(async (copy) => {
      while (next < runnable.length) {
        const m = runnable[next++];
        let r: MutantResult;
        try {
          const vectors = m.files ? vectorSubset(copy, m.files) : undefined;
          const restore = applyInCopy(copy, m);
          try {
            r = judge(m, await runChild(copy, m.suites, timeoutMs, vectors), baseline);
          } finally {
            restore();
          }
        } catch (e) {
          r = invalid(m, `mutation/bad-mutant: ${m.id}: ${e}`);
        }
        if (r.status === "invalid") problems.push(r.detail ?? `${m.id}: invalid`);
        results.set(m.id, r);
        o.onResult?.(r, ++done, runnable.length);
      }
    }));
  } finally {
    for (const c of copies) Deno.removeSync(c, { recursive: true });
  }
  const ordered = o.mutants.map((m) => results.get(m.id)!).filter((r) => r !== undefined);
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  return {
    source: "run",
    date: started.toISOString(),
    commit: o.commit ?? await currentCommit(root),
    durationMs: Math.round(performance.now() - t0),
    ...summariseMutants(ordered, problems, threshold),
    problems,
    mutants: ordered,
  };
}
