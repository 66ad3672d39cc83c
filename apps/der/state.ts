/**
 * The state of one DER: plain readonly data (no functions, no classes), so it
 * can be snapshotted, compared and replayed. The data tree (data_tree.ts)
 * reads and writes it; the simulator (simulator.ts) moves it through time;
 * the control logic (controls.ts) changes it on command.
 *
 * @module
 */
import type { DerConfig } from "./config.ts";
import { quality, type Scalar } from "./values.ts";

/** LLN0.Mod / Beh values (IEC 61850-7-4 behaviour modes). */
export const MODE = { on: 1, onBlocked: 2, test: 3, testBlocked: 4, off: 5 } as const;
export type ModeValue = 1 | 2 | 3 | 4 | 5;

/** Which directive decides the active-power target (DRCC1.WCtlSrc, PD-161). */
export const SOURCE = { default: 0, schedule: 1, setPoint: 2 } as const;
export type SourceValue = 0 | 1 | 2;

/** A deadbanded measurement: the reported magnitude, its quality and time. */
export interface Measured {
  readonly mag: number;
  readonly q: string;
  readonly t: number;
}

/**
 * An immediate-control function (the active-power limit or the set-point),
 * 90-7 style: a value in % of WRtg, an enable, who set it with which priority,
 * when it reverts, and a value waiting for its randomised window to open.
 */
export interface FunctionSlot {
  readonly enabled: boolean;
  readonly value: number;
  readonly pending?: { readonly value: number; readonly at: number };
  readonly priority: number;
  readonly holder: string;
  readonly revertAt?: number;
  readonly ctlNum: number;
  readonly valueT: number;
  readonly enableCtlNum: number;
  readonly enableT: number;
}

export interface ScheduleEntry {
  /** Start, ms since the epoch. */
  readonly start: number;
  readonly durationS: number;
  /** Active-power set-point, % of WRtg (negative: charge a battery). */
  readonly valuePct: number;
}

/** One FSCH-style schedule. */
export interface Schedule {
  readonly enabled: boolean;
  readonly priority: number;
  /** Entries in use, from the front of `entries`. */
  readonly count: number;
  readonly entries: readonly ScheduleEntry[];
}

/** A select-with-value waiting for its operate (when the model tracks selection). */
export interface Selection {
  readonly control: string;
  readonly caller: string;
  readonly ctlNum: number;
  /** valueKey of ctlVal, and the origin and test flag, which operate must repeat. */
  readonly ctlValKey: string;
  readonly originKey: string;
  readonly test: boolean;
  readonly until: number;
}

export interface RcbState {
  readonly sqNum: number;
  /** Next integrity report time; Infinity when the block has no integrity period. */
  readonly nextIntegrity: number;
  /**
   * What each data set member's leaves held when last reported, member
   * after member (data set order), each member's leaves in model order.
   */
  readonly last: readonly Scalar[];
}

export interface DerState {
  readonly config: DerConfig;
  /** Virtual time the state describes, ms since the epoch. */
  readonly now: number;
  readonly mod: ModeValue;
  readonly modT: number;
  readonly modCtlNum: number;
  /** Seconds (90-7 style): limit ramp, limit window, limit revert, set-point revert; 0 = none. */
  readonly settings: {
    readonly limitRampS: number;
    readonly limitWindowS: number;
    readonly limitRevertS: number;
    readonly setRevertS: number;
  };
  readonly limit: FunctionSlot;
  readonly setPoint: FunctionSlot;
  readonly schedules: readonly Schedule[];
  readonly source: { readonly kind: SourceValue; readonly schedule: number; readonly t: number };
  /** W: the ramped command level, the output, what the resource could give; battery SoC 0..1. */
  readonly power: {
    readonly rampedW: number;
    readonly outputW: number;
    readonly availW: number;
    readonly soc: number;
  };
  readonly meas: {
    readonly totW: Measured;
    readonly hz: Measured;
    readonly phV: readonly [Measured, Measured, Measured];
    readonly wAvl: Measured;
  };
  readonly selections: readonly Selection[];
  readonly rcbs: { readonly Meas: RcbState; readonly Ctl: RcbState };
}

/** True while a function acts: enabled and not yet reverted at `t`. */
export const slotActive = (s: FunctionSlot, t: number): boolean =>
  s.enabled && (s.revertAt === undefined || t < s.revertAt);

/** Quality validity and test flag that the behaviour gives every value of the LD. */
export function behaviourQuality(mod: ModeValue): { validity: "good" | "invalid"; test: boolean } {
  return { validity: mod === MODE.off ? "invalid" : "good", test: mod === 3 || mod === 4 };
}

const MODE_QUALITY = new Map<number, string>();

/** The quality bits {@link behaviourQuality} gives, one shared string per mode (read at every step). */
export function modeQuality(mod: ModeValue): string {
  let q = MODE_QUALITY.get(mod);
  if (q === undefined) {
    const b = behaviourQuality(mod);
    MODE_QUALITY.set(mod, q = quality(b.validity, b.test));
  }
  return q;
}

/** The priority a caller holds at this DER, or undefined for a caller with no role. */
export function callerPriority(s: DerState, caller: string): number | undefined {
  return Object.hasOwn(s.config.priorities, caller) ? s.config.priorities[caller] : undefined;
}
