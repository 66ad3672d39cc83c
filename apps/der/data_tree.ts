/**
 * The DER's ACSI data tree (PD-160): one logical device per DER holding
 * LLN0 (Mod, Beh, Health, NamPlt), ZINV1 (rating, available power), MMXU1
 * (TotW, Hz, PhV), DRCC1 (the 90-7 style active-power limit and set-point
 * functions) and FSCH1..n (schedules). The tree is a table of leaf data
 * attributes, each with its functional constraint, MMS type, a getter over
 * DerState and, for settings (SP), a writer. Names above the leaves (DOs,
 * structured DAs) come from the leaf paths in table order.
 *
 * The table depends only on the configuration's shape (resource kind, number
 * of schedules and entries): getters read everything else (rating,
 * nameplate) from the state's own configuration. So one immutable table is
 * built per shape and shared by every DER of that shape; a DER's tree adds
 * only its logical device name.
 *
 * @module
 */
import type {
  DataAccessError,
  FunctionalConstraint,
  MmsData,
} from "../../state-machines/association/services.ts";
import type { DerConfig, DerKind } from "./config.ts";
import { PART } from "./references.ts";
import { activeEntry } from "./schedules.ts";
import { type DerState, type Measured, modeQuality, type Schedule } from "./state.ts";
import { type LeafType, quality, type Scalar, scalarData } from "./values.ts";

/** Who writes, with the priority the DER's contract gives them (PD-161). */
export interface WriteContext {
  readonly caller: string;
  readonly priority: number;
}

export type LeafWriter = (
  s: DerState,
  v: MmsData,
  ctx: WriteContext,
) => DerState | DataAccessError;

export interface Leaf {
  readonly ln: string;
  readonly path: readonly string[];
  readonly fc: FunctionalConstraint;
  readonly type: LeafType;
  /** What the leaf's value wraps in a state (reports compare these at every step). */
  readonly get: (s: DerState) => Scalar;
  /** The leaf's value in a state. */
  readonly read: (s: DerState) => MmsData;
  readonly write?: LeafWriter;
}

/** What the table depends on: the same shape, the same leaves. */
export interface TreeShape {
  readonly kind: DerKind;
  readonly schedules: number;
  readonly entriesPerSchedule: number;
}

/** The part of a tree shared by every DER of one shape (immutable). */
export interface TreeSchema {
  readonly shape: TreeShape;
  /** Logical nodes in model order. */
  readonly lns: readonly string[];
  readonly leaves: readonly Leaf[];
  /** Data object names of each LN, in model order. */
  readonly dataObjects: ReadonlyMap<string, readonly string[]>;
}

export interface DataTree {
  readonly ld: string;
  /** Logical nodes in model order. */
  readonly lns: readonly string[];
  readonly leaves: readonly Leaf[];
  /** Data object names of each LN, in model order. */
  readonly dataObjects: ReadonlyMap<string, readonly string[]>;
  /** The shared table (lns, leaves and dataObjects above are its own). */
  readonly schema: TreeSchema;
  /**
   * The LD name can start a reference (it always can in a checked
   * configuration): then what a reference `LD/rest` names depends only on
   * `rest` and the table, and may be remembered per table.
   */
  readonly plainLd: boolean;
}

/** The controllable data objects (LN.DO); their Oper/SBOw/Cancel go through control services. */
export const CONTROLLABLE: ReadonlySet<string> = new Set([
  "LLN0.Mod",
  "DRCC1.WMaxLimPct",
  "DRCC1.WMaxLimEna",
  "DRCC1.WSetPct",
  "DRCC1.WSetEna",
]);

/** ctlModel 4: sbo-with-enhanced-security (IEC 61850-7-2 control models). */
const SBO_ENHANCED = 4;
const BOOL: LeafType = { kind: "boolean" };
const TIME: LeafType = { kind: "utc-time" };
const BITS: LeafType = { kind: "bit-string" };
const TEXT: LeafType = { kind: "visible-string" };
const int = (min: number, max: number): LeafType => ({ kind: "integer", min, max });
const flt = (min: number, max: number): LeafType => ({ kind: "float32", min, max });
const ANY_FLOAT = flt(-Infinity, Infinity);

const statusQ = (s: DerState) => modeQuality(s.mod);
const GOOD_Q = quality("good", false);

const num = (v: MmsData) => (v as { value: number }).value;

type Getter = (s: DerState) => Scalar;

function leaf(
  ln: string,
  dotted: string,
  fc: FunctionalConstraint,
  type: LeafType,
  get: Getter,
  write?: LeafWriter,
): Leaf {
  const kind = type.kind;
  return {
    ln,
    path: dotted.split("."),
    fc,
    type,
    get,
    read: (s) => scalarData(kind, get(s)),
    ...(write ? { write } : {}),
  };
}

