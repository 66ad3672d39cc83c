/**
 * The HTML report: one static, self-contained page (inline CSS, no script,
 * no external resource; a Content-Security-Policy says so to the browser).
 * Sections: summary and run data, run problems, failures with expected and
 * observed values, per-requirement verdicts, transition coverage, and one
 * collapsible table per suite. Every text comes from vectors, checkers or
 * requirement tables, so every text is escaped.
 *
 * @module
 */
import type { Verdict } from "./suite.ts";
import { type CaseResult, display, markupSafe, type Report } from "./report.ts";
import { mutationHtml } from "./mutation/render.ts";

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(s: string): string {
  return markupSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const LIMIT_IN_TABLE = 200;
const LIMIT_IN_FAILURE = 20_000;

function clip(s: string, limit: number): string {
  return s.length <= limit ? s : `${s.slice(0, limit)}… (${s.length - limit} more characters)`;
}

const badge = (v: Verdict | "pass" | "fail") => `<span class="v ${v}">${esc(v)}</span>`;

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:78em;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right}
code,pre{font:12px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0}
.v{display:inline-block;padding:0 .5em;border-radius:.6em;font-weight:600;font-size:.9em}
.pass{background:#d6f5d6;color:#135c13}.fail{background:#fbd5d5;color:#8a1111}
.not-applicable{background:#eee;color:#555}
.big{font-size:1.3em}details{margin:.4em 0}summary{cursor:pointer;font-weight:600}
.failure{border:1px solid #e7b4b4;border-left:.4em solid #c33;padding:.5em;margin:.7em 0}
.muted{color:#666}`;

function metaTable(r: Report): string {
  const m = r.meta;
  const rows: [string, string][] = [
    ["Implementation under test", m.iut],
    ["Date", m.date],
    ["Duration", `${(m.durationMs / 1000).toFixed(2)} s`],
    ["derlink", m.derlinkVersion],
    ["Deno / V8 / TypeScript", `${m.deno} / ${m.v8} / ${m.typescript}`],
    ["Platform", m.platform],
    ["Suites selected", m.selection.suites.length ? m.selection.suites.join(", ") : "all"],
    ["Requirement selected", m.selection.requirement ?? "all"],
    ["Vectors", m.vectorsRoot],
  ];
  return `<table>${
    rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")
  }</table>`;
}

function summary(r: Report): string {
  const s = r.summary;
  return `<p class="big">${badge(r.verdict)} ${s.total} cases: ${s.pass} pass, ${s.fail} fail, ` +
    `${s.notApplicable} not applicable; ${r.problems.length} run problem(s).</p>`;
}

function problems(r: Report): string {
  if (!r.problems.length) return "";
  return `<h2 id="problems">Run problems</h2><ul>${
    r.problems.map((p) => `<li>${esc(p)}</li>`).join("")
  }</ul>`;
}

function failures(r: Report): string {
  const failed = r.cases.filter((c) => c.verdict === "fail");
  if (!failed.length) return `<h2 id="failures">Failures</h2><p>None.</p>`;
  const block = (c: CaseResult) => {
    const rows: [string, string][] = [
      ["Suite / file", `${c.suite} — ${c.file} (group ${c.groupType})`],
      ["Comment", c.comment],
      ["Requirements", c.spec.join(" ")],
      ["Flags", c.flags.join(" ")],
      ["Vector result", c.result + (c.error ? ` (expected error ${c.error})` : "")],
      ["Expected", display(c.expected)],
      ["Observed", display(c.observed)],
      ["Message", c.message ?? ""],
    ];
    return `<div class="failure" id="${esc(`case-${c.file}-${c.tcId}`)}"><strong>${
      esc(`${c.file} tcId ${c.tcId}`)
    }</strong><table>${
      rows.map(([k, v]) =>
        `<tr><th>${esc(k)}</th><td><pre>${esc(clip(v, LIMIT_IN_FAILURE))}</pre></td></tr>`
      ).join("")
    }</table></div>`;
  };
  return `<h2 id="failures">Failures (${failed.length})</h2>${failed.map(block).join("")}`;
}

function requirements(r: Report): string {
  if (!r.requirements.length) return `<h2 id="requirements">Requirements</h2><p>None.</p>`;
  const rows = r.requirements.map((q) =>
    `<tr><td><code>${esc(q.id)}</code></td><td>${esc(q.level ?? "?")}</td><td>${
      esc(q.source ?? "not in the requirement tables")
    }</td><td>${esc(q.paraphrase ?? "")}${
      q.planned ? ` <span class="muted">(planned: ${esc(q.planned)})</span>` : ""
    }</td><td>${badge(q.verdict)}</td><td class="n">${q.pass}</td><td class="n">${q.fail}</td>` +
    `<td class="n">${q.notApplicable}</td></tr>`
  ).join("");
  return `<h2 id="requirements">Requirements (${r.requirements.length})</h2>` +
    `<p class="muted">A requirement fails when any of its cases fails, passes when none fails and ` +
    `at least one passes, and is not applicable otherwise (PD-60).</p>` +
    `<table><tr><th>ID</th><th>Level</th><th>Source</th><th>Requirement (our paraphrase)</th>` +
    `<th>Verdict</th><th>Pass</th><th>Fail</th><th>N/A</th></tr>${rows}</table>`;
}

function coverage(r: Report): string {
  if (!r.coverage.length) {
    return `<h2 id="coverage">Transition coverage</h2><p>No machine edges were reported.</p>`;
  }
  const machine = (m: Report["coverage"][number]) => {
    const ratio = m.declared === null
      ? `${m.covered.length} edges observed (machine declares no table to compare with)`
      : `${m.covered.length - m.undeclared.length} of ${m.declared} declared edges covered`;
    const list = (title: string, edges: readonly string[]) =>
      edges.length
        ? `<p>${esc(title)}:</p><ul>${
          edges.map((e) => `<li><code>${esc(e)}</code></li>`).join("")
        }</ul>`
        : "";
    return `<details><summary>${esc(m.machine)} — ${esc(ratio)}</summary><table>` +
      `<tr><th>Edge</th><th>Cases</th></tr>${
        m.covered.map((c) =>
          `<tr><td><code>${esc(c.edge)}</code></td><td class="n">${c.cases}</td></tr>`
        )
          .join("")
      }</table>${list("Not covered", m.uncovered)}${
        list("Observed but not declared", m.undeclared)
      }</details>`;
  };
  return `<h2 id="coverage">Transition coverage</h2>${r.coverage.map(machine).join("")}`;
}

function suites(r: Report): string {
  const table = (s: Report["suites"][number]) => {
    const rows = r.cases.filter((c) => c.suite === s.suite).map((c) =>
      `<tr><td>${esc(c.file)}</td><td class="n">${c.tcId}</td><td>${esc(c.comment)}</td><td>${
        esc(c.flags.join(" "))
      }</td><td>${esc(c.spec.join(" "))}</td><td>${esc(c.result)}${
        c.error ? `<br><code>${esc(c.error)}</code>` : ""
      }</td><td>${badge(c.verdict)}</td><td>${esc(clip(c.message ?? "", LIMIT_IN_TABLE))}</td></tr>`
    ).join("");
    return `<details${s.fail ? " open" : ""}><summary>${esc(s.suite)} — ${s.total} cases: ` +
      `${s.pass} pass, ${s.fail} fail, ${s.notApplicable} not applicable</summary>` +
      `<table><tr><th>File</th><th>tcId</th><th>Comment</th><th>Flags</th><th>Requirements</th>` +
      `<th>Expected result</th><th>Verdict</th><th>Message</th></tr>${rows}</table></details>`;
  };
  return `<h2 id="suites">Suites</h2>${r.suites.map(table).join("") || "<p>None.</p>"}`;
}

/** The whole page. */
// spec: DL-CONF-7
export function toHtml(report: Report): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>derlink conformance report — ${esc(report.verdict)}</title>
<style>${CSS}</style></head><body>
<h1>derlink conformance report</h1>
<p class="muted">derlink checks a profile inspired by IEC 62351-4 / IEC 61850-8-2 as publicly described; a pass here is not a claim of conformance to the IEC texts.</p>
${summary(report)}
${metaTable(report)}
<table><tr><th>Suite</th><th>Cases</th><th>Pass</th><th>Fail</th><th>N/A</th></tr>${
    report.suites.map((s) =>
      `<tr><td>${esc(s.suite)}</td><td class="n">${s.total}</td><td class="n">${s.pass}</td>` +
      `<td class="n">${s.fail}</td><td class="n">${s.notApplicable}</td></tr>`
    ).join("")
  }</table>
${problems(report)}
${mutationHtml(report.mutation, esc)}
${failures(report)}
${requirements(report)}
${coverage(report)}
${suites(report)}
</body></html>
`;
}
