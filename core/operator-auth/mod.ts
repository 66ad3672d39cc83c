/**
 * Option 2 of the paper's §V: the XMPP server redirects the login check to
 * the grid operator. Clients log in with SASL OAUTHBEARER (RFC 7628) and a
 * login token the operator issued (login_token.ts, PD-222); the server asks
 * the operator's login service (decide.ts, protocol.ts; the HTTP adapter is
 * adapters/operator_auth_service.ts), which answers from the operator's
 * access-control list and keys. Prosody's side: prosody.ts. See
 * docs/access-control.md.
 *
 * @module
 */
export { OperatorAuthError, type OperatorAuthErrorCode } from "./errors.ts";
export {
  createLoginVerifier,
  createSyncLoginVerifier,
  issueLoginToken,
  LOGIN_CLAIMS,
  loginAudience,
  type LoginClaims,
  type LoginTokenOutcome,
  type LoginVerifier,
  type LoginVerifierConfig,
  type SyncLoginVerifier,
} from "./login_token.ts";
export {
  createLoginDecider,
  createLoginService,
  listedAccounts,
  type LoginDecider,
  type LoginDeciderConfig,
  type LoginDecision,
  type LoginRequest,
  type LoginService,
  type LoginServiceConfig,
  loginTokenFor,
} from "./decide.ts";
export {
  answerLoginRequest,
  type HttpLoginAnswer,
  type HttpLoginRequest,
  MAX_BODY_BYTES,
  readLoginForm,
} from "./protocol.ts";
export {
  OPERATOR_AUTH_MODULE,
  OPERATOR_AUTH_PLUGIN_SOURCE,
  operatorAuthHostLua,
  type OperatorAuthSettings,
} from "./prosody.ts";
