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
import { readItem } from "./access.ts";
import type { DataTree } from "./data_tree.ts";
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

function values(tree: DataTree, s: DerState, rcb: RcbName): MmsData[] {
  return datasetRefs(tree.ld, rcb).map((ref) => readItem(tree, s, ref) as MmsData);
}

const firstIntegrity = (start: number, period: number) =>
  period > 0 ? (Math.floor(start / period) + 1) * period : Infinity;

/** Blocks at start: nothing reported yet, the current values as the baseline. */
export function initialRcbs(tree: DataTree, s: DerState): DerState["rcbs"] {
  const init = (rcb: RcbName): RcbState => ({
    sqNum: 0,
    nextIntegrity: firstIntegrity(s.now, s.config.reports[rcb].integrityMs),
    last: values(tree, s, rcb).map(valueKey),
  });
  return { Meas: init("Meas"), Ctl: init("Ctl") };
}

/** Reports due at `s.now` (changes since the last report, integrity period), and the new state. */
// spec: ACSI-RPT1 ACSI-RPT2 ACSI-RPT3 PD-164
export function emitReports(tree: DataTree, s: DerState): { state: DerState; reports: Report[] } {
  const reports: Report[] = [];
  const rcbs = { ...s.rcbs };
  for (const rcb of RCB_NAMES) {
    const cfg = s.config.reports[rcb];
    const block = s.rcbs[rcb];
    const now = values(tree, s, rcb);
    const keys = now.map(valueKey);
    const integrity = s.now >= block.nextIntegrity;
    const changed = keys.flatMap((k, i) => (k !== block.last[i] ? [i] : []));
    const members = integrity ? keys.map((_, i) => i) : changed;
    const refs = datasetRefs(tree.ld, rcb);
    let { sqNum, nextIntegrity } = block;
    if (integrity) {
      const period = cfg.integrityMs;
      nextIntegrity = (Math.floor(s.now / period) + 1) * period;
    }
    if (cfg.enabled && members.length > 0) {
      reports.push({
        rptId: rptId(tree.ld, rcb),
        sqNum,
        time: s.now,
        entries: members.map((i) => ({ ref: refs[i], value: now[i] })),
      });
      sqNum = (sqNum + 1) % 65536;
    }
    rcbs[rcb] = { sqNum, nextIntegrity, last: keys };
  }
  return { state: { ...s, rcbs }, reports };
}

/** The earliest integrity report due after `t` (Infinity if none). */
export function nextIntegrity(s: DerState): number {
  return Math.min(s.rcbs.Meas.nextIntegrity, s.rcbs.Ctl.nextIntegrity);
}
