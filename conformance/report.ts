/**
 * The conformance report: its shape (what `report/report.json` contains) and
 * the aggregations computed from the case results — per suite, per
 * requirement, and transition coverage per machine.
 *
 * @module
 */
import { toHex } from "../core/bytes.ts";
import type { Level } from "../core/spec.ts";
import type { Verdict } from "./suite.ts";
import type { MachineDescription } from "./iut.ts";
import { edgeKey } from "../core/machine.ts";
import type { MutationSection } from "./mutation/types.ts";

/** One vector case as run. */
export interface CaseResult {
  readonly suite: string;
  /** Path relative to the vectors root. */
  readonly file: string;
  readonly groupType: string;
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  /** The vector's expected result and, for invalid ones, the expected error code. */
  readonly result: "valid" | "invalid" | "acceptable";
  readonly error?: string;
  readonly verdict: Verdict;
  readonly expected?: unknown;
  readonly observed?: unknown;
  readonly message?: string;
  readonly edges?: readonly string[];
}

export interface Counts {
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
}

export interface SuiteResult extends Counts {
  readonly suite: string;
  readonly files: readonly string[];
}

export interface RequirementResult extends Counts {
  readonly id: string;
  readonly level?: Level;
  readonly source?: string;
  readonly paraphrase?: string;
  readonly planned?: string;
  readonly verdict: Verdict;
  /** `file#tcId` of each failed case. */
  readonly failedCases: readonly string[];
}

export interface MachineCoverage {
  readonly machine: string;
  /** Number of declared edges, or null when the IUT declares no such machine. */
  readonly declared: number | null;
  /** Observed edges with the number of cases that covered each. */
  readonly covered: readonly { readonly edge: string; readonly cases: number }[];
  /** Declared edges no case covered. */
  readonly uncovered: readonly string[];
  /** Observed edges the machine does not declare. */
  readonly undeclared: readonly string[];
}

export interface RunMeta {
  readonly tool: string;
  readonly derlinkVersion: string;
  readonly date: string;
  readonly durationMs: number;
  readonly deno: string;
  readonly v8: string;
  readonly typescript: string;
  readonly platform: string;
  readonly iut: string;
  /** What the IUT declared about itself, when it is out of process (DL-IUT-11). */
  readonly iutDetails?: unknown;
  readonly selection: { readonly suites: readonly string[]; readonly requirement?: string };
  readonly vectorsRoot: string;
}

export interface Report {
  readonly meta: RunMeta;
  /** "fail" when any case failed or any problem was found. */
  readonly verdict: "pass" | "fail";
  readonly summary: Counts;
  /** Run-level failures: vector files that did not load, a selection matching nothing. */
  readonly problems: readonly string[];
  readonly suites: readonly SuiteResult[];
  readonly requirements: readonly RequirementResult[];
  readonly coverage: readonly MachineCoverage[];
  readonly cases: readonly CaseResult[];
  /** The mutation check of the suite itself, when it ran (conformance/mutation/). */
  readonly mutation?: MutationSection;
}

/** Requirement information the report shows next to verdicts. */
export interface RequirementInfo {
  readonly id: string;
  readonly level: Level;
  readonly source: string;
  readonly paraphrase: string;
  readonly planned?: string;
}

export function count(cases: readonly { verdict: Verdict }[]): Counts {
  let pass = 0, fail = 0, notApplicable = 0;
  for (const c of cases) {
    if (c.verdict === "pass") pass++;
    else if (c.verdict === "fail") fail++;
    else notApplicable++;
  }
  return { total: cases.length, pass, fail, notApplicable };
}

/** One verdict from many (PD-60): any fail fails, else any pass passes, else not applicable. */
// spec: DL-CONF-4 PD-60
export function combine(c: Counts): Verdict {
  return c.fail > 0 ? "fail" : c.pass > 0 ? "pass" : "not-applicable";
}

export const caseRef = (c: Pick<CaseResult, "file" | "tcId">): string => `${c.file}#${c.tcId}`;

