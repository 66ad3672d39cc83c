/**
 * Imported node:crypto KeyObjects, remembered so a key is imported once.
 *
 * Importing a raw key into node:crypto (DER wrap, parse, KeyObject) costs
 * about as much as an X25519 operation, and a handshake uses the same keys
 * more than once: the long-term signing key every time, an ephemeral private
 * key once to derive its public key and again to agree, a peer certificate's
 * key on every verification. A hit can make an answer faster, never
 * different:
 *
 * - private keys: a WeakMap on the Uint8Array object, so nothing is kept
 *   alive (no private key outlives its array); each hit compares the array's
 *   current bytes with a copy taken at import, so an array changed in place
 *   is imported again;
 * - public keys: a small least-recently-used map keyed by the bytes
 *   themselves (hex: about 0.1 µs for 32 bytes, faster than a one-char-per-byte
 *   string), because validation hands out
 *   a fresh copy of a certificate's key each time.
 *
 * @module
 */
import type { KeyObject } from "node:crypto";
import { toHex } from "../bytes.ts";

type Load = (raw: Uint8Array) => KeyObject;

interface Entry {
  readonly bytes: Uint8Array;
  readonly key: KeyObject;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Private keys imported by `load`, per key array (see the module comment). */
export function privateKeyCache(load: Load): Load {
  const entries = new WeakMap<Uint8Array, Entry>();
  return (raw) => {
    const hit = entries.get(raw);
    if (hit !== undefined && sameBytes(hit.bytes, raw)) return hit.key;
    const key = load(raw);
    entries.set(raw, { bytes: raw.slice(), key });
    return key;
  };
}

/** Public keys imported by `load`, the `limit` most recently used, keyed by content. */
export function publicKeyCache(load: Load, limit = 64): Load {
  const entries = new Map<string, KeyObject>();
  return (raw) => {
    const id = toHex(raw);
    const hit = entries.get(id);
    if (hit !== undefined) {
      entries.delete(id);
      entries.set(id, hit);
      return hit;
    }
    const key = load(raw);
    if (entries.size >= limit) entries.delete(entries.keys().next().value!);
    entries.set(id, key);
    return key;
  };
}
