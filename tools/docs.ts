/**
 * `deno task docs`: builds the generated documentation.
 *
 * - `docs/api/` — API reference of `mod.ts` with typedoc. typedoc runs the
 *   plain TypeScript compiler, which does not understand this Deno project:
 *   it cannot resolve the `npm:` import map to Deno's package cache, has no
 *   Node built-in types (`node:crypto`, `node:tls`; Deno carries them
 *   internally, tsc would need `@types/node` as an extra dependency) and
 *   treats untyped packages such as ltx as errors where Deno types them
 *   `any`. Measured: with Deno's own declarations (`deno types`) added, 112
 *   errors remain, none of them in derlink's code. So type checking is left
 *   to `deno check` (`deno task check`, run by CI) and typedoc runs with
 *   `--skipErrorChecking`; types from dependencies show as imported names.
 * - `docs/diagrams/` — one SVG and one HTML page per machine registered in
 *   `conformance/suites/index.ts`, drawn from its declared transitions, and
 *   a Markdown index (tools/diagrams/).
 * - `docs/index.html` and `docs/README.md` — the documentation index
 *   (tools/docs_site.ts).
 * - `docs/errors.md` and `docs/traceability.md`, by their own tools.
 *
 * `buildDocs(dir)` writes the site (all but the last two) into another
 * directory; the browser test uses it.
 *
 * @module
 */
import { machines } from "../conformance/suites/index.ts";
import { siteFiles } from "./docs_site.ts";

const ROOT = new URL("../", import.meta.url);

async function run(label: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new Error(`docs: ${label} failed with exit code ${code}`);
}

const exists = (path: string | URL) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Runs typedoc on mod.ts into `outDir`. */
export async function buildApi(outDir: string): Promise<void> {
  await run("typedoc", [
    "run",
    "-A",
    "npm:typedoc@0.28.20",
    "--tsconfig",
    "tools/typedoc.tsconfig.json",
    "--skipErrorChecking",
    "--logLevel",
    "Warn",
    "--name",
    "derlink",
    "--readme",
    "none",
    "--out",
    outDir,
    "mod.ts",
  ]);
}

/**
 * Writes the diagrams and the index pages into `dir` (a docs/ directory),
 * removing diagram files no machine produces any more; with `api`, also the
 * API reference into `dir/api`.
 */
// spec: PD-176
export async function buildDocs(dir: string, options: { api: boolean }): Promise<string[]> {
  const files = siteFiles(machines, (folder) => exists(new URL(folder, ROOT)));
  Deno.mkdirSync(`${dir}/diagrams`, { recursive: true });
  const wanted = new Set(files.map((f) => f.path));
  for (const e of Deno.readDirSync(`${dir}/diagrams`)) {
    if (e.isFile && !wanted.has(`diagrams/${e.name}`)) Deno.removeSync(`${dir}/diagrams/${e.name}`);
  }
  for (const f of files) Deno.writeTextFileSync(`${dir}/${f.path}`, f.text);
  if (options.api) await buildApi(`${dir}/api`);
  return files.map((f) => f.path);
}

if (import.meta.main) {
  Deno.chdir(ROOT);
  const written = await buildDocs("docs", { api: true });
  console.log(`docs: wrote docs/api/ and ${written.length} files (${machines.length} machines)`);
  await run("errors-doc", ["run", "--allow-read", "--allow-write=docs", "tools/errors_doc.ts"]);
  await run("trace", ["run", "--allow-read", "--allow-write=docs", "tools/trace.ts"]);
}
