/**
 * The `Suite` interface: every cryptographic operation a derlink machine
 * uses (A-profile handshake, group keying, tokens), behind one synchronous
 * object per cipher suite.
 *
 * Three suites exist (DESIGN.md §9 and the paper's public descriptions of
 * IEC 62351-style profiles):
 * - `p256`: ECDH and ECDSA on NIST P-256 with SHA-256;
 * - `brainpool256`: ECDH and ECDSA on brainpoolP256r1 (RFC 5639) with SHA-256;
 * - `x25519-ed25519`: X25519 (RFC 7748) and Ed25519 (RFC 8032).
 * All three share HKDF-SHA-256, HMAC-SHA-256, SHA-256 and AES-GCM (12-byte
 * nonces, 16- or 32-byte keys).
 *
 * Failures throw `DerlinkError` with a `crypto/*` code; `sig.verify` answers
 * a boolean and `sig.check` says why a signature was refused. Several
 * providers can compute a suite (`noble`, `node`); `getSuite(id)` gives the
 * default mix, fastest correct per operation with deterministic ECDSA signing.
 *
 * @module
 */
import type { EntropySource } from "../entropy.ts";
import type { Result } from "../errors.ts";
import { DerlinkError } from "../errors.ts";
import { CryptoError } from "./errors.ts";
import type { ProviderId } from "./primitives.ts";
import { buildSuite, providersOf } from "./build.ts";

export type { ProviderId } from "./primitives.ts";
export { CryptoError } from "./errors.ts";

/** Suite identifiers. */
export type SuiteId = "p256" | "brainpool256" | "x25519-ed25519";

/** A provider, or `default`: the per-operation choice of DEFAULT_PROVIDERS. */
export type ProviderChoice = ProviderId | "default";

export interface KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Ephemeral-static or ephemeral-ephemeral key agreement. */
export interface KeyAgreement {
  readonly name: "ECDH-P256" | "ECDH-brainpoolP256r1" | "X25519";
  readonly privateKeyLength: 32;
  /** 65 (uncompressed SEC 1) for the Weierstrass curves, 32 for X25519. */
  readonly publicKeyLength: 32 | 65;
  readonly sharedSecretLength: 32;
  /** A fresh key pair; the same seeded source gives the same pair on every provider. */
  generate(entropy: EntropySource): KeyPair;
  publicFromPrivate(privateKey: Uint8Array): Uint8Array;
  /** Throws unless the peer's public key is acceptable for agree(). */
  checkPublicKey(publicKey: Uint8Array): void;
  /** The raw shared secret (x- or u-coordinate); feed it to HKDF, never use it as a key. */
  agree(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

export interface SignatureScheme {
  readonly name: "ECDSA-P256-SHA256" | "ECDSA-brainpoolP256r1-SHA256" | "Ed25519";
  readonly privateKeyLength: 32;
  readonly publicKeyLength: 32 | 65;
  /** True when sign() is a pure function of key and message (transcripts replay byte for byte). */
  readonly deterministic: boolean;
  generate(entropy: EntropySource): KeyPair;
  publicFromPrivate(privateKey: Uint8Array): Uint8Array;
  /** ECDSA: DER `SEQUENCE { r, s }` over SHA-256(message). Ed25519: 64 bytes. */
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** True only for a well-formed, valid signature by this key; never throws. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Like verify, but says why a signature was refused (a `crypto/*` code). */
  check(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Result<true>;
}

export interface Aead {
  readonly name: "AES-GCM";
  readonly keyLengths: readonly [16, 32];
  readonly nonceLength: 12;
  readonly tagLength: 16;
  /** Ciphertext with the 16-byte tag appended. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Plaintext; throws `crypto/aead-auth-failed` when anything was changed. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;
}

/** HKDF with SHA-256 (RFC 5869). */
export interface Kdf {
  readonly name: "HKDF-SHA256";
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
}

export interface Mac {
  readonly name: "HMAC-SHA256";
  mac(key: Uint8Array, message: Uint8Array): Uint8Array;
  /** Constant-time comparison of a full 32-byte tag. */
  verify(key: Uint8Array, message: Uint8Array, tag: Uint8Array): boolean;
}

export interface Hash {
  readonly name: "SHA-256";
  digest(message: Uint8Array): Uint8Array;
}

/** Which provider computes each operation of a built suite (for reports and benches). */
export type OperationProviders = Readonly<Record<Operation, ProviderId>>;

export type Operation =
  | "kex.public"
  | "kex.agree"
  | "sig.public"
  | "sig.sign"
  | "sig.verify"
  | "aead"
  | "hkdf"
  | "hkdf.extract"
  | "hkdf.expand"
  | "hmac"
  | "sha256";

// spec: PD-19
// Synchronous on purpose: node:crypto and noble are sync; WebCrypto (async) is a bench reference only.
export interface Suite {
  readonly id: SuiteId;
  readonly provider: ProviderChoice;
  readonly providers: OperationProviders;
  readonly kex: KeyAgreement;
  readonly sig: SignatureScheme;
  readonly aead: Aead;
  readonly kdf: Kdf;
  readonly mac: Mac;
  readonly hash: Hash;
}

export interface SuiteInfo {
  readonly id: SuiteId;
  readonly description: string;
  /** Providers that can build this suite. */
  readonly providers: readonly ProviderChoice[];
}

// spec: PD-10
const DESCRIPTIONS: Readonly<Record<SuiteId, string>> = {
  "p256": "ECDH + ECDSA on NIST P-256 with SHA-256; HKDF/HMAC-SHA-256; AES-GCM",
  "brainpool256":
    "ECDH + ECDSA on brainpoolP256r1 (RFC 5639) with SHA-256; HKDF/HMAC-SHA-256; AES-GCM",
  "x25519-ed25519": "X25519 (RFC 7748) + Ed25519 (RFC 8032); HKDF/HMAC-SHA-256; AES-GCM",
};

/** Every suite with the providers that implement it. */
export function listSuites(): readonly SuiteInfo[] {
  return (Object.keys(DESCRIPTIONS) as SuiteId[]).map((id) => ({
    id,
    description: DESCRIPTIONS[id],
    providers: providersOf(id),
  }));
}

export function isSuiteId(id: string): id is SuiteId {
  return Object.hasOwn(DESCRIPTIONS, id);
}

const cache = new Map<string, Suite>();

/**
 * The suite `id` computed by `provider` (default: the per-operation default).
 * Throws `crypto/unknown-suite`, or `crypto/unsupported` when the provider has
 * none of the suite's public-key operations (node has no brainpool).
 */
export function getSuite(id: string, provider: ProviderChoice = "default"): Suite {
  if (!isSuiteId(id)) throw new DerlinkError(CryptoError["unknown-suite"], id);
  const key = `${id}/${provider}`;
  let suite = cache.get(key);
  if (!suite) {
    suite = buildSuite(id, provider);
    cache.set(key, suite);
  }
  return suite;
}

/** True when getSuite(id, provider) succeeds. */
export function supports(id: SuiteId, provider: ProviderChoice): boolean {
  return providersOf(id).includes(provider);
}
