/**
 * Strict DER for ECDSA signatures: `SEQUENCE { INTEGER r, INTEGER s }`.
 *
 * Parsing goes through noble's DER reader, which already refuses long-form
 * lengths where the short form fits, indefinite lengths, negative or
 * zero-padded integers and bytes after either structure. On top of it this
 * module bounds the size and checks 1 <= r, s < n, and turns every failure
 * into a typed code.
 *
 * @module
 */
import { DER } from "@noble/curves/abstract/weierstrass.js";
import { DerlinkError } from "../errors.ts";
import { CryptoError } from "./errors.ts";
import type { WeierstrassCurve } from "./weierstrass.ts";

/** Longest DER signature for a 256-bit order: 2 + 2 × (2 + 33). */
export const MAX_DER_BYTES = 72;

/** Parses a DER signature and returns the compact 64-byte r||s, or throws a typed code. */
export function derToCompact(curve: WeierstrassCurve, der: Uint8Array): Uint8Array {
  // spec: X690-10.1 X690-8.3.2 PD-12
  // noble's reader: short-form lengths when they fit, no indefinite length, minimal INTEGERs,
  // nothing after either structure.
  if (der.length > MAX_DER_BYTES) {
    throw new DerlinkError(CryptoError["signature-encoding"], `${der.length} bytes`);
  }
  let r: bigint, s: bigint;
  try {
    ({ r, s } = DER.toSig(der));
  } catch (e) {
    throw new DerlinkError(CryptoError["signature-encoding"], (e as Error).message);
  }
  // spec: FIPS186-5-6.4.2
  const { n } = curve.Point.CURVE();
  if (r < 1n || r >= n || s < 1n || s >= n) {
    throw new DerlinkError(CryptoError["signature-out-of-range"], "r or s outside [1, n-1]");
  }
  return new curve.Signature(r, s).toBytes("compact");
}

/** DER encoding of a compact r||s signature (minimal, as X.690 requires). */
export function compactToDer(curve: WeierstrassCurve, compact: Uint8Array): Uint8Array {
  return curve.Signature.fromBytes(compact, "compact").toBytes("der");
}
