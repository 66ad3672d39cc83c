/**
 * FSCH-style schedules: up to `entriesPerSchedule` entries (start, duration,
 * value in % of WRtg) of which the first `count` are in use, an enable and a
 * priority. An entry is active from its start for its duration; when entries
 * overlap the first one in use wins (PD-161).
 *
 * @module
 */
import type { Schedule } from "./state.ts";

export interface ActiveEntry {
  /** 1-based entry number (FSCHn.ActEntr). */
  readonly index: number;
  readonly valuePct: number;
}

/** The entry a schedule follows at `t`, if it is enabled and one is due. */
// spec: DER-SCHD1
export function activeEntry(s: Schedule, t: number): ActiveEntry | undefined {
  if (!s.enabled) return undefined;
  for (let i = 0; i < s.count && i < s.entries.length; i++) {
    const e = s.entries[i];
    if (t >= e.start && t < e.start + e.durationS * 1000) {
      return { index: i + 1, valuePct: e.valuePct };
    }
  }
  return undefined;
}

/** The first entry start or end after `t` of an enabled schedule (Infinity if none). */
export function nextBoundary(s: Schedule, t: number): number {
  if (!s.enabled) return Infinity;
  let next = Infinity;
  for (let i = 0; i < s.count && i < s.entries.length; i++) {
    const e = s.entries[i];
    const end = e.start + e.durationS * 1000;
    if (e.start > t && e.start < next) next = e.start;
    if (end > t && end < next) next = end;
  }
  return next;
}

/** An empty, disabled schedule with `size` zeroed entries. */
export const emptySchedule = (size: number): Schedule => ({
  enabled: false,
  priority: 0,
  count: 0,
  entries: Array.from({ length: size }, () => ({ start: 0, durationS: 0, valuePct: 0 })),
});
