/**
 * Small builders shared by the crypto vector generators: a file/group/test
 * accumulator that numbers tests, and byte helpers for mutations.
 *
 * @module
 */
import { fromHex, toHex } from "../../bytes.ts";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface TestCase {
  comment: string;
  flags?: string[];
  spec: string[];
  result: "valid" | "invalid" | "acceptable";
  error?: string;
  [field: string]: Json | undefined;
}

/** Accumulates groups and numbers tests 1..n in order of addition. */
export class VectorFileBuilder {
  #groups: { [k: string]: Json }[] = [];
  #count = 0;

  constructor(
    readonly name: string,
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
      schema: "crypto.schema.json",
      version: 1,
      source: this.header.source,
      notes: this.header.notes,
      numberOfTests: this.#count,
      testGroups: this.#groups,
    };
  }
}

export const hex = toHex;
export const bytes = fromHex;

/** Hex of `h` with bit `bit` of byte `index` flipped (negative index counts from the end). */
export function flipBit(h: string, index: number, bit = 0): string {
  const b = fromHex(h);
  b[index < 0 ? b.length + index : index] ^= 1 << bit;
  return toHex(b);
}

/** Big-endian hex of a non-negative bigint, left-padded to `width` bytes. */
export function beHex(v: bigint, width: number): string {
  return v.toString(16).padStart(width * 2, "0");
}

/** Little-endian hex of a non-negative bigint in 32 bytes. */
export function le32(v: bigint): string {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return toHex(out);
}

export function leToBigInt(h: string): bigint {
  const b = fromHex(h);
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export const ascii = (s: string): string => toHex(new TextEncoder().encode(s));
