/**
 * Ways to break a token for negative vectors: re-encode a part without
 * re-signing, flip a byte, swap signatures, sign with HMAC using the
 * operator's public key as the secret (the classic algorithm confusion).
 *
 * @module
 */
import { base64url } from "jose";
import { utf8 } from "../../bytes.ts";
import { getSuite } from "../../crypto/suite.ts";
import { encodeJson } from "../issue.ts";

export const parts = (t: string): [string, string, string] =>
  t.split(".") as [string, string, string];
export const decodeJson = (p: string) => JSON.parse(new TextDecoder().decode(base64url.decode(p)));

/** The token with its payload replaced by `edit(payload)`, signature kept. */
export function editPayload(t: string, edit: (p: Record<string, unknown>) => unknown): string {
  const [h, p, s] = parts(t);
  return `${h}.${encodeJson(edit(decodeJson(p)))}.${s}`;
}

/** The token with its header replaced by `edit(header)`, signature kept. */
export function editHeader(t: string, edit: (h: Record<string, unknown>) => unknown): string {
  const [h, p, s] = parts(t);
  return `${encodeJson(edit(decodeJson(h)))}.${p}.${s}`;
}

/** The token with byte `i` of its signature XORed with `mask`. */
export function flipSignature(t: string, i: number, mask = 0x01): string {
  const [h, p, s] = parts(t);
  const sig = base64url.decode(s);
  sig[i] ^= mask;
  return `${h}.${p}.${base64url.encode(sig)}`;
}

export function withSignature(t: string, sig: Uint8Array): string {
  const [h, p] = parts(t);
  return `${h}.${p}.${base64url.encode(sig)}`;
}

export const signatureOf = (t: string): Uint8Array => base64url.decode(parts(t)[2]);

/** header.payload signed with HMAC-SHA-256 under `secret` (RFC 7518 §3.2), alg HS256. */
export function hs256(header: Record<string, unknown>, payload: unknown, secret: Uint8Array) {
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  const mac = getSuite("p256").mac.mac(secret, utf8(input));
  return `${input}.${base64url.encode(mac)}`;
}

/** The last character of the signature part changed to another that decodes to the same bytes. */
export function nonCanonicalSignature(t: string): string {
  const [h, p, s] = parts(t);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(s[s.length - 1]);
  // 64-byte signatures leave the last character's 4 low bits unused.
  return `${h}.${p}.${s.slice(0, -1)}${alphabet[last ^ 1]}`;
}
