/**
 * Report generation (PD-164): two report control blocks per DER, fixed at
 * engineering time. `Meas` carries the measurements (TotW, Hz, PhV, WAvl)
 * and `Ctl` the state of control (Beh, limit, set-point, who decides). A
 * data-change report carries the members whose value (magnitude, quality or
 * time) changed since they were last reported — the deadband decides when a
 * measurement's magnitude changes; an integrity report carries every member
 * and is due at each multiple of the integrity period. Reports are numbered
 * per block, SqNum wrapping at 65536.
 *
 * @module
 */
import type {
  DataReference,
  FunctionalConstraint,
  MmsData,
  Report,
} from "../../state-machines/association/services.ts";
import { keyOfShape, locate, type Located, readShape } from "./access.ts";
import type { DataTree, TreeSchema } from "./data_tree.ts";
import type { DerState, RcbState } from "./state.ts";
import { valueKey } from "./values.ts";

export type RcbName = "Meas" | "Ctl";
export const RCB_NAMES: readonly RcbName[] = ["Meas", "Ctl"];

const DATASETS: Readonly<Record<RcbName, readonly (readonly [string, FunctionalConstraint])[]>> = {
  Meas: [["MMXU1.TotW", "MX"], ["MMXU1.Hz", "MX"], ["MMXU1.PhV", "MX"], ["ZINV1.WAvl", "MX"]],
  Ctl: [
    ["LLN0.Beh", "ST"],
    ["DRCC1.WMaxLimPct", "MX"],
    ["DRCC1.WMaxLimEna", "ST"],
    ["DRCC1.WSetPct", "MX"],
    ["DRCC1.WSetEna", "ST"],
    ["DRCC1.WCtlSrc", "ST"],
  ],
};

/** The report ID of a block of logical device `ld`. */
export const rptId = (ld: string, rcb: RcbName): string => `${ld}/LLN0.${rcb}`;

/** The data set members of a block, as references. */
export function datasetRefs(ld: string, rcb: RcbName): DataReference[] {
  return DATASETS[rcb].map(([name, fc]) => ({ ref: `${ld}/${name}`, fc }));
}

/** Per shared table: each block's data set members, located once (the same for every DER of the shape). */
const datasets = new WeakMap<TreeSchema, Readonly<Record<RcbName, readonly Located[]>>>();

function locateSet(tree: DataTree, rcb: RcbName): Located[] {
  return datasetRefs(tree.ld, rcb).map((ref) => locate(tree, ref));
}

function dataset(tree: DataTree, rcb: RcbName): readonly Located[] {
  // An LD name no reference can carry: worked out each time (each member then names nothing).
  if (!tree.plainLd) return locateSet(tree, rcb);
  let sets = datasets.get(tree.schema);
  if (!sets) {
    sets = { Meas: locateSet(tree, "Meas"), Ctl: locateSet(tree, "Ctl") };
    datasets.set(tree.schema, sets);
  }
  return sets[rcb];
}

/** What a member reads as (a member that names nothing reads as its error, as readItem gives it). */
const memberValue = (s: DerState, m: Located): MmsData =>
  typeof m === "string" ? m as unknown as MmsData : readShape(s, m.shape);

/** valueKey of {@link memberValue}, without building the value. */
const memberKey = (s: DerState, m: Located): string =>
  typeof m === "string" ? valueKey(m as unknown as MmsData) : keyOfShape(s, m.shape);

const firstIntegrity = (start: number, period: number) =>
  period > 0 ? (Math.floor(start / period) + 1) * period : Infinity;

/** Blocks at start: nothing reported yet, the current values as the baseline. */
export function initialRcbs(tree: DataTree, s: DerState): DerState["rcbs"] {
  const init = (rcb: RcbName): RcbState => ({
    sqNum: 0,
    nextIntegrity: firstIntegrity(s.now, s.config.reports[rcb].integrityMs),
    last: dataset(tree, rcb).map((m) => memberKey(s, m)),
  });
  return { Meas: init("Meas"), Ctl: init("Ctl") };
}

/**
 * Reports due at `s.now` (changes since the last report, integrity period),
 * and the new state. Members are compared by key; values are built only for
 * what a report carries, and a block with nothing new is kept as it was.
 */
// spec: ACSI-RPT1 ACSI-RPT2 ACSI-RPT3 PD-164
export function emitReports(tree: DataTree, s: DerState): { state: DerState; reports: Report[] } {
  const reports: Report[] = [];
  let rcbs: { Meas: RcbState; Ctl: RcbState } | undefined;
  for (const rcb of RCB_NAMES) {
    const cfg = s.config.reports[rcb];
    const block = s.rcbs[rcb];
    const set = dataset(tree, rcb);
    const keys = set.map((m) => memberKey(s, m));
    const integrity = s.now >= block.nextIntegrity;
    const changed = keys.flatMap((k, i) => (k !== block.last[i] ? [i] : []));
    if (!integrity && changed.length === 0 && block.last.length === keys.length) continue;
    const members = integrity ? keys.map((_, i) => i) : changed;
    let { sqNum, nextIntegrity } = block;
    if (integrity) {
      const period = cfg.integrityMs;
      nextIntegrity = (Math.floor(s.now / period) + 1) * period;
    }
    if (cfg.enabled && members.length > 0) {
      const refs = datasetRefs(tree.ld, rcb);
      reports.push({
        rptId: rptId(tree.ld, rcb),
        sqNum,
        time: s.now,
        entries: members.map((i) => ({ ref: refs[i], value: memberValue(s, set[i]) })),
      });
      sqNum = (sqNum + 1) % 65536;
    }
    rcbs ??= { ...s.rcbs };
    rcbs[rcb] = { sqNum, nextIntegrity, last: keys };
  }
  return { state: rcbs ? { ...s, rcbs } : s, reports };
}

/** The earliest integrity report due after `t` (Infinity if none). */
export function nextIntegrity(s: DerState): number {
  return Math.min(s.rcbs.Meas.nextIntegrity, s.rcbs.Ctl.nextIntegrity);
}
