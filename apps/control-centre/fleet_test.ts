/**
 * The fleet view (reports in, totals out), DER groups by profile, and the
 * market's schedules from tariffs.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { MmsData, Report } from "../../state-machines/association/services.ts";
import { applyReport, emptyFleet, fleetTotals, groupMembers } from "./fleet.ts";
import { scheduleFromTariff, scheduleWrite } from "./market.ts";

const f = (value: number): MmsData => ({ type: "float", value, width: 32 });
const mv = (value: number, q = "0000000000000"): MmsData => ({
  type: "structure",
  members: [{ type: "structure", members: [f(value)] }, { type: "bit-string", value: q }, {
    type: "utc-time",
    value: 0,
  }],
});
const meas = (
  ld: string,
  sqNum: number,
  time: number,
  totW: number,
  availW: number,
  q?: string,
): Report => ({
  rptId: `${ld}/LLN0.Meas`,
  sqNum,
  time,
  entries: [
    { ref: { ref: `${ld}/MMXU1.TotW`, fc: "MX" }, value: mv(totW, q) },
    { ref: { ref: `${ld}/ZINV1.WAvl`, fc: "MX" }, value: mv(availW) },
  ],
});
const ctl = (ld: string, sqNum: number, enabled: boolean): Report => ({
  rptId: `${ld}/LLN0.Ctl`,
  sqNum,
  time: 0,
  entries: [{
    ref: { ref: `${ld}/DRCC1.WMaxLimEna`, fc: "ST" },
    value: { type: "structure", members: [{ type: "boolean", value: enabled }] },
  }],
});

Deno.test("PAPER-VPP1 fleet totals from reports: output, available, curtailed, stale, invalid", () => {
  let fleet = [
    meas("A", 0, 1_000, 4_000, 10_000),
    meas("B", 0, 1_000, 6_000, 6_000),
    ctl("A", 0, true),
    meas("C", 0, 100, 1_000, 1_000, "0100000000000"),
  ].reduce(applyReport, emptyFleet);
  assertEquals(fleetTotals(fleet, 1_500, 1_000), {
    ders: 3,
    totW: 11_000,
    availW: 17_000,
    curtailedW: 6_000,
    limited: 1,
    onSetPoint: 0,
    invalid: 1,
    stale: 1,
    missedReports: 0,
  });
  fleet = applyReport(fleet, meas("A", 1, 2_000, 5_000, 10_000));
  assertEquals(fleet.ders.A.totW, 5_000);
});

Deno.test("ACSI-RPT3 the fleet view counts reports missed per block, across the wrap", () => {
  let fleet = applyReport(emptyFleet, meas("A", 65_534, 0, 1, 1));
  fleet = applyReport(fleet, meas("A", 65_535, 0, 1, 1));
  fleet = applyReport(fleet, meas("A", 0, 0, 1, 1));
  assertEquals(fleet.ders.A.missed, 0);
  fleet = applyReport(fleet, meas("A", 3, 0, 1, 1));
  fleet = applyReport(fleet, ctl("A", 5, false));
  assertEquals(fleet.ders.A.missed, 2);
  // A report of unknown shape changes nothing but the bookkeeping.
  const odd = applyReport(fleet, { rptId: "nonsense", sqNum: 0, time: 0, entries: [] });
  assertEquals(odd, fleet);
});

Deno.test("PAPER-TL4 groups by size, feeder and type", () => {
  const ders = [
    { ld: "D3", ratedW: 30_000, feeder: "F1", kind: "pv" },
    { ld: "D1", ratedW: 5_000, feeder: "F1", kind: "pv" },
    { ld: "D2", ratedW: 50_000, feeder: "F2", kind: "battery" },
  ];
  assertEquals(groupMembers(ders, { feeder: "F1" }), ["D1", "D3"]);
  assertEquals(groupMembers(ders, { minRatedW: 20_000 }), ["D2", "D3"]);
  assertEquals(groupMembers(ders, { kind: "battery", feeder: "F1" }), []);
});

Deno.test("PAPER-TL1 market schedules from a tariff: battery thresholds, merging, entry limit", () => {
  const tariff = [0.05, 0.05, 0.2, 0.3, 0.3, 0.1].map((price, i) => ({
    start: 1_000_000 + i * 900_000,
    durationS: 900,
    price,
  }));
  assertEquals(
    scheduleFromTariff(tariff, { kind: "battery", chargeBelow: 0.08, dischargeAbove: 0.25 }, 8),
    [
      { start: 1_000_000, durationS: 1800, valuePct: -100 },
      { start: 2_800_000, durationS: 900, valuePct: 0 },
      { start: 3_700_000, durationS: 1800, valuePct: 100 },
      { start: 5_500_000, durationS: 900, valuePct: 0 },
    ],
  );
  assertEquals(
    scheduleFromTariff(tariff, { kind: "battery", chargeBelow: 0.08, dischargeAbove: 0.25 }, 2)
      .length,
    2,
  );
  const w = scheduleWrite("DER7", 2, [{ start: 5, durationS: 60, valuePct: 50 }], 100);
  assertEquals(w.service === "write" ? w.items.map((i) => i.ref.ref.slice(5)) : [], [
    "FSCH2.SchdEna.setVal",
    "FSCH2.StrTm1.setTm",
    "FSCH2.Dur1.setVal",
    "FSCH2.Val1.setMag.f",
    "FSCH2.SchdPrio.setVal",
    "FSCH2.NumEntr.setVal",
    "FSCH2.SchdEna.setVal",
  ]);
});
