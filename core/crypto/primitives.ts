/**
 * What a crypto provider implements: bare arithmetic on inputs the suite
 * layer has already validated.
 *
 * Validation (lengths, ranges, point checks, strict DER, nonce sizes) lives
 * once in the suite layer, so every provider refuses exactly the same inputs
 * with the same codes; a provider only has to compute correctly. Any
 * operation may be missing: the suite then takes it from the noble provider.
 *
 * @module
 */

/** Provider identifiers. `noble` is the portable reference; `node` is node:crypto in Deno. */
export type ProviderId = "noble" | "node";

/** Curves used for key agreement. */
export type KexCurve = "p256" | "brainpoolP256r1" | "x25519";

/** Signature schemes. */
export type SignatureAlgorithm = "ecdsa-p256-sha256" | "ecdsa-brainpoolP256r1-sha256" | "ed25519";

/** Key agreement arithmetic for one curve. */
export interface KexPrimitives {
  /** Public key (uncompressed SEC 1 or 32-byte u) of a valid private key. */
  publicFromPrivate(privateKey: Uint8Array): Uint8Array;
  /** Raw shared secret: x-coordinate (Weierstrass) or u-coordinate (X25519). */
  agree(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

/** Signature arithmetic for one scheme. ECDSA signatures are compact r||s here. */
export interface SignaturePrimitives {
  /** True when sign() is a pure function of key and message (RFC 6979, RFC 8032). */
  readonly deterministic: boolean;
  publicFromPrivate(privateKey: Uint8Array): Uint8Array;
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** Symmetric primitives, all over SHA-256 / AES. */
export interface SymmetricPrimitives {
  sha256?(message: Uint8Array): Uint8Array;
  hmacSha256?(key: Uint8Array, message: Uint8Array): Uint8Array;
  hkdf?(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hkdfExtract?(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  hkdfExpand?(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** AES-GCM with a 16-byte tag appended to the ciphertext. */
  gcmSeal?(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Plaintext, or null when authentication fails. */
  gcmOpen?(
    key: Uint8Array,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array | null;
}

/** One provider: the primitives it has. */
export interface Provider {
  readonly id: ProviderId;
  readonly kex: Partial<Record<KexCurve, KexPrimitives>>;
  readonly sig: Partial<Record<SignatureAlgorithm, SignaturePrimitives>>;
  readonly symmetric: SymmetricPrimitives;
}
