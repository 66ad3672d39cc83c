/**
 * Runs every vector file under `vectors/xmpp-stream/` through the same
 * checker the conformance runner uses; every verdict must be "pass". Also
 * checks the generator still produces the files on disk and reports the
 * transition edges the vectors cover.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/xmpp-stream.ts";
import { ANY, edgeKey } from "../../core/machine.ts";
import { INITIATOR_TRANSITIONS } from "./initiator.ts";
import { RECEIVER_TRANSITIONS } from "./receiver.ts";
import { streamVectorGenerator } from "./stream_vectors_gen.ts";

const files = listVectorFiles().filter((f) => f.startsWith("xmpp-stream/"));

Deno.test("xmpp-stream vectors: every case passes its checker; at least 100 refusals", async () => {
  assert.ok(files.length >= 3, `vector files: ${files}`);
  const edges = new Set<string>();
  let valid = 0, invalid = 0;
  for (const path of files) {
    const file = loadVectorFile(path);
    for (const group of file.testGroups) {
      const checker = checkers.find((c) => c.groupType === group.type);
      assert.ok(checker, `no checker for ${group.type}`);
      for (const test of group.tests) {
        const outcome = await checker.check(test, group, file);
        assert.equal(
          outcome.verdict,
          "pass",
          `${path} #${test.tcId} ${test.comment}: ${outcome.message}`,
        );
        for (const e of outcome.edges ?? []) edges.add(`${group.role}: ${e}`);
        if (test.result === "valid") valid++;
        else invalid++;
      }
    }
  }
  assert.ok(invalid >= 100, `${invalid} negative vectors`);
  assert.ok(valid >= 10, `${valid} valid transcripts`);
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
