/**
 * Error codes of the SASL mechanisms, and how they map onto the wire.
 *
 * Every refusal of a SCRAM, PLAIN or EXTERNAL step is a `sasl/*` code. Two
 * mappings let the stream machine put a refusal on the wire without knowing
 * the mechanisms: {@link scramServerErrorValue} gives the RFC 5802 §7
 * `server-error-value` a SCRAM server may send as `e=`, and
 * {@link xmppFailureCondition} gives the RFC 6120 §6.5 `<failure/>` child.
 * In the other direction, {@link codeForServerErrorValue} turns an `e=` the
 * client received into a code.
 *
 * @module
 */
import { defineErrorCodes, type ErrorCode } from "../../../core/errors.ts";

export const SaslError = defineErrorCodes("sasl", {
  // Syntax of the messages (RFC 5802 §7, RFC 4616 §2).
  "malformed-message":
    "a SASL message does not follow the mechanism's syntax (attribute missing, out of order, empty, bad characters)",
  "invalid-encoding": "a SASL message is not valid UTF-8",
  "invalid-base64":
    "a base64 attribute (salt, proof, verifier, channel binding) is not canonical base64",
  "unknown-extension": "a mandatory SCRAM extension (m=) was present; none is supported",
  "invalid-username":
    "the username is empty, badly escaped (= not followed by 2C or 3D) or fails SASLprep",
  "invalid-authzid":
    "the authorization identity is badly escaped, fails preparation, or is not allowed",
  "invalid-password": "the password fails SASLprep or the mechanism's length limits",
  "invalid-nonce": "a nonce is empty or contains a character outside printable ASCII without comma",
  "nonce-mismatch":
    "the server nonce does not extend the client nonce, or the final nonce differs from the combined one",
  "invalid-salt": "the salt is empty",
  "iterations-too-low": "the iteration count is below the policy minimum",
  "iterations-too-high":
    "the iteration count is above the policy maximum (a bound on work a peer can demand)",
  "bad-server-signature":
    "the server signature (v=) does not verify: the server does not know the password",
  "not-authorized":
    "the client proof or password is wrong (or the user is unknown and this is hidden)",
  "unknown-user": "no credentials exist for the username",
  // Channel binding (RFC 5802 §6).
  "channel-binding-mismatch": "the channel-binding data (c=) differs from what this end computed",
  "channel-binding-downgrade":
    "the client sent y (believes the server cannot bind) but the server advertised -PLUS: possible downgrade",
  "channel-binding-unsupported":
    "the requested channel-binding type is not available on this connection",
  "channel-binding-required": "local policy requires channel binding and the client did not bind",
  "channel-binding-flag-mismatch":
    "the GS2 flag does not fit the mechanism: -PLUS needs p=, a p= needs -PLUS",
  // The server's e= values (RFC 5802 §7), as received by the client.
  "server-invalid-encoding": "the server answered e=invalid-encoding",
  "server-extensions-not-supported": "the server answered e=extensions-not-supported",
  "server-invalid-proof": "the server answered e=invalid-proof",
  "server-channel-bindings-dont-match": "the server answered e=channel-bindings-dont-match",
  "server-does-support-channel-binding":
    "the server answered e=server-does-support-channel-binding",
  "server-channel-binding-not-supported": "the server answered e=channel-binding-not-supported",
  "server-unsupported-channel-binding-type":
    "the server answered e=unsupported-channel-binding-type",
  "server-unknown-user": "the server answered e=unknown-user",
  "server-invalid-username-encoding": "the server answered e=invalid-username-encoding",
  "server-no-resources": "the server answered e=no-resources",
  "server-other-error": "the server answered e=other-error or a value this profile does not know",
  // Negotiation, PLAIN and EXTERNAL.
  "mechanism-too-weak":
    "the only mechanisms left are ones local policy forbids here (e.g. PLAIN without TLS)",
  "no-acceptable-mechanism": "no offered mechanism is on the local preference list",
  "unknown-mechanism": "a mechanism name this implementation does not know",
  "no-client-certificate":
    "EXTERNAL was requested but no verified client certificate identifies the client",
  // OAUTHBEARER (RFC 7628).
  "invalid-token": "the OAUTHBEARER bearer token is empty or not an RFC 6750 b64token",
  "oauthbearer-error":
    "the server answered OAUTHBEARER with an RFC 7628 error result (its status in the detail)",
});

/** Any `sasl/*` code. */
export type SaslErrorCode = typeof SaslError[keyof typeof SaslError];

