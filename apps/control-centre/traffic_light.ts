/**
 * The grid operator's side of the traffic-light concept (paper §I, PD-197).
 * A decision for a phase becomes what to send:
 *
 * - green: market mechanisms run — the operator releases what it holds with
 *   one group command (limit and set-point disabled), and the DERs fall back
 *   to their market schedules;
 * - yellow: restricted set-points for chosen DERs, one unicast
 *   select-with-value/operate sequence per DER, with a revert timeout;
 * - red: curtailment — one group command to a whole group: revert, ramp and
 *   window settings, the limit in % of rated power, and its enable.
 *
 * Commands carry the operator's identity as originator; each DER turns that
 * identity into the operator's priority (PD-161), which is what lets them
 * override market schedules. The planner keeps the control numbers (ctlNum,
 * one counter per DER and per group) and group command ids as plain state.
 *
 * @module
 */
import type {
  ControlParameters,
  MmsData,
  Originator,
  ServiceRequest,
} from "../../state-machines/association/services.ts";
import {
  encodeGroupCommand,
  type GroupCommand,
  type GroupOperation,
  type TrafficLight,
} from "./group_command.ts";

export interface OperatorState {
  /** The operator's identity, as DERs know it (e.g. its bare JID). */
  readonly identity: string;
  readonly orCat: Originator["orCat"];
  readonly light: TrafficLight;
  /** Next ctlNum per DER logical device and per group, 0..255 wrapping. */
  readonly ctlNums: Readonly<Record<string, number>>;
  /** Next group command id. */
  readonly nextId: number;
}

export type LightDecision =
  | { readonly light: "green"; readonly group: string }
  | {
    readonly light: "yellow";
    readonly setPoints: readonly { readonly ld: string; readonly pct: number }[];
    readonly revertS: number;
  }
  | {
    readonly light: "red";
    readonly group: string;
    readonly limitPct: number;
    readonly revertS: number;
    readonly rampS?: number;
    readonly windowS?: number;
  };

export interface PlannedGroupCommand {
  readonly group: string;
  readonly command: GroupCommand;
  /** The payload for the group-protected SPDU. */
  readonly payload: Uint8Array;
}

export interface Plan {
  readonly state: OperatorState;
  readonly groupCommands: readonly PlannedGroupCommand[];
  /** Requests per DER, to be sent in order, each after the previous one's response. */
  readonly unicast: readonly {
    readonly ld: string;
    readonly requests: readonly ServiceRequest[];
  }[];
}

export const initialOperator = (
  identity: string,
  orCat: Originator["orCat"] = "remote-control",
): OperatorState => ({ identity, orCat, light: "green", ctlNums: {}, nextId: 1 });

const f32 = (v: number): MmsData => ({ type: "float", value: Math.fround(v), width: 32 });
const flag = (v: boolean): MmsData => ({ type: "boolean", value: v });
const int = (v: number): MmsData => ({ type: "integer", value: v });

/** Hands out control numbers per key. */
class Numbers {
  readonly next: Record<string, number>;
  constructor(from: Readonly<Record<string, number>>) {
    this.next = { ...from };
  }
  take(key: string): number {
    const n = this.next[key] ?? 0;
    this.next[key] = (n + 1) % 256;
    return n;
  }
}

function params(s: OperatorState, ctlVal: MmsData, ctlNum: number, now: number): ControlParameters {
  return {
    ctlVal,
    origin: { orCat: s.orCat, orIdent: s.identity },
    ctlNum,
    t: now,
    test: false,
    check: { synchrocheck: false, interlockCheck: false },
  };
}

const setting = (ref: string, seconds: number): GroupOperation => ({
  kind: "write",
  ref: `DRCC1.${ref}.setVal`,
  fc: "SP",
  value: int(seconds),
});

/** Select-with-value then operate of one control of one DER. */
function sbow(control: string, p: ControlParameters): ServiceRequest[] {
  return [
    { service: "select-with-value", control, params: p },
    { service: "operate", control, params: p },
  ];
}

/** Turns a traffic-light decision into group commands and unicast requests at `now`. */
// spec: PAPER-TL1 PAPER-TL2 PAPER-TL3 PD-197
export function planTrafficLight(s: OperatorState, d: LightDecision, now: number): Plan {
  const numbers = new Numbers(s.ctlNums);
  const groupCommands: PlannedGroupCommand[] = [];
  const unicast: { ld: string; requests: ServiceRequest[] }[] = [];
  let nextId = s.nextId;
  const operate = (group: string, control: string, value: MmsData): GroupOperation => ({
    kind: "operate",
    control,
    params: params(s, value, numbers.take(`group:${group}`), now),
  });
  const send = (group: string, operations: GroupOperation[]) => {
    const command: GroupCommand = { group, id: nextId, light: d.light, issued: now, operations };
    nextId = (nextId % 0xffffffff) + 1;
    groupCommands.push({ group, command, payload: encodeGroupCommand(command) });
  };
  switch (d.light) {
    case "green":
      send(d.group, [
        operate(d.group, "DRCC1.WMaxLimEna", flag(false)),
        operate(d.group, "DRCC1.WSetEna", flag(false)),
      ]);
      break;
    case "yellow":
      for (const { ld, pct } of d.setPoints) {
        const set = params(s, f32(pct), numbers.take(ld), now);
        const enable = params(s, flag(true), numbers.take(ld), now);
        unicast.push({
          ld,
          requests: [
            {
              service: "write",
              items: [{
                ref: { ref: `${ld}/DRCC1.WSetPctRvrtTms.setVal`, fc: "SP" },
                value: int(d.revertS),
              }],
            },
            ...sbow(`${ld}/DRCC1.WSetPct`, set),
            ...sbow(`${ld}/DRCC1.WSetEna`, enable),
          ],
        });
      }
      break;
    case "red":
      send(d.group, [
        setting("WMaxLimPctRvrtTms", d.revertS),
        ...(d.rampS !== undefined ? [setting("WMaxLimPctRmpTms", d.rampS)] : []),
        ...(d.windowS !== undefined ? [setting("WMaxLimPctWinTms", d.windowS)] : []),
        operate(d.group, "DRCC1.WMaxLimPct", f32(d.limitPct)),
        operate(d.group, "DRCC1.WMaxLimEna", flag(true)),
      ]);
      break;
  }
  return {
    state: { ...s, light: d.light, ctlNums: numbers.next, nextId },
    groupCommands,
    unicast,
  };
}
