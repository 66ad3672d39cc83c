/**
 * Runs every market vector file through the conformance checkers (one code
 * path for tests and conformance) and checks each file is what the
 * generators write.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/pubsub.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { marketVectorFile } from "./vectorgen_market.ts";
import { tariffVectorFile } from "./vectorgen_tariff.ts";

Deno.test("pubsub vectors: every case passes its checker (PAPER-AS4 PAPER-MAP6 PD-157 PD-158 PD-159)", async () => {
  // spec: PAPER-AS4 PAPER-MAP6 PAPER-TA5 PD-157 PD-158 PD-159 XEP0060-6.1 XEP0060-7.1 XEP0060-8.1.3 XEP0060-8.9.2
  assert.deepEqual(listVectorFiles().filter((p) => p.startsWith("pubsub/")), [
    "pubsub/market.json",
    "pubsub/tariff.json",
  ]);
  const run = await runAreaVectors("pubsub/", checkers);
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 70, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 25, `only ${run.valid} positive cases`);
});

Deno.test("pubsub vectors: the files are what the generators write", () => {
  for (
    const [path, made] of [
      ["pubsub/tariff.json", tariffVectorFile()],
      ["pubsub/market.json", marketVectorFile()],
    ] as const
  ) {
    const { path: _p, ...onDisk } = loadVectorFile(path) as unknown as Record<string, unknown>;
    assert.deepEqual(JSON.parse(JSON.stringify(made)), JSON.parse(JSON.stringify(onDisk)));
  }
});
