/**
 * Runs every disco vector file through the conformance checkers (one code
 * path for tests and conformance) and checks each file is what the
 * generator writes.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/disco.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { requesterVectorFile, responderVectorFile } from "./vectorgen.ts";

Deno.test("disco vectors: every case passes its checker (XEP0030-3.1 XEP0030-4.1 PD-155 PD-156)", async () => {
  // spec: XEP0030-3.1 XEP0030-3.2 XEP0030-4.1 XEP0030-4.2 PD-155 PD-156 PAPER-MAP5
  assert.deepEqual(listVectorFiles().filter((p) => p.startsWith("disco/")), [
    "disco/requester.json",
    "disco/responder.json",
  ]);
  const run = await runAreaVectors("disco/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 35, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 20, `only ${run.valid} positive cases`);
});

Deno.test("disco vectors: the files are what the generator writes", () => {
  for (
    const [path, made] of [
      ["disco/requester.json", requesterVectorFile()],
      ["disco/responder.json", responderVectorFile()],
    ] as const
  ) {
    const { path: _p, ...onDisk } = loadVectorFile(path) as unknown as Record<string, unknown>;
    assert.deepEqual(JSON.parse(JSON.stringify(made)), JSON.parse(JSON.stringify(onDisk)));
  }
});
