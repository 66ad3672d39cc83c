/**
 * Small builders shared by the crypto vector generators: a file/group/test
 * accumulator that numbers tests, and byte helpers for mutations.
 *
 * @module
 */
import { fromHex, toHex } from "../../bytes.ts";
import { VectorFileBuilder as SharedBuilder } from "../../../tools/vector_file_builder.ts";

export type { Json, TestCase } from "../../../tools/vector_file_builder.ts";

/** The shared builder, with the crypto schema and a file name for the writer. */
export class VectorFileBuilder extends SharedBuilder {
  constructor(
    readonly name: string,
    header: { suite: string; source: string; notes: Record<string, string> },
  ) {
    super({ ...header, schema: "crypto.schema.json" });
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
