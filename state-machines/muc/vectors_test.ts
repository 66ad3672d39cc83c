/**
 * Runs every MUC vector file through the conformance checker (one code path
 * for tests and conformance) and checks each file is what the generator
 * writes.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/muc.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { roomVectorFile } from "./vectorgen.ts";
import "./errors.ts";

Deno.test("muc vectors: every case passes its checker (XEP0045-7.2 XEP0045-9.4 PD-128 PAPER-MAP4)", async () => {
  // spec: XEP0045-7.2 XEP0045-7.2.6 XEP0045-9.3 XEP0045-9.4 XEP0045-10.2 PD-128 PD-129 PAPER-MAP4
  assert.deepEqual(listVectorFiles().filter((p) => p.startsWith("muc/")), ["muc/room.json"]);
  const run = await runAreaVectors("muc/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 25, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 15, `only ${run.valid} positive cases`);
});

Deno.test("muc vectors: the file is what the generator writes", () => {
  const { path: _path, ...onDisk } = loadVectorFile("muc/room.json") as unknown as Record<
    string,
    unknown
  >;
  assert.deepEqual(
    JSON.parse(JSON.stringify(roomVectorFile())),
    JSON.parse(JSON.stringify(onDisk)),
  );
});
