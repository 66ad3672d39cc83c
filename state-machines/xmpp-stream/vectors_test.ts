/**
 * Runs every vector file under `vectors/xmpp-stream/` through the same
 * checker the conformance runner uses; every verdict must be "pass". Also
 * checks the generator still produces the files on disk and reports the
 * transition edges the vectors cover.
 */
import assert from "node:assert/strict";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/xmpp-stream.ts";
import { ANY, edgeKey } from "../../core/machine.ts";
import { INITIATOR_TRANSITIONS } from "./initiator.ts";
import { RECEIVER_TRANSITIONS } from "./receiver.ts";
import { streamVectorGenerator } from "./stream_vectors_gen.ts";

Deno.test("xmpp-stream vectors: every case passes its checker; at least 100 refusals", async () => {
  const run = await runAreaVectors("xmpp-stream/", checkers, {
    edgeLabel: (group) => `${group.role}: `,
  });
  assert.ok(run.files.length >= 3, `vector files: ${run.files}`);
  assert.deepEqual(run.failures, []);
  assert.ok(run.invalid >= 100, `${run.invalid} negative vectors`);
  assert.ok(run.valid >= 10, `${run.valid} valid transcripts`);
  const edges = run.edges;
  // The vectors take every declared edge except the per-phase "input refused" loops.
  const uncovered = [
    ...INITIATOR_TRANSITIONS.map((t) => ({ t, role: "initiator" })),
    ...RECEIVER_TRANSITIONS.map((t) => ({ t, role: "receiver" })),
  ].filter(({ t }) => !(t.on === ANY && t.from === t.to))
    .map(({ t, role }) => `${role}: ${edgeKey(t)}`)
    .filter((k) => !edges.has(k));
  assert.deepEqual(uncovered, []);
});

Deno.test("xmpp-stream vectors: regeneration matches the files on disk", () => {
  for (const f of streamVectorGenerator.generate()) {
    const onDisk = loadVectorFile(f.path);
    const { path: _path, ...content } = onDisk;
    assert.deepEqual(content, JSON.parse(JSON.stringify(f.content)), f.path);
  }
});

Deno.test("xmpp-stream vectors: edges are named as the tables declare them", () => {
  const names = new Set([...INITIATOR_TRANSITIONS, ...RECEIVER_TRANSITIONS].map(edgeKey));
  assert.ok(names.has("idle --start--> opening"));
  assert.ok(names.has("awaiting-bind --xml--> bound"));
});
