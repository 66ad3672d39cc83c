/**
 * Writes docs/mutation.md from a real run of the mutation check: what it
 * is, how to run it, and the table of every mutant with its result.
 *
 * `deno run -A tools/mutation_doc.ts [OUTPUT]` (default docs/mutation.md)
 *
 * @module
 */
import { MUTANTS } from "../conformance/mutation/mutants.ts";
import { mutantLine, mutationMarkdown } from "../conformance/mutation/render.ts";
import { runMutants } from "../conformance/mutation/run.ts";
import { writeStderr } from "../conformance/progress.ts";

const INTRO = `# Mutation check of the conformance suite

A conformance suite is only as good as the bugs it notices. The mutation check runs deliberately
broken variants of the reference implementation through the suites and counts how many are
caught: each mutant is one realistic bug (an ignored signature result, a missing \`Math.abs\`, an
off-by-one, seconds read as milliseconds, a length-only comparison) written as data in
\`conformance/mutation/mutants_*.ts\`: a file, an exact snippet of its source, the replacement,
what it breaks, the requirements it defeats, and the suites (or vector files) that should notice.

How it runs (PD-170..PD-173): the source folders are copied to a temporary directory, a baseline
run of the unmutated copy comes first, then each mutant is applied to a copy and its suites run in
a subprocess, two at a time. A mutant is *killed* when a case that passes on the unmutated copy
fails; the report lists the cases that killed it. A snippet that no longer occurs exactly once in
its file makes the mutant invalid and fails the run, and a unit test checks the whole list against
the tree, so the list cannot rot silently. No production code carries a switch for any of this.

- \`deno task conformance\` (no selection) runs the suites, then the mutants; the report's
  "Mutation check" section (HTML), \`mutation\` object (JSON) and \`mutation\` test suite (JUnit)
  give the score, every surviving mutant and the killing cases. Below 95 % caught, or with an
  invalid mutant, the run fails.
- \`--no-mutants\` skips them; \`--mutants\` adds them to a selected run (\`--suite\`), limited to
  the mutants of the selected suites.
- Regenerate this page with \`deno run -A tools/mutation_doc.ts\`.

Every mutant that survived so far pointed at a missing vector, and each got one: a PDU older than
the A-profile timestamp window (only newer ones were tested), an intermediate CA without a
keyUsage extension, the integrity-only (HMAC) A-profile session, and HMAC verification of a
truncated tag.

## Last run
`;

if (import.meta.main) {
  const output = Deno.args[0] ?? "docs/mutation.md";
  const loadBefore = Deno.loadavg()[0];
  const section = await runMutants({
    mutants: MUTANTS,
    onResult: (r, done, total) => writeStderr(mutantLine(r, done, total)),
  });
  Deno.writeTextFileSync(
    output,
    `${INTRO}\nOn ${Deno.build.os}-${Deno.build.arch}, ${navigator.hardwareConcurrency} CPUs, ` +
      `Deno ${Deno.version.deno}, load average ${loadBefore.toFixed(1)} before and ` +
      `${Deno.loadavg()[0].toFixed(1)} after (other work shares the machine).\n\n` +
      mutationMarkdown(section),
  );
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", output] }).output();
  console.log(`wrote ${output}: score ${(section.score * 100).toFixed(1)} %`);
  Deno.exitCode = section.verdict === "pass" ? 0 : 1;
}
