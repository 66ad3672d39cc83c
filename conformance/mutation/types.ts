/**
 * Shapes of the mutation check (PD-170): a mutant is one deliberate,
 * realistic bug in the reference implementation, written as data (file,
 * exact snippet, replacement); its result says which conformance cases
 * noticed it. The section goes into every report format.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

/** Failures of the mutation machinery itself (never of the implementation under test). */
export const MutationError = defineErrorCodes("mutation", {
  "snippet-missing": "a mutant's original snippet does not occur in its file: the list is stale",
  "snippet-ambiguous": "a mutant's original snippet occurs more than once in its file",
  "bad-mutant": "a mutant is malformed (no change, duplicate id, unknown file or suite)",
  "baseline-failed": "the unmutated copy does not pass the suites the mutants run",
  "child-failed": "a mutant's conformance run crashed without producing a result",
});

/** One deliberate bug. */
export interface Mutant {
  /** Stable name, `area.what-is-broken`. */
  readonly id: string;
  /** Path relative to the repository root. */
  readonly file: string;
  /** Exact text that must occur exactly once in the file (PD-171). */
  readonly original: string;
  readonly replacement: string;
  /** What the bug breaks, in a sentence. */
  readonly breaks: string;
  /** Requirements whose check the bug defeats. */
  readonly spec: readonly string[];
  /** Conformance suites (or suite prefixes) run against the mutant. */
  readonly suites: readonly string[];
  /**
   * Only these vector files (paths under vectors/) of those suites, when one
   * file already shows the bug and the others repeat it for other crypto
   * suites (PD-173); default every file of the suites.
   */
  readonly files?: readonly string[];
}

/**
 * killed: some case failed; timeout: the run did not finish in time (counted
 * as caught, as in common mutation tools); survived: every case passed;
 * invalid: the mutant could not be applied or its run crashed (a defect of
 * the list, counted apart and failing the run).
 */
export type MutantStatus = "killed" | "timeout" | "survived" | "invalid";

export interface MutantResult {
  readonly id: string;
  readonly file: string;
  readonly breaks: string;
  readonly spec: readonly string[];
  readonly suites: readonly string[];
  readonly status: MutantStatus;
  /** `file#tcId` of the cases that failed against the mutant (at most KILLERS_LISTED). */
  readonly killedBy: readonly string[];
  /** How many cases failed in all. */
  readonly killedCount: number;
  /** Cases run against the mutant. */
  readonly cases: number;
  readonly durationMs: number;
  /** Why, for invalid and timeout. */
  readonly detail?: string;
}

/** How many killing cases a result lists by name. */
export const KILLERS_LISTED = 25;

export interface MutationSection {
  /** "run": measured in this run; "committed": read from the committed result file. */
  readonly source: "run" | "committed";
  /** When the mutants ran, and on which commit (with "+changes" when the tree was dirty). */
  readonly date: string;
  readonly commit: string;
  readonly durationMs: number;
  readonly total: number;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly invalid: number;
  /** (killed + timedOut) / (total − invalid); 0 when nothing valid ran. */
  readonly score: number;
  /** Minimum score for a pass (PD-172). */
  readonly threshold: number;
  readonly verdict: "pass" | "fail";
  /** Problems of the machinery: stale snippets, failing baseline, crashed runs. */
  readonly problems: readonly string[];
  readonly mutants: readonly MutantResult[];
}

/** Score and verdict from the results. */
export function summariseMutants(
  results: readonly MutantResult[],
  problems: readonly string[],
  threshold: number,
): Pick<
  MutationSection,
  "total" | "killed" | "timedOut" | "survived" | "invalid" | "score" | "verdict" | "threshold"
> {
  const n = (s: MutantStatus) => results.filter((r) => r.status === s).length;
  const killed = n("killed"),
    timedOut = n("timeout"),
    survived = n("survived"),
    invalid = n("invalid");
  const valid = results.length - invalid;
  const score = valid > 0 ? (killed + timedOut) / valid : 0;
  // spec: DL-MUT-3 PD-172
  const verdict = problems.length === 0 && invalid === 0 && valid > 0 && score >= threshold
    ? "pass"
    : "fail";
  return { total: results.length, killed, timedOut, survived, invalid, score, verdict, threshold };
}
