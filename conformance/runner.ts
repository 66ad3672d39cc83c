/**
 * The conformance runner's core: load every vector file, select the cases,
 * run each through the IUT's checker for its group type, and build the
 * {@link Report}. No printing and no files here — the CLI does that — so the
 * runner is tested with synthetic vectors and fake checkers.
 *
 * @module
 */
import denoConfig from "../deno.json" with { type: "json" };
import {
  listVectorFiles,
  validateVectorFile,
  type VectorFile,
  VECTORS_ROOT,
} from "../core/vectors.ts";
import { checkerRegistry, type Iut } from "./iut.ts";
import {
  aggregateRequirements,
  type CaseResult,
  count,
  jsonSafe,
  type Report,
  type RequirementInfo,
  summariseSuites,
  transitionCoverage,
} from "./report.ts";
import type { CaseOutcome, GroupChecker, Verdict } from "./suite.ts";

/** Progress of one suite, reported after every case and once more when it ends. */
export interface SuiteProgress {
  readonly suite: string;
  readonly done: number;
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
  readonly finished: boolean;
}

export interface RunOptions {
  readonly iut: Iut;
  /** Folder holding `<area>/*.json` vector files; defaults to the repository's `vectors/`. */
  readonly vectorsRoot?: URL;
  /** Run only these suites (the files' `suite` field, or its dotted prefix); empty means all. */
  readonly suites?: readonly string[];
  /** Run only the cases whose `spec` names this requirement. */
  readonly requirement?: string;
  /** Requirement tables, for levels and paraphrases in the report. */
  readonly requirements?: readonly RequirementInfo[];
  readonly onProgress?: (p: SuiteProgress) => void;
  /** Clock for the report date and duration; injectable so tests are deterministic. */
  readonly now?: () => Date;
}

const VERDICTS: ReadonlySet<string> = new Set(["pass", "fail", "not-applicable"]);
const message = (e: unknown) => e instanceof Error ? e.message : String(e);

/** Loads every file under the root; a file that does not load is a problem, not a skip. */
function loadAll(root: URL, problems: string[]): VectorFile[] {
  const files: VectorFile[] = [];
  for (const rel of listVectorFiles(root)) {
    try {
      files.push(validateVectorFile(JSON.parse(Deno.readTextFileSync(new URL(rel, root))), rel));
    } catch (e) {
      // spec: DL-CONF-2
      problems.push(`vector file ${rel} did not load: ${message(e)}`);
    }
  }
  return files;
}

/** Runs one case; never throws. */
// spec: DL-CONF-1 DL-CONF-2
async function runCase(
  checker: GroupChecker | undefined,
  iutName: string,
  ...args: Parameters<GroupChecker["check"]>
): Promise<CaseOutcome> {
  const [, group] = args;
  if (!checker) {
    return {
      verdict: "not-applicable",
      message: `${iutName} has no checker for group type "${group.type}"`,
    };
  }
  try {
    const outcome = await checker.check(...args);
    if (!outcome || !VERDICTS.has(outcome.verdict)) {
      return { verdict: "fail", message: "checker returned no valid verdict" };
    }
    return outcome;
  } catch (e) {
    return { verdict: "fail", message: `checker threw: ${message(e)}` };
  }
}

/** `--suite crypto` selects `crypto` and every `crypto.*` suite. */
export const suiteMatches = (suite: string, wanted: string): boolean =>
  suite === wanted || suite.startsWith(wanted + ".");

/** Runs the selected cases against the IUT and builds the report. */
export async function runConformance(options: RunOptions): Promise<Report> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const root = options.vectorsRoot ?? VECTORS_ROOT;
  const registry = checkerRegistry(options.iut.checkers);
  const problems: string[] = [];
  const files = loadAll(root, problems);
  const wanted = new Set(options.suites ?? []);

  const known = new Set(files.map((f) => f.suite));
  for (const s of wanted) {
    if (![...known].some((k) => suiteMatches(k, s))) {
      problems.push(`no suite named "${s}" (known: ${[...known].sort().join(", ") || "none"})`);
    }
  }
  const selected = files.filter((f) =>
    wanted.size === 0 || [...wanted].some((s) => suiteMatches(f.suite, s))
  );
  const bySuite = new Map<string, VectorFile[]>();
  for (const f of selected) bySuite.set(f.suite, [...(bySuite.get(f.suite) ?? []), f]);

  const cases: CaseResult[] = [];
  for (const suite of [...bySuite.keys()].sort()) {
    const work = bySuite.get(suite)!.flatMap((file) =>
      file.testGroups.flatMap((group) =>
        group.tests
          .filter((t) => !options.requirement || t.spec.includes(options.requirement))
          .map((test) => ({ file, group, test }))
      )
    );
    if (work.length === 0) continue;
    const verdicts: Verdict[] = [];
    const progress = (finished: boolean) =>
      options.onProgress?.({
        suite,
        ...count(verdicts.map((verdict) => ({ verdict }))),
        done: verdicts.length,
        total: work.length,
        finished,
      });
    progress(false);
    for (const { file, group, test } of work) {
      const outcome = await runCase(registry.get(group.type), options.iut.name, test, group, file);
      verdicts.push(outcome.verdict);
      cases.push({
        suite,
        file: file.path,
        groupType: group.type,
        tcId: test.tcId,
        comment: test.comment,
        flags: test.flags,
        spec: test.spec,
        result: test.result,
        ...(test.error !== undefined ? { error: test.error } : {}),
        verdict: outcome.verdict,
        ...(outcome.expected !== undefined ? { expected: jsonSafe(outcome.expected) } : {}),
        ...(outcome.observed !== undefined ? { observed: jsonSafe(outcome.observed) } : {}),
        ...(outcome.message !== undefined ? { message: String(outcome.message) } : {}),
        ...(outcome.edges?.length ? { edges: outcome.edges.map(String) } : {}),
      });
      progress(false);
    }
    progress(true);
  }

  // spec: DL-CONF-3
  if (cases.length === 0) {
    problems.push(
      options.requirement
        ? `no selected case names requirement ${options.requirement}`
        : "no vector case was selected",
    );
  }
  const summary = count(cases);
  const filtered = wanted.size > 0 || options.requirement !== undefined;
  const requirements = aggregateRequirements(cases, options.requirements ?? [], !filtered);
  const ended = now();
  return {
    // spec: DL-CONF-5
    meta: {
      tool: "derlink conformance",
      derlinkVersion: denoConfig.version,
      date: started.toISOString(),
      durationMs: Math.max(0, ended.getTime() - started.getTime()),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      platform: `${Deno.build.os}-${Deno.build.arch}`,
      iut: options.iut.name,
      ...(options.iut.details ? { iutDetails: jsonSafe(options.iut.details) } : {}),
      selection: {
        suites: [...wanted].sort(),
        ...(options.requirement ? { requirement: options.requirement } : {}),
      },
      vectorsRoot: root.href,
    },
    verdict: summary.fail > 0 || problems.length > 0 ? "fail" : "pass",
    summary,
    problems,
    suites: summariseSuites(cases),
    requirements,
    coverage: transitionCoverage(cases, options.iut.machines),
    cases,
  };
}
