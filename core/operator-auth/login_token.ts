/**
 * Login tokens for Option 2 (PD-222): bearer tokens the grid operator issues
 * to an account so it can log in to the XMPP service with OAUTHBEARER. They
 * use Option 3's token profile (core/access: JWS compact, header
 * `{alg, typ: "at+jwt", kid}`, ES256 or Ed25519 operator keys, the same
 * strict reading and the same `access/*` refusal codes) with a claim set of
 * their own:
 *
 *  - `aud` is the XMPP service, `xmpp:<domain>` — never a DER's JID, so a
 *    login token opens no DER and an Option 3 access token logs nobody in;
 *  - `sub` is the account's canonical bare JID;
 *  - no `authorization_details`: a login grants nothing at a DER;
 *  - `iss`, `exp`, `nbf`, `iat`, `jti`, `client_id` as in Option 3, lifetime
 *    at most one hour; a login token may be used for several logins within
 *    that hour (a DER reconnects), so there is no replay cache.
 *
 * Verification is total: every input ends in a token or a refusal code.
 *
 * @module
 */
import { errors, jwtVerify } from "jose";
import { DerlinkError } from "../errors.ts";
import { formatJid, tryParseJid } from "../jid.ts";
import { readCompact } from "../access/compact.ts";
import { AccessError } from "../access/errors.ts";
import { signCompact, tokenHeader, type TokenSigner } from "../access/issue.ts";
import { importOperatorKeys } from "../access/keys.ts";
import { syncOperatorKeys, verifyCompactSync } from "../access/verify_sync.ts";
import { ACCESS_DEFAULTS, type JwsAlg, type OperatorKey } from "../access/types.ts";

/** The claims of a login token. Times are NumericDate (whole seconds). */
export interface LoginClaims {
  readonly iss: string;
  /** The account's canonical bare JID. */
  readonly sub: string;
  /** `xmpp:<domain>`: the XMPP service the login is for. */
  readonly aud: string;
  readonly exp: number;
  readonly nbf: number;
  readonly iat: number;
  readonly jti: string;
  readonly client_id: string;
}

// spec: PD-222
export const LOGIN_CLAIMS = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id"] as const;
const JTI = /^[A-Za-z0-9_-]{16,128}$/;

/** The audience a login token for `domain` carries. */
export const loginAudience = (domain: string): string => `xmpp:${domain}`;

/** Issues a login token (deterministic for a signer and claim set). */
// spec: PD-222 PAPER-OPT2
export function issueLoginToken(claims: LoginClaims, signer: TokenSigner): string {
  const payload = Object.fromEntries(LOGIN_CLAIMS.map((k) => [k, claims[k]]));
  return signCompact(tokenHeader(signer), payload, signer);
}

/** What login tokens are checked against. */
export interface LoginVerifierConfig {
  readonly issuer: string;
  /** The XMPP domain; the audience is `xmpp:<domain>`. */
  readonly domain: string;
  readonly keys: readonly OperatorKey[];
  /** Allowed clock skew, seconds (default 60). */
  readonly leewaySeconds?: number;
  /** Largest exp − iat accepted, seconds (default 3600). */
  readonly maxLifetimeSeconds?: number;
}

export type LoginTokenOutcome =
  | { readonly ok: true; readonly claims: LoginClaims; readonly kid: string; readonly alg: JwsAlg }
  | { readonly ok: false; readonly error: DerlinkError };

export interface LoginVerifier {
  readonly config: Required<LoginVerifierConfig>;
  /** Verifies a login token at `now` (ms since the epoch). Never throws. */
  verify(token: unknown, now: number): Promise<LoginTokenOutcome>;
}

const refusal = (code: keyof typeof AccessError, detail: string) =>
  new DerlinkError(AccessError[code], detail);

/** jose's refusals in the shared profile's codes. */
function fromJose(e: unknown): DerlinkError {
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return refusal("bad-signature", "signature does not verify");
  }
  if (e instanceof errors.JWTExpired) return refusal("expired", "exp passed");
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.reason === "missing") return refusal("missing-claim", e.claim);
    if (e.reason === "invalid") return refusal("invalid-claim", e.claim);
    if (e.claim === "iss") return refusal("wrong-issuer", "iss");
    if (e.claim === "aud") return refusal("wrong-audience", "aud");
    if (e.claim === "nbf") return refusal("not-yet-valid", "nbf");
    return refusal("invalid-claim", e.claim);
  }
  return refusal("malformed", e instanceof Error ? e.message : String(e));
}

