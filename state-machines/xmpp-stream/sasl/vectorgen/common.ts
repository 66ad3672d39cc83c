/**
 * Shared parts of the SCRAM vector generator: the two RFC example exchanges,
 * typed in from RFC 5802 §5 and RFC 7677 §3, the made-up binding data, the
 * independent AuthMessage/proof assembly, and the test-case builders.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromBase64, toBase64, utf8 } from "../../../../core/bytes.ts";
import {
  clientSignature,
  deriveScramKeys,
  saltedPassword,
  serverSignature,
  xor,
} from "../scram_crypto.ts";
import type { ScramHash } from "../types.ts";

// RFC 5802 §5 (SCRAM-SHA-1, user "user", password "pencil").
// spec: RFC5802-5.example
export const SHA1 = {
  clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  serverNonce: "3rfcNHYJY1ZVvWVs7j",
  salt: "QSXCR+Q6sek8bf92",
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
} as const;

// RFC 7677 §3 (SCRAM-SHA-256, user "user", password "pencil").
// spec: RFC7677-3
export const SHA256 = {
  clientNonce: "rOprNGfwEbeRWgbNEkqO",
  serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
  salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst:
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal:
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
} as const;

export const N1 = SHA1.clientNonce + SHA1.serverNonce;
export const N256 = SHA256.clientNonce + SHA256.serverNonce;
/** Made-up binding data for the -PLUS cases (32 bytes, like tls-exporter's). */
export const CB_DATA = sha256(utf8("derlink example tls-exporter channel binding"));
export const OTHER_CB_DATA = sha256(utf8("derlink another connection"));

/** client-final and server-final for given messages, computed from the primitives. */
export function finish(
  hash: ScramHash,
  password: string,
  saltB64: string,
  iterations: number,
  clientFirstBare: string,
  serverFirst: string,
  withoutProof: string,
): { clientFinal: string; serverFinal: string } {
  const keys = deriveScramKeys(
    hash,
    saltedPassword(hash, password, fromBase64(saltB64), iterations),
  );
  const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const proof = xor(keys.clientKey, clientSignature(hash, keys.storedKey, auth));
  return {
    clientFinal: `${withoutProof},p=${toBase64(proof)}`,
    serverFinal: `v=${toBase64(serverSignature(hash, keys.serverKey, auth))}`,
  };
}
export const cAttr = (gs2: string, data: Uint8Array = new Uint8Array(0)) =>
  toBase64(concat(utf8(gs2), data));

export type Json = Record<string, unknown>;
let nextId = 1;
export const t = (comment: string, spec: string[], fields: Json, flags: string[] = []): Json => {
  const { error, ...rest } = fields;
  return {
    tcId: nextId++,
    comment,
    flags,
    spec,
    result: error === undefined ? "valid" : "invalid",
    ...(error === undefined ? {} : { error }),
    ...rest,
  };
};
export const bad = (
  comment: string,
  spec: string[],
  failsAt: string,
  error: string,
  fields: Json,
  flags: string[] = [],
) => t(comment, spec, { ...fields, failsAt, error }, flags);

/** Restarts tcId numbering (one file, one sequence). */
export const resetIds = (): void => {
  nextId = 1;
};
