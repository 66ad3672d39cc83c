/**
 * Synchronous token verification, for relying parties that must decide
 * inside a pure, deterministic step: the simulation's DERs (Option 3) and
 * the in-memory router's login decision (Option 2). The checks, their
 * order and their codes are verify.ts's (PD-206); only two things run
 * differently (PD-240):
 *
 *  - the signature is checked with the project's own suites (synchronous,
 *    the same ones that sign the tokens) instead of jose over WebCrypto,
 *    which is asynchronous;
 *  - the claim set is checked by jose itself, synchronously, through
 *    `UnsecuredJWT.decode` on the verified payload under an unsecured
 *    header that carries the token's `typ` — the same claim validation
 *    `jwtVerify` runs after its signature check.
 *
 * verify_sync_test.ts checks that both paths give the same verdict on every
 * access-token vector and on every login-token case.
 *
 * @module
 */
import { base64url, type JWTClaimVerificationOptions, UnsecuredJWT } from "jose";
import { utf8 } from "../bytes.ts";
import { compactToDer } from "../crypto/ecdsa_der.ts";
import { getSuite, type SuiteId } from "../crypto/suite.ts";
import { WEIERSTRASS } from "../crypto/weierstrass.ts";
import { CoreError, DerlinkError } from "../errors.ts";
import { readCompact } from "./compact.ts";
import { AccessError } from "./errors.ts";
import { algOfSuite, publicJwk } from "./keys.ts";
import { type JwsAlg, type OperatorKey, TOKEN_TYPE } from "./types.ts";

/** An operator key as the synchronous check uses it: raw public key and its one algorithm. */
export interface SyncOperatorKey {
  readonly kid: string;
  readonly alg: JwsAlg;
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
}

/** The operator keys by kid, refused as importOperatorKeys refuses them (PD-202). */
export function syncOperatorKeys(
  keys: readonly OperatorKey[],
): ReadonlyMap<string, SyncOperatorKey> {
  const out = new Map<string, SyncOperatorKey>();
  for (const k of keys) {
    if (out.has(k.kid)) {
      throw new DerlinkError(CoreError["invalid-argument"], `operator key id ${k.kid} twice`);
    }
    const alg = algOfSuite(k.suite);
    // The same shape checks as the JWK import of verify.ts.
    publicJwk(k.suite, k.publicKey);
    out.set(k.kid, { kid: k.kid, alg, suite: k.suite, publicKey: k.publicKey });
  }
  return out;
}

/** The JWS signature of `signingInput` under `key`, checked by the suite (never throws). */
// spec: RFC7515-5.2 RFC7518-3.4 PD-240
function signatureValid(key: SyncOperatorKey, signingInput: string, sig: Uint8Array): boolean {
  const scheme = getSuite(key.suite).sig;
  const message = utf8(signingInput);
  if (key.alg === "Ed25519") return sig.length === 64 && scheme.verify(key.publicKey, message, sig);
  if (sig.length !== 64) return false;
  let der: Uint8Array;
  try {
    der = compactToDer(WEIERSTRASS.p256, sig);
  } catch {
    return false;
  }
  return scheme.verify(key.publicKey, message, der);
}

/**
 * PD-206's steps 1-3 without awaiting: strict reading, kid and algorithm,
 * signature, then jose's claim checks (`options`, errors mapped by
 * `fromJose`). Returns the key and the payload; throws a DerlinkError.
 */
export function verifyCompactSync(
  token: unknown,
  keys: ReadonlyMap<string, SyncOperatorKey>,
  maxBytes: number,
  options: JWTClaimVerificationOptions,
  fromJose: (e: unknown) => DerlinkError,
): { readonly key: SyncOperatorKey; readonly payload: Record<string, unknown> } {
  const { header, signature } = readCompact(token, maxBytes);
  const text = token as string;
  // spec: RFC7515-4.1.4 RFC8725-3.1 PD-202
  const key = keys.get(header.kid);
  if (!key) throw new DerlinkError(AccessError["unknown-key"], "kid names no operator key");
  if (header.alg !== key.alg) {
    throw new DerlinkError(AccessError["alg-key-mismatch"], `${header.alg} vs key`);
  }
  const signingInput = text.slice(0, text.lastIndexOf("."));
  if (!signatureValid(key, signingInput, signature)) {
    throw new DerlinkError(AccessError["bad-signature"], "signature does not verify");
  }
  // spec: RFC7519-7.2 RFC7519-4.1.1 RFC7519-4.1.3 RFC7519-4.1.4 RFC7519-4.1.5 PD-240
  // readCompact has already required typ at+jwt; the unsecured header repeats it for jose.
  const unsecured = base64url.encode(utf8(JSON.stringify({ alg: "none", typ: TOKEN_TYPE })));
  try {
    const { payload } = UnsecuredJWT.decode(
      `${unsecured}.${text.slice(text.indexOf(".") + 1, text.lastIndexOf("."))}.`,
      options,
    );
    return { key, payload: payload as Record<string, unknown> };
  } catch (e) {
    throw fromJose(e);
  }
}
