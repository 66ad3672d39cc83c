/**
 * What the conformance command does about mutants (PD-173): with no
 * selection and the reference implementation as IUT they run by default;
 * `--mutants` runs them for a selection too (only those whose suites were
 * selected); `--no-mutants` skips them. Progress goes to the same writer as
 * the suites' progress.
 *
 * @module
 */
import { suiteMatches } from "../runner.ts";
import { MUTANTS } from "./mutants.ts";
import { mutantLine, mutationText } from "./render.ts";
import { runMutants } from "./run.ts";
import type { Mutant, MutationSection } from "./types.ts";

export interface MutationRequest {
  /** `--mutants` (true), `--no-mutants` (false), or neither. */
  readonly flag?: boolean;
  readonly suites: readonly string[];
  readonly requirement?: string;
  /** An out-of-process IUT: the mutants are of the reference implementation, so they do not apply. */
  readonly externalIut: boolean;
}

/** Whether the mutants run for this command line. */
// spec: DL-MUT-4 PD-173
export function mutantsWanted(r: MutationRequest): boolean {
  if (r.externalIut) return false;
  if (r.flag !== undefined) return r.flag;
  return r.suites.length === 0 && r.requirement === undefined;
}

/** The mutants whose suites the selection covers (all of them when nothing is selected). */
export function selectMutants(
  suites: readonly string[],
  mutants: readonly Mutant[] = MUTANTS,
): Mutant[] {
  if (suites.length === 0) return [...mutants];
  return mutants.filter((m) =>
    m.suites.some((ms) => suites.some((s) => suiteMatches(ms, s) || suiteMatches(s, ms)))
  );
}

/** Runs the selected mutants, printing one line per mutant. */
export async function mutationSection(
  r: MutationRequest,
  write: (text: string) => void,
  mutants: readonly Mutant[] = MUTANTS,
): Promise<MutationSection> {
  const selected = selectMutants(r.suites, mutants);
  write(`mutation: ${selected.length} mutants of the reference implementation, 2 at a time\n`);
  return await runMutants({
    mutants: selected,
    onResult: (m, done, total) => write(mutantLine(m, done, total)),
  });
}

/**
 * The report with the mutation section attached when the mutants run: the
 * report fails when the section does, and the score is printed.
 */
export async function withMutation<R extends { readonly verdict: "pass" | "fail" }>(
  report: R,
  r: MutationRequest,
  write: (text: string) => void,
): Promise<R & { mutation?: MutationSection }> {
  if (!mutantsWanted(r)) return report;
  const mutation = await mutationSection(r, write);
  write(mutationText(mutation));
  // spec: DL-MUT-3
  const verdict = report.verdict === "pass" && mutation.verdict === "pass" ? "pass" : "fail";
  return { ...report, verdict, mutation };
}
