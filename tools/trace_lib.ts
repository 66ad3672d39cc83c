/**
 * Traceability: requirement → code sites → tests → conformance cases
 * (DESIGN.md §3). Pure functions over texts, so the tests run on fixtures;
 * `tools/trace.ts` gathers the real files and writes the report.
 *
 * Evidence is read from three places:
 * - whole-line `// spec: ID [ID ...]` comments: a test site in test files
 *   (see {@link isTestFile}), a code site everywhere else;
 * - whole-line `// spec-exception: ID reason` comments: a declared deviation;
 * - requirement IDs inside `Deno.test` / `t.step` names (test sites), and the
 *   `spec` arrays of vector cases (test evidence and conformance cases).
 *
 * @module
 */
import { isRequirementId } from "../core/spec.ts";
import { parseRequirementTables, type Requirement } from "./requirements.ts";

/** A file given to the tracer: path relative to the repository root, with `/`. */
export interface TextFile {
  readonly path: string;
  readonly text: string;
}

/** One vector case, reduced to what traceability needs. */
export interface VectorCaseRef {
  readonly file: string;
  readonly suite: string;
  readonly tcId: number;
  readonly spec: readonly string[];
}

export interface TraceInput {
  readonly requirementFiles: readonly TextFile[];
  readonly sources: readonly TextFile[];
  readonly vectorCases: readonly VectorCaseRef[];
  /** Vector files that could not be loaded, as messages. */
  readonly vectorErrors?: readonly string[];
}

export interface Site {
  readonly path: string;
  readonly line: number;
}

export interface ExceptionSite extends Site {
  readonly reason: string;
}

export interface TracedRequirement extends Requirement {
  readonly code: readonly Site[];
  readonly tests: readonly Site[];
  readonly exceptions: readonly ExceptionSite[];
  readonly vectorCases: readonly VectorCaseRef[];
}

export interface TraceResult {
  readonly requirements: readonly TracedRequirement[];
  /** Every reason the trace fails, each prefixed with its location. */
  readonly problems: readonly string[];
}

/**
 * Test files are the ones `deno test` runs: `*_test.ts`, `*.test.ts` and
 * `test.ts`, wherever they are. Other files under `tests/` are harness code
 * (a Prosody launcher, say) and their annotations are code sites (PD-63).
 */
// spec: PD-63
export const isTestFile = (path: string): boolean => /(^|\/|_|\.)test\.ts$/.test(path);