function claimShapes(p: Record<string, unknown>): LoginClaims {
  const invalid = (detail: string): never => {
    throw refusal("invalid-claim", detail);
  };
  for (const name of ["exp", "nbf", "iat"]) {
    if (!Number.isSafeInteger(p[name]) || (p[name] as number) < 0) {
      invalid(`${name} is not whole seconds`);
    }
  }
  // spec: RFC7519-4.1.2 PD-222
  const sub = typeof p.sub === "string" ? tryParseJid(p.sub) : undefined;
  if (
    !sub?.ok || sub.value.local === undefined || sub.value.resource !== undefined ||
    formatJid(sub.value) !== p.sub
  ) invalid("sub is not a canonical bare account JID");
  if (typeof p.jti !== "string" || !JTI.test(p.jti)) invalid("jti shape");
  if (typeof p.client_id !== "string" || p.client_id.length === 0 || p.client_id.length > 256) {
    invalid("client_id");
  }
  if (typeof p.aud !== "string") invalid("aud is not one text");
  // spec: PD-222
  if ("authorization_details" in p) invalid("a login token grants nothing at DERs");
  return p as unknown as LoginClaims;
}

/** Builds a verifier: imports the operator keys once (throws on a bad key set). */
export async function createLoginVerifier(config: LoginVerifierConfig): Promise<LoginVerifier> {
  const full = withDefaults(config);
  const keys = await importOperatorKeys(full.keys);
  const verify = async (token: unknown, now: number): Promise<LoginTokenOutcome> => {
    try {
      // spec: PD-222 RFC8725-3.1 RFC7515-7.1
      const { header } = readCompact(token, ACCESS_DEFAULTS.maxTokenBytes);
      const key = keys.get(header.kid);
      if (!key) return { ok: false, error: refusal("unknown-key", "kid names no operator key") };
      if (header.alg !== key.alg) {
        return { ok: false, error: refusal("alg-key-mismatch", `${header.alg} vs key`) };
      }
      let payload: Record<string, unknown>;
      try {
        // spec: RFC7519-7.2 RFC7519-4.1.1 RFC7519-4.1.3 RFC7519-4.1.4 RFC7519-4.1.5
        ({ payload } = await jwtVerify(token as string, key.key, {
          algorithms: [key.alg],
          ...claimOptions(full, now),
        }));
      } catch (e) {
        return { ok: false, error: fromJose(e) };
      }
      return afterSignature(full, key, payload, now);
    } catch (e) {
      return { ok: false, error: asRefusal(e) };
    }
  };
  return { config: full, verify };
}

/** A login verifier that answers at once (PD-240), for the in-process operator. */
export interface SyncLoginVerifier {
  readonly config: Required<LoginVerifierConfig>;
  /** Verifies a login token at `now` (ms since the epoch). Never throws. */
  verify(token: unknown, now: number): LoginTokenOutcome;
}

/** Builds a synchronous login verifier (same checks, order and codes; PD-240). */
// spec: PD-240 PD-222
export function createSyncLoginVerifier(config: LoginVerifierConfig): SyncLoginVerifier {
  const full = withDefaults(config);
  const keys = syncOperatorKeys(full.keys);
  return {
    config: full,
    verify(token, now) {
      try {
        const { key, payload } = verifyCompactSync(
          token,
          keys,
          ACCESS_DEFAULTS.maxTokenBytes,
          claimOptions(full, now),
          fromJose,
        );
        return afterSignature(full, key, payload, now);
      } catch (e) {
        return { ok: false, error: asRefusal(e) };
      }
    },
  };
}

const withDefaults = (config: LoginVerifierConfig): Required<LoginVerifierConfig> => ({
  leewaySeconds: ACCESS_DEFAULTS.leewaySeconds,
  maxLifetimeSeconds: ACCESS_DEFAULTS.maxLifetimeSeconds,
  ...config,
});

const claimOptions = (full: Required<LoginVerifierConfig>, now: number) => ({
  issuer: full.issuer,
  audience: loginAudience(full.domain),
  typ: "at+jwt",
  currentDate: new Date(now),
  clockTolerance: full.leewaySeconds,
  requiredClaims: [...LOGIN_CLAIMS],
});

const asRefusal = (e: unknown): DerlinkError =>
  e instanceof DerlinkError ? e : refusal("malformed", e instanceof Error ? e.message : String(e));

/** The checks after the signature and jose's: claim shapes, issued-at, lifetime. Throws. */
function afterSignature(
  full: Required<LoginVerifierConfig>,
  key: { readonly kid: string; readonly alg: JwsAlg },
  payload: Record<string, unknown>,
  now: number,
): LoginTokenOutcome {
  const claims = claimShapes(payload);
  const nowSeconds = Math.floor(now / 1000);
  // spec: RFC7519-4.1.6 PD-222
  if (claims.iat > nowSeconds + full.leewaySeconds) {
    return { ok: false, error: refusal("issued-in-future", "iat ahead") };
  }
  if (claims.exp - claims.iat > full.maxLifetimeSeconds) {
    return { ok: false, error: refusal("lifetime-too-long", `${claims.exp - claims.iat} s`) };
  }
  return { ok: true, claims, kid: key.kid, alg: key.alg };
}