/** The RFC 5802 §7 `server-error-value`s. */
export const SCRAM_SERVER_ERROR_VALUES = [
  "invalid-encoding",
  "extensions-not-supported",
  "invalid-proof",
  "channel-bindings-dont-match",
  "server-does-support-channel-binding",
  "channel-binding-not-supported",
  "unsupported-channel-binding-type",
  "unknown-user",
  "invalid-username-encoding",
  "no-resources",
  "other-error",
] as const;
export type ScramServerErrorValue = typeof SCRAM_SERVER_ERROR_VALUES[number];

// spec: RFC5802-7.e
/** The code a client reports for an `e=` value; unknown values count as other-error. */
export function codeForServerErrorValue(value: string): ErrorCode {
  // Own keys only: "toString" or "__proto__" from a peer must not reach the prototype.
  return Object.hasOwn(CODE_FOR_SERVER_VALUE, value)
    ? CODE_FOR_SERVER_VALUE[value as ScramServerErrorValue]
    : SaslError["server-other-error"];
}

const CODE_FOR_SERVER_VALUE: Readonly<Record<ScramServerErrorValue, ErrorCode>> = {
  "invalid-encoding": SaslError["server-invalid-encoding"],
  "extensions-not-supported": SaslError["server-extensions-not-supported"],
  "invalid-proof": SaslError["server-invalid-proof"],
  "channel-bindings-dont-match": SaslError["server-channel-bindings-dont-match"],
  "server-does-support-channel-binding": SaslError["server-does-support-channel-binding"],
  "channel-binding-not-supported": SaslError["server-channel-binding-not-supported"],
  "unsupported-channel-binding-type": SaslError["server-unsupported-channel-binding-type"],
  "unknown-user": SaslError["server-unknown-user"],
  "invalid-username-encoding": SaslError["server-invalid-username-encoding"],
  "no-resources": SaslError["server-no-resources"],
  "other-error": SaslError["server-other-error"],
};

const SERVER_VALUE_FOR: Partial<Record<string, ScramServerErrorValue>> = {
  [SaslError["malformed-message"]]: "other-error",
  [SaslError["invalid-encoding"]]: "invalid-encoding",
  [SaslError["invalid-base64"]]: "invalid-encoding",
  [SaslError["unknown-extension"]]: "extensions-not-supported",
  [SaslError["invalid-username"]]: "invalid-username-encoding",
  [SaslError["invalid-nonce"]]: "other-error",
  [SaslError["nonce-mismatch"]]: "other-error",
  // spec: RFC5802-9.enum
  // A wrong proof and a hidden unknown user look the same on the wire.
  [SaslError["not-authorized"]]: "invalid-proof",
  [SaslError["unknown-user"]]: "unknown-user",
  [SaslError["channel-binding-mismatch"]]: "channel-bindings-dont-match",
  [SaslError["channel-binding-downgrade"]]: "server-does-support-channel-binding",
  [SaslError["channel-binding-unsupported"]]: "unsupported-channel-binding-type",
  [SaslError["channel-binding-required"]]: "channel-binding-not-supported",
  [SaslError["channel-binding-flag-mismatch"]]: "other-error",
};

/**
 * The `e=` value a SCRAM server may send for a refusal it reported with
 * `code` (RFC 5802 §7). Codes without a specific value give `other-error`.
 */
export const scramServerErrorValue = (code: ErrorCode): ScramServerErrorValue =>
  (Object.hasOwn(SERVER_VALUE_FOR, code) ? SERVER_VALUE_FOR[code] : undefined) ?? "other-error";

/** The RFC 6120 §6.5 SASL failure conditions. */
export type XmppSaslFailure =
  | "aborted"
  | "account-disabled"
  | "credentials-expired"
  | "encryption-required"
  | "incorrect-encoding"
  | "invalid-authzid"
  | "invalid-mechanism"
  | "malformed-request"
  | "mechanism-too-weak"
  | "not-authorized"
  | "temporary-auth-failure";

// spec: RFC6120-6.5
/**
 * The `<failure/>` condition a receiving entity sends for a refusal. Syntax
 * problems are malformed-request; everything about who the client is
 * (proof, user, binding) is not-authorized, so the reply reveals no more
 * than "no".
 */
export function xmppFailureCondition(code: ErrorCode): XmppSaslFailure {
  switch (code) {
    case SaslError["malformed-message"]:
    case SaslError["invalid-encoding"]:
    case SaslError["invalid-base64"]:
    case SaslError["unknown-extension"]:
    case SaslError["invalid-nonce"]:
    case SaslError["invalid-username"]:
    case SaslError["channel-binding-flag-mismatch"]:
      return "malformed-request";
    case SaslError["invalid-authzid"]:
      return "invalid-authzid";
    case SaslError["mechanism-too-weak"]:
      return "mechanism-too-weak";
    case SaslError["unknown-mechanism"]:
    case SaslError["no-acceptable-mechanism"]:
      return "invalid-mechanism";
    default:
      return "not-authorized";
  }
}
