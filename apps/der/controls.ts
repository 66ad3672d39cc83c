/**
 * Controls from the DER application's point of view (PD-162): the five
 * controllable objects (LLN0.Mod and the DRCC1 limit and set-point functions)
 * with select-before-operate with enhanced security. The association in
 * front of the model encodes, correlates and authenticates; this module
 * decides whether the command is acceptable and what it does, and answers
 * with the IEC 61850-7-2 AddCause of a refusal. The checks run in a fixed
 * order, so every refusal has one stable cause:
 *
 *   unknown object → not controllable → caller without a role → (operate,
 *   cancel: selection) → time-activated operate → ctlNum/ctlVal → mode and
 *   test flag → a higher-priority command holding the function → (select:
 *   selection conflicts).
 *
 * @module
 */
import type {
  AddCause,
  CommandTermination,
  ControlParameters,
  MmsData,
  ServiceRequest,
  ServiceResponse,
} from "../../state-machines/association/services.ts";
import { CONTROLLABLE, type DataTree } from "./data_tree.ts";
import { parseReference } from "./references.ts";
import {
  callerPriority,
  type DerState,
  type FunctionSlot,
  MODE,
  type ModeValue,
  type Selection,
  slotActive,
} from "./state.ts";
import { valueKey } from "./values.ts";
import { mix32 } from "./weather.ts";

export type ControlRequest = Extract<
  ServiceRequest,
  { service: "select" | "select-with-value" | "operate" | "cancel" }
>;

export interface ControlResult {
  readonly state: DerState;
  readonly response: ServiceResponse;
  readonly termination?: CommandTermination;
}

interface ApplyContext {
  readonly caller: string;
  readonly priority: number;
  readonly now: number;
  readonly ctlNum: number;
}

interface ControlDef {
  readonly accepts: (s: DerState, v: MmsData) => boolean;
  readonly apply: (s: DerState, v: MmsData, ctx: ApplyContext) => DerState;
  readonly slot?: "limit" | "setPoint";
  /** Mod is operable in every behaviour and ignores the test flag. */
  readonly modeExempt?: boolean;
}

const isFloat32 = (v: MmsData): v is Extract<MmsData, { type: "float" }> =>
  v.type === "float" && v.width === 32 && Number.isFinite(v.value);
const pctFloor = (s: DerState) => (s.config.kind === "pv" ? 0 : -100);

/**
 * The delay inside the limit's time window (WinTms) before a new limit
 * applies: spread over the window per DER so a group command does not step
 * a whole fleet at once; derived from (LD, time, ctlNum) so it replays (PD-163).
 */
export function windowOffsetMs(ld: string, now: number, ctlNum: number, windowS: number): number {
  if (windowS <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < ld.length; i++) h = Math.imul(h ^ ld.charCodeAt(i), 0x01000193);
  h = mix32(mix32(mix32(h, now % 2 ** 32), Math.floor(now / 2 ** 32)), ctlNum);
  return h % (windowS * 1000);
}

const revertAt = (now: number, seconds: number) => (seconds > 0 ? now + seconds * 1000 : undefined);

function withSlot(s: DerState, key: "limit" | "setPoint", slot: FunctionSlot): DerState {
  return key === "limit" ? { ...s, limit: slot } : { ...s, setPoint: slot };
}

function claim(slot: FunctionSlot, ctx: ApplyContext, revert: number | undefined): FunctionSlot {
  const { revertAt: _old, ...rest } = slot;
  return {
    ...rest,
    priority: ctx.priority,
    holder: ctx.caller,
    ...(revert !== undefined ? { revertAt: revert } : {}),
  };
}

function setValue(key: "limit" | "setPoint", revertS: (s: DerState) => number, windowed: boolean) {
  // spec: DER-WMAX1 DER-WSET1 PD-163
  return (s: DerState, v: MmsData, ctx: ApplyContext): DerState => {
    const value = Math.fround((v as { value: number }).value);
    const base = { ...claim(s[key], ctx, revertAt(ctx.now, revertS(s))), ctlNum: ctx.ctlNum };
    const { pending: _p, ...slot } = base;
    const delay = windowed
      ? windowOffsetMs(s.config.ld, ctx.now, ctx.ctlNum, s.settings.limitWindowS)
      : 0;
    return withSlot(
      s,
      key,
      delay > 0
        ? { ...slot, pending: { value, at: ctx.now + delay } }
        : { ...slot, value, valueT: ctx.now },
    );
  };
}

