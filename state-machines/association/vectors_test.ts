/**
 * Runs every association vector file through the conformance checkers (one
 * code path for tests and conformance), checks each file is what the
 * generator writes, and that the transcripts cover every declared edge of
 * the three machines.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/association.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { ANY, edgeKey } from "../../core/machine.ts";
import { CLIENT_TRANSITIONS } from "./client.ts";
import { MULTICAST_TRANSITIONS } from "./multicast.ts";
import { SERVER_TRANSITIONS } from "./server.ts";
import { associationVectorFiles } from "./vectorgen.ts";
import "./errors.ts";

const FILES = [
  "association/client.json",
  "association/multicast.json",
  "association/server.json",
  "association/xer.json",
];

Deno.test("association vectors: every case passes its checker, 150+ refusals (PD-140..PD-153)", async () => {
  // spec: PAPER-MAP1 PAPER-MAP2 PAPER-MAP3 PD-141 PD-142 PD-143 PD-144 PD-147 PD-148 PD-149 PD-151 PD-152 PD-153
  assert.deepEqual(listVectorFiles().filter((p) => p.startsWith("association/")), FILES);
  const run = await runAreaVectors("association/", checkers, {
    edgeLabel: (g) => `${g.type.replace("association-", "")}: `,
  });
  assert.deepEqual(run.failures, []);
  assert.deepEqual(run.notApplicable, []);
  assert.ok(run.invalid >= 150, `only ${run.invalid} negative cases`);
  assert.ok(run.valid >= 60, `only ${run.valid} positive cases`);
  for (
    const [label, table] of [
      ["client", CLIENT_TRANSITIONS],
      ["server", SERVER_TRANSITIONS],
      ["multicast", MULTICAST_TRANSITIONS],
    ] as const
  ) {
    const missing = table.filter((t) => t.on !== ANY && !run.edges.has(`${label}: ${edgeKey(t)}`));
    assert.deepEqual(missing.map(edgeKey), [], `${label} edges no vector covers`);
  }
});

Deno.test("association vectors: the files are what the generator writes", () => {
  for (const file of associationVectorFiles()) {
    const { path: _path, ...onDisk } = loadVectorFile(file.path) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(JSON.parse(JSON.stringify(file.content)), onDisk, file.path);
  }
});
