/**
 * Runs every crypto vector file through the conformance checkers once per
 * provider (differential testing: each KAT must pass on noble and on node
 * independently), and checks that the committed files are exactly what the
 * generator produces.
 */
import assert from "node:assert/strict";
import { listVectorFiles, loadVectorFile, validateVectorFile } from "../vectors.ts";
import { cryptoCheckers } from "../../conformance/suites/crypto.ts";
import type { ProviderChoice } from "./suite.ts";
import { supports } from "./suite.ts";
import { cryptoVectorFiles } from "./vectorgen/write.ts";
import { vectorText as render } from "../../tools/vectors.ts";

const FILES = listVectorFiles().filter((f) => f.startsWith("crypto/"));

for (const provider of ["noble", "node", "default"] as ProviderChoice[]) {
  Deno.test(`crypto vectors pass on provider ${provider} (PD-17)`, async () => {
    const checkers = new Map(cryptoCheckers(provider).map((c) => [c.groupType, c]));
    let passed = 0;
    const failures: string[] = [];
    for (const path of FILES) {
      const file = loadVectorFile(path);
      for (const group of file.testGroups) {
        const checker = checkers.get(group.type);
        assert.ok(checker, `no checker for ${group.type}`);
        for (const test of group.tests) {
          const out = await checker.check(test, group, file);
          if (out.verdict === "pass") passed++;
          else if (out.verdict === "not-applicable") {
            // Only a suite the provider cannot compute may be skipped.
            assert.equal(supports(group.suite as never, provider), false, `${path} #${test.tcId}`);
          } else failures.push(`${path} #${test.tcId} ${test.comment}: ${JSON.stringify(out)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(passed >= 170, `only ${passed} cases ran`);
  });
}

Deno.test("crypto vectors: at least 60 negative cases, every file names its source", () => {
  let negatives = 0, positives = 0;
  for (const path of FILES) {
    const file = loadVectorFile(path);
    assert.match(file.source, /RFC|FIPS|GCM|SP 800/);
    for (const g of file.testGroups) {
      for (const t of g.tests) t.result === "invalid" ? negatives++ : positives++;
    }
  }
  assert.ok(negatives >= 60, `${negatives} negative cases`);
  assert.ok(positives >= 40, `${positives} positive cases`);
});

Deno.test("crypto vector files on disk equal the generator's output", () => {
  const generated = cryptoVectorFiles();
  assert.deepEqual(
    FILES.map((f) => f.slice("crypto/".length)).sort(),
    [...generated.keys()].sort(),
  );
  for (const [name, json] of generated) {
    const onDisk = Deno.readTextFileSync(new URL(`../../vectors/crypto/${name}`, import.meta.url));
    assert.equal(onDisk, render(json), name);
  }
});

Deno.test("crypto schema refuses a malformed test", () => {
  const file = structuredClone(cryptoVectorFiles().get("x25519-rfc7748.json")) as {
    testGroups: { tests: Record<string, unknown>[] }[];
  };
  file.testGroups[0].tests[0].public = "XYZ";
  assert.throws(() => validateVectorFile(file, "crypto/bad.json"), /vectors\/invalid-file/);
  delete file.testGroups[0].tests[0].public;
  assert.throws(() => validateVectorFile(file, "crypto/bad.json"), /vectors\/invalid-file/);
});
