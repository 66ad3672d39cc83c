/**
 * Runs every PKI vector file through the conformance checker (one code path
 * for unit tests and conformance), checks the files are exactly what the
 * generator produces, and that the vectors cover every refusal code.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { listVectorFiles, loadVectorFile } from "../vectors.ts";
import { checkers } from "../../conformance/suites/pki.ts";
import { vectorText } from "../../tools/vectors.ts";
import { PkiError } from "./errors.ts";
import { pkiVectorGenerator } from "./vectorgen/write.ts";

const FILES = listVectorFiles().filter((f) => f.startsWith("pki/"));

Deno.test("pki vectors: every case passes the checker (PAPER-M2 PAPER-M7 RFC6120-13.7.1.4)", async () => {
  const run = await runAreaVectors("pki/", checkers);
  assert.deepEqual(run.failures, []);
  assert.equal(run.files.length, 3);
  assert.ok(run.valid >= 30, `${run.valid} valid cases`);
  assert.ok(run.invalid >= 120, `${run.invalid} invalid cases`);
});

Deno.test("pki vectors: every pki error code is some case's expected error", () => {
  const seen = new Set<string>();
  for (const path of FILES) {
    for (const g of loadVectorFile(path).testGroups) {
      for (const t of g.tests) if (t.error) seen.add(t.error);
    }
  }
  const missing = Object.values(PkiError).filter((code) => !seen.has(code));
  assert.deepEqual(missing, []);
});

Deno.test("pki vector files on disk equal the generator's output", async () => {
  const generated = await pkiVectorGenerator.generate();
  assert.deepEqual(FILES.sort(), generated.map((g) => g.path).sort());
  for (const file of generated) {
    const onDisk = Deno.readTextFileSync(new URL(`../../vectors/${file.path}`, import.meta.url));
    assert.equal(onDisk, vectorText(file.content), file.path);
  }
});
