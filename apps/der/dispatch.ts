/**
 * Who decides the active-power target, and what it is (PD-161). Directives
 * are the immediate set-point (DRCC1.WSetPct with WSetEna) and the active
 * entries of the schedules; each carries a priority (the commanding caller's,
 * or the schedule's SchdPrio). The highest priority wins; on a tie the
 * immediate command wins over a schedule, and a lower-numbered schedule over a
 * higher one. The active-power limit (WMaxLimPct with WMaxLimEna) caps the
 * target when its priority is at least the winner's. With no directive a PV
 * unit follows its maximum power point and a battery idles. Behaviour "off"
 * stops the unit.
 *
 * @module
 */
import { activeEntry } from "./schedules.ts";
import { type DerState, MODE, slotActive, SOURCE, type SourceValue } from "./state.ts";

export interface Resolution {
  readonly source: SourceValue;
  /** 1-based schedule number when a schedule decides, else 0. */
  readonly schedule: number;
  /** Target output, W (negative: charging). */
  readonly targetW: number;
  /** The cap the limit sets, W, when it applies. */
  readonly limitW?: number;
}

interface Winner {
  readonly source: SourceValue;
  readonly schedule: number;
  readonly priority: number;
  readonly valuePct: number;
}

/** The directive in force at `t` and the target it gives. */
// spec: PAPER-TL2 DER-SCHD2 PD-161
export function resolve(s: DerState, t: number): Resolution {
  const rated = s.config.ratedW;
  if (s.mod === MODE.off) return { source: SOURCE.default, schedule: 0, targetW: 0 };
  let winner: Winner | undefined;
  if (slotActive(s.setPoint, t)) {
    winner = {
      source: SOURCE.setPoint,
      schedule: 0,
      priority: s.setPoint.priority,
      valuePct: s.setPoint.value,
    };
  }
  s.schedules.forEach((schedule, i) => {
    const entry = activeEntry(schedule, t);
    if (entry && (!winner || schedule.priority > winner.priority)) {
      winner = {
        source: SOURCE.schedule,
        schedule: i + 1,
        priority: schedule.priority,
        valuePct: entry.valuePct,
      };
    }
  });
  const floor = s.config.kind === "pv" ? 0 : -rated;
  const base = winner ? (winner.valuePct / 100) * rated : s.config.kind === "pv" ? rated : 0;
  // spec: DER-WMAX1
  const limitApplies = slotActive(s.limit, t) && (!winner || s.limit.priority >= winner.priority);
  const limitW = limitApplies ? (s.limit.value / 100) * rated : undefined;
  const ceiling = Math.min(rated, limitW ?? rated);
  return {
    source: winner?.source ?? SOURCE.default,
    schedule: winner?.schedule ?? 0,
    targetW: Math.min(ceiling, Math.max(floor, base)),
    ...(limitW !== undefined ? { limitW } : {}),
  };
}
