/**
 * Byte helpers: concatenation, constant-time comparison, hex and base64.
 *
 * Encoding and comparison go through @noble/hashes' utilities where they
 * exist; the rest are small enough to state here.
 *
 * @module
 */
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { CoreError, defineErrorCodes, DerlinkError } from "./errors.ts";

export const BytesError = defineErrorCodes("bytes", {
  "bad-hex": "text is not an even-length string of hexadecimal digits",
  "bad-base64": "text is not canonical padded base64",
});

/** Joins byte arrays into one fresh array. */
export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

/** UTF-8 encoding of a string. */
export const utf8 = (s: string): Uint8Array => utf8ToBytes(s);

const decoder = new TextDecoder("utf-8", { fatal: true });
/** Strict UTF-8 decoding: malformed input throws. */
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);

/** Lower-case hex. */
export const toHex = (b: Uint8Array): string => bytesToHex(b);

/** Parses hex (either case); throws `bytes/bad-hex` on anything else. */
// spec: DL-BYTES-2
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new DerlinkError(BytesError["bad-hex"], `length ${hex.length}`);
  }
  return hexToBytes(hex);
}

/**
 * Compares two byte arrays in time that depends only on their lengths, so a
 * MAC or signature check does not leak how many leading bytes matched.
 */
// spec: DL-BYTES-1
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 (RFC 4648 §4), by the runtime's native encoder. */
export const toBase64 = (b: Uint8Array): string => b.toBase64();

/**
 * Parses canonical padded base64; throws `bytes/bad-base64` otherwise. The
 * pattern settles alphabet, padding and length (the native decoder would
 * skip white space); the native decoder in strict mode then refuses
 * non-zero padding bits, the only non-canonical form left.
 */
// spec: DL-BYTES-2
export function fromBase64(text: string): Uint8Array {
  if (!B64.test(text)) throw new DerlinkError(BytesError["bad-base64"], `length ${text.length}`);
  try {
    return Uint8Array.fromBase64(text, { lastChunkHandling: "strict" });
  } catch {
    // Non-zero padding bits make two texts decode alike; canonical form only.
    throw new DerlinkError(BytesError["bad-base64"], "non-canonical");
  }
}

/** Big-endian unsigned integer of `width` bytes. */
export function uintBE(value: number | bigint, width: number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * width)) {
    throw new DerlinkError(CoreError["invalid-argument"], `${v} does not fit ${width} bytes`);
  }
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
