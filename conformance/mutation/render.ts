/**
 * The mutation section in each report format: a few lines for the terminal,
 * an HTML section, a JUnit test suite (one test case per mutant; a
 * surviving or invalid mutant is a failure) and Markdown. The HTML and
 * JUnit renderers take the escaping functions of their report so the rules
 * stay in one place.
 *
 * @module
 */
import type { MutantResult, MutationSection } from "./types.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const caught = (s: MutationSection) => s.killed + s.timedOut;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Where the numbers come from, in words (a committed result says so plainly). */
export function provenance(s: MutationSection): string {
  return s.source === "run"
    ? `measured in this run on commit ${s.commit}, ${s.date}, in ${seconds(s.durationMs)}`
    : `NOT run now: last committed result, from commit ${s.commit} on ${s.date}`;
}

/** One line per uncaught mutant and problem, then the score. */
export function mutationText(s: MutationSection): string {
  const lines: string[] = [];
  for (const p of s.problems) lines.push(`mutation: problem: ${p}`);
  for (const m of s.mutants.filter((m) => m.status === "survived" || m.status === "invalid")) {
    lines.push(`mutation: ${m.status.toUpperCase()} ${m.id} (${m.file}): ${m.breaks}`);
  }
  lines.push(
    `mutation: ${s.verdict.toUpperCase()} — score ${pct(s.score)}: ${caught(s)} of ` +
      `${s.total - s.invalid} mutants caught (threshold ${pct(s.threshold)}), ${s.survived} ` +
      `survived, ${s.invalid} invalid; ${provenance(s)}`,
  );
  return lines.join("\n") + "\n";
}

/** A progress line for one finished mutant. */
export function mutantLine(r: MutantResult, done: number, total: number): string {
  const what = r.status === "killed"
    ? `killed by ${r.killedCount} of ${r.cases} cases`
    : r.status === "survived"
    ? `SURVIVED ${r.cases} cases`
    : `${r.status.toUpperCase()}${r.detail ? `: ${r.detail}` : ""}`;
  return `  mutant ${String(done).padStart(2)}/${total} ${r.id.padEnd(44)} ${what} ` +
    `(${seconds(r.durationMs)})\n`;
}

/** The HTML section; `esc` is the page's escaping function. */
export function mutationHtml(s: MutationSection | undefined, esc: (t: string) => string): string {
  if (!s) return "";
  const badge = (v: string) =>
    `<span class="v ${
      v === "killed" || v === "timeout" || v === "pass"
        ? "pass"
        : v === "survived" || v === "invalid" || v === "fail"
        ? "fail"
        : "not-applicable"
    }">${esc(v)}</span>`;
  const rows = s.mutants.map((m) =>
    `<tr><td><code>${esc(m.id)}</code></td><td><code>${esc(m.file)}</code></td><td>${
      esc(m.breaks)
    }</td><td>${esc(m.spec.join(" "))}</td><td>${badge(m.status)}</td><td>${
      m.status === "killed"
        ? `${m.killedCount} of ${m.cases}: ${esc(m.killedBy.join(" "))}${
          m.killedCount > m.killedBy.length ? " …" : ""
        }`
        : esc(m.detail ?? "")
    }</td></tr>`
  ).join("");
  const problems = s.problems.length
    ? `<ul>${s.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`
    : "";
  return `<h2 id="mutation">Mutation check of the suite</h2>` +
    `<p class="big">${badge(s.verdict)} score ${esc(pct(s.score))}: ${caught(s)} of ` +
    `${s.total - s.invalid} deliberately broken variants of the reference implementation ` +
    `caught (threshold ${
      esc(pct(s.threshold))
    }); ${s.survived} survived, ${s.invalid} invalid.</p>` +
    `<p class="muted">${esc(provenance(s))}. Each mutant is one bug applied to a temporary ` +
    `copy of the source (PD-170); a mutant is caught when a case that passes on the unmutated ` +
    `copy fails.</p>${problems}` +
    `<table><tr><th>Mutant</th><th>File</th><th>What it breaks</th><th>Requirements</th>` +
    `<th>Result</th><th>Killed by / detail</th></tr>${rows}</table>`;
}

/** What the mutation test suite adds to the JUnit totals (zero without a section). */
export function mutationTotals(
  s: MutationSection | undefined,
): { tests: number; failures: number; errors: number } {
  if (!s) return { tests: 0, failures: 0, errors: 0 };
  const failures = s.mutants.filter((m) => m.status === "survived" || m.status === "invalid");
  return {
    tests: s.total + s.problems.length,
    failures: failures.length,
    errors: s.problems.length,
  };
}

/** A JUnit `<testsuite>` for the mutants; `attr`/`text` are the report's escaping functions. */
export function mutationJunit(
  s: MutationSection | undefined,
  attr: (t: string) => string,
  text: (t: string) => string,
): string[] {
  if (!s) return [];
  const t = mutationTotals(s);
  const out = [
    `  <testsuite name="mutation" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="0" time="${
      (s.durationMs / 1000).toFixed(3)
    }" timestamp="${attr(s.date)}">`,
    `    <properties>`,
    `      <property name="score" value="${s.score.toFixed(4)}"/>`,
    `      <property name="provenance" value="${attr(provenance(s))}"/>`,
    `    </properties>`,
  ];
  s.problems.forEach((p, i) =>
    out.push(
      `    <testcase classname="mutation" name="problem ${i + 1}" time="0">`,
      `      <error message="${attr(p)}" type="problem">${text(p)}</error>`,
      `    </testcase>`,
    )
  );
  for (const m of s.mutants) {
    const open = `    <testcase classname="mutation.${attr(m.id.split(".")[0])}" name="${
      attr(`${m.id}: ${m.breaks}`)
    }" time="${(m.durationMs / 1000).toFixed(3)}"`;
    if (m.status === "killed" || m.status === "timeout") out.push(`${open}/>`);
    else {
      const why = m.status === "survived"
        ? `survived: all ${m.cases} cases of ${m.suites.join(", ")} pass with this bug in ${m.file}`
        : `invalid: ${m.detail ?? ""}`;
      out.push(
        `${open}>`,
        `      <failure message="${attr(why)}" type="${m.status}">${text(why)}</failure>`,
        `    </testcase>`,
      );
    }
  }
  out.push(`  </testsuite>`);
  return out;
}

/** Markdown: the score and one table row per mutant. */
export function mutationMarkdown(s: MutationSection): string {
  const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = s.mutants.map((m) =>
    `| \`${m.id}\` | \`${m.file}\` | ${cell(m.breaks)} | ${m.status} | ${
      m.status === "killed"
        ? `${m.killedCount} (${cell(m.killedBy.slice(0, 3).join(", "))})`
        : cell(m.detail ?? "")
    } |`
  );
  return [
    `Score **${pct(s.score)}**: ${caught(s)} of ${s.total - s.invalid} mutants caught ` +
    `(threshold ${pct(s.threshold)}), ${s.survived} survived, ${s.invalid} invalid; ${
      provenance(s)
    }.`,
    "",
    "| Mutant | File | What it breaks | Result | Killing cases (first three) |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
