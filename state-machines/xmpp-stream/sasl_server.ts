/**
 * The receiver's side of SASL negotiation (RFC 6120 §6.4) on top of the
 * mechanisms in `sasl/`: what to offer, how to run an `<auth/>` through
 * SCRAM, PLAIN or EXTERNAL against the account table in the configuration
 * (pure data) or OAUTHBEARER through an injected, synchronous login
 * decision (PD-241), and which bare JID an exchange authenticated.
 *
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { EntropySource } from "../../core/entropy.ts";
import { type ErrorCode, fail, ok, type Result } from "../../core/errors.ts";
import { utf8 } from "../../core/bytes.ts";
import { AccessError } from "../../core/access/errors.ts";
import { canonicalJid, sameJid, splitJid } from "./addresses.ts";
import {
  type ChannelBinding,
  externalServerCheck,
  isOAuthBearerDummy,
  mechanismsToOffer,
  oauthBearerErrorResult,
  oauthBearerServerRead,
  parseScramMechanism,
  plainServerDecode,
  plainVerifyAgainstScram,
  SaslError,
  type ScramCredentialLookup,
  type ScramHash,
  type ScramMechanism,
  scramNonce,
  type ScramServerAwaitingClientFinal,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
  type ScramStoredCredentials,
  type XmppSaslFailure,
} from "./sasl/mod.ts";

/** One account: SCRAM stored credentials per hash (none for a certificate-only account). */
export interface ReceiverAccount {
  readonly scram?: Readonly<Partial<Record<ScramHash, ScramStoredCredentials>>>;
}

/** A login decision's answer (core/operator-auth's LoginDecision has this shape). */
export type OAuthBearerDecision =
  | { readonly allow: true; readonly jid: string }
  | { readonly allow: false; readonly code: ErrorCode; readonly detail: string };

/**
 * Who decides OAUTHBEARER logins (PD-241): for Option 2 of the paper's §V
 * the grid operator, in process (core/operator-auth's createLoginDecider).
 * Synchronous and deterministic: the same request at the same `now` gets
 * the same answer. The token is a secret.
 */
export interface OAuthBearerLogin {
  decide(
    request: { readonly username: string; readonly host: string; readonly token: string },
    now: number,
  ): OAuthBearerDecision;
}

/** Everything the server side of SASL needs for one stream. */
export interface SaslServerContext {
  readonly domain: string;
  /** Accounts by localpart (canonical form). */
  readonly users: Readonly<Record<string, ReceiverAccount>>;
  readonly tls: boolean;
  readonly channelBinding?: ChannelBinding;
  /** XMPP addresses of the verified client certificate (EXTERNAL). */
  readonly peerIdentities: readonly string[];
  readonly offered: readonly string[];
  readonly requireChannelBinding: boolean;
  readonly entropy: EntropySource;
  /** Keys the made-up salt for unknown users, so repeated tries see the same one (RFC 5802 §9). */
  readonly decoyKey: Uint8Array;
  readonly decoyIterations: number;
  /** OAUTHBEARER's login decision, when configured. */
  readonly oauthBearer?: OAuthBearerLogin;
  /** The stream's time (ms), for the login decision. */
  readonly now: number;
}

export type SaslServerProgress =
  /** `<auth/>` came without an initial response; an empty challenge asked for it (RFC 6120 §6.4.2). */
  | { readonly kind: "awaiting-initial"; readonly mechanism: string }
  | { readonly kind: "scram"; readonly state: ScramServerAwaitingClientFinal }
  /** OAUTHBEARER refused: the error result went out; the client's %x01 ends it (RFC 7628 §3.2.3). */
  | { readonly kind: "oauthbearer-error"; readonly code: ErrorCode; readonly detail: string };

export type SaslServerResult =
  | { readonly kind: "challenge"; readonly data: Uint8Array; readonly progress: SaslServerProgress }
  /** Authenticated as `jid` (bare); `data` goes into `<success/>`. */
  | { readonly kind: "success"; readonly jid: string; readonly data?: Uint8Array }
  | {
    readonly kind: "failure";
    readonly code: ErrorCode;
    readonly detail: string;
    /** The `<failure/>` condition, when not the code's usual one. */
    readonly condition?: XmppSaslFailure;
  };

