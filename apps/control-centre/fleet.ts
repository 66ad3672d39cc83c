/**
 * The control centre's view of its DERs, built from their reports: per DER
 * the latest output, available power, limit and set-point state; for the
 * fleet the totals a VPP is operated on (paper §I: many DERs controlled like
 * one plant). Reports are matched by their report ID (`LD/LLN0.Meas|Ctl`,
 * PD-164); a gap in a block's sequence numbers is counted, not hidden.
 *
 * @module
 */
import type { MmsData, Report } from "../../state-machines/association/services.ts";

export interface DerView {
  readonly ld: string;
  readonly totW?: number;
  readonly availW?: number;
  readonly hz?: number;
  /** Measurement quality validity is good (false after a report with invalid quality). */
  readonly valid: boolean;
  readonly beh?: number;
  readonly limitEnabled?: boolean;
  readonly limitPct?: number;
  readonly setPointEnabled?: boolean;
  readonly setPointPct?: number;
  /** DRCC1.WCtlSrc: 0 default, 1 schedule, 2 set-point command. */
  readonly source?: number;
  readonly lastReport: number;
  /** Next expected SqNum per report ID, and how many reports were missed. */
  readonly expected: Readonly<Record<string, number>>;
  readonly missed: number;
}

export interface Fleet {
  readonly ders: Readonly<Record<string, DerView>>;
}

export interface FleetTotals {
  readonly ders: number;
  readonly totW: number;
  readonly availW: number;
  /** Available power not fed in by DERs whose limit is enabled, W. */
  readonly curtailedW: number;
  readonly limited: number;
  readonly onSetPoint: number;
  readonly invalid: number;
  /** DERs with no report in the last `staleMs`. */
  readonly stale: number;
  readonly missedReports: number;
}

export const emptyFleet: Fleet = { ders: {} };

/** Walks a structure by member indices; undefined when the shape differs. */
function at(v: MmsData | undefined, ...path: number[]): MmsData | undefined {
  let cur = v;
  for (const i of path) cur = cur?.type === "structure" ? cur.members[i] : undefined;
  return cur;
}
const numberAt = (v: MmsData | undefined, ...path: number[]) => {
  const x = at(v, ...path);
  return x && (x.type === "float" || x.type === "integer") ? x.value : undefined;
};
const boolAt = (v: MmsData | undefined, ...path: number[]) => {
  const x = at(v, ...path);
  return x?.type === "boolean" ? x.value : undefined;
};

/** Folds one report into the fleet view. */
// spec: PAPER-VPP1 ACSI-RPT3
export function applyReport(fleet: Fleet, report: Report): Fleet {
  const slash = report.rptId.indexOf("/");
  if (slash <= 0) return fleet;
  const ld = report.rptId.slice(0, slash);
  const old: DerView = fleet.ders[ld] ??
    { ld, valid: true, lastReport: 0, expected: {}, missed: 0 };
  const expected = old.expected[report.rptId];
  const missed = old.missed +
    (expected === undefined ? 0 : (report.sqNum - expected + 65536) % 65536);
  let view: DerView = {
    ...old,
    lastReport: Math.max(old.lastReport, report.time),
    expected: { ...old.expected, [report.rptId]: (report.sqNum + 1) % 65536 },
    missed,
  };
  for (const { ref, value } of report.entries) {
    const name = ref.ref.slice(ref.ref.indexOf("/") + 1);
    switch (name) {
      case "MMXU1.TotW": {
        const q = at(value, 1);
        view = {
          ...view,
          totW: numberAt(value, 0, 0) ?? view.totW,
          valid: q?.type === "bit-string" ? q.value.startsWith("00") : view.valid,
        };
        break;
      }
      case "MMXU1.Hz":
        view = { ...view, hz: numberAt(value, 0, 0) ?? view.hz };
        break;
      case "ZINV1.WAvl":
        view = { ...view, availW: numberAt(value, 0, 0) ?? view.availW };
        break;
      case "LLN0.Beh":
        view = { ...view, beh: numberAt(value, 0) ?? view.beh };
        break;
      case "DRCC1.WMaxLimPct":
        view = { ...view, limitPct: numberAt(value, 0, 0) ?? view.limitPct };
        break;
      case "DRCC1.WMaxLimEna":
        view = { ...view, limitEnabled: boolAt(value, 0) ?? view.limitEnabled };
        break;
      case "DRCC1.WSetPct":
        view = { ...view, setPointPct: numberAt(value, 0, 0) ?? view.setPointPct };
        break;
      case "DRCC1.WSetEna":
        view = { ...view, setPointEnabled: boolAt(value, 0) ?? view.setPointEnabled };
        break;
      case "DRCC1.WCtlSrc":
        view = { ...view, source: numberAt(value, 0) ?? view.source };
        break;
    }
  }
  return { ders: { ...fleet.ders, [ld]: view } };
}

/** Totals over the fleet at `now`. */
// spec: PAPER-VPP1
export function fleetTotals(fleet: Fleet, now: number, staleMs: number): FleetTotals {
  let totW = 0, availW = 0, curtailedW = 0, limited = 0, onSetPoint = 0, invalid = 0, stale = 0;
  let missedReports = 0;
  const views = Object.values(fleet.ders);
  for (const d of views) {
    totW += d.totW ?? 0;
    availW += d.availW ?? 0;
    if (d.limitEnabled) {
      limited++;
      curtailedW += Math.max(0, (d.availW ?? 0) - (d.totW ?? 0));
    }
    if (d.setPointEnabled) onSetPoint++;
    if (!d.valid) invalid++;
    if (now - d.lastReport > staleMs) stale++;
    missedReports += d.missed;
  }
  return {
    ders: views.length,
    totW,
    availW,
    curtailedW,
    limited,
    onSetPoint,
    invalid,
    stale,
    missedReports,
  };
}

/** What DER management groups by (paper §I): size, place in the topology, type. */
export interface DerProfile {
  readonly ld: string;
  readonly ratedW: number;
  readonly feeder: string;
  readonly kind: string;
}

/** The members of a group: the DERs matching every criterion given. */
// spec: PAPER-TL4
export function groupMembers(
  ders: readonly DerProfile[],
  where: { readonly minRatedW?: number; readonly feeder?: string; readonly kind?: string },
): string[] {
  return ders
    .filter((d) =>
      (where.minRatedW === undefined || d.ratedW >= where.minRatedW) &&
      (where.feeder === undefined || d.feeder === where.feeder) &&
      (where.kind === undefined || d.kind === where.kind)
    )
    .map((d) => d.ld)
    .sort();
}
