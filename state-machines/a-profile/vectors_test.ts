/**
 * Runs every vector file under `vectors/a-profile/` through the same
 * checkers the conformance runner uses; every verdict must be "pass". Checks
 * the counts the profile promises (valid transcripts for each suite, at least
 * 300 refusals, each with a code and a final phase), that the generator
 * still writes the files on disk byte for byte, and reports the declared
 * edges the vectors cover.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile } from "../../core/vectors.ts";
import { checkers } from "../../conformance/suites/a-profile.ts";
import { ANY, edgeKey } from "../../core/machine.ts";
import { vectorText } from "../../tools/vectors.ts";
import { INITIATOR_TRANSITIONS } from "./initiator.ts";
import { RESPONDER_TRANSITIONS } from "./responder.ts";
import { aProfileVectorGenerator } from "./vectorgen/write.ts";

const files = listVectorFiles().filter((f) => f.startsWith("a-profile/"));

Deno.test("a-profile vectors: every case passes its checker (PD-85 PD-86 PD-89 PD-91 PD-96 PD-97)", async () => {
  // spec: PD-85 PD-86 PD-87 PD-89 PD-90 PD-91 PD-93 PD-96 PD-97 PD-99 PAPER-R2 PAPER-R4a PAPER-R6a PAPER-M3
  assert.deepEqual(files.sort(), [
    "a-profile/brainpool256.json",
    "a-profile/p256.json",
    "a-profile/x25519-ed25519.json",
  ]);
  const edges = new Set<string>();
  let invalid = 0;
  const validBySuite = new Map<string, number>();
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
        for (const e of outcome.edges ?? []) edges.add(e);
        const last = (test.steps as { phase?: string }[]).at(-1)!;
        assert.ok(last.phase, `${path} #${test.tcId} records its final phase`);
        if (test.result === "valid") {
          validBySuite.set(String(group.suite), (validBySuite.get(String(group.suite)) ?? 0) + 1);
        } else {
          assert.match(String(test.error), /^(aprofile|pki)\//);
          invalid++;
        }
      }
    }
  }
  assert.ok(invalid >= 300, `${invalid} negative vectors`);
  for (const suite of ["p256", "brainpool256", "x25519-ed25519"]) {
    assert.ok((validBySuite.get(suite) ?? 0) >= 10, `valid transcripts for ${suite}`);
  }
  const declared = [
    ...INITIATOR_TRANSITIONS.map((t) => `a-profile.initiator: ${edgeKey(t)}`),
    ...RESPONDER_TRANSITIONS.map((t) => `a-profile.responder: ${edgeKey(t)}`),
  ];
  const refusals = (k: string) => k.includes(`--${ANY}-->`);
  const phaseEdges = declared.filter((k) => !refusals(k));
  const uncovered = phaseEdges.filter((k) => !edges.has(k));
  const loops = declared.filter((k) => refusals(k) && edges.has(k)).length;
  console.log(
    `a-profile vectors: ${invalid} refusals; ${
      phaseEdges.length - uncovered.length
    } of ${phaseEdges.length} ` +
      `phase-changing edges and ${loops} of ${
        declared.length - phaseEdges.length
      } refusal loops covered`,
  );
  assert.deepEqual(uncovered, []);
});

Deno.test("a-profile vectors: the generator reproduces the files on disk", async () => {
  for (const f of await aProfileVectorGenerator.generate()) {
    const onDisk = await Deno.readTextFile(new URL(`../../vectors/${f.path}`, import.meta.url));
    assert.equal(vectorText(f.content), onDisk, f.path);
  }
});
