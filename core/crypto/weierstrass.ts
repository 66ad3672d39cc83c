/**
 * Key and point validation for the short-Weierstrass curves (P-256,
 * brainpoolP256r1), shared by every provider.
 *
 * Public keys are accepted in one encoding only: uncompressed SEC 1
 * (`04 || x || y`, 65 bytes). Private keys are 32-byte big-endian scalars in
 * [1, n-1]. Key generation reduces 48 entropy bytes modulo n-1 and adds one
 * (noble's `randomSecretKey(seed)`, the FIPS 186-5 A.4.1 "extra random bits"
 * method), so a seeded source gives the same key on every platform.
 *
 * @module
 */
import { p256 } from "@noble/curves/nist.js";
import { brainpoolP256r1 } from "@noble/curves/misc.js";
import { DerlinkError } from "../errors.ts";
import type { EntropySource } from "../entropy.ts";
import { CryptoError } from "./errors.ts";

/** The noble curve object: parameters, point arithmetic, scalar field. */
export type WeierstrassCurve = typeof p256;

// spec: RFC5639-3.4
// noble 2.4.0 ships brainpoolP256r1; suite_test.ts checks its parameters against RFC 5639 §3.4.
export const WEIERSTRASS = { p256, brainpoolP256r1 } as const;
export type WeierstrassName = keyof typeof WEIERSTRASS;

/** Bytes of a scalar / field element (both curves are 256-bit). */
export const SCALAR_BYTES = 32;
/** Uncompressed SEC 1 point length. */
export const PUBLIC_BYTES = 65;
/** Entropy drawn per key: n's bytes plus half again, so the bias of the reduction is < 2^-128. */
export const SEED_BYTES = 48;

const toBigInt = (b: Uint8Array): bigint => {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
};

/** Throws a typed code unless `d` is a valid private scalar. */
export function checkPrivateKey(curve: WeierstrassCurve, d: Uint8Array): void {
  // spec: SEC1-3.2.1
  if (d.length !== SCALAR_BYTES) {
    throw new DerlinkError(CryptoError["invalid-key-length"], `private key of ${d.length} bytes`);
  }
  const v = toBigInt(d);
  if (v === 0n || v >= curve.Point.CURVE().n) {
    throw new DerlinkError(CryptoError["invalid-private-key"], "scalar outside [1, n-1]");
  }
}

/**
 * Full public-key validation (SEC 1 §3.2.2.1): encoding, coordinate range,
 * curve equation, not the identity. Cofactor is 1 on both curves, so a point
 * on the curve has order n.
 */
export function checkPublicKey(curve: WeierstrassCurve, q: Uint8Array): void {
  // spec: SEC1-3.2.2 PD-11
  if (q.length === 1 && q[0] === 0) {
    throw new DerlinkError(CryptoError["point-at-infinity"], "SEC 1 encoding of the identity");
  }
  if ((q.length === 33 && (q[0] === 2 || q[0] === 3))) {
    throw new DerlinkError(CryptoError["invalid-point-encoding"], "compressed point");
  }
  if (q.length !== PUBLIC_BYTES) {
    throw new DerlinkError(CryptoError["invalid-key-length"], `public key of ${q.length} bytes`);
  }
  if (q[0] !== 4) {
    throw new DerlinkError(CryptoError["invalid-point-encoding"], `prefix ${q[0]}`);
  }
  const { p } = curve.Point.CURVE();
  if (toBigInt(q.subarray(1, 33)) >= p || toBigInt(q.subarray(33)) >= p) {
    throw new DerlinkError(CryptoError["invalid-point-encoding"], "coordinate not below p");
  }
  let point;
  try {
    point = curve.Point.fromBytes(q);
  } catch {
    throw new DerlinkError(CryptoError["point-not-on-curve"], "curve equation fails");
  }
  point.assertValidity();
}

/** A private scalar from entropy, reproducible for a seeded source. */
export function generatePrivateKey(curve: WeierstrassCurve, entropy: EntropySource): Uint8Array {
  // spec: PD-15
  return curve.utils.randomSecretKey(entropy.bytes(SEED_BYTES));
}
