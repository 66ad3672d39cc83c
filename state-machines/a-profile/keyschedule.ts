/**
 * Key schedule of an association: HKDF-SHA-256 from the ECDH secret, salted
 * with the transcript hash, one traffic secret per direction, and a ratchet
 * that replaces a direction's secret on key update.
 *
 *   i2r ‖ r2i      = HKDF(IKM = ECDH secret, salt = transcript hash,
 *                         info = "derlink a-profile v0 secrets" ‖ transcript hash, 64)
 *   secret[d, e+1] = HKDF(IKM = secret[d, e], no salt, info = "derlink a-profile v0 key update", 32)
 *   key ‖ iv       = HKDF(IKM = secret[d, e], no salt, info = "derlink a-profile v0 traffic", key length + 12)
 *
 * `d` is `i2r` (initiator to responder) or `r2i`; each secret is 32 bytes.
 * The HMAC mode's key is the 32-byte key; its IV is derived too but unused.
 *
 * @module
 */
import { concat, utf8 } from "../../core/bytes.ts";
import type { Kdf } from "../../core/crypto/suite.ts";
import type { ModeId } from "./types.ts";

export type Direction = "i2r" | "r2i";

// The secrets are uniformly random 32 bytes: HKDF without salt (RFC 5869 §3.1) is enough,
// and the one-shot form is one call into the fastest provider.
const NO_SALT = new Uint8Array(0);

const info = (label: string, extra: Uint8Array = new Uint8Array(0)) =>
  concat(utf8(`derlink a-profile v0 ${label}`), extra);
// The fixed infos, encoded once (every typed array costs microseconds to allocate in Deno).
const KEY_UPDATE_INFO = info("key update");
const TRAFFIC_INFO = info("traffic");

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
  const okm = kdf.hkdf(sharedSecret, transcript, info("secrets", transcript), 64);
  return { i2r: okm.slice(0, 32), r2i: okm.slice(32) };
}

/** The secret of the next key epoch. */
// spec: PD-93
export const nextSecret = (kdf: Kdf, secret: Uint8Array): Uint8Array =>
  kdf.hkdf(secret, NO_SALT, KEY_UPDATE_INFO, 32);

/** Key and IV of one epoch. */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

export function trafficKeys(kdf: Kdf, secret: Uint8Array, mode: ModeId): TrafficKeys {
  const n = KEY_BYTES[mode];
  const okm = kdf.hkdf(secret, NO_SALT, TRAFFIC_INFO, n + IV_BYTES);
  return { key: okm.slice(0, n), iv: okm.slice(n) };
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
