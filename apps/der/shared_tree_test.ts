/**
 * The data tree's table is shared by every DER of one shape (PD-160, built
 * once per kind/schedules/entries), and reports compare keys computed
 * without building values: both must give what a tree of one's own and
 * valueKey of the read value would give.
 */
import { deepStrictEqual as assertEquals, ok, strictEqual } from "node:assert/strict";
import fc from "fast-check";
import type { DataReference, MmsData } from "../../state-machines/association/services.ts";
import { locate, readItem, readShape } from "./access.ts";
import { dataTree } from "./data_tree.ts";
import { serve, tick } from "./serve.ts";
import type { DerState } from "./state.ts";
import { bool, ctl, DNO, exactConfig, exactDer, f32, int, readValue, sbow, T0 } from "./testing.ts";
import { createDer } from "./serve.ts";
import { type LeafType, sameScalar, type Scalar, scalarKey, valueKey } from "./values.ts";

Deno.test("PD-160 DERs of one shape share one table; each tree keeps its own LD", () => {
  const a = dataTree(exactConfig({ ld: "DER1", ratedW: 5_000 }));
  const b = dataTree(exactConfig({ ld: "DER2", ratedW: 7_000 }));
  const battery = dataTree(exactConfig({ ld: "DER3", kind: "battery" }));
  strictEqual(a.schema, b.schema);
  strictEqual(a.leaves, b.leaves);
  ok(a.schema !== battery.schema, "another kind, another table (value ranges differ)");
  assertEquals([a.ld, b.ld], ["DER1", "DER2"]);
  const bigger = dataTree(exactConfig({ ld: "DER4", schedules: 3, entriesPerSchedule: 2 }));
  assertEquals(bigger.lns, ["LLN0", "ZINV1", "MMXU1", "DRCC1", "FSCH1", "FSCH2", "FSCH3"]);
  assertEquals(bigger.dataObjects.get("FSCH3")?.filter((d) => d.startsWith("Val")), [
    "Val1",
    "Val2",
  ]);
});

// spec: DER-LD1 DER-MX1
Deno.test("DER-LD1 a shared table reads each DER's own rating and nameplate; other LDs stay foreign", () => {
  const one = exactDer({ ld: "DER1", ratedW: 5_000 });
  const two = createDer(
    exactConfig({
      ld: "DER2",
      ratedW: 7_000,
      nameplate: { vendor: "other", swRev: "2", d: "second" },
    }),
    T0,
  );
  assertEquals(readValue(one, "DER1/ZINV1.WRtg.setMag.f", "CF", T0), f32(5_000));
  const read = (m: DerState, ref: string, fcv: DataReference["fc"]) =>
    (serve(m, { service: "read", items: [{ ref, fc: fcv }] }, T0, DNO).response as unknown as {
      results: unknown[];
    }).results[0];
  assertEquals(read(two, "DER2/ZINV1.WRtg.setMag.f", "CF"), f32(7_000));
  assertEquals(read(two, "DER2/LLN0.NamPlt.vendor", "DC"), {
    type: "visible-string",
    value: "other",
  });
  assertEquals(read(one, "DER1/LLN0.NamPlt.vendor", "DC"), {
    type: "visible-string",
    value: "derlink",
  });
  // The same LD-relative reference under the other LD names nothing at either DER.
  assertEquals(read(two, "DER1/LLN0.Mod.stVal", "ST"), "object-non-existent");
  assertEquals(read(one, "DER2/LLN0.Mod.stVal", "ST"), "object-non-existent");
  assertEquals(read(one, "DER1/LLN0.Mod.stVal", "ST"), int(1));
});

/** States the model reaches: commands of every kind, then time. */
const reached: fc.Arbitrary<DerState> = fc.tuple(
  fc.constantFrom<"pv" | "battery">("pv", "battery"),
  fc.integer({ min: 0, max: 100 }),
  fc.boolean(),
  fc.integer({ min: 1, max: 5 }),
  fc.integer({ min: 0, max: 600_000 }),
).map(([kind, pct, enable, mode, later]) => {
  let m = exactDer({ kind, weather: { kind: "clear-sky", seed: 3 }, stepMs: 60_000 });
  m = sbow(m, "DER1/DRCC1.WMaxLimPct", ctl(f32(pct), 1, DNO), DNO, T0).model;
  m = sbow(m, "DER1/DRCC1.WMaxLimEna", ctl(bool(enable), 2, DNO), DNO, T0).model;
  m = sbow(m, "DER1/LLN0.Mod", ctl(int(mode), 3, DNO), DNO, T0 + 1).model;
  // T0 is at night (22:13 UTC): twelve hours on, the sun shines.
  return tick(m, T0 + 43_200_000 + later).model;
});

Deno.test("ACSI-RPT1 property: a leaf's raw value keys as valueKey of what it reads; references read their shape", () => {
  const names = ["LLN0", "ZINV1", "MMXU1", "DRCC1", "FSCH1", "FSCH2"];
  fc.assert(
    fc.property(reached, (m) => {
      const tree = dataTree(m.config);
      for (const leaf of tree.leaves) {
        strictEqual(scalarKey(leaf.type.kind, leaf.get(m)), valueKey(leaf.read(m)));
      }
      const refs: DataReference[] = [];
      for (const ln of names) {
        for (const fcv of ["ST", "MX", "SP", "CF", "DC", "EX"] as const) {
          refs.push({ ref: `DER1/${ln}`, fc: fcv });
          for (const d of tree.dataObjects.get(ln) ?? []) {
            refs.push({ ref: `DER1/${ln}.${d}`, fc: fcv });
          }
        }
      }
      let structures = 0;
      for (const ref of refs) {
        const found = locate(tree, ref);
        if (typeof found === "string") continue;
        const value: MmsData = readShape(m, found.shape);
        if (value.type === "structure") structures++;
        assertEquals(readItem(tree, m, ref), value);
      }
      ok(structures > 50);
    }),
    { numRuns: 40 },
  );
});

const KINDS: LeafType["kind"][] = [
  "float32",
  "integer",
  "boolean",
  "visible-string",
  "bit-string",
  "utc-time",
];
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-7, 2 ** 53, T0),
  fc.float().map(Number),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 3 }),
  fc.constantFrom("0000000000000", "0000000000010", "", "1", "true", "null"),
);

// spec: ACSI-RPT1
Deno.test("ACSI-RPT1 property: reports see a change exactly when the value key changes", () => {
  fc.assert(
    fc.property(fc.constantFrom(...KINDS), scalar, scalar, (kind, a, b) => {
      strictEqual(sameScalar(kind, a, b), scalarKey(kind, a) === scalarKey(kind, b));
      ok(sameScalar(kind, a, a));
    }),
    { numRuns: 5_000 },
  );
  // The corners: float32 rounding, signed zero, non-finite numbers as JSON has them.
  ok(sameScalar("float32", 0.1, Math.fround(0.1)));
  ok(!sameScalar("float32", 0, -0));
  ok(sameScalar("integer", 0, -0));
  ok(sameScalar("integer", NaN, Infinity));
  ok(!sameScalar("utc-time", 1, "1"));
});
