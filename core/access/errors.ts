/**
 * Stable codes for Option 3 of the paper's §V (local login, remote access
 * decision by operator-signed tokens): every way an access token or a
 * service request can be refused. The verification order that decides which
 * code a token with several defects gets is in verify.ts.
 *
 * @module
 */
import { defineErrorCodes } from "../errors.ts";

export const AccessError = defineErrorCodes("access", {
  "oversize": "the token is longer than the profile's limit",
  "malformed":
    "not a JWS compact serialization of two JSON objects and a signature in canonical base64url",
  "unexpected-header":
    "the header carries a parameter the profile does not allow (jwk, jku, x5u, x5c, crit, b64, ...)",
  "wrong-type": "the header's typ is not at+jwt",
  "alg-none": "the token is unsecured (alg none)",
  "alg-not-allowed": "the header names an algorithm outside the profile's two (e.g. HS256, EdDSA)",
  "alg-key-mismatch": "the algorithm is not the one bound to the operator key the token names",
  "unknown-key": "the token names no signing key of the grid operator",
  "bad-signature": "the signature does not verify with the named operator key",
  "missing-claim": "a required claim is absent",
  "invalid-claim": "a claim has the wrong type or shape",
  "wrong-issuer": "the token was not issued by the configured grid operator",
  "wrong-audience": "the token is not meant for this DER",
  "expired": "the token's expiry has passed (beyond the allowed clock skew)",
  "not-yet-valid": "the token's not-before time is still ahead (beyond the allowed clock skew)",
  "issued-in-future": "the token's issued-at time is ahead of the clock (beyond the skew)",
  "lifetime-too-long": "expiry minus issued-at exceeds the profile's maximum lifetime",
  "subject-mismatch":
    "the token's subject is not the peer the end-to-end association authenticated",
  "replayed": "a token with this jti from this issuer was already accepted and is still valid",
  "replay-floor":
    "the token expires no later than a replay-cache entry that had to be evicted, so its jti cannot be checked",
  "service-not-allowed": "the token grants no such service on that logical device",
  "no-grant": "no valid access token was presented on this association",
  "unsupported-key": "an operator key whose curve has no JOSE algorithm (brainpoolP256r1)",
});

export type AccessErrorCode = typeof AccessError[keyof typeof AccessError];
