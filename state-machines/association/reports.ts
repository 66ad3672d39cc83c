/**
 * Report sequence numbers (PD-148). SqNum counts 0..65535 and wraps; the
 * receiver remembers the last one accepted per report id. The next report
 * must carry last+1 (mod 2^16). A forward step of 2..32767 is a gap: the
 * report is delivered and the gap surfaced; a step of 0 repeats the last
 * report and one of 32768 or more lies behind it — both are refused. The
 * first report of a report id starts the count wherever it is.
 *
 * @module
 */

export const SQ_MODULUS = 0x1_0000;
const HALF = SQ_MODULUS / 2;
/** Report ids remembered per association; the oldest is forgotten beyond this. */
export const MAX_TRACKED_REPORTS = 256;

export type SqVerdict =
  | { readonly kind: "first" | "next" }
  | { readonly kind: "gap"; readonly expected: number; readonly missing: number }
  | { readonly kind: "duplicate" | "stale"; readonly last: number };

// spec: PD-148 IEC61850-SQNUM
export function judgeSqNum(last: number | undefined, sq: number): SqVerdict {
  if (last === undefined) return { kind: "first" };
  const step = (sq - last + SQ_MODULUS) % SQ_MODULUS;
  if (step === 1) return { kind: "next" };
  if (step === 0) return { kind: "duplicate", last };
  if (step >= HALF) return { kind: "stale", last };
  return { kind: "gap", expected: (last + 1) % SQ_MODULUS, missing: step - 1 };
}

/** Record keys are prefixed so a report id such as `__proto__` stays an ordinary key. */
const key = (rptId: string) => `=${rptId}`;

/** The tracker after accepting `sq` for `rptId` (bounded, oldest id forgotten first). */
export function remember(
  seen: Readonly<Record<string, number>>,
  rptId: string,
  sq: number,
): Readonly<Record<string, number>> {
  const next: Record<string, number> = { ...seen };
  if (!Object.hasOwn(next, key(rptId))) {
    const keys = Object.keys(next);
    if (keys.length >= MAX_TRACKED_REPORTS) delete next[keys[0]];
  }
  next[key(rptId)] = sq;
  return next;
}

/** The last accepted SqNum of a report id. */
export const lastSq = (seen: Readonly<Record<string, number>>, rptId: string) =>
  Object.hasOwn(seen, key(rptId)) ? seen[key(rptId)] : undefined;
