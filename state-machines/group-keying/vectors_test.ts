/**
 * Runs every group-keying vector file through the conformance checkers (one
 * code path for tests and conformance) and checks each file is what its
 * generator writes.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile, validateVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/group-keying.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { groupKeyingVectorGenerator } from "./vectorgen/write.ts";
import "./errors.ts";

const files = listVectorFiles().filter((p) => p.startsWith("group-keying/"));

Deno.test("group-keying vectors: every case passes its checker (PAPER-R4b PAPER-R6b RFC6407-4.seq RFC6407-3.authz)", async () => {
  // spec: PAPER-R4b PAPER-R6b RFC6407-4.sig RFC6407-4.seq RFC6407-3.nonce RFC6407-3.authz PAPER-TA4
  assert.deepEqual(files.sort(), [
    "group-keying/registration.json",
    "group-keying/rekey.json",
    "group-keying/spdu.json",
  ]);
  const run = await runAreaVectors("group-keying/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 300, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 40, `only ${run.valid} positive cases`);
  // Every machine edge a vector reaches is a declared one.
  for (const e of run.edges) assert.ok(!e.endsWith("undeclared"), e);
  // The refusals the issue names, each present.
  const negativeCodes = new Set<string>();
  for (const path of files) {
    for (const g of loadVectorFile(path).testGroups) {
      for (const t of g.tests) if (t.result === "invalid") negativeCodes.add(t.error!);
    }
  }
  for (
    const code of [
      "gdoi/bad-signature",
      "gdoi/rekey-stale",
      "gdoi/rekey-replayed",
      "group/unknown-key",
      "group/truncated-tag",
      "group/key-expired",
      "group/ttl-expired",
      "group/spdu-replayed",
      "gdoi/not-authorized",
      "gdoi/registration-replay",
    ]
  ) assert.ok(negativeCodes.has(code), `no negative vector for ${code}`);
});

Deno.test("group-keying vectors: the files are what the generator writes", () => {
  for (const f of groupKeyingVectorGenerator.generate()) {
    validateVectorFile(f.content, f.path);
    const onDisk = JSON.parse(
      Deno.readTextFileSync(new URL(`../../vectors/${f.path}`, import.meta.url)),
    );
    assert.deepEqual(onDisk, f.content, f.path);
  }
});

Deno.test("group-keying vectors: the checkers notice a wrong verdict", async () => {
  for (const path of files) {
    const file = loadVectorFile(path);
    const group = file.testGroups[0];
    const checker = checkers.find((c) => c.groupType === group.type)!;
    const negative = group.tests.find((t) => t.result === "invalid")!;
    const wrongCode = await checker.check(
      {
        ...negative,
        error: "group/bad-tag" === negative.error ? "group/malformed" : "group/bad-tag",
      },
      group,
      file,
    );
    assert.equal(wrongCode.verdict, "fail", path);
    const positive = group.tests.find((t) => t.result === "valid")!;
    const asNegative = await checker.check(
      { ...positive, result: "invalid", error: "gdoi/malformed" },
      group,
      file,
    );
    assert.equal(asNegative.verdict, "fail", path);
  }
});
