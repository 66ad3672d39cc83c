/**
 * State, configuration and shared helpers of the receiver machine
 * (receiver.ts), the server side of a client-to-server stream.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import { type CommonState, type Refusal, refuse, type Step, type TlsInfo } from "./common.ts";
import { bytesOf, streamHeader } from "./messages.ts";
import type { ScramHash } from "./sasl/mod.ts";
import type { OAuthBearerLogin, ReceiverAccount, SaslServerProgress } from "./sasl_server.ts";
import type { SessionConfig, SessionCtx, SessionState, SessionStep } from "./session.ts";
import type { ResumptionToken } from "./sm.ts";
import type { StreamOutput } from "./types.ts";
import type { StanzaPolicy } from "./policy.ts";

export const RECEIVER_PHASES = [
  "awaiting-stream",
  "awaiting-starttls",
  "tls-handshake",
  "awaiting-auth",
  "authenticating",
  "awaiting-bind",
  "bound",
  "closing",
  "closed",
  "failed",
] as const;
export type ReceiverPhase = typeof RECEIVER_PHASES[number];

/** How to run the server side of one client stream. The account table is pure data. */
export interface ReceiverConfig {
  /** The domain this server serves. */
  readonly domain: string;
  readonly entropy: EntropySource;
  /** Accounts by localpart (canonical form). */
  readonly users: Readonly<Record<string, ReceiverAccount>>;
  /** SCRAM hashes to offer, strongest first (default SHA-256, SHA-1). */
  readonly scramHashes?: readonly ScramHash[];
  readonly plainEnabled?: boolean;
  readonly requireChannelBinding?: boolean;
  /** TEST ONLY: offer no STARTTLS and authenticate in the clear (PD-76). */
  readonly noTlsForTest?: boolean;
  /** XEP-0198: offer stream management; resumption ids when `resume`, kept `max` seconds. */
  readonly streamManagement?: { readonly resume: boolean; readonly max?: number };
  /** XEP-0198: sessions that may be resumed, by resumption id (the server's view). */
  readonly resumable?: Readonly<Record<string, ResumptionToken>>;
  readonly ping?: { readonly intervalMs: number; readonly timeoutMs: number };
  /** Failed SASL attempts allowed before the stream is closed (RFC 6120 §6.4.5). */
  readonly maxAuthAttempts?: number;
  readonly negotiationTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
  readonly ackEvery?: number;
  readonly maxUnacked?: number;
  /** Iteration count shown to unknown users (should equal the real accounts'). */
  readonly decoyIterations?: number;
  /** Server policy over every stamped client stanza, e.g. an ACL (policy.ts, PD-211). */
  readonly stanzaPolicy?: StanzaPolicy;
  /**
   * OAUTHBEARER (RFC 7628): offered over TLS when set; this login decision
   * (synchronous, deterministic) says who may log in with which token —
   * for Option 2 of the paper's §V the grid operator's (PD-241).
   */
  readonly oauthBearer?: OAuthBearerLogin;
  readonly now?: number;
}

export interface ReceiverState extends CommonState {
  readonly phase: ReceiverPhase;
  readonly config: ReceiverConfig;
  readonly stage: "plain" | "tls" | "authenticated";
  readonly tls?: TlsInfo;
  /** XEP-0368: TLS was up before the first stream (no STARTTLS on this connection). */
  readonly directTls?: true;
  /** Our stream id for the current stream. */
  readonly streamId?: string;
  /** The `from` of the client's header, echoed as our `to` (RFC 6120 §4.7.2). */
  readonly clientFrom?: string;
  readonly offered: readonly string[];
  readonly sasl?: SaslServerProgress;
  readonly authAttempts: number;
  /** The bare JID SASL authenticated. */
  readonly authenticated?: string;
  readonly session?: SessionState;
  readonly deadline?: number;
  readonly idPrefix: string;
  readonly nextId: number;
  readonly decoyKey: Uint8Array;
}

export type ReceiverStep = Step<ReceiverState>;

// spec: PD-78 PD-79
export const RECEIVER_DEFAULTS = {
  negotiationTimeoutMs: 30_000,
  closeTimeoutMs: 5_000,
  pingTimeoutMs: 10_000,
  maxAuthAttempts: 3,
  ackEvery: 5,
  maxUnacked: 1_000,
  decoyIterations: 4096,
} as const;

// spec: RFC6120-4.7.1 RFC6120-4.7.2 RFC6120-4.7.3
/** Our response header: from our domain, a fresh id, to the client's `from` when it gave one. */
export const receiverHeader = (s: ReceiverState): string =>
  streamHeader({ from: s.config.domain, to: s.clientFrom, id: s.streamId });

export function receiverSessionCtx(s: ReceiverState, smOffer?: SessionCtx["smOffer"]): SessionCtx {
  const c = s.config;
  const config: SessionConfig = {
    pingIntervalMs: c.ping?.intervalMs,
    pingTimeoutMs: c.ping?.timeoutMs ?? RECEIVER_DEFAULTS.pingTimeoutMs,
    maxPendingIq: 0,
    ackEvery: c.ackEvery ?? RECEIVER_DEFAULTS.ackEvery,
    maxUnacked: c.maxUnacked ?? RECEIVER_DEFAULTS.maxUnacked,
  };
  return { role: "receiver", now: s.now, decls: s.decls, domain: c.domain, config, smOffer };
}

/** Ends the stream because of us; our header goes first if the client has not had one. */
export const refuseReceiver = (
  s: ReceiverState,
  r: Refusal,
  extra: readonly StreamOutput[] = [],
): ReceiverStep => refuse(s, r, () => receiverHeader(s), extra);

/** Applies a session step: writes its XML, passes its outputs, ends the stream on a fatal refusal. */
export function applyReceiverSession(
  s: ReceiverState,
  r: SessionStep,
  before: readonly StreamOutput[] = [],
): ReceiverStep {
  const next = { ...s, session: r.session };
  const sent: StreamOutput[] = r.send.length
    ? [{ type: "send-bytes", data: bytesOf(r.send.join("")) }]
    : [];
  if (r.fatal) {
    const ended = refuseReceiver(next, r.fatal);
    return { state: ended.state, out: [...before, ...sent, ...r.out, ...ended.out] };
  }
  return { state: next, out: [...before, ...sent, ...r.out] };
}
