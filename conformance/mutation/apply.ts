/**
 * Applying mutants: a checked text replacement, and the temporary copy of
 * the tree each mutant is applied to (PD-170). The working tree is never
 * written: a worker owns one copy, applies a mutant, runs the suites, and
 * puts the original file back before the next mutant.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { type Mutant, MutationError } from "./types.ts";

/** Where the repository is (this file is conformance/mutation/apply.ts). */
export const REPO_ROOT = new URL("../../", import.meta.url);

/** What a copy needs to run the conformance suites; vectors are linked, not copied. */
export const COPIED = ["core", "state-machines", "conformance", "adapters", "tools"] as const;
const COPIED_FILES = ["deno.json", "deno.lock", "mod.ts"] as const;
const LINKED = ["vectors"] as const;

/** Number of times `needle` occurs in `text` (non-overlapping). */
export function occurrences(text: string, needle: string): number {
  if (needle === "") return 0;
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * The file's text with the mutant applied. Throws `mutation/snippet-missing`
 * or `mutation/snippet-ambiguous` so a list that no longer matches the
 * source fails loudly (PD-171) instead of testing nothing.
 */
// spec: DL-MUT-2 PD-171
export function applyMutant(text: string, m: Mutant): string {
  if (m.original === m.replacement || m.original === "") {
    throw new DerlinkError(MutationError["bad-mutant"], `${m.id}: no change`);
  }
  const count = occurrences(text, m.original);
  if (count === 0) {
    throw new DerlinkError(
      MutationError["snippet-missing"],
      `${m.id}: the snippet is not in ${m.file}; update the mutant list`,
    );
  }
  if (count > 1) {
    throw new DerlinkError(
      MutationError["snippet-ambiguous"],
      `${m.id}: the snippet occurs ${count} times in ${m.file}; make it longer`,
    );
  }
  return text.replace(m.original, () => m.replacement);
}

/** Checks the list's shape: unique ids, known files, every snippet present once. */
export function checkMutants(mutants: readonly Mutant[], root: URL = REPO_ROOT): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of mutants) {
    if (seen.has(m.id)) problems.push(`${m.id}: duplicate id`);
    seen.add(m.id);
    if (!COPIED.some((d) => m.file.startsWith(`${d}/`))) {
      problems.push(`${m.id}: ${m.file} is outside the copied folders (${COPIED.join(", ")})`);
      continue;
    }
    if (m.suites.length === 0) problems.push(`${m.id}: no suite to run`);
    try {
      applyMutant(Deno.readTextFileSync(new URL(m.file, root)), m);
    } catch (e) {
      problems.push(e instanceof DerlinkError ? e.detail || e.code : `${m.id}: ${e}`);
    }
  }
  return problems;
}

function copyDir(from: URL, to: URL): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    const src = new URL(e.name + (e.isDirectory ? "/" : ""), from);
    const dst = new URL(e.name + (e.isDirectory ? "/" : ""), to);
    if (e.isDirectory) copyDir(src, dst);
    else if (e.isFile) Deno.copyFileSync(src, dst);
  }
}

/** A fresh copy of what the suites need, in a new temporary folder; returns its URL. */
export function copyTree(root: URL = REPO_ROOT): URL {
  const dir = Deno.makeTempDirSync({ prefix: "derlink-mutant-" });
  const dest = new URL(`file://${dir}/`);
  for (const d of COPIED) copyDir(new URL(`${d}/`, root), new URL(`${d}/`, dest));
  for (const f of COPIED_FILES) Deno.copyFileSync(new URL(f, root), new URL(f, dest));
  for (const d of LINKED) {
    Deno.symlinkSync(new URL(d, root).pathname, new URL(d, dest).pathname);
  }
  return dest;
}

/** Applies `m` inside `copy`; returns a function that restores the file. */
export function applyInCopy(copy: URL, m: Mutant): () => void {
  const url = new URL(m.file, copy);
  const before = Deno.readTextFileSync(url);
  Deno.writeTextFileSync(url, applyMutant(before, m));
  return () => Deno.writeTextFileSync(url, before);
}