/** The mechanisms to offer on this stream (RFC 6120 §6.3.4). */
export function receiverMechanisms(
  tls: boolean,
  scramHashes: readonly ScramHash[],
  channelBinding: ChannelBinding | undefined,
  peerIdentities: readonly string[],
  plainEnabled: boolean,
  oauthBearer = false,
): string[] {
  return mechanismsToOffer({
    tls,
    scramHashes,
    channelBindings: channelBinding ? [channelBinding.type] : [],
    clientCertificate: peerIdentities.length > 0,
    plainEnabled,
    oauthBearer,
  });
}

const failure = (r: { error: { code: ErrorCode; detail: string } }): SaslServerResult => ({
  kind: "failure",
  code: r.error.code,
  detail: r.error.detail,
});

/** Runs the data of `<auth mechanism=…>` (undefined when there was none). */
export function saslServerStart(
  mechanism: string,
  data: Uint8Array | undefined,
  ctx: SaslServerContext,
): SaslServerResult {
  // spec: RFC6120-6.4.2 RFC6120-6.5
  if (!ctx.offered.includes(mechanism)) {
    return {
      kind: "failure",
      code: SaslError["unknown-mechanism"],
      detail: "mechanism not offered",
    };
  }
  if (data === undefined && mechanism !== "EXTERNAL") {
    // spec: RFC6120-6.4.2
    return {
      kind: "challenge",
      data: new Uint8Array(0),
      progress: { kind: "awaiting-initial", mechanism },
    };
  }
  const bytes = data ?? new Uint8Array(0);
  if (mechanism === "PLAIN") return plain(bytes, ctx);
  if (mechanism === "EXTERNAL") return external(bytes, ctx);
  if (mechanism === "OAUTHBEARER") return oauthBearer(bytes, ctx);
  return scramFirst(mechanism as ScramMechanism, bytes, ctx);
}

/** Runs the data of a `<response/>`. */
export function saslServerStep(
  p: SaslServerProgress,
  data: Uint8Array,
  ctx: SaslServerContext,
): SaslServerResult {
  if (p.kind === "awaiting-initial") return saslServerStart(p.mechanism, data, ctx);
  if (p.kind === "oauthbearer-error") return oauthBearerEnd(p, data);
  const r = scramServerOnClientFinal(p.state, data);
  if (!r.ok) return failure(r);
  const jid = authorize(r.value.username, r.value.authzid, ctx);
  return jid.ok ? { kind: "success", jid: jid.value, data: r.value.message } : failure(jid);
}

function scramFirst(
  mechanism: ScramMechanism,
  data: Uint8Array,
  ctx: SaslServerContext,
): SaslServerResult {
  const cb: Partial<Record<string, Uint8Array>> = ctx.channelBinding
    ? { [ctx.channelBinding.type]: ctx.channelBinding.data }
    : {};
  const read = scramServerReadClientFirst({
    mechanism,
    advertisedPlus: ctx.offered.some((m) => parseScramMechanism(m)?.plus),
    channelBindings: cb,
    requireChannelBinding: ctx.requireChannelBinding,
  }, data);
  if (!read.ok) return failure(read);
  const hash = parseScramMechanism(mechanism)!.hash;
  const stored = ctx.users[read.value.username]?.scram?.[hash];
  // spec: RFC5802-9.enum
  const lookup: ScramCredentialLookup = stored ? { kind: "found", credentials: stored } : {
    kind: "unknown",
    decoy: {
      salt: hmac(sha256, ctx.decoyKey, utf8(`${hash}\n${read.value.username}`)).slice(0, 16),
      iterations: ctx.decoyIterations,
    },
  };
  // spec: RFC5802-5.1.r
  const first = scramServerOnClientFirst(read.value, lookup, scramNonce(ctx.entropy.bytes(18)));
  if (!first.ok) return failure(first);
  return {
    kind: "challenge",
    data: first.value.message,
    progress: { kind: "scram", state: first.value.state },
  };
}

