/**
 * Verification of an access token by the relying party (the DER): pure in
 * the project's sense — the time (`now`, ms) and the replay cache come in as
 * inputs, the new cache goes out, nothing reads a clock — and total: every
 * input, garbage included, ends in a verified token or a refusal with a code,
 * never a thrown exception. Async only because jose verifies through
 * WebCrypto.
 *
 * Order of the checks, which decides the code of a token with several
 * defects (PD-206):
 *  1. compact.ts: size, shape and canonical base64url, header parameters,
 *     alg (`none`, outside the profile), typ, kid presence, payload JSON;
 *  2. the kid names an operator key, and the header's alg is that key's one
 *     algorithm (RFC 8725 §3.1);
 *  3. jose: signature, then required claims, issuer, audience, not-before,
 *     expiry (with the allowed skew);
 *  4. claim shapes (claims.ts), issued-at not ahead, lifetime bound;
 *  5. the subject is the peer the A-profile association authenticated;
 *  6. the jti was not seen (replay.ts) — last, so a refused token never
 *     uses up its id.
 *
 * @module
 */
import { errors, jwtVerify } from "jose";
import { DerlinkError } from "../errors.ts";
import { bareJid, formatJid, tryParseJid } from "../jid.ts";
import { checkClaimShapes, REQUIRED_CLAIMS } from "./claims.ts";
import { readCompact } from "./compact.ts";
import { AccessError } from "./errors.ts";
import { type ImportedKey, importOperatorKeys } from "./keys.ts";
import { remember, replayId, replayProblem, type ReplayState } from "./replay.ts";
import { ACCESS_DEFAULTS, type VerifiedToken, type VerifierConfig } from "./types.ts";
import { syncOperatorKeys, verifyCompactSync } from "./verify_sync.ts";

/** What one verification depends on besides the token. */
export interface VerifyInput {
  /** The relying party's time, ms since the epoch. */
  readonly now: number;
  readonly replay: ReplayState;
  /** Bare JID the end-to-end association authenticated; the token's sub must name it. */
  readonly peer?: string;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly token: VerifiedToken; readonly replay: ReplayState }
  | { readonly ok: false; readonly error: DerlinkError; readonly replay: ReplayState };

export interface AccessVerifier {
  readonly config: Required<VerifierConfig>;
  verify(token: unknown, input: VerifyInput): Promise<VerifyOutcome>;
}

/** Builds a verifier: imports the operator keys once (throws on a bad key set). */
export async function createAccessVerifier(config: VerifierConfig): Promise<AccessVerifier> {
  const full: Required<VerifierConfig> = { ...ACCESS_DEFAULTS, ...config };
  const keys = await importOperatorKeys(full.keys);
  return { config: full, verify: (token, input) => verifyWith(full, keys, token, input) };
}

const refusal = (code: keyof typeof AccessError, detail: string) =>
  new DerlinkError(AccessError[code], detail);

/** jose's refusals in the profile's codes. */
export function fromJose(e: unknown): DerlinkError {
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return refusal("bad-signature", "signature does not verify");
  }
  if (e instanceof errors.JWTExpired) return refusal("expired", e.message);
  if (e instanceof errors.JWTClaimValidationFailed) {
    // spec: RFC7519-7.2 RFC8725-3.8 RFC8725-3.9
    if (e.reason === "missing") return refusal("missing-claim", e.claim);
    if (e.reason === "invalid") return refusal("invalid-claim", e.claim);
    if (e.claim === "iss") return refusal("wrong-issuer", "iss");
    if (e.claim === "aud") return refusal("wrong-audience", "aud");
    if (e.claim === "nbf") return refusal("not-yet-valid", "nbf");
    if (e.claim === "typ") return refusal("wrong-type", "typ");
    return refusal("invalid-claim", e.claim);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return refusal("alg-key-mismatch", e.message);
  return refusal("malformed", e instanceof Error ? e.message : String(e));
}

