/**
 * The DER simulator: moves a DerState through virtual time (PD-163). Time
 * advances in sub-steps of at most `stepMs`, cut at every event (a limit's
 * window opening, a revert timeout, a schedule boundary, an integrity
 * period), so results do not depend on how the caller slices time. In each
 * sub-step the command level ramps toward the target the directives give
 * (dispatch.ts) at WRtg / WMaxLimPctRmpTms per second; the output is that
 * level bounded by what the resource can give (PV: rating × DC ratio ×
 * irradiance, capped at the rating; battery: its charge); the measurements
 * follow with their deadbands, and reports fall out of the changes.
 *
 * @module
 */
import type { Report } from "../../state-machines/association/services.ts";
import type { DerConfig } from "./config.ts";
import { dataTree } from "./data_tree.ts";
import { resolve } from "./dispatch.ts";
import { emitReports, initialRcbs, nextIntegrity } from "./reports.ts";
import { emptySchedule, nextBoundary } from "./schedules.ts";
import { type DerState, type FunctionSlot, type Measured, MODE, modeQuality } from "./state.ts";
import { frequency, irradiance, phaseVoltage } from "./weather.ts";

const idleSlot = (value: number, t: number): FunctionSlot => ({
  enabled: false,
  value,
  priority: 0,
  holder: "",
  ctlNum: 0,
  valueT: t,
  enableCtlNum: 0,
  enableT: t,
});

/** What the resource could give at `t`, W (for a battery: whether it has charge). */
export function availableW(c: DerConfig, soc: number, t: number): number {
  if (c.kind === "battery") return soc > 0 ? c.ratedW : 0;
  return Math.min(c.ratedW, c.ratedW * c.dcRatio * irradiance(c.weather, t));
}

/** The output a command level gives, W, bounded by the resource. */
function outputFor(c: DerConfig, rampedW: number, availW: number, soc: number): number {
  if (c.kind === "pv") return Math.max(0, Math.min(rampedW, availW));
  if (rampedW >= 0) return soc > 0 ? Math.min(rampedW, availW) : 0;
  return soc < 1 ? rampedW : 0;
}

function follow(m: Measured, inst: number, deadband: number, q: string, t: number): Measured {
  const mag = Math.fround(inst);
  const moved = Number.isNaN(m.mag) ||
    (deadband > 0 ? Math.abs(mag - m.mag) > deadband : mag !== m.mag);
  if (!moved && q === m.q) return m;
  return { mag: moved ? mag : m.mag, q, t };
}

/**
 * Updates the measurements (values and quality) to the state's time, power
 * and behaviour; the same state when none moves (through its deadband).
 */
export function measure(s: DerState): DerState {
  const c = s.config, t = s.now, db = c.deadband, m = s.meas;
  const q = modeQuality(s.mod);
  const fraction = s.power.outputW / c.ratedW;
  const v = (i: number) => phaseVoltage(c.grid, c.weather.seed, i, t, fraction);
  const totW = follow(m.totW, s.power.outputW, db.w, q, t);
  const hz = follow(m.hz, frequency(c.grid, c.weather.seed, t), db.hz, q, t);
  const a = follow(m.phV[0], v(0), db.v, q, t);
  const b = follow(m.phV[1], v(1), db.v, q, t);
  const cc = follow(m.phV[2], v(2), db.v, q, t);
  const wAvl = follow(m.wAvl, s.power.availW, db.w, q, t);
  const samePhV = a === m.phV[0] && b === m.phV[1] && cc === m.phV[2];
  if (samePhV && totW === m.totW && hz === m.hz && wAvl === m.wAvl) return s;
  return { ...s, meas: { totW, hz, phV: samePhV ? m.phV : [a, b, cc], wAvl } };
}

/** Opens due windows and applies due revert timeouts at `t`. */
// spec: DER-WMAX2 PD-163
function timers(s: DerState, t: number): DerState {
  const tick = (slot: FunctionSlot): FunctionSlot => {
    let next = slot;
    if (next.pending && next.pending.at <= t) {
      const { pending, ...rest } = next;
      next = { ...rest, value: pending.value, valueT: pending.at };
    }
    if (next.enabled && next.revertAt !== undefined && next.revertAt <= t) {
      const { revertAt, ...rest } = next;
      next = { ...rest, enabled: false, enableT: revertAt };
    }
    return next;
  };
  const limit = tick(s.limit), setPoint = tick(s.setPoint);
  return limit === s.limit && setPoint === s.setPoint ? s : { ...s, limit, setPoint };
}

