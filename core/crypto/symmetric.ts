/**
 * The symmetric half of a suite: AES-GCM, HKDF, HMAC and SHA-256 with the
 * profile's length rules checked before any provider runs.
 *
 * @module
 */
import { constantTimeEqual } from "../bytes.ts";
import { CoreError, DerlinkError } from "../errors.ts";
import { CryptoError } from "./errors.ts";
import type { ProviderId, SymmetricPrimitives } from "./primitives.ts";
import type { Aead, Hash, Kdf, Mac } from "./suite.ts";

/** A provider's primitive together with the provider's id (for error details). */
export interface Prim<T> {
  readonly id: ProviderId;
  readonly p: T;
}

/** Runs provider code; anything it throws on validated input is a bug, never a peer's fault. */
export function guard<T>(provider: ProviderId, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DerlinkError) throw e;
    throw new DerlinkError(CoreError.internal, `${provider} ${what}: ${(e as Error).message}`);
  }
}

const EMPTY = new Uint8Array(0);
const HASH_BYTES = 32;
const TAG_BYTES = 16;
/** RFC 5869 §2.3: L <= 255 * HashLen. */
export const HKDF_MAX_LENGTH = 255 * HASH_BYTES;

function checkGcmInputs(key: Uint8Array, nonce: Uint8Array): void {
  // spec: PD-18
  if (key.length !== 16 && key.length !== 32) {
    throw new DerlinkError(CryptoError["invalid-key-length"], `AES key of ${key.length} bytes`);
  }
  // spec: SP800-38D-5.2.1.1 PD-18
  if (nonce.length !== 12) {
    throw new DerlinkError(CryptoError["invalid-nonce-length"], `nonce of ${nonce.length} bytes`);
  }
}

function checkOutputLength(length: number): void {
  // spec: RFC5869-2.3
  if (!Number.isInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new DerlinkError(CryptoError["invalid-length"], `HKDF output of ${length} bytes`);
  }
}

export function aead(p: Prim<SymmetricPrimitives>): Aead {
  return {
    name: "AES-GCM",
    keyLengths: [16, 32],
    nonceLength: 12,
    tagLength: 16,
    seal(key, nonce, plaintext, aad = EMPTY) {
      // spec: SP800-38D-7.1
      checkGcmInputs(key, nonce);
      return guard(p.id, "AES-GCM seal", () => p.p.gcmSeal!(key, nonce, plaintext, aad));
    },
    open(key, nonce, sealed, aad = EMPTY) {
      checkGcmInputs(key, nonce);
      // spec: SP800-38D-7.2
      if (sealed.length < TAG_BYTES) {
        throw new DerlinkError(CryptoError["aead-auth-failed"], "shorter than the tag");
      }
      const plain = guard(p.id, "AES-GCM open", () => p.p.gcmOpen!(key, nonce, sealed, aad));
      if (plain === null) throw new DerlinkError(CryptoError["aead-auth-failed"]);
      return plain;
    },
  };
}

export function kdf(
  full: Prim<SymmetricPrimitives>,
  ext: Prim<SymmetricPrimitives>,
  exp: Prim<SymmetricPrimitives>,
): Kdf {
  return {
    name: "HKDF-SHA256",
    hkdf(ikm, salt, info, length) {
      // spec: RFC5869-2.2 RFC5869-2.3
      checkOutputLength(length);
      return guard(full.id, "HKDF", () => full.p.hkdf!(ikm, salt, info, length));
    },
    extract: (salt, ikm) => guard(ext.id, "HKDF-Extract", () => ext.p.hkdfExtract!(salt, ikm)),
    expand(prk, info, length) {
      // spec: RFC5869-2.3
      if (prk.length < HASH_BYTES) {
        throw new DerlinkError(CryptoError["invalid-key-length"], `PRK of ${prk.length} bytes`);
      }
      checkOutputLength(length);
      return guard(exp.id, "HKDF-Expand", () => exp.p.hkdfExpand!(prk, info, length));
    },
  };
}

export function mac(p: Prim<SymmetricPrimitives>): Mac {
  const compute = (k: Uint8Array, m: Uint8Array) =>
    guard(p.id, "HMAC", () => p.p.hmacSha256!(k, m));
  return {
    name: "HMAC-SHA256",
    // spec: RFC2104-2
    mac: compute,
    verify: (k, m, tag) => tag.length === HASH_BYTES && constantTimeEqual(compute(k, m), tag),
  };
}

export function hash(p: Prim<SymmetricPrimitives>): Hash {
  // spec: FIPS180-4-6.2
  return { name: "SHA-256", digest: (m) => guard(p.id, "SHA-256", () => p.p.sha256!(m)) };
}
