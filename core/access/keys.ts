/**
 * The grid operator's signing keys as the relying party holds them: each
 * key bound to exactly one JWS algorithm by its suite (RFC 8725 §3.1), found
 * by `kid`, and imported once for jose as a WebCrypto key from its JWK form
 * (RFC 7517; EC keys per RFC 7518 §6.2, OKP keys per RFC 8037).
 *
 * brainpoolP256r1 has no registered JOSE algorithm, so an operator key on
 * it is refused when the verifier is built (PD-202).
 *
 * @module
 */
import { base64url, importJWK, type JWK } from "jose";
import { DerlinkError } from "../errors.ts";
import type { SuiteId } from "../crypto/suite.ts";
import { CoreError } from "../errors.ts";
import { AccessError } from "./errors.ts";
import type { JwsAlg, OperatorKey } from "./types.ts";

// spec: PD-202 RFC9864-2.2 RFC7518-3.4
/** The one algorithm each suite's signature key is used with; brainpool has none. */
export function algOfSuite(suite: SuiteId): JwsAlg {
  if (suite === "p256") return "ES256";
  if (suite === "x25519-ed25519") return "Ed25519";
  throw new DerlinkError(AccessError["unsupported-key"], `${suite} has no JOSE algorithm`);
}

/** The public JWK of a suite key. */
export function publicJwk(suite: SuiteId, publicKey: Uint8Array): JWK {
  const alg = algOfSuite(suite);
  if (alg === "ES256") {
    if (publicKey.length !== 65 || publicKey[0] !== 4) {
      throw new DerlinkError(CoreError["invalid-argument"], "P-256 key is not 65-byte SEC 1");
    }
    return {
      kty: "EC",
      crv: "P-256",
      x: base64url.encode(publicKey.subarray(1, 33)),
      y: base64url.encode(publicKey.subarray(33)),
    };
  }
  if (publicKey.length !== 32) {
    throw new DerlinkError(CoreError["invalid-argument"], "Ed25519 key is not 32 bytes");
  }
  return { kty: "OKP", crv: "Ed25519", x: base64url.encode(publicKey) };
}

/** An operator key ready for jose. */
export interface ImportedKey {
  readonly kid: string;
  readonly alg: JwsAlg;
  readonly key: CryptoKey;
}

/** Imports every key once; refuses duplicate kids and unsupported curves. */
export async function importOperatorKeys(
  keys: readonly OperatorKey[],
): Promise<ReadonlyMap<string, ImportedKey>> {
  const out = new Map<string, ImportedKey>();
  for (const k of keys) {
    if (out.has(k.kid)) {
      throw new DerlinkError(CoreError["invalid-argument"], `operator key id ${k.kid} twice`);
    }
    const alg = algOfSuite(k.suite);
    const key = await importJWK(publicJwk(k.suite, k.publicKey), alg);
    out.set(k.kid, { kid: k.kid, alg, key: key as CryptoKey });
  }
  return out;
}
