/**
 * Test helpers for the DER model: an exactly predictable DER (constant full
 * sun, no grid noise, no deadbands), and short forms for requests. Imported
 * by tests and the vector checker only.
 *
 * @module
 */
import type {
  ControlParameters,
  DataReference,
  FunctionalConstraint,
  MmsData,
  ServiceRequest,
} from "../../state-machines/association/services.ts";
import { type DerConfig, derConfig } from "./config.ts";
import { serve, type ServeResult } from "./serve.ts";
import { createDer } from "./serve.ts";
import type { DerState } from "./state.ts";

export const T0 = 1_700_000_000_000;
export const DNO = "dno@grid.example";
export const VPP = "vpp@market.example";
export const STRANGER = "someone@else.example";

/** A 10 kW PV unit in constant full sun with an exact grid: every number is predictable. */
export function exactConfig(overrides: Partial<DerConfig> = {}): DerConfig {
  return derConfig({
    ld: "DER1",
    weather: { kind: "constant", level: 1, seed: 1 },
    grid: { nominalHz: 50, hzNoise: 0, nominalV: 230, riseAtRated: 0.02, vNoise: 0 },
    deadband: { w: 0, hz: 0, v: 0 },
    priorities: { [DNO]: 200, [VPP]: 100 },
    ...overrides,
  });
}

export const exactDer = (overrides: Partial<DerConfig> = {}, now = T0): DerState =>
  createDer(exactConfig(overrides), now);

export const f32 = (v: number): MmsData => ({ type: "float", value: Math.fround(v), width: 32 });
export const bool = (v: boolean): MmsData => ({ type: "boolean", value: v });
export const int = (v: number): MmsData => ({ type: "integer", value: v });

export function ctl(
  ctlVal: MmsData,
  ctlNum: number,
  orIdent: string,
  extra: Partial<ControlParameters> = {},
): ControlParameters {
  return {
    ctlVal,
    origin: { orCat: "remote-control", orIdent },
    ctlNum,
    t: T0,
    test: false,
    check: { synchrocheck: false, interlockCheck: false },
    ...extra,
  };
}

export const ref = (r: string, fc: FunctionalConstraint): DataReference => ({ ref: r, fc });
export const readReq = (r: string, fc: FunctionalConstraint): ServiceRequest => ({
  service: "read",
  items: [ref(r, fc)],
});
export const writeReq = (
  r: string,
  value: MmsData,
  fc: FunctionalConstraint = "SP",
): ServiceRequest => ({
  service: "write",
  items: [{ ref: ref(r, fc), value }],
});

/** Runs requests in order, returning the last result (the model threaded through). */
export function run(
  model: DerState,
  steps: readonly { request: ServiceRequest; caller: string; at: number }[],
): ServeResult {
  let result: ServeResult | undefined;
  let m = model;
  for (const s of steps) {
    result = serve(m, s.request, s.at, s.caller);
    m = result.model;
  }
  return result!;
}

/** Select-with-value then operate; both responses must be positive or the operate's cause is returned. */
export function sbow(
  model: DerState,
  control: string,
  p: ControlParameters,
  caller: string,
  at: number,
): ServeResult {
  const selected = serve(model, { service: "select-with-value", control, params: p }, at, caller);
  const r = selected.response as { addCause?: string };
  if (r.addCause) return selected;
  return serve(selected.model, { service: "operate", control, params: p }, at, caller);
}

/** The single value a one-item read gives (throws on an error result). */
export function readValue(
  model: DerState,
  r: string,
  fc: FunctionalConstraint,
  at: number,
): MmsData {
  const res = serve(model, readReq(r, fc), at, DNO).response as unknown as {
    results: (MmsData | string)[];
  };
  const v = res.results[0];
  if (typeof v === "string") throw new Error(`read ${r} ${fc}: ${v}`);
  return v;
}

/** Output in W as TotW.mag.f reads at `at` (the model advanced there). */
export function totW(model: DerState, at: number): number {
  return (readValue(model, "DER1/MMXU1.TotW.mag.f", "MX", at) as { value: number }).value;
}
