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
import { locate, type Located, readShape } from "./access.ts";
import type { DataTree, Leaf, TreeSchema } from "./data_tree.ts";
import type { DerState, RcbState } from "./state.ts";
import { sameScalar, type Scalar } from "./values.ts";

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

/**
 * A block's data set as located once: its members, and the leaves of all
 * members in one row (member `i` owns `leaves[starts[i]]` up to
 * `leaves[starts[i + 1]]`), which is how the block's `last` is laid out.
 */
interface DataSet {
  readonly members: readonly Located[];
  readonly leaves: readonly Leaf[];
  readonly starts: readonly number[];
}

function locateSet(tree: DataTree, rcb: RcbName): DataSet {
  const members = datasetRefs(tree.ld, rcb).map((ref) => locate(tree, ref));
  const leaves: Leaf[] = [], starts = [0];
  for (const m of members) {
    if (typeof m !== "string") leaves.push(...m.leaves);
    starts.push(leaves.length);
  }
  return { members, leaves, starts };
}

/** Per shared table: each block's data set (the same for every DER of the shape). */
const datasets = new WeakMap<TreeSchema, Readonly<Record<RcbName, DataSet>>>();

function dataset(tree: DataTree, rcb: RcbName): DataSet {
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

const snapshot = (s: DerState, set: DataSet): Scalar[] => set.leaves.map((l) => l.get(s));

/**
 * The members whose value differs from `last` (as their valueKey would
 * differ: sameScalar), all of them when `last` is not laid out for this set.
 */
function changedMembers(s: DerState, set: DataSet, last: readonly Scalar[]): number[] {
  const changed: number[] = [];
  const { leaves, starts } = set, fresh = last.length !== leaves.length;
  for (let i = 0; i < set.members.length; i++) {
    if (fresh) {
      changed.push(i);
      continue;
    }
    for (let j = starts[i]; j < starts[i + 1]; j++) {
      const leaf = leaves[j];
      if (!sameScalar(leaf.type.kind, leaf.get(s), last[j])) {
        changed.push(i);
        break;
      }
    }
  }
  return changed;
}

const firstIntegrity = (start: number, period: number) =>
  period > 0 ? (Math.floor(start / period) + 1) * period : Infinity;

/** Blocks at start: nothing reported yet, the current values as the baseline. */
export function initialRcbs(tree: DataTree, s: DerState): DerState["rcbs"] {
  const init = (rcb: RcbName): RcbState => ({
    sqNum: 0,
    nextIntegrity: firstIntegrity(s.now, s.config.reports[rcb].integrityMs),
    last: snapshot(s, dataset(tree, rcb)),
  });
  return { Meas: init("Meas"), Ctl: init("Ctl") };
}

/**
 * Reports due at `s.now` (changes since the last report, integrity period),
 * and the new state. Members are compared leaf by leaf on the raw values;
 * values are built only for what a report carries, and a block with nothing
 * new is kept as it was.
 */
// spec: ACSI-RPT1 ACSI-RPT2 ACSI-RPT3 PD-164
export function emitReports(tree: DataTree, s: DerState): { state: DerState; reports: Report[] } {
  const reports: Report[] = [];
  let rcbs: { Meas: RcbState; Ctl: RcbState } | undefined;
  for (const rcb of RCB_NAMES) {
    const cfg = s.config.reports[rcb];
    const block = s.rcbs[rcb];
    const set = dataset(tree, rcb);
    const integrity = s.now >= block.nextIntegrity;
    const changed = changedMembers(s, set, block.last);
    if (!integrity && changed.length === 0) continue;
    const members = integrity ? set.members.map((_, i) => i) : changed;
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
        entries: members.map((i) => ({ ref: refs[i], value: memberValue(s, set.members[i]) })),
      });
      sqNum = (sqNum + 1) % 65536;
    }
    rcbs ??= { ...s.rcbs };
    rcbs[rcb] = { sqNum, nextIntegrity, last: snapshot(s, set) };
  }
  return { state: rcbs ? { ...s, rcbs } : s, reports };
}

/** The earliest integrity report due after `t` (Infinity if none). */
export function nextIntegrity(s: DerState): number {
  return Math.min(s.rcbs.Meas.nextIntegrity, s.rcbs.Ctl.nextIntegrity);
}
