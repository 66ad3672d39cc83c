/**
 * The grid operator's side: signing access tokens with the project's suites.
 *
 * jose signs ES256 through WebCrypto, whose ECDSA nonces are random; vectors
 * and simulations need the same bytes on every run, so the operator here
 * signs with the suite's deterministic ECDSA (RFC 6979, DER converted to the
 * 64-byte r‖s JWS wants, RFC 7518 §3.4) or Ed25519 (deterministic anyway),
 * and only the encoding uses jose's base64url. Every token issued here is
 * checked by jose on the verifying side; `signCompact` also lets vector
 * generators sign deliberately wrong headers and claims.
 *
 * @module
 */
import { base64url } from "jose";
import { utf8 } from "../bytes.ts";
import { derToCompact } from "../crypto/ecdsa_der.ts";
import { getSuite, type SuiteId } from "../crypto/suite.ts";
import { WEIERSTRASS } from "../crypto/weierstrass.ts";
import { algOfSuite } from "./keys.ts";
import { type AccessClaims, TOKEN_TYPE } from "./types.ts";

/** An operator signing key (secret: never logged). */
export interface TokenSigner {
  readonly kid: string;
  readonly suite: SuiteId;
  readonly privateKey: Uint8Array;
}

/** Signs `signingInput` (ASCII header.payload) as the JWS algorithm of the signer's suite wants. */
export function signJws(signer: TokenSigner, signingInput: string): Uint8Array {
  const suite = getSuite(signer.suite);
  const sig = suite.sig.sign(signer.privateKey, utf8(signingInput));
  // spec: RFC7518-3.4
  return algOfSuite(signer.suite) === "ES256" ? derToCompact(WEIERSTRASS.p256, sig) : sig;
}

/** JWS compact serialization of any header and payload objects, signed by `signer`. */
export function signCompact(header: object, payload: object, signer: TokenSigner): string {
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${input}.${base64url.encode(signJws(signer, input))}`;
}

export const encodeJson = (v: unknown): string => base64url.encode(utf8(JSON.stringify(v)));

/** The profile's header for a signer: alg of its suite, typ at+jwt, its kid (PD-201). */
export const tokenHeader = (signer: TokenSigner) => ({
  alg: algOfSuite(signer.suite),
  typ: TOKEN_TYPE,
  kid: signer.kid,
});

/** Issues an access token: deterministic for a given signer and claim set. */
// spec: PD-200 PD-201 PAPER-OPT3
export function issueAccessToken(claims: AccessClaims, signer: TokenSigner): string {
  const payload = {
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud,
    exp: claims.exp,
    nbf: claims.nbf,
    iat: claims.iat,
    jti: claims.jti,
    client_id: claims.client_id,
    authorization_details: claims.authorization_details,
  };
  return signCompact(tokenHeader(signer), payload, signer);
}
