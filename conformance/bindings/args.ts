/**
 * Reading protocol arguments in the reference bindings: a missing or
 * mistyped field is a `core/invalid-argument` refusal naming the field, so a
 * malformed request never reaches the implementation as `undefined`.
 *
 * @module
 */
import { fromHex } from "../../core/bytes.ts";
import { CoreError, DerlinkError } from "../../core/errors.ts";
import type { JsonObject } from "../iut/protocol.ts";

const bad = (field: string, want: string) =>
  new DerlinkError(CoreError["invalid-argument"], `${field}: expected ${want}`);

export function str(args: JsonObject, field: string): string {
  const v = args[field];
  if (typeof v !== "string") throw bad(field, "a string");
  return v;
}

export function num(args: JsonObject, field: string): number {
  const v = args[field];
  if (typeof v !== "number" || !Number.isFinite(v)) throw bad(field, "a number");
  return v;
}

/** A lowercase-hex byte field. */
// spec: DL-IUT-9
export function bytes(args: JsonObject, field: string): Uint8Array {
  const v = str(args, field);
  if (!/^([0-9a-f]{2})*$/.test(v)) throw bad(field, "lowercase hex");
  return fromHex(v);
}

export function hexList(args: JsonObject, field: string): Uint8Array[] {
  const v = args[field];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw bad(field, "an array of hex strings");
  }
  return (v as string[]).map((x) => fromHex(x));
}

export function obj(args: JsonObject, field: string): JsonObject {
  const v = args[field];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(field, "an object");
  return v as JsonObject;
}

/** A configuration or input passed through as the vectors write it. */
export const asIs = <T>(value: JsonObject): T => value as unknown as T;
