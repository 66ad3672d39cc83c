/**
 * Parser for the requirement tables in `spec-notes/requirements/*.md`.
 *
 * A requirement table is a Markdown table whose header is exactly
 * `| ID | Level | Source | Requirement (our paraphrase) | Status |`. Every row
 * must have five cells, a well-shaped ID, a level of MUST/SHOULD/MAY, a source,
 * a paraphrase, and a status that is empty or `planned: <topic>`. Anything
 * else is reported as a problem with its file and line, never skipped, so a
 * typo cannot quietly drop a requirement. Used by the traceability tool and
 * by the conformance report (for each requirement's level and paraphrase).
 *
 * @module
 */
import { isRequirementId, type Level } from "../core/spec.ts";

/** One row of a requirement table. */
export interface Requirement {
  readonly id: string;
  readonly level: Level;
  readonly source: string;
  readonly paraphrase: string;
  /** The topic after `planned:`, or undefined when the requirement is in force. */
  readonly planned?: string;
  /** File the row came from (as given to the parser) and its 1-based line. */
  readonly file: string;
  readonly line: number;
}

/** A malformed table or row. */
export interface TableProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export const REQUIREMENT_HEADER = [
  "ID",
  "Level",
  "Source",
  "Requirement (our paraphrase)",
  "Status",
] as const;

const LEVELS: ReadonlySet<string> = new Set(["MUST", "SHOULD", "MAY"]);
const SEPARATOR_CELL = /^:?-{3,}:?$/;
const PLANNED = /^planned:\s*(\S.*)$/;

/** Splits a Markdown table line into trimmed cells; `\|` stays a literal bar. */
export function splitRow(line: string): string[] | undefined {
  const t = line.trim();
  if (!t.startsWith("|") || !t.endsWith("|") || t.length < 2) return undefined;
  const cells: string[] = [];
  let cell = "";
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i];
    if (c === "\\" && t[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (c === "|") {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const isHeader = (cells: readonly string[]) =>
  cells.length === REQUIREMENT_HEADER.length &&
  cells.every((c, i) => c === REQUIREMENT_HEADER[i]);

/** Parses every requirement table in one Markdown file. */
// spec: DL-TRACE-1
export function parseRequirementTables(
  file: string,
  text: string,
): { requirements: Requirement[]; problems: TableProblem[] } {
  const requirements: Requirement[] = [];
  const problems: TableProblem[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const cells = splitRow(lines[i]);
    if (!cells) {
      i++;
      continue;
    }
    const tableStart = i;
    // Collect the whole table so a foreign table is skipped as a unit.
    let end = i;
    while (end < lines.length && lines[end].trim().startsWith("|")) end++;
    if (isHeader(cells)) {
      parseBody(file, lines, tableStart, end, requirements, problems);
    } else if (cells[0] === "ID") {
      // Looks like a requirement table with a wrong header: refuse, do not skip.
      problems.push({
        file,
        line: tableStart + 1,
        message: `table header must be | ${REQUIREMENT_HEADER.join(" | ")} |`,
      });
    }
    i = end;
  }
  return { requirements, problems };
}

function parseBody(
  file: string,
  lines: readonly string[],
  start: number,
  end: number,
  requirements: Requirement[],
  problems: TableProblem[],
): void {
  const sep = start + 1 < end ? splitRow(lines[start + 1]) : undefined;
  if (
    !sep || sep.length !== REQUIREMENT_HEADER.length || !sep.every((c) => SEPARATOR_CELL.test(c))
  ) {
    problems.push({
      file,
      line: start + 2,
      message: "missing separator row |---|---|---|---|---|",
    });
    return;
  }
  for (let n = start + 2; n < end; n++) {
    const line = n + 1;
    const cells = splitRow(lines[n]);
    const bad = (message: string) => problems.push({ file, line, message });
    if (!cells || cells.length !== REQUIREMENT_HEADER.length) {
      bad(`row must have ${REQUIREMENT_HEADER.length} cells`);
      continue;
    }
    const [id, level, source, paraphrase, status] = cells;
    if (!isRequirementId(id)) bad(`malformed requirement ID "${id}"`);
    else if (!LEVELS.has(level)) bad(`${id}: level must be MUST, SHOULD or MAY, not "${level}"`);
    else if (!source) bad(`${id}: empty source`);
    else if (!paraphrase) bad(`${id}: empty paraphrase`);
    else if (status && !PLANNED.test(status)) {
      bad(`${id}: status must be empty or "planned: <topic>", not "${status}"`);
    } else {
      const planned = status ? PLANNED.exec(status)![1].trim() : undefined;
      requirements.push({
        id,
        level: level as Level,
        source,
        paraphrase,
        ...(planned ? { planned } : {}),
        file,
        line,
      });
    }
  }
}

/** Reads every `*.md` under a directory (sorted) and parses its tables. */
export function loadRequirementDir(
  dir: URL,
  label = (name: string) => name,
): { requirements: Requirement[]; problems: TableProblem[] } {
  const names = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".md"))
    .map((e) => e.name)
    .sort();
  const requirements: Requirement[] = [];
  const problems: TableProblem[] = [];
  for (const name of names) {
    const parsed = parseRequirementTables(label(name), Deno.readTextFileSync(new URL(name, dir)));
    requirements.push(...parsed.requirements);
    problems.push(...parsed.problems);
  }
  return { requirements, problems };
}

/** The repository's requirement folder. */
export const REQUIREMENTS_DIR = new URL("../spec-notes/requirements/", import.meta.url);