function setEnable(key: "limit" | "setPoint", revertS: (s: DerState) => number) {
  return (s: DerState, v: MmsData, ctx: ApplyContext): DerState => {
    const on = (v as { value: boolean }).value;
    const slot = claim(s[key], ctx, on ? revertAt(ctx.now, revertS(s)) : undefined);
    return withSlot(s, key, { ...slot, enabled: on, enableT: ctx.now, enableCtlNum: ctx.ctlNum });
  };
}

const DEFS: Readonly<Record<string, ControlDef>> = {
  "LLN0.Mod": {
    modeExempt: true,
    accepts: (_s, v) =>
      v.type === "integer" && Number.isInteger(v.value) && v.value >= 1 && v.value <= 5,
    apply: (s, v, ctx) => ({
      ...s,
      mod: (v as { value: number }).value as ModeValue,
      modT: ctx.now,
      modCtlNum: ctx.ctlNum,
    }),
  },
  "DRCC1.WMaxLimPct": {
    slot: "limit",
    accepts: (_s, v) => isFloat32(v) && v.value >= 0 && v.value <= 100,
    apply: setValue("limit", (s) => s.settings.limitRevertS, true),
  },
  "DRCC1.WMaxLimEna": {
    slot: "limit",
    accepts: (_s, v) => v.type === "boolean",
    apply: setEnable("limit", (s) => s.settings.limitRevertS),
  },
  "DRCC1.WSetPct": {
    slot: "setPoint",
    accepts: (s, v) => isFloat32(v) && v.value >= pctFloor(s) && v.value <= 100,
    apply: setValue("setPoint", (s) => s.settings.setRevertS, false),
  },
  "DRCC1.WSetEna": {
    slot: "setPoint",
    accepts: (_s, v) => v.type === "boolean",
    apply: setEnable("setPoint", (s) => s.settings.setRevertS),
  },
};

/** The LN.DO key of a controllable object named by `ref`, or why there is none. */
export function findControl(tree: DataTree, ref: string): string | AddCause {
  const r = parseReference(ref);
  if (!r || r.ld !== tree.ld || r.path.length !== 1) return "unknown";
  const key = `${r.ln}.${r.path[0]}`;
  if (CONTROLLABLE.has(key)) return key;
  return tree.dataObjects.get(r.ln)?.includes(r.path[0]) ? "not-supported" : "unknown";
}

/** Behaviour and test flag (IEC 61850-7-4 Mod/Beh, PD-162). */
// spec: ACSI-MOD1 ACSI-TEST1
function modeRefusal(mod: ModeValue, test: boolean): AddCause | undefined {
  if (mod === MODE.on) return test ? "blocked-by-mode" : undefined;
  if (mod === MODE.test || mod === MODE.testBlocked) return test ? undefined : "blocked-by-mode";
  return "blocked-by-mode";
}

/** The checks every command passes whatever its service (no selection here). */
function precheck(
  s: DerState,
  key: string,
  p: ControlParameters,
  caller: string,
  now: number,
): AddCause | undefined {
  const def = DEFS[key];
  const priority = callerPriority(s, caller);
  // spec: PAPER-TA2 PD-161
  if (priority === undefined) return "no-access-authority";
  if (p.operTm !== undefined) return "not-supported";
  const ctlNumOk = Number.isInteger(p.ctlNum) && p.ctlNum >= 0 && p.ctlNum <= 255;
  // spec: ACSI-CTL1
  if (!ctlNumOk || !def.accepts(s, p.ctlVal)) return "inconsistent-parameters";
  if (!def.modeExempt) {
    const refusal = modeRefusal(s.mod, p.test === true);
    if (refusal) return refusal;
  }
  if (def.slot) {
    const slot = s[def.slot];
    // spec: PAPER-TL2 PD-161
    if (slotActive(slot, now) && slot.holder !== caller && slot.priority > priority) {
      return "blocked-by-command";
    }
  }
  return undefined;
}

