/**
 * The contract between the conformance runner and the checkers of each area.
 *
 * A checker knows how to run one kind of vector test group (`group.type`)
 * against an implementation under test and to say what it observed. The same
 * checkers back the unit tests, so a vector means the same thing in the test
 * suite and in a conformance report.
 *
 * @module
 */
import type { VectorFile, VectorGroup, VectorTest } from "../core/vectors.ts";

export type Verdict = "pass" | "fail" | "not-applicable";

export interface CaseOutcome {
  readonly verdict: Verdict;
  /** What the test expected (a code, bytes as hex, a phase...), for the report. */
  readonly expected?: unknown;
  /** What the implementation produced. */
  readonly observed?: unknown;
  /** Why, in a sentence, when not a plain pass. */
  readonly message?: string;
  /** Machine edges covered while running the case (`from --on--> to`), for coverage. */
  readonly edges?: readonly string[];
}

/** Runs the tests of one group type. */
export interface GroupChecker {
  /** The `type` of the test groups this checker runs. */
  readonly groupType: string;
  check(test: VectorTest, group: VectorGroup, file: VectorFile): CaseOutcome | Promise<CaseOutcome>;
}
