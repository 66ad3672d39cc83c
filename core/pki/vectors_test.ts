/**
 * Runs every PKI vector file through the conformance checker (one code path
 * for unit tests and conformance), checks the files are exactly what the
 * generator produces, and that the vectors cover every refusal code.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../vectors.ts";
import { checkers } from "../../conformance/suites/pki.ts";
import { vectorText } from "../../tools/vectors.ts";
import { PkiError } from "./errors.ts";
import { pkiVectorGenerator } from "./vectorgen/write.ts";

const FILES = listVectorFiles().filter((f) => f.startsWith("pki/"));

Deno.test("pki vectors: every case passes the checker (PAPER-M2 PAPER-M7 RFC6120-13.7.1.4)", async () => {
  const byType = new Map(checkers.map((c) => [c.groupType, c]));
  const failures: string[] = [];
  let valid = 0, invalid = 0;
  for (const path of FILES) {
    const file = loadVectorFile(path);
    for (const group of file.testGroups) {
      const checker = byType.get(group.type);
      assert.ok(checker, `no checker for ${group.type}`);
      for (const test of group.tests) {
        const out = await checker.check(test, group, file);
        if (out.verdict !== "pass") {
          failures.push(`${path} #${test.tcId} ${test.comment}: ${JSON.stringify(out)}`);
        }
        test.result === "valid" ? valid++ : invalid++;
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(FILES.length, 3);
  assert.ok(valid >= 30, `${valid} valid cases`);
  assert.ok(invalid >= 120, `${invalid} invalid cases`);
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
