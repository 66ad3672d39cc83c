/**
 * Option 3 of the paper's §V: the XMPP server logs clients in locally
 * (SASL or certificate), the access decision is made remotely by the grid
 * operator and carried to the DER as a signed access token (JWT), checked for
 * every service request. See docs/access-control.md.
 *
 * ```ts
 * const verifier = await createAccessVerifier({ issuer, audience: derJid, keys });
 * let gate = EMPTY_GATE;
 * const p = await presentToken(verifier, gate, { association, peer, token, now });
 * gate = p.state;
 * authorizeOnAssociation(verifier, gate, { association, need: needOfRequest(req), now });
 * ```
 *
 * @module
 */
export { AccessError, type AccessErrorCode } from "./errors.ts";
export {
  ACCESS_DEFAULTS,
  ACCESS_SERVICES,
  type AccessClaims,
  type AccessService,
  AUTHORIZATION_TYPE,
  type AuthorizationDetail,
  type JwsAlg,
  type OperatorKey,
  TOKEN_TYPE,
  type VerifiedToken,
  type VerifierConfig,
} from "./types.ts";
export {
  type AccessVerifier,
  createAccessVerifier,
  createSyncAccessVerifier,
  type SyncAccessVerifier,
  type VerifyInput,
  type VerifyOutcome,
} from "./verify.ts";
export { EMPTY_REPLAY, type ReplayState } from "./replay.ts";
export { issueAccessToken, signCompact, type TokenSigner } from "./issue.ts";
export { algOfSuite, publicJwk } from "./keys.ts";
export { authorize, needOfRequest, type ServiceNeed } from "./grant.ts";
export {
  authorizeOnAssociation,
  authorizeWithToken,
  authorizeWithTokenSync,
  EMPTY_GATE,
  endAssociation,
  type GateState,
  presentToken,
  presentTokenSync,
} from "./gate.ts";
export { ACCESS_NS, tokenElement, tokenOfElement } from "./carriage.ts";
