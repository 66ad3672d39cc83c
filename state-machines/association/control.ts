/**
 * Control bookkeeping both roles keep (PD-147): which controls are selected
 * (select-before-operate) until when and with which parameters, and which
 * operated commands still owe a command termination (enhanced security).
 *
 * The gate an operate passes under select-before-operate is the same on
 * both ends: the server refuses a request that fails it with a negative
 * response (AddCause), the client refuses to send one. With enhanced
 * security the operate must repeat the select's ctlNum, and its origin,
 * value, test and check flags.
 *
 * @module
 */
import type { ErrorCode } from "../../core/errors.ts";
import { AssociationError } from "./errors.ts";
import type { AddCause, ControlParameters, MmsData } from "./services.ts";
import type { ControlModel } from "./types.ts";

/** A live selection. `params` is kept under enhanced security (SBOw), absent for a plain select. */
export interface Selection {
  readonly expires: number;
  readonly params?: ControlParameters;
}

export type Selections = Readonly<Record<string, Selection>>;
/** Control → ctlNum of the operated command that owes its termination. */
export type Commands = Readonly<Record<string, number>>;

// spec: PD-154
export const NONE: Readonly<Record<string, never>> = Object.freeze({});

/** Record keys are prefixed so a control called `__proto__` stays an ordinary key. */
const key = (control: string) => `=${control}`;

export const isSbo = (m: ControlModel) => m === "sbo-normal" || m === "sbo-enhanced";
export const isEnhanced = (m: ControlModel) => m === "sbo-enhanced" || m === "direct-enhanced";

export const selectionOf = (s: Selections, control: string): Selection | undefined =>
  Object.hasOwn(s, key(control)) ? s[key(control)] : undefined;
export const commandOf = (c: Commands, control: string): number | undefined =>
  Object.hasOwn(c, key(control)) ? c[key(control)] : undefined;

export const withEntry = <T>(r: Readonly<Record<string, T>>, control: string, v: T) => ({
  ...r,
  [key(control)]: v,
});

export function withoutEntry<T>(
  r: Readonly<Record<string, T>>,
  control: string,
): Readonly<Record<string, T>> {
  if (!Object.hasOwn(r, key(control))) return r;
  const copy = { ...r };
  delete copy[key(control)];
  return copy;
}

/** Removes selections whose time is up; returns the controls that expired. */
// spec: PD-147 IEC61850-SBO-TIMEOUT
export function expireSelections(s: Selections, now: number): [Selections, string[]] {
  const expired: string[] = [];
  let next: Record<string, Selection> | undefined;
  for (const k in s) {
    if (s[k].expires <= now) {
      next ??= { ...s };
      delete next[k];
      expired.push(k.slice(1));
    }
  }
  return [next ?? s, expired];
}

/** Deep equality of data values (floats by identity, so NaN equals NaN and 0 differs from -0). */
export function sameData(a: MmsData, b: MmsData): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "structure":
    case "array": {
      const x = a.type === "structure" ? a.members : a.elements;
      const y = b.type === "structure" ? b.members : (b as typeof a & { elements: MmsData[] })
        .elements;
      return x.length === y.length && x.every((v, i) => sameData(v, y[i]));
    }
    case "octet-string": {
      const y = (b as typeof a).value;
      return a.value.length === y.length && a.value.every((v, i) => v === y[i]);
    }
    case "float":
      return a.width === (b as typeof a).width && Object.is(a.value, (b as typeof a).value);
    default:
      return Object.is(a.value, (b as { value: unknown }).value);
  }
}

/** Operate parameters that must repeat the select's under enhanced security (ctlNum apart). */
const sameParams = (a: ControlParameters, b: ControlParameters): boolean =>
  a.origin.orCat === b.origin.orCat && a.origin.orIdent === b.origin.orIdent &&
  a.test === b.test && a.check.synchrocheck === b.check.synchrocheck &&
  a.check.interlockCheck === b.check.interlockCheck && sameData(a.ctlVal, b.ctlVal);

export type Gate =
  | { readonly ok: true }
  | {
    readonly ok: false;
    readonly code: ErrorCode;
    readonly addCause: AddCause;
    readonly detail: string;
  };

/** May an operate of `control` with `params` go ahead under its control model? */
// spec: IEC61850-SBOES IEC61850-SBO PD-147
export function gateOperate(
  model: ControlModel,
  selections: Selections,
  control: string,
  params: ControlParameters,
  now: number,
): Gate {
  if (!isSbo(model)) return { ok: true };
  const sel = selectionOf(selections, control);
  const refuse = (code: ErrorCode, addCause: AddCause, detail: string): Gate => ({
    ok: false,
    code,
    addCause,
    detail,
  });
  if (!sel) return refuse(AssociationError["not-selected"], "object-not-selected", control);
  if (now >= sel.expires) {
    return refuse(AssociationError["select-expired"], "object-not-selected", control);
  }
  if (model !== "sbo-enhanced") return { ok: true };
  if (!sel.params) return refuse(AssociationError["not-selected"], "object-not-selected", control);
  if (sel.params.ctlNum !== params.ctlNum) {
    return refuse(
      AssociationError["ctlnum-mismatch"],
      "inconsistent-parameters",
      `select ctlNum ${sel.params.ctlNum}, operate ${params.ctlNum}`,
    );
  }
  if (!sameParams(sel.params, params)) {
    return refuse(AssociationError["parameters-mismatch"], "inconsistent-parameters", control);
  }
  return { ok: true };
}

/** Earliest selection expiry, for a timer. */
export function nextExpiry(s: Selections): number | undefined {
  let at: number | undefined;
  for (const k in s) if (at === undefined || s[k].expires < at) at = s[k].expires;
  return at;
}