const SPEC_LINE = /^\s*\/\/\s*spec:(.*)$/;
const EXCEPTION_LINE = /^\s*\/\/\s*spec-exception:(.*)$/;
const TEST_NAME =
  /(?:Deno\.test(?:\.only|\.ignore)?|\.step)\(\s*(?:\{[\s\S]{0,300}?\bname:\s*)?(["'`])((?:\\[\s\S]|(?!\1)[^\\])*)\1/g;
const ID_IN_TEXT = /(?<![A-Za-z0-9.\-])[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9.\-]*/g;

interface Found {
  code: Site[];
  tests: Site[];
  exceptions: ExceptionSite[];
  vectorCases: VectorCaseRef[];
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Runs the whole trace over the given inputs. */
// spec: DL-TRACE-1 DL-TRACE-2
export function trace(input: TraceInput): TraceResult {
  const problems: string[] = [];
  const all: Requirement[] = [];
  for (const f of input.requirementFiles) {
    const parsed = parseRequirementTables(f.path, f.text);
    all.push(...parsed.requirements);
    for (const p of parsed.problems) problems.push(`${p.file}:${p.line}: ${p.message}`);
  }
  const byId = new Map<string, Requirement>();
  const found = new Map<string, Found>();
  for (const r of all) {
    const first = byId.get(r.id);
    if (first) {
      problems.push(
        `${r.file}:${r.line}: duplicate requirement ID ${r.id} (first at ${first.file}:${first.line})`,
      );
      continue;
    }
    byId.set(r.id, r);
    found.set(r.id, { code: [], tests: [], exceptions: [], vectorCases: [] });
  }

  for (const src of input.sources) scanSource(src, found, problems);

  for (const c of input.vectorCases) {
    for (const id of new Set(c.spec)) {
      const f = found.get(id);
      if (f) f.vectorCases.push(c);
      else problems.push(`vectors/${c.file}: tcId ${c.tcId} names unknown requirement ${id}`);
    }
  }
  for (const e of input.vectorErrors ?? []) problems.push(e);

  const requirements: TracedRequirement[] = [];
  for (const r of byId.values()) {
    const f = found.get(r.id)!;
    const traced: TracedRequirement = {
      ...r,
      code: sortSites(f.code),
      tests: sortSites(f.tests),
      exceptions: sortSites(f.exceptions),
      vectorCases: f.vectorCases,
    };
    requirements.push(traced);
    // A declared exception is a documented decision not to implement, so it
    // exempts the requirement from the code and test obligations (PD-61).
    // spec: PD-61
    if (r.level !== "MUST" || r.planned || traced.exceptions.length > 0) continue;
    if (traced.code.length === 0) {
      problems.push(`${r.file}:${r.line}: MUST ${r.id} has no code site (// spec: ${r.id})`);
    }
    if (traced.tests.length === 0 && traced.vectorCases.length === 0) {
      problems.push(`${r.file}:${r.line}: MUST ${r.id} has no test and no vector case`);
    }
  }
  return { requirements, problems };
}

function scanSource(src: TextFile, found: Map<string, Found>, problems: string[]): void {
  const test = isTestFile(src.path);
  const lines = src.text.split(/\r?\n/);
  lines.forEach((text, i) => {
    const line = i + 1;
    const where = `${src.path}:${line}`;
    const spec = SPEC_LINE.exec(text);
    if (spec) {
      const ids = leadingIds(spec[1]);
      if (ids.length === 0) problems.push(`${where}: // spec: names no requirement ID`);
      for (const id of ids) {
        const f = found.get(id);
        if (!f) problems.push(`${where}: unknown requirement ID ${id}`);
        else (test ? f.tests : f.code).push({ path: src.path, line });
      }
      return;
    }
    const exc = EXCEPTION_LINE.exec(text);
    if (exc) {
      const [id, ...rest] = exc[1].trim().split(/\s+/);
      const reason = rest.join(" ");
      const f = id ? found.get(id) : undefined;
      if (!id || !isRequirementId(id)) problems.push(`${where}: // spec-exception: needs an ID`);
      else if (!f) problems.push(`${where}: unknown requirement ID ${id}`);
      else if (!reason) problems.push(`${where}: // spec-exception: ${id} needs a reason`);
      else f.exceptions.push({ path: src.path, line, reason });
    }
  });
  if (!test) return;
  // IDs in test names count as tests; unknown ID-like words (UTF-8...) are prose.
  for (const m of src.text.matchAll(TEST_NAME)) {
    const nameStart = m.index! + m[0].length - m[2].length - 1;
    for (const id of idsIn(m[2])) {
      found.get(id)?.tests.push({ path: src.path, line: lineAt(src.text, nameStart) });
    }
  }
}

/** The IDs at the start of an annotation; it stops at the first word that is not one. */
function leadingIds(rest: string): string[] {
  const ids: string[] = [];
  for (const word of rest.trim().split(/[\s,]+/)) {
    if (!isRequirementId(word)) break;
    ids.push(word);
  }
  return ids;
}

/** Requirement-shaped words in free text, trailing punctuation removed. */
export function idsIn(text: string): string[] {
  return [...text.matchAll(ID_IN_TEXT)].map((m) => m[0].replace(/[.\-]+$/, ""));
}

function sortSites<T extends Site>(sites: T[]): T[] {
  const seen = new Set<string>();
  return sites
    .filter((s) => {
      const k = `${s.path}:${s.line}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);
}