/** PD-206's order with jose over WebCrypto for the signature. */
async function verifyWith(
  c: Required<VerifierConfig>,
  keys: ReadonlyMap<string, ImportedKey>,
  token: unknown,
  input: VerifyInput,
): Promise<VerifyOutcome> {
  const no = (error: DerlinkError): VerifyOutcome => ({ ok: false, error, replay: input.replay });
  try {
    const { header } = readCompact(token, c.maxTokenBytes);
    // spec: RFC7515-4.1.4 RFC8725-3.1 PD-202
    const key = keys.get(header.kid);
    if (!key) return no(refusal("unknown-key", "kid names no operator key"));
    if (header.alg !== key.alg) return no(refusal("alg-key-mismatch", `${header.alg} vs key`));
    let payload: Record<string, unknown>;
    try {
      // spec: RFC7515-5.2 RFC7519-7.2 RFC7519-4.1.1 RFC7519-4.1.3 RFC7519-4.1.4 RFC7519-4.1.5
      ({ payload } = await jwtVerify(token as string, key.key, {
        algorithms: [key.alg],
        ...claimOptions(c, input.now),
      }));
    } catch (e) {
      return no(fromJose(e));
    }
    return afterSignature(c, key, payload, input);
  } catch (e) {
    // spec: PD-206
    if (e instanceof DerlinkError) return no(e);
    return no(refusal("malformed", e instanceof Error ? e.message : String(e)));
  }
}

/** What jose checks of the claim set (issuer, audience, required claims, times with the skew). */
const claimOptions = (c: Required<VerifierConfig>, now: number) => ({
  issuer: c.issuer,
  audience: typeof c.audience === "string" ? c.audience : [...c.audience],
  typ: "at+jwt",
  currentDate: new Date(now),
  clockTolerance: c.leewaySeconds,
  requiredClaims: [...REQUIRED_CLAIMS],
});

/** Steps 4-6 of PD-206, after the signature and jose's claim checks. Throws `access/*`. */
function afterSignature(
  c: Required<VerifierConfig>,
  key: { readonly kid: string; readonly alg: VerifiedToken["alg"] },
  payload: Record<string, unknown>,
  input: VerifyInput,
): VerifyOutcome {
  const replay = input.replay;
  const no = (error: DerlinkError): VerifyOutcome => ({ ok: false, error, replay });
  const claims = checkClaimShapes(payload);
  const nowSeconds = Math.floor(input.now / 1000);
  // spec: RFC7519-4.1.6 PD-203
  if (claims.iat > nowSeconds + c.leewaySeconds) {
    return no(refusal("issued-in-future", "iat ahead"));
  }
  if (claims.exp - claims.iat > c.maxLifetimeSeconds) {
    return no(refusal("lifetime-too-long", `${claims.exp - claims.iat} s`));
  }
  // spec: PD-205 PAPER-OPT3
  if (input.peer !== undefined && claims.sub !== canonicalBare(input.peer)) {
    return no(refusal("subject-mismatch", "sub is not the authenticated peer"));
  }
  const id = replayId(claims.iss, claims.jti);
  const problem = replayProblem(replay, id, claims.exp);
  // spec: RFC7519-4.1.7 PD-204
  if (problem) return no(refusal(problem, "jti"));
  return {
    ok: true,
    token: { claims, kid: key.kid, alg: key.alg },
    replay: remember(replay, id, claims.exp, nowSeconds, c.leewaySeconds, c.replayCapacity),
  };
}

/** A verifier whose `verify` answers at once (PD-240): for deterministic in-process relying parties. */
export interface SyncAccessVerifier {
  readonly config: Required<VerifierConfig>;
  verify(token: unknown, input: VerifyInput): VerifyOutcome;
}

/** Builds a synchronous verifier (throws on a bad key set, as createAccessVerifier does). */
// spec: PD-240 PD-206
export function createSyncAccessVerifier(config: VerifierConfig): SyncAccessVerifier {
  const c: Required<VerifierConfig> = { ...ACCESS_DEFAULTS, ...config };
  const keys = syncOperatorKeys(c.keys);
  return {
    config: c,
    verify(token, input) {
      try {
        const { key, payload } = verifyCompactSync(
          token,
          keys,
          c.maxTokenBytes,
          claimOptions(c, input.now),
          fromJose,
        );
        return afterSignature(c, key, payload, input);
      } catch (e) {
        const error = e instanceof DerlinkError
          ? e
          : refusal("malformed", e instanceof Error ? e.message : String(e));
        return { ok: false, error, replay: input.replay };
      }
    },
  };
}

function canonicalBare(jid: string): string | undefined {
  const r = tryParseJid(jid);
  return r.ok ? formatJid(bareJid(r.value)) : undefined;
}
