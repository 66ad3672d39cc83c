/**
 * Shared pieces of the group-keying vector generators: a file builder that
 * numbers tests, byte mutations, and the flag meanings every file declares.
 *
 * @module
 */
import { fromHex, toHex } from "../../../core/bytes.ts";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface TestCase {
  comment: string;
  flags?: string[];
  spec: string[];
  result: "valid" | "invalid" | "acceptable";
  error?: string;
  [field: string]: Json | undefined;
}

export const SCHEMA = "group-keying.schema.json";

/** Accumulates groups and numbers tests 1..n in order of addition. */
export class VectorFileBuilder {
  #groups: { [k: string]: Json }[] = [];
  #count = 0;

  constructor(
    readonly header: { suite: string; source: string; notes: Record<string, string> },
  ) {}

  group(type: string, fields: Record<string, Json>, tests: TestCase[]): this {
    const numbered = tests.map((t) => {
      const { comment, flags, spec, result, error, ...rest } = t;
      const out: { [k: string]: Json } = { tcId: ++this.#count, comment, flags: flags ?? [], spec };
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
      out.result = result;
      if (error !== undefined) out.error = error;
      return out;
    });
    this.#groups.push({ type, ...fields, tests: numbered });
    return this;
  }

  build(): Json {
    return {
      suite: this.header.suite,
      schema: SCHEMA,
      version: 1,
      source: this.header.source,
      generated: true,
      notes: this.header.notes,
      numberOfTests: this.#count,
      testGroups: this.#groups,
    };
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
