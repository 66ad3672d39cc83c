/**
 * The SCRAM key schedule (RFC 5802 §3) on @noble/hashes: Hi is PBKDF2 with
 * HMAC and a key as long as the hash; ClientKey, StoredKey, ServerKey,
 * ClientProof and ServerSignature follow from it. Also stored credentials
 * (from a password, or in the RFC 5803 text form) and a nonce helper.
 *
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64, utf8 } from "../../../core/bytes.ts";
import { CoreError, DerlinkError, fail, ok, type Result } from "../../../core/errors.ts";
import { decodeBase64Attribute, parseIterationCount } from "./attributes.ts";
import { SaslError } from "./errors.ts";
import { saslprep } from "./saslprep.ts";
import type { ScramHash, ScramMechanism, ScramStoredCredentials } from "./types.ts";

type HashFn = typeof sha256;

// spec: RFC5802-4 RFC7677-2
const HASHES: Readonly<Record<ScramHash, { readonly fn: HashFn; readonly length: number }>> = {
  "SHA-1": { fn: sha1 as HashFn, length: 20 },
  "SHA-256": { fn: sha256, length: 32 },
};

/** Output length of the hash in bytes (also the length of every SCRAM key). */
export const scramHashLength = (hash: ScramHash): number => HASHES[hash].length;

/** `{hash, plus}` of a SCRAM mechanism name, or undefined for any other name. */
export function parseScramMechanism(name: string): { hash: ScramHash; plus: boolean } | undefined {
  // spec: RFC5802-4
  const m = /^SCRAM-(SHA-1|SHA-256)(-PLUS)?$/.exec(name);
  return m ? { hash: m[1] as ScramHash, plus: m[2] !== undefined } : undefined;
}

/** The mechanism name for a hash, with or without -PLUS. */
export const scramMechanismName = (hash: ScramHash, plus: boolean): ScramMechanism =>
  `SCRAM-${hash}${plus ? "-PLUS" : ""}` as ScramMechanism;

const h = (hash: ScramHash, data: Uint8Array) => HASHES[hash].fn(data);
const mac = (hash: ScramHash, key: Uint8Array, data: Uint8Array) =>
  hmac(HASHES[hash].fn, key, data);

