/**
 * The conformance run inside a mutated copy: runs the suites named on the
 * command line against the reference implementation in that copy and
 * prints one JSON line on stdout with the number of cases and the ones
 * that did not pass. Started by run.ts as a subprocess; not for people.
 *
 * `deno run --allow-read --allow-env child.ts [--vectors DIR] SUITE...`
 *
 * @module
 */
import { referenceIut } from "../iut.ts";
import { runConformance } from "../runner.ts";

/** What a child prints. */
export interface ChildResult {
  readonly cases: number;
  /** `file#tcId` of every case whose verdict was not pass. */
  readonly failed: readonly string[];
  readonly problems: readonly string[];
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--vectors");
  const vectorsRoot = at >= 0 ? new URL(`file://${args.splice(at, 2)[1]}/`) : undefined;
  const report = await runConformance({ iut: referenceIut(), suites: args, vectorsRoot });
  const result: ChildResult = {
    cases: report.cases.length,
    failed: report.cases.filter((c) => c.verdict !== "pass").map((c) => `${c.file}#${c.tcId}`),
    problems: report.problems,
  };
  console.log(JSON.stringify(result));
}
