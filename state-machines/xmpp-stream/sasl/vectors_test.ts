/**
 * Runs every vector file of the SASL area through the conformance checkers
 * (one code path for tests and conformance) and checks the file is what its
 * generator produces.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../../../conformance/vector_testing.ts";
import { loadVectorFile } from "../../../core/vectors.ts";
import { checkers } from "../../../conformance/suites/sasl.ts";
import { scramVectorFile } from "./scram_vectors.ts";

Deno.test("sasl vectors: every case passes its checker (RFC5802-5.example RFC7677-3)", async () => {
  const run = await runAreaVectors("sasl/", checkers);
  assert.ok(run.files.includes("sasl/scram.json"));
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 60, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 4);
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
