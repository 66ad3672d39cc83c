/**
 * The simulator in virtual time: limit, ramp, window, revert, PV day curve,
 * battery charge, and that the result depends only on the inputs.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { windowOffsetMs } from "./controls.ts";
import { serve, tick } from "./serve.ts";
import type { DerState } from "./state.ts";
import {
  bool,
  ctl,
  DNO,
  exactDer,
  f32,
  int,
  readValue,
  sbow,
  T0,
  totW,
  writeReq,
} from "./testing.ts";
import { derConfig } from "./config.ts";
import { createDer } from "./serve.ts";

const LIM = "DER1/DRCC1.WMaxLimPct";
const ENA = "DER1/DRCC1.WMaxLimEna";

function limitAt(m: DerState, pct: number, at = T0): DerState {
  m = sbow(m, LIM, ctl(f32(pct), 1, DNO), DNO, at).model;
  return sbow(m, ENA, ctl(bool(true), 2, DNO), DNO, at).model;
}

const setting = (m: DerState, name: string, seconds: number) =>
  serve(m, writeReq(`DER1/DRCC1.${name}.setVal`, int(seconds)), T0, DNO).model;

Deno.test("DER-WMAX1 limit 60 % of 10 kW: TotW ramps at WRtg/RmpTms and stays at 6 kW", () => {
  const m = limitAt(exactDer(), 60); // default ramp 10 s → 1 kW/s
  assertEquals(totW(m, T0), 10_000);
  assertEquals(totW(m, T0 + 1_000), 9_000);
  assertEquals(totW(m, T0 + 3_000), 7_000);
  assertEquals(totW(m, T0 + 4_000), 6_000);
  assertEquals(totW(m, T0 + 10_000), 6_000);
  assertEquals(totW(m, T0 + 3_600_000), 6_000);
});

Deno.test("DER-WMAX1 ramp time 0 applies a limit at the next step", () => {
  const m = limitAt(setting(exactDer(), "WMaxLimPctRmpTms", 0), 25);
  assertEquals(totW(m, T0 + 1_000), 2_500);
});

Deno.test("DER-WMAX2 revert timeout disables the limit and output returns", () => {
  let m = setting(exactDer(), "WMaxLimPctRvrtTms", 60);
  m = limitAt(m, 60);
  assertEquals(totW(m, T0 + 59_000), 6_000);
  assertEquals(
    readValue(m, `${ENA}.stVal`, "ST", T0 + 59_999),
    bool(true),
  );
  assertEquals(readValue(m, `${ENA}.stVal`, "ST", T0 + 60_000), bool(false));
  assertEquals(readValue(m, `${ENA}.t`, "ST", T0 + 60_000), {
    type: "utc-time",
    value: T0 + 60_000,
  });
  assertEquals(totW(m, T0 + 62_000), 8_000);
  assertEquals(totW(m, T0 + 64_000), 10_000);
});

Deno.test("DER-WMAX1 PD-163 a new limit waits for its place in the time window", () => {
  let m = setting(exactDer(), "WMaxLimPctWinTms", 100);
  m = setting(m, "WMaxLimPctRmpTms", 0);
  const offset = windowOffsetMs("DER1", T0, 1, 100);
  ok(offset > 0 && offset < 100_000, `offset ${offset}`);
  ok(windowOffsetMs("DER2", T0, 1, 100) !== offset, "two DERs get different places");
  m = limitAt(m, 40);
  assertEquals(readValue(m, `${LIM}.mxVal.f`, "MX", T0 + offset - 1), f32(100));
  assertEquals(readValue(m, `${LIM}.mxVal.f`, "MX", T0 + offset), f32(40));
  assertEquals(readValue(m, `${LIM}.t`, "MX", T0 + offset), {
    type: "utc-time",
    value: T0 + offset,
  });
  assertEquals(totW(m, T0 + offset + 1_000), 4_000);
});

Deno.test("PD-163 PV follows the clear-sky day: nothing at night, rated at noon", () => {
  const midnight = Date.UTC(2024, 5, 1, 0, 0, 0);
  const c = derConfig({
    ld: "DER1",
    weather: { kind: "clear-sky", seed: 3 },
    deadband: { w: 0, hz: 0, v: 0 },
    stepMs: 60_000,
  });
  const m = createDer(c, midnight);
  const at = (h: number) => tick(m, midnight + h * 3_600_000).model.power.outputW;
  assertEquals(at(3), 0);
  assertEquals(at(12), 10_000); // 1.1 × peak capped at the 10 kW rating
  ok(Math.abs(at(9) - 11_000 * Math.sin(Math.PI / 4)) < 1e-6, `09:00 ${at(9)}`);
});

Deno.test("DER-WSET1 a battery charges at a negative set-point until full", () => {
  let m = exactDer({ kind: "battery", capacityWh: 10_000, initialSoc: 0.5 });
  assertEquals(totW(m, T0), 0);
  m = sbow(m, "DER1/DRCC1.WSetPct", ctl(f32(-50), 1, DNO), DNO, T0).model;
  m = sbow(m, "DER1/DRCC1.WSetEna", ctl(bool(true), 2, DNO), DNO, T0).model;
  assertEquals(totW(m, T0 + 5_000), -5_000);
  const half = tick(m, T0 + 1_800_000).model;
  // Output at the end of each 1 s step: -1..-5 kW while ramping, then -5 kW.
  const expected = 0.5 + (15_000 + 1_795 * 5_000) / 3600 / 10_000;
  ok(Math.abs(half.power.soc - expected) < 1e-12, `soc ${half.power.soc}`);
  const full = tick(half, T0 + 7_200_000).model;
  assertEquals([full.power.soc, full.power.outputW], [1, 0]);
});

Deno.test("DL-DER-1 same inputs, same outputs; time slicing does not matter", () => {
  const c = derConfig({
    ld: "DER1",
    weather: { kind: "cloudy", seed: 42, cloudiness: 0.6 },
    priorities: { [DNO]: 200 },
  });
  const start = Date.UTC(2024, 5, 1, 10, 0, 0);
  const script = (m: DerState, slices: number) => {
    m = limitAt(m, 70, start);
    const reports = [];
    for (let i = 1; i <= slices; i++) {
      const r = tick(m, start + (600_000 * i) / slices);
      m = r.model;
      reports.push(...r.reports);
    }
    return { m, reports };
  };
  const a = script(createDer(c, start), 1);
  const b = script(createDer(c, start), 1);
  const sliced = script(createDer(c, start), 600);
  assertEquals(a, b);
  assertEquals(sliced.m, a.m);
  assertEquals(sliced.reports, a.reports);
  ok(a.reports.length > 10);
});
