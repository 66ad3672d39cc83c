/**
 * The data of Option 3 access tokens: the services a token can grant, the
 * claim set, the operator's signing keys and the relying party's settings.
 *
 * Profile (PD-200..PD-204): a JWT (RFC 7519) in JWS compact serialization
 * (RFC 7515) with header `{alg, typ: "at+jwt", kid}` only, signed by the grid
 * operator with ES256 (P-256) or Ed25519 (RFC 9864); claims after RFC 9068
 * (iss, sub, aud, exp, nbf, iat, jti, client_id) plus RFC 9396
 * `authorization_details` entries of type `urn:derlink:der-access`, each
 * naming services on one logical device (or `*`).
 *
 * @module
 */
import type { SuiteId } from "../crypto/suite.ts";

/** What a token can allow a control centre to do at a DER. */
export type AccessService = "read" | "write" | "operate" | "group-command" | "tariff-publish";
export const ACCESS_SERVICES: readonly AccessService[] = [
  "read",
  "write",
  "operate",
  "group-command",
  "tariff-publish",
];
export const isAccessService = (s: unknown): s is AccessService =>
  typeof s === "string" && (ACCESS_SERVICES as readonly string[]).includes(s);

/** The RFC 9396 `type` of derlink's authorization details entries. */
export const AUTHORIZATION_TYPE = "urn:derlink:der-access";
/** Explicit typing (RFC 8725 §3.11, RFC 9068 §2.1). */
export const TOKEN_TYPE = "at+jwt";
/** Logical device names, or `*` for every logical device of the DER. */
export const LOGICAL_DEVICE = /^(\*|[A-Za-z][A-Za-z0-9_]{0,63})$/;

/** The two JWS algorithms of the profile; each key is bound to exactly one. */
export type JwsAlg = "ES256" | "Ed25519";
export const JWS_ALGS: readonly JwsAlg[] = ["ES256", "Ed25519"];

/** One RFC 9396 entry: services on one logical device. */
export interface AuthorizationDetail {
  readonly type: typeof AUTHORIZATION_TYPE;
  readonly actions: readonly AccessService[];
  readonly identifier: string;
}

/** The claim set of an access token. Times are NumericDate (seconds since the epoch). */
export interface AccessClaims {
  readonly iss: string;
  /** Bare JID of the control centre the token is for. */
  readonly sub: string;
  /** The DER's bare JID (or a list holding it). */
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly nbf: number;
  readonly iat: number;
  readonly jti: string;
  readonly client_id: string;
  readonly authorization_details: readonly AuthorizationDetail[];
}

/** A public signing key of the grid operator. */
export interface OperatorKey {
  readonly kid: string;
  /** p256 (ES256) or x25519-ed25519 (Ed25519); brainpool256 is refused (PD-202). */
  readonly suite: SuiteId;
  /** Uncompressed SEC 1 point (65 bytes) or Ed25519 key (32 bytes). */
  readonly publicKey: Uint8Array;
}

/** What the relying party (the DER) checks tokens against. */
export interface VerifierConfig {
  /** The grid operator's issuer identifier. */
  readonly issuer: string;
  /** Audience values this DER accepts: its own bare JID, maybe group identifiers. */
  readonly audience: string | readonly string[];
  readonly keys: readonly OperatorKey[];
  /** Allowed clock skew, seconds (default 60). */
  readonly leewaySeconds?: number;
  /** Largest exp − iat accepted, seconds (default 3600). */
  readonly maxLifetimeSeconds?: number;
  /** Largest token accepted, characters (default 8192). */
  readonly maxTokenBytes?: number;
  /** Entries the replay cache keeps before it evicts (default 4096). */
  readonly replayCapacity?: number;
}

// spec: PD-203
export const ACCESS_DEFAULTS = Object.freeze({
  leewaySeconds: 60,
  maxLifetimeSeconds: 3600,
  maxTokenBytes: 8192,
  replayCapacity: 4096,
});

/** A token that passed every check: its claims and where it came from. */
export interface VerifiedToken {
  readonly claims: AccessClaims;
  readonly kid: string;
  readonly alg: JwsAlg;
}