export function summariseSuites(cases: readonly CaseResult[]): SuiteResult[] {
  const bySuite = new Map<string, CaseResult[]>();
  for (const c of cases) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  return [...bySuite].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([suite, cs]) => ({
    suite,
    files: [...new Set(cs.map((c) => c.file))].sort(),
    ...count(cs),
  }));
}

/**
 * Per-requirement verdicts. Every ID named by a case is listed; `known`
 * adds table information and, with `listUnexercised`, the requirements no
 * selected case names (as not applicable), so a full run shows the gaps.
 */
export function aggregateRequirements(
  cases: readonly CaseResult[],
  known: readonly RequirementInfo[],
  listUnexercised: boolean,
): RequirementResult[] {
  const info = new Map(known.map((r) => [r.id, r]));
  const byId = new Map<string, CaseResult[]>();
  if (listUnexercised) { for (const r of known) byId.set(r.id, []); }
  for (const c of cases) {
    for (const id of new Set(c.spec)) byId.set(id, [...(byId.get(id) ?? []), c]);
  }
  return [...byId].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([id, cs]) => {
    const counts = count(cs);
    const r = info.get(id);
    return {
      id,
      ...(r
        ? {
          level: r.level,
          source: r.source,
          paraphrase: r.paraphrase,
          ...(r.planned ? { planned: r.planned } : {}),
        }
        : {}),
      verdict: combine(counts),
      ...counts,
      failedCases: cs.filter((c) => c.verdict === "fail").map(caseRef),
    };
  });
}

const EDGE_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._\-]*): (.+)$/;

/** Splits a reported edge into machine and edge (PD-62). */
export function attributeEdge(edge: string, suite: string): { machine: string; edge: string } {
  const m = EDGE_PREFIX.exec(edge);
  return m ? { machine: m[1], edge: m[2] } : { machine: suite, edge };
}

/** Transition coverage per machine, from the edges the checkers reported. */
// spec: DL-CONF-8 PD-62
export function transitionCoverage(
  cases: readonly CaseResult[],
  machines: readonly MachineDescription[],
): MachineCoverage[] {
  const seen = new Map<string, Map<string, number>>();
  for (const c of cases) {
    const perCase = new Set((c.edges ?? []).map((e) => JSON.stringify(attributeEdge(e, c.suite))));
    for (const key of perCase) {
      const { machine, edge } = JSON.parse(key) as { machine: string; edge: string };
      const edges = seen.get(machine) ?? new Map<string, number>();
      edges.set(edge, (edges.get(edge) ?? 0) + 1);
      seen.set(machine, edges);
    }
  }
  const declared = new Map(machines.map((m) => [m.name, m.transitions.map(edgeKey)]));
  const names = [...new Set([...seen.keys(), ...declared.keys()])].sort();
  return names.map((machine) => {
    const edges = seen.get(machine) ?? new Map<string, number>();
    const decl = declared.get(machine);
    const covered = [...edges].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
      .map(([edge, cases]) => ({ edge, cases }));
    return {
      machine,
      declared: decl ? new Set(decl).size : null,
      covered,
      uncovered: decl ? [...new Set(decl)].filter((e) => !edges.has(e)) : [],
      undeclared: decl ? covered.map((c) => c.edge).filter((e) => !decl.includes(e)) : [],
    };
  });
}

/**
 * Makes a checker's expected/observed value safe for JSON: bytes become hex,
 * bigints decimal strings, errors their message, cycles a marker.
 */
export function jsonSafe(value: unknown, seen = new Set<object>()): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return toHex(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => jsonSafe(v, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonSafe(v, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A value as short display text: strings as they are, anything else as JSON. */
export function display(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

// XML 1.0 allows tab, LF, CR and the ranges below; anything else (NUL, other
// controls, lone surrogates, U+FFFE/U+FFFF) makes XML ill-formed and HTML
// a parse error.
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces every character markup may not carry with U+FFFD. */
export const markupSafe = (s: string): string => s.replace(NOT_XML_CHAR, "\uFFFD");