/** mag.f, q, t of a deadbanded measurement (MV / CMV). */
function measuredLeaves(
  ln: string,
  prefix: string,
  magPath: string,
  get: (s: DerState) => Measured,
) {
  return [
    leaf(ln, `${prefix}.${magPath}`, "MX", ANY_FLOAT, (s) => get(s).mag),
    leaf(ln, `${prefix}.q`, "MX", BITS, (s) => get(s).q),
    leaf(ln, `${prefix}.t`, "MX", TIME, (s) => get(s).t),
  ];
}

function lln0(): Leaf[] {
  return [
    leaf("LLN0", "Mod.stVal", "ST", int(1, 5), (s) => s.mod),
    leaf("LLN0", "Mod.q", "ST", BITS, () => GOOD_Q),
    leaf("LLN0", "Mod.t", "ST", TIME, (s) => s.modT),
    leaf("LLN0", "Mod.ctlNum", "ST", int(0, 255), (s) => s.modCtlNum),
    leaf("LLN0", "Mod.ctlModel", "CF", int(0, 4), () => SBO_ENHANCED),
    leaf("LLN0", "Beh.stVal", "ST", int(1, 5), (s) => s.mod),
    leaf("LLN0", "Beh.q", "ST", BITS, () => GOOD_Q),
    leaf("LLN0", "Beh.t", "ST", TIME, (s) => s.modT),
    leaf("LLN0", "Health.stVal", "ST", int(1, 3), () => 1),
    leaf("LLN0", "Health.q", "ST", BITS, statusQ),
    leaf("LLN0", "Health.t", "ST", TIME, () => 0),
    leaf("LLN0", "NamPlt.vendor", "DC", TEXT, (s) => s.config.nameplate.vendor),
    leaf("LLN0", "NamPlt.swRev", "DC", TEXT, (s) => s.config.nameplate.swRev),
    leaf("LLN0", "NamPlt.d", "DC", TEXT, (s) => s.config.nameplate.d),
    leaf("LLN0", "NamPlt.configRev", "DC", TEXT, () => "1"),
    leaf("LLN0", "NamPlt.ldNs", "EX", TEXT, () => "derlink-der:1"),
  ];
}

function measurements(): Leaf[] {
  const out = [
    leaf("ZINV1", "WRtg.setMag.f", "CF", ANY_FLOAT, (s) => s.config.ratedW),
    ...measuredLeaves("ZINV1", "WAvl", "mag.f", (s) => s.meas.wAvl),
    ...measuredLeaves("MMXU1", "TotW", "mag.f", (s) => s.meas.totW),
    ...measuredLeaves("MMXU1", "Hz", "mag.f", (s) => s.meas.hz),
  ];
  (["phsA", "phsB", "phsC"] as const).forEach((phase, i) => {
    out.push(...measuredLeaves("MMXU1", `PhV.${phase}`, "cVal.mag.f", (s) => s.meas.phV[i]));
  });
  return out;
}

/** A seconds setting of the immediate functions (ING setVal, SP). */
function secondsSetting(
  name: string,
  max: number,
  key: keyof DerState["settings"],
): Leaf {
  return leaf(
    "DRCC1",
    `${name}.setVal`,
    "SP",
    int(0, max),
    (s) => s.settings[key],
    (s, v) => ({
      ...s,
      settings: { ...s.settings, [key]: num(v) },
    }),
  );
}

function drcc(shape: TreeShape): Leaf[] {
  const floor = shape.kind === "pv" ? 0 : -100;
  const slotLeaves = (value: string, enable: string, slot: "limit" | "setPoint") => [
    leaf("DRCC1", `${value}.mxVal.f`, "MX", flt(floor, 100), (s) => s[slot].value),
    leaf("DRCC1", `${value}.q`, "MX", BITS, statusQ),
    leaf("DRCC1", `${value}.t`, "MX", TIME, (s) => s[slot].valueT),
    leaf("DRCC1", `${value}.ctlNum`, "ST", int(0, 255), (s) => s[slot].ctlNum),
    leaf("DRCC1", `${value}.ctlModel`, "CF", int(0, 4), () => SBO_ENHANCED),
    leaf("DRCC1", `${enable}.stVal`, "ST", BOOL, (s) => s[slot].enabled),
    leaf("DRCC1", `${enable}.q`, "ST", BITS, statusQ),
    leaf("DRCC1", `${enable}.t`, "ST", TIME, (s) => s[slot].enableT),
    leaf("DRCC1", `${enable}.ctlNum`, "ST", int(0, 255), (s) => s[slot].enableCtlNum),
    leaf("DRCC1", `${enable}.ctlModel`, "CF", int(0, 4), () => SBO_ENHANCED),
  ];
  return [
    ...slotLeaves("WMaxLimPct", "WMaxLimEna", "limit"),
    secondsSetting("WMaxLimPctRmpTms", 3600, "limitRampS"),
    secondsSetting("WMaxLimPctWinTms", 3600, "limitWindowS"),
    secondsSetting("WMaxLimPctRvrtTms", 86_400, "limitRevertS"),
    ...slotLeaves("WSetPct", "WSetEna", "setPoint"),
    secondsSetting("WSetPctRvrtTms", 86_400, "setRevertS"),
    leaf("DRCC1", "WCtlSrc.stVal", "ST", int(0, 2), (s) => s.source.kind),
    leaf("DRCC1", "WCtlSrc.q", "ST", BITS, statusQ),
    leaf("DRCC1", "WCtlSrc.t", "ST", TIME, (s) => s.source.t),
  ];
}

