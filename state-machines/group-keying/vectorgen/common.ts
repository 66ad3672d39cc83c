/**
 * Shared pieces of the group-keying vector generators: a file builder that
 * numbers tests, byte mutations, and the flag meanings every file declares.
 *
 * @module
 */
import { fromHex, toHex } from "../../../core/bytes.ts";
import { VectorFileBuilder as SharedBuilder } from "../../../tools/vector_file_builder.ts";

import type { Json } from "../../../tools/vector_file_builder.ts";
export type { Json, TestCase } from "../../../tools/vector_file_builder.ts";

export const SCHEMA = "group-keying.schema.json";

/** The shared builder with the group-keying schema; these files are generated. */
export class VectorFileBuilder extends SharedBuilder {
  constructor(header: { suite: string; source: string; notes: Record<string, string> }) {
    super({ ...header, schema: SCHEMA, generated: true });
  }
}

export const hex = toHex;

/** `data` with bit `bit` of byte `index` flipped (negative index counts from the end). */
export function flip(data: Uint8Array, index: number, bit = 0): Uint8Array {
  const b = data.slice();
  b[index < 0 ? b.length + index : index] ^= 1 << bit;
  return b;
}

/** `data` with byte `index` set to `value`. */
export function setByte(data: Uint8Array, index: number, value: number): Uint8Array {
  const b = data.slice();
  b[index] = value;
  return b;
}

export const fromHexJson = fromHex;

/** Converts a value with Uint8Array leaves into JSON with hex strings. */
export function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return v as Json;
}
