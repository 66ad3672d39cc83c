/**
 * Runs vectors/der-model/*.json through the conformance checkers (the same
 * code path as `deno task conformance`), and checks that the checkers do
 * notice a wrong expectation.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { loadVectorFile, type VectorTest } from "../../core/vectors.ts";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { checkers } from "../../conformance/suites/der-model.ts";
import { derModelVectorGenerator } from "./vectorgen.ts";

Deno.test("DL-VEC-1 every DER model vector passes its checker", async () => {
  const run = await runAreaVectors("der-model/", checkers);
  assertEquals(run.failures, []);
  assertEquals(run.notApplicable, []);
  assertEquals(run.files.length, 2);
  ok(run.invalid >= 40, `${run.invalid} negative vectors`);
  ok(run.valid >= 25, `${run.valid} positive vectors`);
});

Deno.test("DL-VEC-1 the vector files are what the generator writes", async () => {
  for (const f of await derModelVectorGenerator.generate()) {
    const onDisk = JSON.parse(
      await Deno.readTextFile(new URL(`../../vectors/${f.path}`, import.meta.url)),
    );
    assertEquals(onDisk, f.content, f.path);
  }
});

Deno.test("the checkers fail a wrong expectation", async () => {
  const file = loadVectorFile("der-model/services.json");
  const group = file.testGroups[0];
  const service = checkers.find((c) => c.groupType === "der-service")!;
  const byComment = (c: string) => group.tests.find((t) => t.comment === c)!;
  const totw = byComment("TotW of 10 kW PV in full sun");
  const wrongValue: VectorTest = {
    ...totw,
    response: { service: "read", results: [{ type: "float", value: 9_999, width: 32 }] },
  };
  assertEquals((await service.check(wrongValue, group, file)).verdict, "fail");
  const denied = byComment("MX is read-only");
  assertEquals(
    (await service.check({ ...denied, error: "der-model/type-inconsistent" }, group, file)).verdict,
    "fail",
  );
  const gfile = loadVectorFile("der-model/group-command.json");
  const gchecker = checkers.find((c) => c.groupType === "der-group-command")!;
  const red = gfile.testGroups[0].tests[0];
  const later = {
    ...red,
    then: [{
      at: 1_700_000_002_000,
      ref: "DER1/MMXU1.TotW.mag.f",
      fc: "MX",
      value: { type: "float", value: 5_000, width: 32 },
    }],
  };
  assertEquals((await gchecker.check(later, gfile.testGroups[0], gfile)).verdict, "fail");
});
