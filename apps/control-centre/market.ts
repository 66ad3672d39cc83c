/**
 * The market side of the green phase (paper §I, PAPER-TL1): a VPP or
 * aggregator turns a tariff into a DER schedule and writes it. A PV unit is
 * curtailed to zero while the price is negative and runs free otherwise; a
 * battery charges below a low price and discharges above a high one.
 * Consecutive periods with the same value merge into one schedule entry.
 *
 * @module
 */
import type { MmsData, ServiceRequest } from "../../state-machines/association/services.ts";

export interface TariffPeriod {
  /** Start, ms since the epoch. */
  readonly start: number;
  readonly durationS: number;
  /** Price per kWh, any currency. */
  readonly price: number;
}

export interface ScheduleEntrySpec {
  readonly start: number;
  readonly durationS: number;
  /** Active power, % of rated (negative: charge). */
  readonly valuePct: number;
}

export type TariffPolicy =
  | { readonly kind: "pv" }
  | { readonly kind: "battery"; readonly chargeBelow: number; readonly dischargeAbove: number };

function valueFor(policy: TariffPolicy, price: number): number {
  if (policy.kind === "pv") return price < 0 ? 0 : 100;
  if (price < policy.chargeBelow) return -100;
  return price > policy.dischargeAbove ? 100 : 0;
}

/** Schedule entries for a tariff, merged, at most `maxEntries` of them. */
// spec: PAPER-TL1
export function scheduleFromTariff(
  tariff: readonly TariffPeriod[],
  policy: TariffPolicy,
  maxEntries: number,
): ScheduleEntrySpec[] {
  const entries: ScheduleEntrySpec[] = [];
  for (const p of [...tariff].sort((a, b) => a.start - b.start)) {
    const valuePct = valueFor(policy, p.price);
    const last = entries.at(-1);
    if (last && last.valuePct === valuePct && last.start + last.durationS * 1000 === p.start) {
      entries[entries.length - 1] = { ...last, durationS: last.durationS + p.durationS };
    } else {
      entries.push({ start: p.start, durationS: p.durationS, valuePct });
    }
  }
  return entries.slice(0, maxEntries);
}

const f32 = (v: number): MmsData => ({ type: "float", value: Math.fround(v), width: 32 });

/**
 * The write that installs a schedule in FSCH`n` of DER `ld`: disabled while
 * its entries change, then priority, count, and enabled again.
 */
export function scheduleWrite(
  ld: string,
  n: number,
  entries: readonly ScheduleEntrySpec[],
  priority: number,
): ServiceRequest {
  const ref = (name: string) => ({ ref: `${ld}/FSCH${n}.${name}`, fc: "SP" as const });
  const items: { ref: ReturnType<typeof ref>; value: MmsData }[] = [
    { ref: ref("SchdEna.setVal"), value: { type: "boolean", value: false } },
  ];
  entries.forEach((e, i) => {
    items.push(
      { ref: ref(`StrTm${i + 1}.setTm`), value: { type: "utc-time", value: e.start } },
      { ref: ref(`Dur${i + 1}.setVal`), value: { type: "integer", value: e.durationS } },
      { ref: ref(`Val${i + 1}.setMag.f`), value: f32(e.valuePct) },
    );
  });
  items.push(
    { ref: ref("SchdPrio.setVal"), value: { type: "integer", value: priority } },
    { ref: ref("NumEntr.setVal"), value: { type: "integer", value: entries.length } },
    { ref: ref("SchdEna.setVal"), value: { type: "boolean", value: true } },
  );
  return { service: "write", items };
}