/** The first event after `t` that changes what the DER does. */
function nextEvent(s: DerState, t: number): number {
  let next = nextIntegrity(s);
  for (const slot of [s.limit, s.setPoint]) {
    if (slot.pending && slot.pending.at > t) next = Math.min(next, slot.pending.at);
    if (slot.enabled && slot.revertAt !== undefined && slot.revertAt > t) {
      next = Math.min(next, slot.revertAt);
    }
  }
  for (const schedule of s.schedules) next = Math.min(next, nextBoundary(schedule, t));
  return next;
}

/** Records who decides at the state's time (DRCC1.WCtlSrc). */
export function settleSource(s: DerState): DerState {
  const r = resolve(s, s.now);
  if (r.source === s.source.kind && r.schedule === s.source.schedule) return s;
  return { ...s, source: { kind: r.source, schedule: r.schedule, t: s.now } };
}

function substep(s: DerState, t1: number): DerState {
  const c = s.config;
  const dt = (t1 - s.now) / 1000;
  const target = resolve(s, s.now).targetW;
  const rampS = s.settings.limitRampS;
  const maxStep = rampS > 0 ? (c.ratedW / rampS) * dt : Infinity;
  // spec: DER-WMAX1 PD-163
  const rampedW = s.power.rampedW + Math.max(-maxStep, Math.min(maxStep, target - s.power.rampedW));
  const moved = timers({ ...s, now: t1 }, t1);
  const availW = availableW(c, moved.power.soc, t1);
  const outputW = outputFor(c, rampedW, availW, moved.power.soc);
  const soc = c.kind === "battery"
    ? Math.max(0, Math.min(1, moved.power.soc - (outputW * dt) / 3600 / c.capacityWh))
    : moved.power.soc;
  return measure(settleSource({ ...moved, power: { rampedW, outputW, availW, soc } }));
}

/** A DER at time `now`: mode on, functions idle, schedules empty, measuring. */
export function initDer(c: DerConfig, now: number): DerState {
  const availW = availableW(c, c.initialSoc, now);
  const rampedW = c.kind === "pv" ? c.ratedW : 0;
  const zero: Measured = { mag: NaN, q: "", t: now };
  const draft: DerState = {
    config: c,
    now,
    mod: MODE.on,
    modT: now,
    modCtlNum: 0,
    settings: { limitRampS: 10, limitWindowS: 0, limitRevertS: 0, setRevertS: 0 },
    limit: idleSlot(100, now),
    setPoint: idleSlot(0, now),
    schedules: Array.from({ length: c.schedules }, () => emptySchedule(c.entriesPerSchedule)),
    source: { kind: 0, schedule: 0, t: now },
    power: {
      rampedW,
      outputW: outputFor(c, rampedW, availW, c.initialSoc),
      availW,
      soc: c.initialSoc,
    },
    meas: { totW: zero, hz: zero, phV: [zero, zero, zero], wAvl: zero },
    selections: [],
    rcbs: {
      Meas: { sqNum: 0, nextIntegrity: Infinity, last: [] },
      Ctl: { sqNum: 0, nextIntegrity: Infinity, last: [] },
    },
  };
  const measured = measure(draft);
  return { ...measured, rcbs: initialRcbs(dataTree(c), measured) };
}

/** Moves the DER to `now` (no-op for a time not after the state's), collecting reports. */
// spec: DL-DER-1
export function advance(s: DerState, now: number): { state: DerState; reports: Report[] } {
  const tree = dataTree(s.config);
  const reports: Report[] = [];
  let state = s;
  while (state.now < now) {
    const t1 = Math.min(now, state.now + state.config.stepMs, nextEvent(state, state.now));
    const stepped = emitReports(tree, substep(state, t1));
    state = stepped.state;
    reports.push(...stepped.reports);
  }
  return { state, reports };
}