/** Carries out an accepted command (in test/blocked behaviour: accepted, not applied). */
function execute(s: DerState, key: string, p: ControlParameters, caller: string, now: number) {
  const def = DEFS[key];
  if (!def.modeExempt && s.mod === MODE.testBlocked) return s;
  const ctx = { caller, priority: callerPriority(s, caller)!, now, ctlNum: p.ctlNum };
  return def.apply(s, p.ctlVal, ctx);
}

/**
 * Operates without a select: how a group command reaches each DER (there is
 * no response path on a multicast association, PD-195). Undefined when done.
 */
export function directOperate(
  tree: DataTree,
  s: DerState,
  control: string,
  p: ControlParameters,
  caller: string,
  now: number,
): { state: DerState; addCause?: AddCause } {
  const key = findControl(tree, control);
  if (!CONTROLLABLE.has(key)) return { state: s, addCause: key as AddCause };
  const refusal = precheck(s, key, p, caller, now);
  return refusal ? { state: s, addCause: refusal } : { state: execute(s, key, p, caller, now) };
}

const originKey = (p: ControlParameters) => JSON.stringify([p.origin?.orCat, p.origin?.orIdent]);

function selectionOf(p: ControlParameters, key: string, caller: string, until: number): Selection {
  return {
    control: key,
    caller,
    ctlNum: p.ctlNum,
    ctlValKey: valueKey(p.ctlVal),
    originKey: originKey(p),
    test: p.test === true,
    until,
  };
}

/** Serves select, select-with-value, operate and cancel (ACSI-SBOW1, ACSI-SBOW2). */
// spec: ACSI-SBOW1 ACSI-SBOW2 PD-162
export function handleControl(
  tree: DataTree,
  s: DerState,
  req: ControlRequest,
  caller: string,
  now: number,
): ControlResult {
  const found = findControl(tree, req.control);
  if (req.service === "select") {
    const addCause: AddCause = CONTROLLABLE.has(found) ? "not-supported" : found as AddCause;
    return { state: s, response: { service: "select", selected: false, addCause } };
  }
  const p = req.params;
  const answer = (state: DerState, addCause?: AddCause): ControlResult => ({
    state,
    response: {
      service: req.service,
      control: req.control,
      ctlNum: p.ctlNum,
      ...(addCause ? { addCause } : {}),
    } as ServiceResponse,
  });
  if (!CONTROLLABLE.has(found)) return answer(s, found as AddCause);
  const key = found;
  if (callerPriority(s, caller) === undefined) return answer(s, "no-access-authority");
  const tracking = s.config.selectTracking === "model";
  const live = s.selections.filter((x) => x.until > now);
  const mine = live.find((x) => x.control === key);
  const others = live.filter((x) => x !== mine);
  const base = { ...s, selections: live };
  if (req.service === "select-with-value") {
    const refusal = precheck(s, key, p, caller, now);
    if (refusal) return answer(base, refusal);
    if (!tracking) return answer(base);
    if (mine) {
      return answer(
        base,
        mine.caller === caller ? "object-already-selected" : "locked-by-other-client",
      );
    }
    const selection = selectionOf(p, key, caller, now + s.config.sboTimeoutMs);
    return answer({ ...base, selections: [...live, selection] });
  }
  if (tracking) {
    if (!mine) return answer(base, "object-not-selected");
    if (mine.caller !== caller) return answer(base, "locked-by-other-client");
  }
  const unselected = { ...s, selections: others };
  if (req.service === "cancel") {
    if (tracking && mine!.ctlNum !== p.ctlNum) return answer(unselected, "inconsistent-parameters");
    return answer(unselected);
  }
  if (tracking) {
    const again = selectionOf(p, key, caller, mine!.until);
    const same = again.ctlNum === mine!.ctlNum && again.ctlValKey === mine!.ctlValKey &&
      again.originKey === mine!.originKey && again.test === mine!.test;
    if (!same) return answer(unselected, "inconsistent-parameters");
  }
  const refusal = precheck(s, key, p, caller, now);
  if (refusal) return answer(unselected, refusal);
  const done = execute(unselected, key, p, caller, now);
  // spec: ACSI-SBOW3 PD-162
  return { ...answer(done), termination: { control: req.control, ctlNum: p.ctlNum } };
}
