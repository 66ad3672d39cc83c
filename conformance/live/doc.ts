/**
 * A live run as Markdown (for docs/live-prosody.md and the like): the
 * server, when and how it was checked, one row per check with its verdict
 * and what was measured, and the requirements the checks stand for.
 *
 * @module
 */
import type { Report, RequirementInfo } from "../report.ts";

const cell = (t: string) =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

/** Compact text of the measured values. */
function measured(observed: unknown): string {
  if (!observed || typeof observed !== "object") return "";
  return Object.entries(observed as Record<string, unknown>)
    .filter(([k]) => k !== "outcome" && k !== "kind")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") || "none" : String(v)}`)
    .join("; ");
}

export interface DocInfo {
  /** The server software, e.g. "Prosody 0.12.3 (Debian package)". */
  readonly serverLabel?: string;
  /** The command that produced the run, shown as given (no passwords). */
  readonly command: string;
}

/** The Markdown page. */
export function liveMarkdown(
  report: Report,
  info: DocInfo,
  requirements: readonly RequirementInfo[],
): string {
  const m = report.meta;
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const s = report.summary;
  const rows = report.cases.map((c) => {
    const [id, ...title] = c.comment.split(": ");
    return `| ${id} | ${cell(title.join(": "))} | **${c.verdict}** | ${cell(c.message ?? "")} | ${
      cell(measured(c.observed))
    } |`;
  });
  const ids = [...new Set(report.cases.flatMap((c) => c.spec))];
  const reqRows = ids.map((id) => {
    const r = byId.get(id);
    return `| ${id} | ${r ? cell(r.source) : "?"} | ${
      r ? cell(r.paraphrase) : "not in the tables"
    } |`;
  });
  return [
    `# Live checks of ${info.serverLabel ?? "an XMPP server"}`,
    "",
    `What the architecture relies on from the XMPP server, measured on a running one by ` +
    `\`deno task conformance --live\` (conformance/live/, requirements in ` +
    `spec-notes/requirements/conformance-live.md, verdict rules PD-174).`,
    "",
    `- Server: ${info.serverLabel ?? "not named"}, ${m.iut}`,
    `- Run: ${m.date}, ${(m.durationMs / 1000).toFixed(1)} s, derlink ${m.derlinkVersion}, ` +
    `Deno ${m.deno}, ${m.platform}`,
    `- Command: \`${info.command}\``,
    `- Result: **${report.verdict.toUpperCase()}**, ${s.total} checks: ${s.pass} pass, ${s.fail} fail, ` +
    `${s.notApplicable} not applicable`,
    "",
    "| ID | Check | Verdict | What happened | Measured |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    "Delays are from cutting the second account's TCP connection (no closing stream, no " +
    "unavailable presence sent) to the first account receiving the presence, on the same machine.",
    "",
    "## Requirements the checks stand for",
    "",
    "| ID | Source | Requirement (our paraphrase) |",
    "|---|---|---|",
    ...reqRows,
    "",
  ].join("\n");
}
