/**
 * State, configuration and shared helpers of the initiator machine
 * (initiator.ts): the phases, the defaults, our stream header, the session
 * context, and how a refusal or a session step is applied.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import { bareOf, splitJid } from "./addresses.ts";
import { type CommonState, type Refusal, refuse, type Step, type TlsInfo } from "./common.ts";
import { bytesOf, type Features, streamHeader } from "./messages.ts";
import type { SaslClientProgress } from "./sasl_client.ts";
import type { ScramClientPolicy } from "./sasl/mod.ts";
import type { SessionConfig, SessionCtx, SessionState, SessionStep } from "./session.ts";
import type { ResumptionToken } from "./sm.ts";
import type { StreamOutput } from "./types.ts";

export const INITIATOR_PHASES = [
  "idle",
  "opening",
  "awaiting-features",
  "starttls-requested",
  "tls-handshake",
  "authenticating",
  "resuming",
  "binding",
  "bound",
  "closing",
  "closed",
  "failed",
] as const;
export type InitiatorPhase = typeof INITIATOR_PHASES[number];

/** How to run the client side. Holds the password: never log it. */
export interface InitiatorConfig {
  /** Our bare JID; its domainpart is the server's domain and its localpart the SASL user name. */
  readonly jid: string;
  readonly password?: string;
  readonly authzid?: string;
  /** Resource to ask for; the server generates one when absent (RFC 6120 §7.6). */
  readonly resource?: string;
  readonly entropy: EntropySource;
  /** SASL preference, strongest first (default: the sasl module's). */
  readonly mechanisms?: readonly string[];
  readonly plainEnabled?: boolean;
  readonly clientCertificate?: boolean;
  /** OAUTHBEARER (RFC 7628): an OAuth 2.0 bearer token. Secret: never log it. */
  readonly bearerToken?: string;
  readonly requireChannelBinding?: boolean;
  readonly scramPolicy?: ScramClientPolicy;
  /** TEST ONLY: go on without TLS when the server offers no STARTTLS (PD-76). */
  readonly allowPlaintextForTest?: boolean;
  /** XEP-0198: enable stream management after binding, asking for resumption when `resume`. */
  readonly streamManagement?: { readonly resume: boolean };
  /** XEP-0198: resume this session instead of binding a new one. */
  readonly resumeFrom?: ResumptionToken;
  /** XEP-0199: ping after `intervalMs` of silence; fail after `timeoutMs` without answer. */
  readonly ping?: { readonly intervalMs: number; readonly timeoutMs: number };
  readonly negotiationTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
  readonly maxPendingIq?: number;
  readonly ackEvery?: number;
  readonly maxUnacked?: number;
  /** The time at init (ms). */
  readonly now?: number;
  readonly lang?: string;
}

export interface InitiatorState extends CommonState {
  readonly phase: InitiatorPhase;
  readonly config: InitiatorConfig;
  /** What the current stream has already achieved. */
  readonly stage: "plain" | "tls" | "authenticated";
  readonly tls?: TlsInfo;
  /** XEP-0368: TLS was up before the first stream (no STARTTLS on this connection). */
  readonly directTls?: true;
  readonly streamId?: string;
  readonly features?: Features;
  readonly mechanism?: string;
  readonly sasl?: SaslClientProgress;
  readonly bindId?: string;
  readonly resume?: ResumptionToken;
  readonly session?: SessionState;
  /** Negotiation deadline, or the close deadline while closing. */
  readonly deadline?: number;
  readonly idPrefix: string;
  readonly nextId: number;
}

export type InitiatorStep = Step<InitiatorState>;

// spec: PD-78
export const INITIATOR_DEFAULTS = {
  negotiationTimeoutMs: 30_000,
  closeTimeoutMs: 5_000,
  pingTimeoutMs: 10_000,
  maxPendingIq: 256,
  ackEvery: 5,
  maxUnacked: 1_000,
} as const;

/** Our header for the current stage; `from` only once TLS protects it (RFC 6120 §4.7.1). */
export function initiatorHeader(s: InitiatorState): string {
  // spec: RFC6120-4.7.1 RFC6120-4.7.2
  const from = s.stage === "plain" ? undefined : bareOf(s.config.jid);
  return streamHeader({ to: splitJid(s.config.jid).domain, from, lang: s.config.lang });
}

export function sessionCtx(s: InitiatorState): SessionCtx {
  const c = s.config;
  const config: SessionConfig = {
    pingIntervalMs: c.ping?.intervalMs,
    pingTimeoutMs: c.ping?.timeoutMs ?? INITIATOR_DEFAULTS.pingTimeoutMs,
    maxPendingIq: c.maxPendingIq ?? INITIATOR_DEFAULTS.maxPendingIq,
    ackEvery: c.ackEvery ?? INITIATOR_DEFAULTS.ackEvery,
    maxUnacked: c.maxUnacked ?? INITIATOR_DEFAULTS.maxUnacked,
  };
  return { role: "initiator", now: s.now, decls: s.decls, domain: splitJid(c.jid).domain, config };
}

/** Ends the stream because of us (see common.ts `refuse`). */
export const refuseInitiator = (
  s: InitiatorState,
  r: Refusal,
  extra: readonly StreamOutput[] = [],
): InitiatorStep => refuse(s, r, () => initiatorHeader(s), extra);

/** Applies a session step: writes its XML, passes its outputs, ends the stream on a fatal refusal. */
export function applySession(
  s: InitiatorState,
  r: SessionStep,
  before: readonly StreamOutput[] = [],
): InitiatorStep {
  const next = { ...s, session: r.session };
  const sent: StreamOutput[] = r.send.length
    ? [{ type: "send-bytes", data: bytesOf(r.send.join("")) }]
    : [];
  if (r.fatal) {
    const ended = refuseInitiator(next, r.fatal);
    return { state: ended.state, out: [...before, ...sent, ...r.out, ...ended.out] };
  }
  return { state: next, out: [...before, ...sent, ...r.out] };
}
