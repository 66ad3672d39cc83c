/**
 * Every per-message vector file through the conformance checker (one code
 * path for tests and conformance), and the generator reproducing the files
 * byte for byte.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/per-message.ts";
import { perMessageVectorGenerator } from "./vectorgen/write.ts";

Deno.test("per-message vectors: every case passes the checker; ≥ 40 negative cases (PD-225 PD-228 PD-229)", async () => {
  // spec: PD-225 PD-227 PD-228 PD-229 PD-232 RFC3923-6-timestamps RFC3923-6-names RFC3923-6-order
  // spec: RFC3923-7
  const files = listVectorFiles().filter((f) => f.startsWith("per-message/"));
  assert.equal(files.length, 3);
  let invalid = 0, valid = 0;
  for (const name of files) {
    const file = loadVectorFile(name);
    for (const group of file.testGroups) {
      const checker = checkers.find((c) => c.groupType === group.type);
      assert.ok(checker, group.type);
      for (const test of group.tests) {
        const outcome = await checker.check(test, group, file);
        assert.equal(
          outcome.verdict,
          "pass",
          `${name} #${test.tcId} ${test.comment}: ${JSON.stringify(outcome)}`,
        );
        if (test.result === "invalid") invalid++;
        else valid++;
      }
    }
  }
  assert.ok(invalid >= 40, `${invalid} negative cases`);
  assert.ok(valid >= 9);
});

Deno.test("per-message vectors: regeneration changes nothing", async () => {
  for (const f of await perMessageVectorGenerator.generate()) {
    const onDisk = await Deno.readTextFile(new URL(`../../vectors/${f.path}`, import.meta.url));
    assert.equal(onDisk, JSON.stringify(f.content, null, 2) + "\n", f.path);
  }
});
