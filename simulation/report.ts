/**
 * The run's outputs as text: the summary table (one column per phase plus
 * the total, one row per counter, then virtual, wall and CPU time), the
 * checks in a few lines, and the digest. The digest covers the event log
 * and the table without its wall and CPU rows, so it is the same for the
 * same seed on any machine.
 *
 * @module
 */
import { type Counter, COUNTERS } from "./metrics.ts";
import type { PhaseSummary } from "./phases.ts";
import type { ScenarioResult } from "./scenario.ts";

const LABELS: Record<Counter, string> = {
  logins: "XMPP logins",
  associations: "associations (A-profile + MMS)",
  roomJoins: "room joins",
  registrations: "group registrations",
  subscriptions: "tariff subscriptions",
  tariffsPublished: "tariffs published (signed)",
  tariffsVerified: "tariffs verified by DERs",
  commands: "group commands sent",
  commandsApplied: "group commands applied",
  acks: "acknowledgements",
  aborts: "associations aborted",
  rekeys: "rekeys issued",
  rekeysApplied: "rekeys applied by members",
  rekeysSkipped: "rekeys already held (own join)",
  evictions: "members evicted",
  refused: "group messages refused (codes below)",
  reports: "reports received",
  errors: "errors (by code below)",
};

const mmss = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join("  ")
  ).join("\n");
}

/** The deterministic part of the summary: what the digest covers. */
export function summaryTable(r: ScenarioResult, start: number): string {
  const ps = r.phases;
  const sum = (f: (p: PhaseSummary) => number) => ps.reduce((a, p) => a + f(p), 0);
  const rows: string[][] = [["", ...ps.map((p) => p.name), "total"]];
  rows.push([
    "virtual time (m:s)",
    ...ps.map((p) => `${mmss(p.from - start)}-${mmss(p.to - start)}`),
    mmss(r.durationMs),
  ]);
  rows.push(["stanzas delivered", ...ps.map((p) => `${p.stanzas}`), `${sum((p) => p.stanzas)}`]);
  rows.push(["bytes (both ways)", ...ps.map((p) => `${p.bytes}`), `${sum((p) => p.bytes)}`]);
  for (const c of COUNTERS) {
    rows.push([LABELS[c], ...ps.map((p) => `${p.counts[c]}`), `${r.metrics.counts[c]}`]);
  }
  const list = (m: ReadonlyMap<string, number>) =>
    [...m].sort(([a], [b]) => a < b ? -1 : 1).map(([code, n]) => `  ${code}: ${n}`).join("\n");
  const errors = r.metrics.errorCodes.size
    ? `errors by code:\n${list(r.metrics.errorCodes)}\n`
    : "";
  const refusals = r.metrics.refusalCodes.size
    ? `group messages refused, by code:\n${list(r.metrics.refusalCodes)}\n`
    : "";
  return `${table(rows)}\n${errors}${refusals}`;
}

/** Wall and CPU time per phase (not in the digest). */
export function timeTable(r: ScenarioResult): string {
  const ps = r.phases;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const rows = [
    ["", ...ps.map((p) => p.name), "total"],
    ["wall time (s)", ...ps.map((p) => s(p.wallMs)), s(ps.reduce((a, p) => a + p.wallMs, 0))],
    ["CPU time (s)", ...ps.map((p) => s(p.cpuMs)), s(ps.reduce((a, p) => a + p.cpuMs, 0))],
  ];
  return table(rows);
}

const kw = (w: number) => `${(w / 1000).toFixed(1)} kW`;

/** The checks, one line each, each with its verdict. */
export function checkLines(r: ScenarioResult): string[] {
  const c = r.checks;
  const ok = (b: boolean) => (b ? "ok  " : "FAIL");
  const acks = c.commands.reduce((a, x) => a + x.acks, 0);
  const expected = c.commands.reduce((a, x) => a + x.expected, 0);
  const a = c.afterRed;
  return [
    `${ok(c.joined === c.ders)} joined: ${c.joined} of ${c.ders} DERs`,
    `${
      ok(c.allAcked)
    } group commands: ${c.commands.length}, acknowledged ${acks} of ${expected} (DERs present)`,
    `${
      ok(c.abortsAreDropouts)
    } dropped out: ${c.dropped.length}, associations aborted at the control centre: ${c.aborted.length} (the same DERs: ${c.abortsAreDropouts})`,
    `${
      ok(c.evictionsAreDropouts)
    } evicted by the key server: ${c.evicted.length} (the same DERs: ${c.evictionsAreDropouts})`,
    `${
      ok(c.evictedRefused === c.dropped.length && c.evictedApplied === 0)
    } next command refused by the evicted: ${c.evictedRefused} of ${c.dropped.length}, applied by ${c.evictedApplied} (${
      c.refusalCodes.join(", ") || "-"
    })`,
    `${ok(c.curtailed)} after the red light: simulated ${a ? kw(a.simW) : "-"} of ${
      a ? kw(a.simRatedW) : "-"
    } rated, control centre's view ${a ? kw(a.viewW) : "-"} of ${
      a ? kw(a.viewRatedW) : "-"
    } (limit ${r.options.limitPct} %)`,
  ];
}

/** True when every check passed. */
export const allPassed = (r: ScenarioResult): boolean => {
  const c = r.checks;
  return c.joined === c.ders && c.allAcked && c.abortsAreDropouts && c.evictionsAreDropouts &&
    c.evictedRefused === c.dropped.length && c.evictedApplied === 0 && c.curtailed;
};

/** The digest of a run: SHA-256 of the event log and the deterministic summary. */
export function runDigest(r: ScenarioResult, start: number): string {
  return r.metrics.digest(`${summaryTable(r, start)}\n${checkLines(r).join("\n")}\n`);
}
