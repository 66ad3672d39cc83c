/**
 * The access-token vector file through the conformance checker (one code
 * path for tests and conformance), and regeneration gives the same file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { checkers } from "../../conformance/suites/access-token.ts";
import { vectorText } from "../../tools/vectors.ts";
import { tokenVectorFile } from "./vectorgen/write.ts";

Deno.test("access-token vectors: every case passes the checker (PAPER-OPT3 RFC8725-3.1 RFC7519-7.2)", async () => {
  // spec: PAPER-OPT3 RFC8725-3.1 RFC7519-7.2 RFC7515-5.2
  const run = await runAreaVectors("access-token/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.files.length >= 1);
  assert.ok(run.invalid >= 60, `${run.invalid} negative cases`);
  assert.ok(run.valid >= 10, `${run.valid} positive cases`);
});

Deno.test("access-token vectors: the generator reproduces the committed file byte for byte", async () => {
  const url = new URL("../../vectors/access-token/tokens.json", import.meta.url);
  assert.equal(vectorText(tokenVectorFile()), await Deno.readTextFile(url));
});
