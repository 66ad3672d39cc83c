/**
 * Input checks for X25519 (RFC 7748) and Ed25519 (RFC 8032), shared by
 * every provider and cheap enough to run before each operation: byte
 * comparisons and one bigint reduction, no point decompression.
 *
 * @module
 */
import { ed25519, ED25519_TORSION_SUBGROUP } from "@noble/curves/ed25519.js";
import { DerlinkError } from "../errors.ts";
import { toHex } from "../bytes.ts";
import { CryptoError } from "./errors.ts";

export const KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

const P = 2n ** 255n - 19n;
/** Order of the Ed25519 prime-order subgroup (RFC 8032 §5.1, "L"). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Little-endian bytes as an integer, four bytes per bigint step (a third of the bytewise time). */
const littleEndian = (b: Uint8Array): bigint => {
  let v = 0n;
  let i = b.length;
  for (; i >= 4; i -= 4) {
    v = (v << 32n) |
      BigInt(((b[i - 1] << 24) | (b[i - 2] << 16) | (b[i - 3] << 8) | b[i - 4]) >>> 0);
  }
  for (; i > 0; i--) v = (v << 8n) | BigInt(b[i - 1]);
  return v;
};

/**
 * Montgomery u-coordinates of the points whose order divides the cofactor
 * (0, 1, p-1 and the two points of order 8). X25519 of any scalar with them
 * is zero. The two large values are the ones listed on cr.yp.to/ecdh.html.
 */
const SMALL_ORDER_U = new Set<bigint>([
  0n,
  1n,
  P - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
]);

export function checkX25519Key(key: Uint8Array, what: "private" | "public"): void {
  // spec: RFC7748-5
  if (key.length !== KEY_BYTES) {
    throw new DerlinkError(CryptoError["invalid-key-length"], `${what} key of ${key.length} bytes`);
  }
}

/**
 * Refuses small-order u before the ladder runs, so a hostile peer cannot time
 * the private key against them. The top bit is masked and u reduced mod p
 * first (RFC 7748 §5), so non-canonical spellings of the same u are caught too.
 */
export function checkX25519Peer(u: Uint8Array): void {
  checkX25519Key(u, "public");
  // spec: RFC7748-6.1 PD-16
  const masked = littleEndian(u) & ((1n << 255n) - 1n);
  if (SMALL_ORDER_U.has(masked % P)) {
    throw new DerlinkError(CryptoError["small-order-point"], "peer u-coordinate of small order");
  }
}

/** The RFC 7748 §6.1 check on the output: all zero means the peer's point had small order. */
export function checkX25519Output(shared: Uint8Array): void {
  // spec: RFC7748-6.1
  let acc = 0;
  for (const b of shared) acc |= b;
  if (acc === 0) throw new DerlinkError(CryptoError["small-order-point"], "all-zero shared secret");
}

const TORSION = new Set<string>(ED25519_TORSION_SUBGROUP);

/**
 * RFC 8032 §5.1.3 canonical encoding: y below p, and no sign bit when x is 0
 * (y = 1 or y = p-1). Returns a reason, or null when canonical.
 */
function nonCanonical(enc: Uint8Array): string | null {
  const y = littleEndian(enc) & ((1n << 255n) - 1n);
  if (y >= P) return "y not below p";
  if ((enc[31] & 0x80) !== 0 && (y === 1n || y === P - 1n)) return "sign bit set with x = 0";
  return null;
}

/** Cheap Ed25519 public-key checks run before every verification. */
export function checkEd25519PublicKey(a: Uint8Array): void {
  if (a.length !== KEY_BYTES) {
    throw new DerlinkError(CryptoError["invalid-key-length"], `public key of ${a.length} bytes`);
  }
  // spec: RFC8032-5.1.3 PD-14
  const why = nonCanonical(a);
  if (why) throw new DerlinkError(CryptoError["invalid-point-encoding"], why);
  if (TORSION.has(toHex(a))) {
    throw new DerlinkError(CryptoError["small-order-point"], "public key in the torsion subgroup");
  }
}

/** Cheap Ed25519 signature checks: length, S < L, canonical R. */
export function checkEd25519Signature(sig: Uint8Array): void {
  if (sig.length !== ED25519_SIGNATURE_BYTES) {
    throw new DerlinkError(CryptoError["signature-encoding"], `${sig.length} bytes`);
  }
  // spec: RFC8032-5.1.7
  if (littleEndian(sig.subarray(32)) >= L) {
    throw new DerlinkError(CryptoError["signature-out-of-range"], "S not below L");
  }
  // spec: RFC8032-5.1.3 PD-14
  const why = nonCanonical(sig.subarray(0, 32));
  if (why) throw new DerlinkError(CryptoError["signature-encoding"], `R: ${why}`);
}

/**
 * After a failed verification: tells an undecodable public key or R apart
 * from a plain mismatch. Runs only on failure, so its decompression costs
 * nothing on the success path.
 */
export function diagnoseEd25519Failure(a: Uint8Array, sig: Uint8Array): DerlinkError {
  try {
    ed25519.Point.fromBytes(a, false);
  } catch {
    return new DerlinkError(CryptoError["point-not-on-curve"], "public key does not decode");
  }
  try {
    ed25519.Point.fromBytes(sig.subarray(0, 32), false);
  } catch {
    return new DerlinkError(CryptoError["signature-encoding"], "R does not decode");
  }
  return new DerlinkError(CryptoError["signature-mismatch"], "Ed25519 equation fails");
}

export function checkEd25519PrivateKey(seed: Uint8Array): void {
  // spec: RFC8032-5.1.5
  if (seed.length !== KEY_BYTES) {
    throw new DerlinkError(
      CryptoError["invalid-key-length"],
      `private key of ${seed.length} bytes`,
    );
  }
}
