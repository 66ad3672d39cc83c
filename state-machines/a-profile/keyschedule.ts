/**
 * Key schedule of an association: HKDF-SHA-256 from the ECDH secret, salted
 * with the transcript hash, one traffic secret per direction, and a ratchet
 * that replaces a direction's secret on key update.
 *
 *   PRK            = HKDF-Extract(salt = transcript hash, IKM = ECDH secret)
 *   secret[dir, 0] = HKDF-Expand(PRK, "derlink a-profile v0 <dir> secret" ‖ transcript hash, 32)
 *   secret[dir, e+1] = HKDF-Expand(secret[dir, e], "derlink a-profile v0 key update", 32)
 *   key[dir, e]    = HKDF-Expand(secret[dir, e], "derlink a-profile v0 key", 16 | 32)
 *   iv[dir, e]     = HKDF-Expand(secret[dir, e], "derlink a-profile v0 iv", 12)
 *
 * `<dir>` is `i2r` (initiator to responder) or `r2i`. The HMAC mode's key is
 * the 32-byte `key`; its iv is derived too but unused.
 *
 * @module
 */
import { concat, utf8 } from "../../core/bytes.ts";
import type { Kdf } from "../../core/crypto/suite.ts";
import type { ModeId } from "./types.ts";

export type Direction = "i2r" | "r2i";

const info = (label: string, extra: Uint8Array = new Uint8Array(0)) =>
  concat(utf8(`derlink a-profile v0 ${label}`), extra);

/** Key length of each protection mode. */
export const KEY_BYTES: Readonly<Record<ModeId, number>> = {
  "aes-128-gcm": 16,
  "aes-256-gcm": 32,
  "hmac-sha256": 32,
};
export const IV_BYTES = 12;

/** The first traffic secret of each direction. */
// spec: PD-88 PAPER-M3
export function initialSecrets(
  kdf: Kdf,
  sharedSecret: Uint8Array,
  transcript: Uint8Array,
): Readonly<Record<Direction, Uint8Array>> {
  const prk = kdf.extract(transcript, sharedSecret);
  return {
    i2r: kdf.expand(prk, info("i2r secret", transcript), 32),
    r2i: kdf.expand(prk, info("r2i secret", transcript), 32),
  };
}

/** The secret of the next key epoch. */
// spec: PD-93
export const nextSecret = (kdf: Kdf, secret: Uint8Array): Uint8Array =>
  kdf.expand(secret, info("key update"), 32);

/** Key and IV of one epoch. */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

export function trafficKeys(kdf: Kdf, secret: Uint8Array, mode: ModeId): TrafficKeys {
  return {
    key: kdf.expand(secret, info("key"), KEY_BYTES[mode]),
    iv: kdf.expand(secret, info("iv"), IV_BYTES),
  };
}

/** The AES-GCM nonce of a PDU: the epoch's IV XOR the sequence number (64-bit, right-aligned). */
// spec: PD-90
export function pduNonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  let s = BigInt(seq);
  for (let i = 11; i >= 4; i--) {
    nonce[i] ^= Number(s & 0xffn);
    s >>= 8n;
  }
  return nonce;
}