/**
 * Writes one schedule. A caller may not write a schedule whose priority is
 * above its own, nor raise one above its own (PD-161): market parties cannot
 * outrank the grid operator through a schedule.
 */
function scheduleWriter(
  i: number,
  change: (s: Schedule, v: MmsData) => Schedule,
): LeafWriter {
  // spec: PAPER-TL2 PD-161
  return (s, v, ctx) => {
    const current = s.schedules[i];
    if (current.priority > ctx.priority) return "object-access-denied";
    const next = change(current, v);
    if (next.priority > ctx.priority) return "object-access-denied";
    return { ...s, schedules: s.schedules.map((x, j) => (j === i ? next : x)) };
  };
}

function fsch(shape: TreeShape, i: number): Leaf[] {
  const ln = `FSCH${i + 1}`;
  const entries = shape.entriesPerSchedule;
  const entry = (k: number, patch: (v: MmsData) => object) =>
    scheduleWriter(i, (sc, v) => ({
      ...sc,
      entries: sc.entries.map((e, j) => (j === k ? { ...e, ...patch(v) } : e)),
    }));
  const out: Leaf[] = [
    leaf(
      ln,
      "SchdEna.setVal",
      "SP",
      BOOL,
      (s) => s.schedules[i].enabled,
      scheduleWriter(i, (sc, v) => ({ ...sc, enabled: (v as { value: boolean }).value })),
    ),
    leaf(
      ln,
      "SchdPrio.setVal",
      "SP",
      int(0, 255),
      (s) => s.schedules[i].priority,
      scheduleWriter(i, (sc, v) => ({ ...sc, priority: num(v) })),
    ),
    leaf(
      ln,
      "NumEntr.setVal",
      "SP",
      int(0, entries),
      (s) => s.schedules[i].count,
      scheduleWriter(i, (sc, v) => ({ ...sc, count: num(v) })),
    ),
  ];
  for (let k = 0; k < entries; k++) {
    const at = (s: DerState) => s.schedules[i].entries[k];
    out.push(
      leaf(
        ln,
        `StrTm${k + 1}.setTm`,
        "SP",
        TIME,
        (s) => at(s).start,
        entry(k, (v) => ({ start: num(v) })),
      ),
      leaf(
        ln,
        `Dur${k + 1}.setVal`,
        "SP",
        int(0, 604_800),
        (s) => at(s).durationS,
        entry(k, (v) => ({ durationS: num(v) })),
      ),
      leaf(
        ln,
        `Val${k + 1}.setMag.f`,
        "SP",
        flt(shape.kind === "pv" ? 0 : -100, 100),
        (s) => at(s).valuePct,
        entry(k, (v) => ({ valuePct: Math.fround(num(v)) })),
      ),
    );
  }
  out.push(
    leaf(
      ln,
      "ActEntr.stVal",
      "ST",
      int(0, entries),
      (s) => activeEntry(s.schedules[i], s.now)?.index ?? 0,
    ),
  );
  return out;
}

function buildSchema(shape: TreeShape): TreeSchema {
  const leaves = [
    ...lln0(),
    ...measurements(),
    ...drcc(shape),
    ...Array.from({ length: shape.schedules }, (_, i) => fsch(shape, i)).flat(),
  ];
  const dataObjects = new Map<string, string[]>();
  for (const l of leaves) {
    const dos = dataObjects.get(l.ln) ?? [];
    if (!dos.includes(l.path[0])) dos.push(l.path[0]);
    dataObjects.set(l.ln, dos);
  }
  return { shape, lns: [...dataObjects.keys()], leaves, dataObjects };
}

const schemas = new Map<string, TreeSchema>();

/** The shared table of a configuration's shape (built once per shape). */
export function treeSchema(c: DerConfig): TreeSchema {
  const id = `${c.kind}|${c.schedules}|${c.entriesPerSchedule}`;
  let schema = schemas.get(id);
  if (!schema) {
    const shape = {
      kind: c.kind,
      schedules: c.schedules,
      entriesPerSchedule: c.entriesPerSchedule,
    };
    schemas.set(id, schema = buildSchema(shape));
  }
  return schema;
}

const trees = new WeakMap<DerConfig, DataTree>();

/** The data tree of a configuration (its LD name over the table of its shape). */
// spec: DER-LD1 DER-MX1 PD-160
export function dataTree(c: DerConfig): DataTree {
  const cached = trees.get(c);
  if (cached) return cached;
  const schema = treeSchema(c);
  const { lns, leaves, dataObjects } = schema;
  const plainLd = typeof c.ld === "string" && PART.test(c.ld);
  const tree: DataTree = { ld: c.ld, lns, leaves, dataObjects, schema, plainLd };
  trees.set(c, tree);
  return tree;
}
