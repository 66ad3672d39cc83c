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

/**
 * A copy holds every top-level folder and file of the repository except
 * these (whatever the suites import comes along); vectors are linked, not
 * copied, since no mutant changes them.
 */
export const NOT_COPIED: ReadonlySet<string> = new Set([
  "node_modules",
  "report",
  "docs",
  "vectors",
]);
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
    const top = m.file.split("/")[0];
    if (NOT_COPIED.has(top) || top.startsWith(".") || !m.file.includes("/")) {
      problems.push(`${m.id}: ${m.file} is not in a copied folder`);
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
  for (const e of Deno.readDirSync(root)) {
    if (NOT_COPIED.has(e.name) || e.name.startsWith(".")) continue;
    if (e.isDirectory) copyDir(new URL(`${e.name}/`, root), new URL(`${e.name}/`, dest));
    else if (e.isFile) Deno.copyFileSync(new URL(e.name, root), new URL(e.name, dest));
  }
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
