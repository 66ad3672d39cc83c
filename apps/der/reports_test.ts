/**
 * Reports (PD-164): data change with deadbands, quality change, integrity
 * periods, sequence numbers.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { Report } from "../../state-machines/association/services.ts";
import { serve, tick } from "./serve.ts";
import type { DerState } from "./state.ts";
import { bool, ctl, DNO, exactDer, f32, int, sbow, T0 } from "./testing.ts";

const names = (r: Report) => r.entries.map((e) => e.ref.ref.slice(5));
const LIM = "DER1/DRCC1.WMaxLimPct";

function limited(m: DerState): { m: DerState; reports: Report[] } {
  const a = sbow(m, LIM, ctl(f32(60), 1, DNO), DNO, T0);
  const b = sbow(a.model, "DER1/DRCC1.WMaxLimEna", ctl(bool(true), 2, DNO), DNO, T0);
  return { m: b.model, reports: [...a.reports, ...b.reports] };
}

Deno.test("ACSI-RPT1 a command's effect is reported at once, member by member", () => {
  const { reports } = limited(exactDer());
  assertEquals(reports.map((r) => [r.rptId, r.sqNum, r.time, names(r)]), [
    ["DER1/LLN0.Ctl", 0, T0, ["DRCC1.WMaxLimPct"]],
    ["DER1/LLN0.Ctl", 1, T0, ["DRCC1.WMaxLimEna"]],
  ]);
  assertEquals(reports[0].entries[0], {
    ref: { ref: LIM, fc: "MX" },
    value: {
      type: "structure",
      members: [
        { type: "structure", members: [f32(60)] },
        { type: "bit-string", value: "0000000000000" },
        { type: "utc-time", value: T0 },
      ],
    },
  });
});

Deno.test("ACSI-RPT1 PD-164 measurements report through their deadband", () => {
  const { m } = limited(exactDer({ deadband: { w: 1500, hz: 0, v: 100 } }));
  const r = tick(m, T0 + 5_000).reports;
  // Ramp 10 → 6 kW at 1 kW/s: TotW moves by more than 1.5 kW at +2 s and +4 s only.
  assertEquals(r.map((x) => [x.time, names(x)]), [[T0 + 2_000, ["MMXU1.TotW"]], [T0 + 4_000, [
    "MMXU1.TotW",
  ]]]);
  assertEquals(
    r.map((x) =>
      (x.entries[0].value as unknown as { members: { members: unknown[] }[] }).members[0].members[0]
    ),
    [
      f32(8_000),
      f32(6_000),
    ],
  );
});

Deno.test("ACSI-RPT2 PD-164 integrity reports carry every member at each period boundary", () => {
  const m = exactDer();
  const r = tick(m, T0 + 110_000).reports.filter((x) => x.rptId === "DER1/LLN0.Meas");
  // T0 is 40 s before a whole minute: integrity at T0+40 s and T0+100 s.
  assertEquals(r.map((x) => [x.time, x.sqNum, names(x)]), [
    [T0 + 40_000, 0, ["MMXU1.TotW", "MMXU1.Hz", "MMXU1.PhV", "ZINV1.WAvl"]],
    [T0 + 100_000, 1, ["MMXU1.TotW", "MMXU1.Hz", "MMXU1.PhV", "ZINV1.WAvl"]],
  ]);
});

Deno.test("ACSI-RPT1 a quality change is reported (behaviour to test)", () => {
  const r = sbow(exactDer(), "DER1/LLN0.Mod", ctl(int(3), 1, DNO), DNO, T0).reports;
  assertEquals(r.map((x) => [x.rptId, names(x).length]), [["DER1/LLN0.Meas", 4], [
    "DER1/LLN0.Ctl",
    6,
  ]]);
});

Deno.test("ACSI-RPT3 SqNum wraps at 65536; a disabled block sends nothing", () => {
  const m = exactDer();
  const near: DerState = { ...m, rcbs: { ...m.rcbs, Ctl: { ...m.rcbs.Ctl, sqNum: 65_535 } } };
  const { reports } = limited(near);
  assertEquals(reports.map((r) => r.sqNum), [65_535, 0]);
  const quiet = exactDer({
    reports: {
      Meas: { enabled: false, integrityMs: 60_000 },
      Ctl: { enabled: true, integrityMs: 0 },
    },
  });
  const r = limited(quiet);
  const later = tick(r.m, T0 + 120_000).reports;
  assertEquals(later.filter((x) => x.rptId === "DER1/LLN0.Meas"), []);
  assertEquals(serve(r.m, { service: "read", items: [] }, T0, DNO).reports, []);
});
