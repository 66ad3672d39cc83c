/**
 * docs/errors.md cannot drift: it must equal what `deno task errors-doc`
 * would write, and every area that declares codes in library code must be
 * reachable from mod.ts (or its codes would be missing from the list).
 *
 * @module
 */
import assert from "node:assert/strict";
import { ERRORS_DOC, renderErrorsDoc } from "./errors_doc.ts";
import { registeredErrorCodes } from "../core/errors.ts";

const ROOT = new URL("../", import.meta.url);
/** Library folders: everything here that declares codes is public API. */
const LIBRARY = ["core", "state-machines", "adapters"];
/** Test infrastructure inside library folders, deliberately not exported by mod.ts. */
const NOT_PUBLIC = new Set(["core/pki/testca.ts"]);

function declaredAreas(rel: string, out: Map<string, string>): void {
  const url = new URL(rel, ROOT);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(url);
  } catch {
    return;
  }
  if (info.isDirectory) {
    for (const e of Deno.readDirSync(url)) declaredAreas(`${rel}/${e.name}`, out);
    return;
  }
  if (!rel.endsWith(".ts") || rel.endsWith("_test.ts") || NOT_PUBLIC.has(rel)) return;
  // Code lines only: doc comments show defineErrorCodes in examples.
  const call = /^(?!\s*(?:\*|\/\/)).*\bdefineErrorCodes\(\s*"([a-z0-9-]+)"/gm;
  for (const m of Deno.readTextFileSync(url).matchAll(call)) out.set(m[1], rel);
}

Deno.test("DL-DOCS-1 DL-ERR-1: docs/errors.md is what deno task errors-doc writes", () => {
  const committed = Deno.readTextFileSync(ERRORS_DOC);
  assert.ok(
    committed === renderErrorsDoc(),
    "docs/errors.md is out of date: run `deno task errors-doc` and commit the result",
  );
});

Deno.test("DL-DOCS-1: every area declared in library code is registered by importing mod.ts", () => {
  const declared = new Map<string, string>();
  for (const dir of LIBRARY) declaredAreas(dir, declared);
  const registered = new Set(registeredErrorCodes().map((c) => c.area));
  const missing = [...declared].filter(([area]) => !registered.has(area))
    .map(([area, file]) => `${area} (${file})`);
  assert.deepEqual(missing, [], "export these modules from mod.ts");
});

Deno.test("DL-DOCS-1: the table escapes bars and keeps the registry order", () => {
  const doc = renderErrorsDoc([
    { code: "a/x", area: "a", meaning: "one | two" },
    { code: "b/y", area: "b", meaning: "back\\slash" },
  ]);
  assert.match(doc, /2 codes in 2 areas: a, b\./);
  assert.match(doc, /\| `a\/x` \| a \| one \\\| two \|\n\| `b\/y` \| b \| back\\\\slash \|\n$/);
});