function plain(data: Uint8Array, ctx: SaslServerContext): SaslServerResult {
  const creds = plainServerDecode(data);
  if (!creds.ok) return failure(creds);
  const account = ctx.users[creds.value.authcid]?.scram;
  const stored = account?.["SHA-256"] ?? account?.["SHA-1"];
  if (!stored) {
    return { kind: "failure", code: SaslError["not-authorized"], detail: "no such account" };
  }
  const verified = plainVerifyAgainstScram(stored, creds.value.password);
  if (!verified.ok) return failure(verified);
  const jid = authorize(creds.value.authcid, creds.value.authzid, ctx);
  return jid.ok ? { kind: "success", jid: jid.value } : failure(jid);
}

// spec: XEP0178-3 RFC6120-6.3.4.external
function external(data: Uint8Array, ctx: SaslServerContext): SaslServerResult {
  const r = externalServerCheck(data, {
    certificateJids: ctx.peerIdentities,
    normalizeJid: canonicalJid,
  });
  if (!r.ok) return failure(r);
  const parts = splitJid(r.value.jid);
  if (
    parts.local === undefined || parts.resource !== undefined ||
    !sameJid(parts.domain, ctx.domain) || !ctx.users[parts.local]
  ) {
    return {
      kind: "failure",
      code: SaslError["not-authorized"],
      detail: "certificate identity has no account here",
    };
  }
  return { kind: "success", jid: r.value.jid };
}

/**
 * OAUTHBEARER: read the initial response, then ask the login decision for
 * the authzid's account. A refusal answers with the RFC 7628 error result
 * and keeps the decision's code for the failure that ends the exchange.
 */
// spec: RFC7628-3.1 RFC7628-3.2.2 PD-241 PAPER-OPT2
function oauthBearer(data: Uint8Array, ctx: SaslServerContext): SaslServerResult {
  const r = oauthBearerServerRead(data);
  if (!r.ok) return failure(r);
  // spec: RFC6120-6.3.8 PD-241
  // The account is named by the authzid: the token alone does not say who logs in here.
  const jid = r.value.authzid === undefined ? undefined : canonicalJid(r.value.authzid);
  const parts = jid === undefined ? undefined : splitJid(jid);
  if (
    !jid || !parts || parts.local === undefined || parts.resource !== undefined ||
    !sameJid(parts.domain, ctx.domain)
  ) {
    return {
      kind: "failure",
      code: SaslError["invalid-authzid"],
      detail: "OAUTHBEARER needs the account's bare JID of this domain as authzid",
    };
  }
  const d = ctx.oauthBearer!.decide(
    { username: parts.local, host: ctx.domain, token: r.value.token },
    ctx.now,
  );
  if (d.allow && sameJid(d.jid, jid)) return { kind: "success", jid };
  const refused = d.allow
    ? { code: SaslError["not-authorized"], detail: "the decision named another account" }
    : { code: d.code, detail: d.detail };
  return {
    kind: "challenge",
    data: oauthBearerErrorResult(),
    progress: { kind: "oauthbearer-error", ...refused },
  };
}

/** The client's answer to the error result: %x01 ends the exchange with the decision's code. */
// spec: RFC7628-3.2.3 RFC6120-6.5 PD-241
function oauthBearerEnd(
  p: { readonly code: ErrorCode; readonly detail: string },
  data: Uint8Array,
): SaslServerResult {
  if (!isOAuthBearerDummy(data)) {
    return {
      kind: "failure",
      code: SaslError["malformed-message"],
      detail: "the answer to an error result must be %x01",
    };
  }
  // spec: RFC6120-6.5.2
  const condition = p.code === AccessError.expired ? "credentials-expired" : "not-authorized";
  return { kind: "failure", code: p.code, detail: p.detail, condition };
}

// spec: RFC6120-6.3.8
/** The bare JID of an authenticated user name; an authorization identity must be that same JID. */
function authorize(
  username: string,
  authzid: string | undefined,
  ctx: SaslServerContext,
): Result<string> {
  const jid = canonicalJid(`${username}@${ctx.domain}`);
  if (!jid) return fail(SaslError["not-authorized"], "user name is not a valid localpart");
  if (authzid !== undefined && !sameJid(authzid, jid)) {
    return fail(SaslError["invalid-authzid"], "acting for another entity is not allowed");
  }
  return ok(jid);
}
