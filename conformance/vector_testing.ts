/**
 * One loop for every area's vector test: run each vector file of an area
 * through the same checkers the conformance runner uses and collect what
 * happened. Imported by tests only.
 *
 * @module
 */
import { isRegisteredCode } from "../core/errors.ts";
import { listVectorFiles, loadVectorFile, type VectorGroup } from "../core/vectors.ts";
import type { CaseOutcome, GroupChecker } from "./suite.ts";

export interface AreaVectorRun {
  readonly files: readonly string[];
  readonly valid: number;
  readonly invalid: number;
  readonly acceptable: number;
  /** Cases the checker called not applicable, with why. */
  readonly notApplicable: readonly string[];
  /** Cases that did not pass, expected codes that are not registered, groups with no checker. */
  readonly failures: readonly string[];
  /** Edges reported by the checkers, prefixed by `edgeLabel(group)` when given. */
  readonly edges: ReadonlySet<string>;
}

export interface AreaVectorOptions {
  /** Prefix for each covered edge, e.g. the role a group drives. */
  readonly edgeLabel?: (group: VectorGroup) => string;
}

const describe = (path: string, tcId: number, comment: string, o: CaseOutcome) =>
  `${path} #${tcId} ${comment}: ${JSON.stringify(o)}`;

/** Runs every file under `vectors/<prefix>` through `checkers`. */
export async function runAreaVectors(
  prefix: string,
  checkers: readonly GroupChecker[],
  options: AreaVectorOptions = {},
): Promise<AreaVectorRun> {
  const byType = new Map(checkers.map((c) => [c.groupType, c]));
  const files = listVectorFiles().filter((p) => p.startsWith(prefix));
  const failures: string[] = [];
  const notApplicable: string[] = [];
  const edges = new Set<string>();
  const counts = { valid: 0, invalid: 0, acceptable: 0 };
  for (const path of files) {
    const file = loadVectorFile(path);
    for (const group of file.testGroups) {
      const checker = byType.get(group.type);
      if (!checker) {
        failures.push(`${path}: no checker for group type ${group.type}`);
        continue;
      }
      const label = options.edgeLabel?.(group) ?? "";
      for (const test of group.tests) {
        counts[test.result]++;
        if (test.error !== undefined && !isRegisteredCode(test.error)) {
          failures.push(`${path} #${test.tcId}: expected code ${test.error} is not registered`);
        }
        const outcome = await checker.check(test, group, file);
        for (const e of outcome.edges ?? []) edges.add(label + e);
        if (outcome.verdict === "not-applicable") {
          notApplicable.push(describe(path, test.tcId, test.comment, outcome));
        } else if (outcome.verdict !== "pass") {
          failures.push(describe(path, test.tcId, test.comment, outcome));
        }
      }
    }
  }
  return { files, ...counts, notApplicable, failures, edges };
}
