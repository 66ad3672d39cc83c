/**
 * `deno task docs`: builds the generated documentation.
 *
 * - `docs/api/` — API reference of `mod.ts` with typedoc. typedoc runs the
 *   TypeScript compiler, which cannot resolve Deno's `npm:` import map, so
 *   type checking is left to `deno check` (`--skipErrorChecking`); types from
 *   dependencies show as imported names.
 * - `docs/errors.md` and `docs/traceability.md`, by their own tools.
 *
 * @module
 */

async function run(label: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  if (code !== 0) throw new Error(`docs: ${label} failed with exit code ${code}`);
}

const root = new URL("../", import.meta.url);
Deno.chdir(root);
await run("typedoc", [
  "run",
  "-A",
  "npm:typedoc@0.28.20",
  "--tsconfig",
  "tools/typedoc.tsconfig.json",
  "--skipErrorChecking",
  "--name",
  "derlink",
  "--readme",
  "none",
  "--out",
  "docs/api",
  "mod.ts",
]);
await run("errors-doc", ["run", "--allow-read", "--allow-write=docs", "tools/errors_doc.ts"]);
await run("trace", ["run", "--allow-read", "--allow-write=docs", "tools/trace.ts"]);