// spec: RFC5802-2.2
/** Hi(password, salt, i): PBKDF2-HMAC with dkLen = hash length. `password` is already SASLprep'd. */
export function saltedPassword(
  hash: ScramHash,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Uint8Array {
  return pbkdf2(HASHES[hash].fn, utf8(password), salt, {
    c: iterations,
    dkLen: HASHES[hash].length,
  });
}

/** The keys derived from SaltedPassword. */
export interface ScramKeys {
  readonly clientKey: Uint8Array;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

// spec: RFC5802-3
/** ClientKey = HMAC(SP, "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SP, "Server Key"). */
export function deriveScramKeys(hash: ScramHash, salted: Uint8Array): ScramKeys {
  const clientKey = mac(hash, salted, utf8("Client Key"));
  return {
    clientKey,
    storedKey: h(hash, clientKey),
    serverKey: mac(hash, salted, utf8("Server Key")),
  };
}

// spec: RFC5802-3
/** ClientSignature = HMAC(StoredKey, AuthMessage). */
export const clientSignature = (
  hash: ScramHash,
  storedKey: Uint8Array,
  authMessage: string,
): Uint8Array => mac(hash, storedKey, utf8(authMessage));

// spec: RFC5802-3
/** ServerSignature = HMAC(ServerKey, AuthMessage). */
export const serverSignature = (
  hash: ScramHash,
  serverKey: Uint8Array,
  authMessage: string,
): Uint8Array => mac(hash, serverKey, utf8(authMessage));

/** Byte-wise XOR of equal-length arrays (ClientProof = ClientKey XOR ClientSignature). */
export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

// spec: RFC5802-3
/** H(ClientProof XOR ClientSignature): what the server compares with StoredKey. */
export const storedKeyFromProof = (
  hash: ScramHash,
  proof: Uint8Array,
  signature: Uint8Array,
): Uint8Array => h(hash, xor(proof, signature));

/** SASLprep for a password: a stored string, so unassigned code points are refused (RFC 5802 §2.2). */
export function preparePassword(password: string): Result<string> {
  // spec: RFC5802-2.2.normalize PD-40
  const p = saslprep(password, { allowUnassigned: false });
  return p.ok ? ok(p.value) : fail(SaslError["invalid-password"], `SASLprep: ${p.reason}`);
}

/**
 * Server-side credentials from a password: the server keeps StoredKey and
 * ServerKey, never the password or SaltedPassword (RFC 5802 §3).
 */
export function scramCredentialsFromPassword(
  hash: ScramHash,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Result<ScramStoredCredentials> {
  if (salt.length === 0 || !Number.isSafeInteger(iterations) || iterations < 1) {
    return fail(
      CoreError["invalid-argument"],
      "salt must be non-empty and iterations a positive integer",
    );
  }
  const prepared = preparePassword(password);
  if (!prepared.ok) return prepared;
  const { storedKey, serverKey } = deriveScramKeys(
    hash,
    saltedPassword(hash, prepared.value, salt, iterations),
  );
  return ok({ hash, salt, iterations, storedKey, serverKey });
}

/**
 * Server-side credentials from a stored SaltedPassword (some servers keep
 * that instead of the two keys); the keys follow from it (RFC 5802 §3).
 */
export function scramCredentialsFromSaltedPassword(
  hash: ScramHash,
  salted: Uint8Array,
  salt: Uint8Array,
  iterations: number,
): Result<ScramStoredCredentials> {
  if (
    salted.length !== HASHES[hash].length || salt.length === 0 ||
    !Number.isSafeInteger(iterations) || iterations < 1
  ) {
    return fail(
      CoreError["invalid-argument"],
      "SaltedPassword length, salt or iteration count out of range",
    );
  }
  const { storedKey, serverKey } = deriveScramKeys(hash, salted);
  return ok({ hash, salt, iterations, storedKey, serverKey });
}

// spec: RFC5803-3
/** RFC 5803 text form: `SCRAM-SHA-256$<i>:<salt>$<StoredKey>:<ServerKey>`, base64 fields. */
export const formatScramStoredCredentials = (c: ScramStoredCredentials): string =>
  `SCRAM-${c.hash}$${c.iterations}:${toBase64(c.salt)}$${toBase64(c.storedKey)}:${
    toBase64(c.serverKey)
  }`;

/** Parses the RFC 5803 text form, checking key lengths against the hash. */
export function parseScramStoredCredentials(text: string): Result<ScramStoredCredentials> {
  const m = /^SCRAM-(SHA-1|SHA-256)\$([^:$]+):([^:$]+)\$([^:$]+):([^:$]+)$/.exec(text);
  if (!m) {
    return fail(SaslError["malformed-message"], "not SCRAM-<hash>$<i>:<salt>$<stored>:<server>");
  }
  const hash = m[1] as ScramHash;
  const iterations = parseIterationCount(m[2]);
  if (!iterations.ok) return iterations;
  const parts = [
    decodeBase64Attribute(m[3], "salt"),
    decodeBase64Attribute(m[4], "StoredKey"),
    decodeBase64Attribute(m[5], "ServerKey"),
  ];
  for (const p of parts) if (!p.ok) return fail(p.error.code, p.error.detail);
  const [salt, storedKey, serverKey] = parts.map((p) => (p as { value: Uint8Array }).value);
  if (storedKey.length !== scramHashLength(hash) || serverKey.length !== scramHashLength(hash)) {
    return fail(SaslError["malformed-message"], "key length does not match the hash");
  }
  if (salt.length === 0) return fail(SaslError["invalid-salt"], "empty salt");
  return ok({ hash, salt, iterations: iterations.value, storedKey, serverKey });
}

/**
 * A nonce from random bytes (draw them from the caller's EntropySource):
 * base64 is printable ASCII without comma. 18 bytes give 24 characters.
 */
export function scramNonce(random: Uint8Array): string {
  // spec: RFC5802-5.1.r
  if (random.length < 1) {
    throw new DerlinkError(CoreError["invalid-argument"], "nonce needs random bytes");
  }
  return toBase64(random);
}
