import assert from "node:assert/strict";
import { isDerlinkError } from "./errors.ts";
import { listVectorFiles, loadVectorFile, validateVectorFile } from "./vectors.ts";

const minimal = () => ({
  suite: "demo",
  schema: "vector-file.schema.json",
  version: 1,
  source: "made up for the loader's own test",
  notes: {},
  numberOfTests: 2,
  testGroups: [{
    type: "demo",
    tests: [
      { tcId: 1, comment: "ok", flags: [], spec: ["DL-VEC-1"], result: "valid" },
      { tcId: 2, comment: "bad", flags: [], spec: ["DL-VEC-1"], result: "invalid", error: "x/y" },
    ],
  }],
});

Deno.test("DL-VEC-1 every vector file in the repository validates", () => {
  const files = listVectorFiles();
  assert.ok(files.length > 0, "no vector files found");
  for (const f of files) {
    const file = loadVectorFile(f);
    assert.ok(file.numberOfTests > 0, f);
  }
});

Deno.test("DL-VEC-1 a well-formed file validates", () => {
  assert.equal(validateVectorFile(minimal(), "demo.json").numberOfTests, 2);
});

Deno.test("DL-VEC-1 malformed vector files are refused with vectors/invalid-file", () => {
  const cases: Array<[string, (v: ReturnType<typeof minimal>) => unknown]> = [
    ["no source", (v) => ({ ...v, source: undefined })],
    ["count mismatch", (v) => ({ ...v, numberOfTests: 3 })],
    ["duplicate tcId", (v) => {
      v.testGroups[0].tests[1].tcId = 1;
      return v;
    }],
    ["invalid without error code", (v) => {
      delete (v.testGroups[0].tests[1] as { error?: string }).error;
      return v;
    }],
    ["bad requirement id", (v) => {
      v.testGroups[0].tests[0].spec = ["not an id"];
      return v;
    }],
    ["bad result", (v) => {
      (v.testGroups[0].tests[0] as { result: string }).result = "maybe";
      return v;
    }],
    ["empty spec", (v) => {
      v.testGroups[0].tests[0].spec = [];
      return v;
    }],
  ];
  for (const [name, mutate] of cases) {
    assert.throws(
      () => validateVectorFile(mutate(minimal()), name),
      (e) => isDerlinkError(e, "vectors/invalid-file"),
      name,
    );
  }
  assert.throws(
    () => validateVectorFile({ ...minimal(), schema: "nope.schema.json" }, "x"),
    (e) => isDerlinkError(e, "vectors/unknown-schema"),
  );
});
