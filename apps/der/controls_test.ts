/**
 * Controls at the DER: select-with-value/operate with enhanced security,
 * and the AddCause of every refusal (PD-162).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { ServiceRequest } from "../../state-machines/association/services.ts";
import { serve } from "./serve.ts";
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
  STRANGER,
  T0,
  VPP,
} from "./testing.ts";

const LIM = "DER1/DRCC1.WMaxLimPct";
const cause = (r: ReturnType<typeof serve>) => (r.response as { addCause?: string }).addCause;

function step(m: DerState, request: ServiceRequest, caller = DNO, at = T0) {
  return serve(m, request, at, caller);
}

Deno.test("ACSI-SBOW1 ACSI-SBOW3 select-with-value then operate: positive responses and termination", () => {
  const p = ctl(f32(60), 7, DNO);
  const s = step(exactDer(), { service: "select-with-value", control: LIM, params: p });
  assertEquals(s.response, { service: "select-with-value", control: LIM, ctlNum: 7 });
  const o = step(s.model, { service: "operate", control: LIM, params: p });
  assertEquals(o.response, { service: "operate", control: LIM, ctlNum: 7 });
  assertEquals(o.terminations, [{ control: LIM, ctlNum: 7 }]);
  assertEquals(readValue(o.model, `${LIM}.mxVal.f`, "MX", T0), f32(60));
  assertEquals(readValue(o.model, `${LIM}.ctlNum`, "ST", T0), int(7));
  // The selection is used up: a second operate is not selected.
  assertEquals(
    cause(step(o.model, { service: "operate", control: LIM, params: p })),
    "object-not-selected",
  );
});

Deno.test("ACSI-SBOW1 operate refusals: not selected, other client, other parameters", () => {
  const p = ctl(f32(60), 7, DNO);
  const m = exactDer();
  assertEquals(
    cause(step(m, { service: "operate", control: LIM, params: p })),
    "object-not-selected",
  );
  const selected = step(m, { service: "select-with-value", control: LIM, params: p }).model;
  assertEquals(
    cause(step(selected, { service: "operate", control: LIM, params: ctl(f32(60), 7, VPP) }, VPP)),
    "locked-by-other-client",
  );
  assertEquals(
    cause(
      step(
        selected,
        { service: "select-with-value", control: LIM, params: ctl(f32(50), 1, VPP) },
        VPP,
      ),
    ),
    "locked-by-other-client",
  );
  assertEquals(
    cause(step(selected, { service: "select-with-value", control: LIM, params: p })),
    "object-already-selected",
  );
  assertEquals(
    cause(step(selected, { service: "operate", control: LIM, params: ctl(f32(60), 8, DNO) })),
    "inconsistent-parameters",
  );
  assertEquals(
    cause(step(selected, { service: "operate", control: LIM, params: ctl(f32(61), 7, DNO) })),
    "inconsistent-parameters",
  );
  assertEquals(
    cause(
      step(selected, {
        service: "operate",
        control: LIM,
        params: ctl(f32(60), 7, DNO, { test: true }),
      }),
    ),
    "inconsistent-parameters",
  );
  // A refused operate ends the selection.
  const refused =
    step(selected, { service: "operate", control: LIM, params: ctl(f32(61), 7, DNO) }).model;
  assertEquals(
    cause(step(refused, { service: "operate", control: LIM, params: p })),
    "object-not-selected",
  );
});

Deno.test("ACSI-SBOW2 selection expires after the select timeout and ends with cancel", () => {
  const p = ctl(f32(60), 7, DNO);
  const selected = step(exactDer({ sboTimeoutMs: 5_000 }), {
    service: "select-with-value",
    control: LIM,
    params: p,
  }).model;
  assertEquals(
    cause(step(selected, { service: "operate", control: LIM, params: p }, DNO, T0 + 5_000)),
    "object-not-selected",
  );
  assertEquals(
    cause(step(selected, { service: "operate", control: LIM, params: p }, DNO, T0 + 4_999)),
    undefined,
  );
  assertEquals(
    cause(step(selected, { service: "cancel", control: LIM, params: ctl(f32(60), 8, DNO) })),
    "inconsistent-parameters",
  );
  const cancelled = step(selected, { service: "cancel", control: LIM, params: p });
  assertEquals(cancelled.response, { service: "cancel", control: LIM, ctlNum: 7 });
  assertEquals(
    cause(step(cancelled.model, { service: "operate", control: LIM, params: p })),
    "object-not-selected",
  );
  assertEquals(
    cause(step(exactDer(), { service: "cancel", control: LIM, params: p })),
    "object-not-selected",
  );
});

Deno.test("ACSI-CTL1 PD-162 refusals before selection: object, service, role, parameters", () => {
  const m = exactDer();
  const swv = (control: string, p = ctl(f32(60), 1, DNO), caller = DNO) =>
    cause(step(m, { service: "select-with-value", control, params: p }, caller));
  assertEquals(swv("DER2/DRCC1.WMaxLimPct"), "unknown");
  assertEquals(swv("DER1/DRCC1.NoSuchThing"), "unknown");
  assertEquals(swv("DER1/DRCC1.WMaxLimPct.Oper"), "unknown");
  assertEquals(swv("DER1/LLN0.Beh"), "not-supported");
  assertEquals(swv("DER1/DRCC1.WMaxLimPctRvrtTms"), "not-supported");
  assertEquals(swv(LIM, ctl(f32(60), 1, STRANGER), STRANGER), "no-access-authority");
  assertEquals(swv(LIM, ctl(f32(60), 1, DNO, { operTm: T0 + 1000 })), "not-supported");
  assertEquals(swv(LIM, ctl(f32(100.5), 1, DNO)), "inconsistent-parameters");
  assertEquals(swv(LIM, ctl(f32(-1), 1, DNO)), "inconsistent-parameters");
  assertEquals(
    swv(LIM, ctl({ type: "float", value: 60, width: 64 }, 1, DNO)),
    "inconsistent-parameters",
  );
  assertEquals(swv(LIM, ctl(bool(true), 1, DNO)), "inconsistent-parameters");
  assertEquals(swv(LIM, ctl(f32(60), 256, DNO)), "inconsistent-parameters");
  assertEquals(swv("DER1/DRCC1.WMaxLimEna", ctl(f32(1), 1, DNO)), "inconsistent-parameters");
  assertEquals(swv("DER1/DRCC1.WSetPct", ctl(f32(-10), 1, DNO)), "inconsistent-parameters");
  assertEquals(swv("DER1/LLN0.Mod", ctl(int(6), 1, DNO)), "inconsistent-parameters");
  assertEquals(step(m, { service: "select", control: LIM }).response, {
    service: "select",
    selected: false,
    addCause: "not-supported",
  });
});

Deno.test("ACSI-CTL1 a battery takes negative set-points (charging)", () => {
  const m = exactDer({ kind: "battery" });
  const r = sbow(m, "DER1/DRCC1.WSetPct", ctl(f32(-50), 1, DNO), DNO, T0);
  assertEquals(cause(r), undefined);
  assertEquals(
    cause(sbow(m, "DER1/DRCC1.WSetPct", ctl(f32(-100.5), 1, DNO), DNO, T0)),
    "inconsistent-parameters",
  );
});

Deno.test("ACSI-MOD1 ACSI-TEST1 behaviour and the test flag", () => {
  const withMod = (mod: number) =>
    sbow(exactDer(), "DER1/LLN0.Mod", ctl(int(mod), 1, DNO), DNO, T0).model;
  const tryLimit = (m: DerState, test: boolean) =>
    cause(sbow(m, LIM, ctl(f32(60), 2, DNO, { test }), DNO, T0));
  assertEquals([tryLimit(withMod(1), false), tryLimit(withMod(1), true)], [
    undefined,
    "blocked-by-mode",
  ]);
  assertEquals([tryLimit(withMod(2), false), tryLimit(withMod(2), true)], [
    "blocked-by-mode",
    "blocked-by-mode",
  ]);
  assertEquals([tryLimit(withMod(3), false), tryLimit(withMod(3), true)], [
    "blocked-by-mode",
    undefined,
  ]);
  assertEquals([tryLimit(withMod(4), false), tryLimit(withMod(4), true)], [
    "blocked-by-mode",
    undefined,
  ]);
  assertEquals([tryLimit(withMod(5), false), tryLimit(withMod(5), true)], [
    "blocked-by-mode",
    "blocked-by-mode",
  ]);
  // Mod stays operable when off, and Beh follows it.
  const back = sbow(withMod(5), "DER1/LLN0.Mod", ctl(int(1), 3, DNO), DNO, T0);
  assertEquals(cause(back), undefined);
  assertEquals(readValue(back.model, "DER1/LLN0.Beh.stVal", "ST", T0), int(1));
  // test/blocked accepts a test command without acting on it.
  const tb = sbow(withMod(4), LIM, ctl(f32(60), 2, DNO, { test: true }), DNO, T0);
  assertEquals(readValue(tb.model, `${LIM}.mxVal.f`, "MX", T0), f32(100));
  const t = sbow(withMod(3), LIM, ctl(f32(60), 2, DNO, { test: true }), DNO, T0);
  assertEquals(readValue(t.model, `${LIM}.mxVal.f`, "MX", T0), f32(60));
  assertEquals(readValue(t.model, "DER1/MMXU1.TotW.q", "MX", T0), {
    type: "bit-string",
    value: "0000000000010",
  });
  assertEquals(readValue(withMod(5), "DER1/MMXU1.TotW.q", "MX", T0), {
    type: "bit-string",
    value: "0100000000000",
  });
});

Deno.test("PAPER-TL2 PD-161 a lower-priority caller cannot take over an active function", () => {
  let m = sbow(exactDer(), LIM, ctl(f32(60), 1, DNO), DNO, T0).model;
  m = sbow(m, "DER1/DRCC1.WMaxLimEna", ctl(bool(true), 2, DNO), DNO, T0).model;
  assertEquals(cause(sbow(m, LIM, ctl(f32(90), 1, VPP), VPP, T0)), "blocked-by-command");
  assertEquals(
    cause(sbow(m, "DER1/DRCC1.WMaxLimEna", ctl(bool(false), 2, VPP), VPP, T0)),
    "blocked-by-command",
  );
  // The set-point function is free: the VPP may use it.
  assertEquals(cause(sbow(m, "DER1/DRCC1.WSetPct", ctl(f32(50), 3, VPP), VPP, T0)), undefined);
  // Once the operator releases the limit, the VPP may set one.
  const released = sbow(m, "DER1/DRCC1.WMaxLimEna", ctl(bool(false), 3, DNO), DNO, T0).model;
  assertEquals(cause(sbow(released, LIM, ctl(f32(90), 4, VPP), VPP, T0)), undefined);
});

Deno.test("PD-162 with selection kept by the association the model validates and acts", () => {
  const m = exactDer({ selectTracking: "association" });
  const p = ctl(f32(60), 1, DNO);
  const o = step(m, { service: "operate", control: LIM, params: p });
  assertEquals(o.response, { service: "operate", control: LIM, ctlNum: 1 });
  assertEquals(
    cause(step(m, { service: "operate", control: LIM, params: ctl(f32(160), 1, DNO) })),
    "inconsistent-parameters",
  );
  assertEquals(cause(step(m, { service: "cancel", control: LIM, params: p })), undefined);
});
