/**
 * SASL mechanisms for the XMPP stream machines: SCRAM-SHA-1/-256 with and
 * without -PLUS (RFC 5802, RFC 7677), PLAIN (RFC 4616), EXTERNAL (RFC 4422
 * App. A, XEP-0178), the OAUTHBEARER client (RFC 7628) and mechanism
 * negotiation (RFC 6120 §6.3).
 *
 * Pure, I/O-free functions over immutable states; nonces and channel-binding
 * data are inputs, failures are `sasl/*` codes in a Result.
 *
 * How a stream machine drives SCRAM (client):
 * 1. `chooseMechanism(offered, preference, caps)` → mechanism, binding, y-flag.
 * 2. `scramClientStart({...choice, username, password, clientNonce})` → send
 *    `message` in `<auth mechanism=...>`.
 * 3. On `<challenge>`: `scramClientOnServerFirst(state, data)` → send `<response>`.
 * 4. On `<success>` with data: `scramClientOnServerFinal(state, data)` must
 *    succeed, or authentication failed (a `<success/>` without data too).
 *
 * Server: `mechanismsToOffer(caps)`; on `<auth>`,
 * `scramServerReadClientFirst(config, data)` → look up `state.username` →
 * `scramServerOnClientFirst(state, lookup, serverNonce)` → `<challenge>`;
 * on `<response>`, `scramServerOnClientFinal(state, data)` → `<success>` with
 * `message`. On any refusal send `<failure>` with `xmppFailureCondition(code)`.
 *
 * @module
 */
export * from "./types.ts";
export {
  codeForServerErrorValue,
  SaslError,
  type SaslErrorCode,
  SCRAM_SERVER_ERROR_VALUES,
  type ScramServerErrorValue,
  scramServerErrorValue,
  xmppFailureCondition,
  type XmppSaslFailure,
} from "./errors.ts";
export {
  saslprep,
  type SaslprepFailure,
  type SaslprepOptions,
  type SaslprepResult,
} from "./saslprep.ts";
export {
  formatScramStoredCredentials,
  parseScramMechanism,
  parseScramStoredCredentials,
  scramCredentialsFromPassword,
  scramCredentialsFromSaltedPassword,
  scramMechanismName,
  scramNonce,
} from "./scram_crypto.ts";
export {
  CHANNEL_BINDING_TYPES,
  channelBindingAttribute,
  encodeGs2Header,
  isChannelBindingType,
} from "./gs2.ts";
export {
  DEFAULT_SCRAM_CLIENT_POLICY,
  type ScramClientFinal,
  type ScramClientFirst,
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  scramClientStart,
  type ScramClientSucceeded,
} from "./scram_client.ts";
export {
  type ScramServerFirst,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
} from "./scram_server.ts";
export {
  plainClientMessage,
  type PlainCredentials,
  plainServerDecode,
  plainVerifyAgainstScram,
} from "./plain.ts";
export {
  externalClientMessage,
  type ExternalIdentity,
  type ExternalPeer,
  externalServerCheck,
} from "./external.ts";
export {
  KVSEP,
  oauthBearerClientMessage,
  oauthBearerClientOnChallenge,
  type OAuthBearerClientOptions,
  type OAuthBearerErrorAnswer,
  type OAuthBearerErrorResult,
} from "./oauthbearer.ts";
export {
  isOAuthBearerDummy,
  OAUTHBEARER_STATUS,
  oauthBearerErrorResult,
  type OAuthBearerInitial,
  oauthBearerServerRead,
} from "./oauthbearer_server.ts";
export {
  chooseMechanism,
  type ClientMechanismCapabilities,
  DEFAULT_CLIENT_PREFERENCE,
  type MechanismChoice,
  mechanismsToOffer,
  SASL_MECHANISMS,
  type ServerMechanismCapabilities,
} from "./negotiate.ts";
