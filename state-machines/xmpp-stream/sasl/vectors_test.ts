/**
 * Runs every vector file of the SASL area through the conformance checkers
 * (one code path for tests and conformance) and checks the file is what its
 * generator produces.
 */
import assert from "node:assert/strict";
import { isRegisteredCode } from "../../../core/errors.ts";
import { listVectorFiles, loadVectorFile } from "../../../core/vectors.ts";
import { checkers } from "../../../conformance/suites/sasl.ts";
import { scramVectorFile } from "./scram_vectors.ts";

const files = listVectorFiles().filter((p) => p.startsWith("sasl/"));

Deno.test("sasl vectors: every case passes its checker (RFC5802-5.example RFC7677-3)", async () => {
  assert.ok(files.includes("sasl/scram.json"));
  const failures: string[] = [];
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
        if (test.result === "invalid") invalid++;
        else valid++;
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(invalid >= 60, `only ${invalid} negative cases`);
  assert.ok(valid >= 4);
});

Deno.test("sasl vectors: scram.json is what its generator writes", () => {
  const onDisk = JSON.parse(
    Deno.readTextFileSync(new URL("../../../vectors/sasl/scram.json", import.meta.url)),
  );
  assert.deepEqual(onDisk, scramVectorFile());
});

Deno.test("sasl vectors: the checker notices a wrong expected code", async () => {
  const file = loadVectorFile("sasl/scram.json");
  const group = file.testGroups[0];
  const test = group.tests.find((t) => t.error === "sasl/nonce-mismatch")!;
  const checker = checkers.find((c) => c.groupType === group.type)!;
  const outcome = await checker.check({ ...test, error: "sasl/invalid-nonce" }, group, file);
  assert.equal(outcome.verdict, "fail");
  const flipped = await checker.check({ ...group.tests[0], clientFinal: "c=biws" }, group, file);
  assert.equal(flipped.verdict, "fail");
});
