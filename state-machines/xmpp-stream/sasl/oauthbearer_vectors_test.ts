/**
 * Runs the OAUTHBEARER vector file through the conformance checkers (one
 * code path for tests and conformance) and checks the file is what its
 * generator writes.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../../../conformance/vector_testing.ts";
import { loadVectorFile } from "../../../core/vectors.ts";
import { checkers } from "../../../conformance/suites/sasl-oauthbearer.ts";
import { oauthBearerVectorFile } from "./oauthbearer_vectors.ts";

Deno.test("RFC7628-3.1 RFC7628-3.2.2 RFC7628-3.2.3 RFC6750-2.1: every OAUTHBEARER vector passes its checker", async () => {
  const run = await runAreaVectors("sasl-oauthbearer/", checkers);
  assert.deepEqual(run.files, ["sasl-oauthbearer/oauthbearer.json"]);
  assert.deepEqual(run.failures, []);
  assert.equal(run.valid, 12);
  assert.equal(run.invalid, 30);
});

Deno.test("sasl-oauthbearer vectors: the file is what its generator writes", () => {
  const onDisk = JSON.parse(
    Deno.readTextFileSync(
      new URL("../../../vectors/sasl-oauthbearer/oauthbearer.json", import.meta.url),
    ),
  );
  assert.deepEqual(onDisk, oauthBearerVectorFile());
});

Deno.test("sasl-oauthbearer vectors: the checker notices a wrong expectation", async () => {
  const file = loadVectorFile("sasl-oauthbearer/oauthbearer.json");
  for (const group of file.testGroups) {
    const checker = checkers.find((c) => c.groupType === group.type)!;
    const valid = group.tests.find((t) => t.result === "valid")!;
    const invalid = group.tests.find((t) => t.result === "invalid")!;
    const changed = group.type === "oauthbearer-client-initial"
      ? { ...valid, message: String(valid.message) + "\x01" }
      : { ...valid, status: "other" };
    assert.equal((await checker.check(changed, group, file)).verdict, "fail");
    assert.equal(
      (await checker.check({ ...invalid, error: "sasl/not-authorized" }, group, file)).verdict,
      "fail",
    );
  }
});
