/**
 * Priority rules at the DER (PD-161): market schedules, the grid operator's
 * limit and set-point, and who wins when.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { MmsData } from "../../state-machines/association/services.ts";
import { serve } from "./serve.ts";
import type { DerState } from "./state.ts";
import { bool, ctl, DNO, exactDer, f32, int, readValue, sbow, T0, totW, VPP } from "./testing.ts";

const HOUR = 3_600_000;

/** The VPP installs schedule n: one entry from `start` for `seconds` at `pct`, priority `prio`. */
function schedule(m: DerState, n: number, pct: number, prio: number, start = T0, seconds = 3600) {
  const at = (name: string, value: MmsData) => ({
    ref: { ref: `DER1/FSCH${n}.${name}`, fc: "SP" as const },
    value,
  });
  const r = serve(
    m,
    {
      service: "write",
      items: [
        at("StrTm1.setTm", { type: "utc-time", value: start }),
        at("Dur1.setVal", int(seconds)),
        at("Val1.setMag.f", f32(pct)),
        at("NumEntr.setVal", int(1)),
        at("SchdPrio.setVal", int(prio)),
        at("SchdEna.setVal", bool(true)),
      ],
    },
    T0,
    VPP,
  );
  assertEquals(
    (r.response as unknown as { results: unknown[] }).results.every((x) => x === null),
    true,
  );
  return r.model;
}

let ctlNum = 0;
const operate = (m: DerState, control: string, v: MmsData, caller: string, at: number) => {
  const r = sbow(m, `DER1/DRCC1.${control}`, ctl(v, ++ctlNum % 256, caller), caller, at);
  assertEquals((r.response as { addCause?: string }).addCause, undefined);
  return r.model;
};
const source = (m: DerState, at: number) => readValue(m, "DER1/DRCC1.WCtlSrc.stVal", "ST", at);

Deno.test("PAPER-TL1 DER-SCHD1 green: the DER follows its market schedule, then MPPT again", () => {
  const m = schedule(exactDer(), 1, 80, 100, T0 + 60_000, 600);
  assertEquals(totW(m, T0 + 59_000), 10_000);
  assertEquals(totW(m, T0 + 62_000), 8_000);
  assertEquals(source(m, T0 + 62_000), int(1));
  assertEquals(readValue(m, "DER1/FSCH1.ActEntr.stVal", "ST", T0 + 62_000), int(1));
  assertEquals(totW(m, T0 + 660_000 + 2_000), 10_000);
  assertEquals(source(m, T0 + 662_000), int(0));
});

Deno.test("PAPER-TL2 red: the operator's limit overrides the schedule; green resumes it", () => {
  let m = schedule(exactDer(), 1, 80, 100);
  assertEquals(totW(m, T0 + 10_000), 8_000);
  // Red: curtail to 50 %.
  m = operate(m, "WMaxLimPct", f32(50), DNO, T0 + 10_000);
  m = operate(m, "WMaxLimEna", bool(true), DNO, T0 + 10_000);
  assertEquals(totW(m, T0 + 20_000), 5_000);
  // Green: release; the schedule (still running) takes over again.
  m = operate(m, "WMaxLimEna", bool(false), DNO, T0 + 20_000);
  assertEquals(totW(m, T0 + 30_000), 8_000);
  assertEquals(source(m, T0 + 30_000), int(1));
});

Deno.test("PAPER-TL2 DER-SCHD2 yellow: the operator's set-point outranks the schedule", () => {
  let m = schedule(exactDer(), 1, 80, 100);
  m = operate(m, "WSetPct", f32(30), DNO, T0 + 10_000);
  m = operate(m, "WSetEna", bool(true), DNO, T0 + 10_000);
  assertEquals(totW(m, T0 + 20_000), 3_000);
  assertEquals(source(m, T0 + 20_000), int(2));
  m = operate(m, "WSetEna", bool(false), DNO, T0 + 20_000);
  assertEquals(totW(m, T0 + 30_000), 8_000);
});

Deno.test("DER-SCHD2 a market set-point does not outrank a schedule of higher priority", () => {
  let m = schedule(exactDer(), 1, 80, 100);
  m = operate(m, "WSetPct", f32(30), VPP, T0);
  m = operate(m, "WSetEna", bool(true), VPP, T0);
  // Tie at priority 100: the immediate command wins.
  assertEquals(totW(m, T0 + 10_000), 3_000);
  const higher = schedule(exactDer(), 1, 80, 100);
  const dnoSchedule = serve(
    higher,
    {
      service: "write",
      items: [{ ref: { ref: "DER1/FSCH2.SchdPrio.setVal", fc: "SP" }, value: int(150) }],
    },
    T0,
    DNO,
  ).model;
  // FSCH2 has no entries: FSCH1 still decides; a priority alone changes nothing.
  assertEquals(totW(dnoSchedule, T0 + 10_000), 8_000);
});

Deno.test("DER-SCHD2 between schedules the higher priority wins, a tie goes to the lower number", () => {
  let m = schedule(exactDer(), 1, 80, 50);
  m = schedule(m, 2, 40, 100);
  assertEquals(totW(m, T0 + 10_000), 4_000);
  assertEquals(readValue(m, "DER1/DRCC1.WCtlSrc", "ST", T0 + 10_000), {
    type: "structure",
    members: [int(1), { type: "bit-string", value: "0000000000000" }, {
      type: "utc-time",
      value: T0,
    }],
  });
  const tie = schedule(schedule(exactDer(), 1, 80, 100), 2, 40, 100);
  assertEquals(totW(tie, T0 + 10_000), 8_000);
});

Deno.test("PD-161 a limit caps only directives of no higher priority", () => {
  // A market limit at 20 % under the operator's set-point of 60 %: the set-point wins.
  let m = operate(exactDer(), "WMaxLimPct", f32(20), VPP, T0);
  m = operate(m, "WMaxLimEna", bool(true), VPP, T0);
  assertEquals(totW(m, T0 + 10_000), 2_000);
  m = operate(m, "WSetPct", f32(60), DNO, T0 + 10_000);
  m = operate(m, "WSetEna", bool(true), DNO, T0 + 10_000);
  assertEquals(totW(m, T0 + 20_000), 6_000);
});

Deno.test("DER-WMAX2 the operator's set-point reverts by itself and the schedule resumes", () => {
  let m = schedule(exactDer(), 1, 80, 100, T0, 2 * 3600);
  m = serve(
    m,
    {
      service: "write",
      items: [{ ref: { ref: "DER1/DRCC1.WSetPctRvrtTms.setVal", fc: "SP" }, value: int(900) }],
    },
    T0,
    DNO,
  ).model;
  m = operate(m, "WSetPct", f32(10), DNO, T0);
  m = operate(m, "WSetEna", bool(true), DNO, T0);
  assertEquals(totW(m, T0 + 899_000), 1_000);
  assertEquals(totW(m, T0 + 910_000), 8_000);
  assertEquals(readValue(m, "DER1/DRCC1.WSetEna.stVal", "ST", T0 + HOUR), bool(false));
});
