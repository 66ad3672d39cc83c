/**
 * The initiator's side of SASL negotiation (RFC 6120 §6.4) on top of the
 * mechanisms in `sasl/`: choose from the offer by our preference list, build
 * the initial response, answer challenges, and verify the additional data of
 * `<success/>`. Mechanism logic lives in `sasl/`; this file only sequences
 * it and maps `<failure/>` conditions to codes.
 *
 * @module
 */
import { fromBase64 } from "../../core/bytes.ts";
import type { EntropySource } from "../../core/entropy.ts";
import { type ErrorCode, fail, ok, type Result } from "../../core/errors.ts";
import {
  chooseMechanism,
  DEFAULT_CLIENT_PREFERENCE,
  externalClientMessage,
  oauthBearerClientMessage,
  oauthBearerClientOnChallenge,
  plainClientMessage,
  SaslError,
  type ScramClientAwaitingServerFinal,
  type ScramClientAwaitingServerFirst,
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  type ScramClientPolicy,
  scramClientStart,
  type ScramMechanism,
  scramNonce,
} from "./sasl/mod.ts";
import type { ChannelBinding } from "./types.ts";
import { XmppError } from "./errors.ts";

/** Where the client is in an exchange. Holds secrets: never log it. */
export type SaslClientProgress =
  | { readonly kind: "scram-first"; readonly state: ScramClientAwaitingServerFirst }
  | { readonly kind: "scram-final"; readonly state: ScramClientAwaitingServerFinal }
  /** The server-final-message came in a challenge and verified; only `<success/>` may follow. */
  | { readonly kind: "scram-verified" }
  /** PLAIN or EXTERNAL: one message sent, waiting for the outcome. */
  | { readonly kind: "one-shot" }
  /** OAUTHBEARER: the token sent; an error result (a challenge) or the outcome may follow. */
  | { readonly kind: "oauthbearer" }
  /** OAUTHBEARER: the server sent an error result and we answered %x01; only `<failure/>` may follow. */
  | { readonly kind: "oauthbearer-error"; readonly status: string };

/** What the client brings to SASL. */
export interface SaslClientSetup {
  /** The simple user name: the localpart of our JID (RFC 6120 §6.3.7). */
  readonly username: string;
  readonly password?: string;
  readonly authzid?: string;
  /** Mechanism preference, strongest first; nothing outside it is ever used (RFC 6120 §6.3.3). */
  readonly preference?: readonly string[];
  readonly plainEnabled?: boolean;
  /** We presented a client certificate during TLS (EXTERNAL). */
  readonly clientCertificate?: boolean;
  /** An OAuth 2.0 bearer token (OAUTHBEARER, RFC 7628). Secret: never logged. */
  readonly bearerToken?: string;
  /** Our bare JID: OAUTHBEARER's authzid when none is set (PD-221). */
  readonly bareJid?: string;
  readonly requireChannelBinding?: boolean;
  readonly scramPolicy?: ScramClientPolicy;
}

export interface SaslStart {
  readonly mechanism: string;
  /** The initial response; empty is sent as `=`. */
  readonly initial: Uint8Array;
  readonly progress: SaslClientProgress;
}

// spec: RFC6120-6.3.3 RFC6120-6.4.2
/** Chooses a mechanism from the offer and builds the initial response. */
export function saslClientStart(
  offered: readonly string[],
  setup: SaslClientSetup,
  tls: boolean,
  channelBinding: ChannelBinding | undefined,
  entropy: EntropySource,
): Result<SaslStart> {
  const choice = chooseMechanism(offered, setup.preference ?? DEFAULT_CLIENT_PREFERENCE, {
    tls,
    hasPassword: setup.password !== undefined,
    clientCertificate: setup.clientCertificate ?? false,
    bearerToken: setup.bearerToken !== undefined,
    channelBindings: tls && channelBinding ? [channelBinding] : [],
    plainEnabled: setup.plainEnabled ?? false,
    requireChannelBinding: setup.requireChannelBinding,
  });
  if (!choice.ok) return choice;
  const { mechanism } = choice.value;
  if (mechanism === "PLAIN") {
    const m = plainClientMessage({
      authzid: setup.authzid,
      authcid: setup.username,
      password: setup.password ?? "",
    });
    return m.ok ? ok({ mechanism, initial: m.value, progress: { kind: "one-shot" } }) : m;
  }
  if (mechanism === "EXTERNAL") {
    return ok({
      mechanism,
      initial: externalClientMessage(setup.authzid),
      progress: { kind: "one-shot" },
    });
  }
  if (mechanism === "OAUTHBEARER") {
    // spec: RFC7628-3.1 PD-221
    const m = oauthBearerClientMessage({
      token: setup.bearerToken ?? "",
      authzid: setup.authzid ?? setup.bareJid,
    });
    return m.ok ? ok({ mechanism, initial: m.value, progress: { kind: "oauthbearer" } }) : m;
  }
  const first = scramClientStart({
    mechanism: mechanism as ScramMechanism,
    username: setup.username,
    password: setup.password ?? "",
    authzid: setup.authzid,
    // spec: RFC5802-5.1.r
    clientNonce: scramNonce(entropy.bytes(18)),
    channelBinding: choice.value.channelBinding,
    clientSupportsBinding: choice.value.clientSupportsBinding,
  });
  if (!first.ok) return first;
  return ok({
    mechanism,
    initial: first.value.message,
    progress: { kind: "scram-first", state: first.value.state },
  });
}

