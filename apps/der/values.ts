/**
 * Building, checking and comparing the MMS values the DER model holds. Every
 * numeric attribute of the model is FLOAT32 or an INT32-range integer, so the
 * helpers round floats to single precision on the way in: a value read back
 * equals what was stored bit for bit.
 *
 * @module
 */
import type { MmsData } from "../../state-machines/association/services.ts";

export const float32 = (value: number): MmsData => ({
  type: "float",
  value: Math.fround(value),
  width: 32,
});
export const integer = (value: number): MmsData => ({ type: "integer", value });
export const boolean = (value: boolean): MmsData => ({ type: "boolean", value });
export const visible = (value: string): MmsData => ({ type: "visible-string", value });
export const utcTime = (value: number): MmsData => ({ type: "utc-time", value });
export const bits = (value: string): MmsData => ({ type: "bit-string", value });
export const structure = (...members: MmsData[]): MmsData => ({ type: "structure", members });

/** The type of a leaf attribute, with its range where it has one. */
export type LeafType =
  | { readonly kind: "boolean" }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "float32"; readonly min: number; readonly max: number }
  | { readonly kind: "visible-string" }
  | { readonly kind: "bit-string" }
  | { readonly kind: "utc-time" };

const INT32_MIN = -0x80000000, INT32_MAX = 0x7fffffff;

/** True when `v` has the MMS type of `t` (range aside). */
export function hasType(t: LeafType, v: MmsData): boolean {
  switch (t.kind) {
    case "boolean":
      return v.type === "boolean" && typeof v.value === "boolean";
    case "integer":
      return v.type === "integer" && Number.isInteger(v.value) && v.value >= INT32_MIN &&
        v.value <= INT32_MAX;
    case "float32":
      return v.type === "float" && v.width === 32 && typeof v.value === "number";
    case "visible-string":
      return v.type === "visible-string" && typeof v.value === "string";
    case "bit-string":
      return v.type === "bit-string" && typeof v.value === "string";
    case "utc-time":
      return v.type === "utc-time" && Number.isInteger(v.value);
  }
}

/** True when a value of the right type is inside the leaf's range. */
export function inRange(t: LeafType, v: MmsData): boolean {
  if (t.kind === "integer" || t.kind === "float32") {
    const n = (v as { value: number }).value;
    return Number.isFinite(n) && n >= t.min && n <= t.max;
  }
  if (t.kind === "utc-time") return (v as { value: number }).value >= 0;
  return true;
}

/** JSON text of a scalar as valueKey writes it (numbers and booleans without JSON.stringify). */
function jsonText(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return `${JSON.stringify(value)}`;
}

const floatText = (value: number) => (Object.is(value, -0) ? "-0" : String(value));

/** A canonical text of a value, for change detection and equality. */
export function valueKey(v: MmsData): string {
  switch (v.type) {
    case "structure":
      return `{${v.members.map(valueKey).join(",")}}`;
    case "array":
      return `[${v.elements.map(valueKey).join(",")}]`;
    case "octet-string":
      return `o:${Array.from(v.value, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    case "float":
      return `f${v.width}:${floatText(v.value)}`;
    default:
      return `${v.type}:${jsonText(v.value)}`;
  }
}

/** What a leaf's getter gives: the number, flag or text its MMS value wraps. */
export type Scalar = number | boolean | string;

/** The MMS value of a leaf of kind `kind` holding `raw`. */
export function scalarData(kind: LeafType["kind"], raw: Scalar): MmsData {
  switch (kind) {
    case "float32":
      return float32(raw as number);
    case "integer":
      return integer(raw as number);
    case "boolean":
      return boolean(raw as boolean);
    case "visible-string":
      return visible(raw as string);
    case "bit-string":
      return bits(raw as string);
    case "utc-time":
      return utcTime(raw as number);
  }
}

/**
 * `valueKey(scalarData(kind, raw))` without building the value: the
 * definition of when two values of a leaf are the same (see
 * {@link sameScalar}).
 */
export function scalarKey(kind: LeafType["kind"], raw: Scalar): string {
  switch (kind) {
    case "float32":
      return `f32:${floatText(Math.fround(raw as number))}`;
    case "integer":
      return `integer:${jsonText(raw)}`;
    case "boolean":
      return `boolean:${jsonText(raw)}`;
    case "visible-string":
      return `visible-string:${jsonText(raw)}`;
    case "bit-string":
      return `bit-string:${jsonText(raw)}`;
    case "utc-time":
      return `utc-time:${jsonText(raw)}`;
  }
}

export const sameValue = (a: MmsData, b: MmsData): boolean => valueKey(a) === valueKey(b);

/**
 * IEC 61850 quality as 13 bits, most significant first: validity (2 bits:
 * 00 good, 01 invalid, 11 questionable), overflow, outOfRange, badReference,
 * oscillatory, failure, oldData, inconsistent, inaccurate, source, test,
 * operatorBlocked.
 */
export function quality(validity: "good" | "invalid" | "questionable", test: boolean): string {
  return QUALITIES.get(validity)?.[test ? 1 : 0] ?? qualityText(validity, test);
}

function qualityText(validity: string, test: boolean): string {
  const v = validity === "good" ? "00" : validity === "invalid" ? "01" : "11";
  return `${v}000000000${test ? "1" : "0"}0`;
}

/** The six qualities, built once: every measurement of every DER shares these strings. */
const QUALITIES = new Map<string, readonly [string, string]>();
for (const v of ["good", "invalid", "questionable"]) {
  QUALITIES.set(v, [qualityText(v, false), qualityText(v, true)]);
}

/**
 * Whether two raw values of a leaf give the same value key (so a report
 * would not tell them apart), without building either key: FLOAT32 compares
 * after rounding, -0 apart from 0, NaN equal to NaN; other numbers as their
 * JSON text compares (every non-finite number is `null`).
 */
export function sameScalar(kind: LeafType["kind"], a: Scalar, b: Scalar): boolean {
  if (kind === "float32") return Object.is(Math.fround(a as number), Math.fround(b as number));
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") {
    return !Number.isFinite(a) && !Number.isFinite(b);
  }
  return jsonText(a) === jsonText(b);
}
