/**
 * Runs every group-keying vector file through the conformance checkers (one
 * code path for tests and conformance) and checks each file is what its
 * generator writes.
 */
import assert from "node:assert/strict";
import { isRegisteredCode } from "../../core/errors.ts";
import { listVectorFiles, loadVectorFile, validateVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/group-keying.ts";
import { groupKeyingVectorGenerator } from "./vectorgen/write.ts";
import "./errors.ts";

const files = listVectorFiles().filter((p) => p.startsWith("group-keying/"));

Deno.test("group-keying vectors: every case passes its checker (PAPER-R4b PAPER-R6b RFC6407-4.seq RFC6407-3.authz)", async () => {
  // spec: PAPER-R4b PAPER-R6b RFC6407-4.sig RFC6407-4.seq RFC6407-3.nonce RFC6407-3.authz
  assert.deepEqual(files.sort(), [
    "group-keying/registration.json",
    "group-keying/rekey.json",
    "group-keying/spdu.json",
  ]);
  const failures: string[] = [];
  const negativeCodes = new Map<string, number>();
  let valid = 0, invalid = 0;
  for (const path of files) {
    const file = loadVectorFile(path);
    for (const group of file.testGroups) {
      const checker = checkers.find((c) => c.groupType === group.type);
      assert.ok(checker, `no checker for ${group.type}`);
      for (const test of group.tests) {
        const outcome = await checker.check(test, group, file);
        if (outcome.verdict !== "pass") {
          failures.push(`${path} #${test.tcId} ${test.comment}: ${JSON.stringify(outcome)}`);
        }
        if (test.error !== undefined && !isRegisteredCode(test.error)) {
          failures.push(`unregistered ${test.error}`);
        }
        if (test.result === "invalid") {
          invalid++;
          negativeCodes.set(test.error!, (negativeCodes.get(test.error!) ?? 0) + 1);
        } else valid++;
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(invalid >= 300, `only ${invalid} negative cases`);
  assert.ok(valid >= 40, `only ${valid} positive cases`);
  // The refusals the issue names, each present.
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
  ) assert.ok(negativeCodes.get(code), `no negative vector for ${code}`);
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