/** Decodes the base64 payload of a SASL element (`undefined` = no data). */
export function decodePayload(b64: string | undefined): Result<Uint8Array | undefined> {
  if (b64 === undefined) return ok(undefined);
  if (b64 === "") return ok(new Uint8Array(0));
  try {
    return ok(fromBase64(b64));
  } catch {
    // spec: RFC6120-6.4.2
    return fail(SaslError["invalid-base64"], "SASL payload is not canonical base64");
  }
}

// spec: RFC6120-6.4.3
/** Answers a `<challenge/>`. */
export function saslClientChallenge(
  p: SaslClientProgress,
  data: Uint8Array | undefined,
  policy: ScramClientPolicy | undefined,
): Result<{ response: Uint8Array; progress: SaslClientProgress }> {
  if (p.kind === "scram-first") {
    if (data === undefined) {
      return fail(SaslError["malformed-message"], "empty server-first-message");
    }
    const r = scramClientOnServerFirst(p.state, data, policy);
    return r.ok
      ? ok({ response: r.value.message, progress: { kind: "scram-final", state: r.value.state } })
      : r;
  }
  if (p.kind === "scram-final") {
    // spec: RFC6120-6.3.10
    // Some servers send server-final in a challenge; verify it, answer empty.
    if (data === undefined) {
      return fail(SaslError["malformed-message"], "empty server-final-message");
    }
    const r = scramClientOnServerFinal(p.state, data);
    return r.ok ? ok({ response: new Uint8Array(0), progress: { kind: "scram-verified" } }) : r;
  }
  if (p.kind === "oauthbearer") {
    // spec: RFC7628-3.2.2 RFC7628-3.2.3
    // The only challenge is an error result: answer %x01 and wait for the failure.
    const r = oauthBearerClientOnChallenge(data ?? new Uint8Array(0));
    return r.ok
      ? ok({
        response: r.value.response,
        progress: { kind: "oauthbearer-error", status: r.value.error.status },
      })
      : r;
  }
  return fail(XmppError["unexpected-element"], "a challenge this mechanism does not expect");
}

// spec: RFC6120-6.4.6 RFC5802-5.v
/** Checks `<success/>`: SCRAM must have verified the server's signature. */
export function saslClientSuccess(
  p: SaslClientProgress,
  data: Uint8Array | undefined,
): Result<void> {
  if (p.kind === "scram-final") {
    if (data === undefined || data.length === 0) {
      return fail(SaslError["bad-server-signature"], "success without server-final-message");
    }
    const r = scramClientOnServerFinal(p.state, data);
    return r.ok ? ok(undefined) : r;
  }
  if (p.kind === "scram-first") {
    return fail(XmppError["unexpected-element"], "success before the exchange ran");
  }
  // spec: RFC7628-3.2.3
  if (p.kind === "oauthbearer-error") {
    return fail(SaslError["oauthbearer-error"], `success after error result ${p.status}`);
  }
  // spec: RFC6120-6.4.6
  // A success after verification or for a one-shot mechanism carries no data we need; extra data is refused.
  if (data !== undefined && data.length > 0) {
    return fail(SaslError["malformed-message"], "unexpected additional data with success");
  }
  return ok(undefined);
}

const FAILURE_CODES: Readonly<Record<string, ErrorCode>> = {
  "not-authorized": SaslError["not-authorized"],
  "invalid-authzid": SaslError["invalid-authzid"],
  "invalid-mechanism": SaslError["unknown-mechanism"],
  "mechanism-too-weak": SaslError["mechanism-too-weak"],
  "malformed-request": SaslError["malformed-message"],
  "incorrect-encoding": SaslError["invalid-encoding"],
  "encryption-required": XmppError["starttls-required"],
};

// spec: RFC6120-6.5
/** The code for a `<failure/>` condition the server sent; others are `xmpp/sasl-failed`. */
export const codeForSaslFailure = (condition: string | undefined): ErrorCode =>
  (condition !== undefined && FAILURE_CODES[condition]) || XmppError["sasl-failed"];

// spec: RFC7628-3.2.3
/** A failure that ends an OAUTHBEARER error sequence keeps the error result's status. */
export const saslFailureOutcome = (
  p: SaslClientProgress,
  condition: string | undefined,
): { readonly code: ErrorCode; readonly detail: string } =>
  p.kind === "oauthbearer-error"
    ? { code: SaslError["oauthbearer-error"], detail: `status ${p.status}, then <failure/>` }
    : {
      code: codeForSaslFailure(condition),
      detail: `server sent <failure/> ${condition ?? "without condition"}`,
    };

/** SASL refusals that mean the server sent something malformed, rather than failing our policy. */
const SYNTAX_CODES = new Set<string>([
  SaslError["malformed-message"],
  SaslError["invalid-encoding"],
  SaslError["invalid-base64"],
  SaslError["unknown-extension"],
  SaslError["invalid-nonce"],
  XmppError["unexpected-element"],
]);

// spec: PD-71
/** The stream condition our refusal of the server's SASL data is sent with. */
export const conditionForSaslRefusal = (code: string): "bad-format" | "policy-violation" =>
  SYNTAX_CODES.has(code) ? "bad-format" : "policy-violation";
