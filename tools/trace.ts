/**
 * `deno task trace`: writes `docs/traceability.md` and fails (exit 1, with
 * the list on stderr) when an annotation or a vector names an unknown ID, an
 * ID is listed twice, a table row is malformed, or a MUST in force lacks a
 * code site or a test.
 *
 * @module
 */
import { listVectorFiles, loadVectorFile } from "../core/vectors.ts";
import { type TextFile, trace, type VectorCaseRef } from "./trace_lib.ts";
import { renderTraceability } from "./trace_render.ts";

const ROOT = new URL("../", import.meta.url);
/** Where annotations are looked for (DESIGN.md §1). */
export const SCANNED = [
  "core",
  "state-machines",
  "apps",
  "adapters",
  "conformance",
  "tools",
  "tests",
  "bench",
  "simulation",
  "mod.ts",
];

function walkTs(rel: string, out: TextFile[]): void {
  const url = new URL(rel, ROOT);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (info.isFile) {
    if (rel.endsWith(".ts")) out.push({ path: rel, text: Deno.readTextFileSync(url) });
    return;
  }
  const names = [...Deno.readDirSync(url)].map((e) => e.name).sort();
  for (const name of names) walkTs(`${rel}/${name}`, out);
}

/** Reads the tree and runs the trace. */
export function traceRepository() {
  const requirementFiles: TextFile[] = [];
  const reqDir = new URL("spec-notes/requirements/", ROOT);
  for (const e of [...Deno.readDirSync(reqDir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    if (e.isFile && e.name.endsWith(".md")) {
      const path = `spec-notes/requirements/${e.name}`;
      requirementFiles.push({ path, text: Deno.readTextFileSync(new URL(path, ROOT)) });
    }
  }
  const sources: TextFile[] = [];
  for (const rel of SCANNED) walkTs(rel, sources);
  const vectorCases: VectorCaseRef[] = [];
  const vectorErrors: string[] = [];
  for (const path of listVectorFiles()) {
    try {
      const file = loadVectorFile(path);
      for (const g of file.testGroups) {
        for (const t of g.tests) {
          vectorCases.push({ file: path, suite: file.suite, tcId: t.tcId, spec: t.spec });
        }
      }
    } catch (e) {
      vectorErrors.push(`vectors/${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return trace({ requirementFiles, sources, vectorCases, vectorErrors });
}

if (import.meta.main) {
  const result = traceRepository();
  const target = new URL("docs/traceability.md", ROOT);
  Deno.mkdirSync(new URL("docs/", ROOT), { recursive: true });
  Deno.writeTextFileSync(target, renderTraceability(result));
  const n = result.requirements.length;
  if (result.problems.length) {
    console.error(`trace: ${result.problems.length} problem(s) in ${n} requirements:`);
    for (const p of result.problems) console.error(`  ${p}`);
    console.error("wrote docs/traceability.md (with the problems listed)");
    Deno.exit(1);
  }
  console.error(`trace: ${n} requirements, no problems; wrote docs/traceability.md`);
}
