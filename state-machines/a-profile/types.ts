/**
 * Configuration, inputs and outputs of the A-profile machines (initiator and
 * responder of a 62351-4-style end-to-end association).
 *
 * Inputs are what the adapter reports: time, profile elements received in iq
 * or message stanzas (with the sender the XMPP server stamped), signatures
 * from the external signer, and the application's requests. Outputs are what
 * the machine wants done: elements to send, signatures to compute, events for
 * the application, timers, and errors with stable codes.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { ProviderChoice, SuiteId } from "../../core/crypto/suite.ts";
import type { CertificateDer, PeerIdentity, ValidateChain } from "../../core/pki/types.ts";
import type { XmlElement } from "./xml.ts";

export type { SuiteId } from "../../core/crypto/suite.ts";
export type { CertificateDer, PeerIdentity, ValidateChain } from "../../core/pki/types.ts";

/** Protection modes: AES-GCM with a 128- or 256-bit key, or integrity only with HMAC-SHA-256. */
export type ModeId = "aes-128-gcm" | "aes-256-gcm" | "hmac-sha256";
export const MODES: readonly ModeId[] = ["aes-256-gcm", "aes-128-gcm", "hmac-sha256"];
export const isModeId = (m: string): m is ModeId => (MODES as readonly string[]).includes(m);
/** True for the modes that encrypt. */
export const isConfidential = (m: ModeId): boolean => m !== "hmac-sha256";

/** What local policy allows and how long things may live. Every field has a default. */
export interface AProfilePolicy {
  /** Allowed suites, most preferred first; the initiator offers exactly these. */
  readonly suites: readonly SuiteId[];
  /** Allowed protection modes, most preferred first. */
  readonly modes: readonly ModeId[];
  /** Refuse integrity-only protection (default true). */
  readonly requireConfidentiality: boolean;
  /** Accepted distance between a token's or PDU's time and local time, ms (default ±5 min). */
  readonly timestampWindowMs: number;
  /** Capacity of the responder's nonce replay cache (default 1024). */
  readonly replayCacheSize: number;
  /** Width of the receive window for protected PDUs, in sequence numbers (default 64). */
  readonly receiveWindow: number;
  /** Largest forward jump of the sequence number accepted (default 2^20). */
  readonly maxSequenceGap: number;
  /** PDUs one key epoch may protect before it is updated (default 2^20). */
  readonly keyLifetimePdus: number;
  /** Time one key epoch may be used before it is updated, ms (default 1 h). */
  readonly keyLifetimeMs: number;
  /** Time after which the initiator runs a fresh handshake, ms (default 24 h). */
  readonly associationLifetimeMs: number;
  /** Time the initiator waits for a response, or for a release acknowledgement, ms (default 30 s). */
  readonly handshakeTimeoutMs: number;
  /** Suites the peer's certificate key may belong to; any when absent. */
  readonly certificateSuites?: readonly SuiteId[];
  /** Extended key usages the peer's certificate must carry, if any. */
  readonly requiredEku?: readonly string[];
  /** Require a current CRL for every certificate of the peer's path (default false). */
  readonly requireCrl?: boolean;
}

// spec: PD-86 PD-89 PD-92 PD-94
export const DEFAULT_POLICY: AProfilePolicy = Object.freeze({
  suites: ["x25519-ed25519", "p256", "brainpool256"] as readonly SuiteId[],
  modes: ["aes-256-gcm", "aes-128-gcm"] as readonly ModeId[],
  requireConfidentiality: true,
  timestampWindowMs: 5 * 60_000,
  replayCacheSize: 1024,
  receiveWindow: 64,
  maxSequenceGap: 1 << 20,
  keyLifetimePdus: 1 << 20,
  keyLifetimeMs: 3600_000,
  associationLifetimeMs: 24 * 3600_000,
  handshakeTimeoutMs: 30_000,
});

/** What both roles are configured with. */
export interface CommonConfig {
  /** Our own bare JID (the one our certificate carries). */
  readonly localJid: string;
  /** Our certificate chain, end entity first. The private key stays with the signer. */
  readonly chain: readonly CertificateDer[];
  /** Suite of our certificate's key: names the signature algorithm of our tokens. */
  readonly signatureSuite: SuiteId;
  /** Trust anchors for the peer's chain. */
  readonly anchors: readonly CertificateDer[];
  /** CRLs for the peer's chain. */
  readonly crls?: readonly Uint8Array[];
  /** Chain validation (core/pki), injected so the machine stays pure and testable. */
  readonly validateChain: ValidateChain;
  /** Seeds the machine's own deterministic random generator once, at init. */
  readonly entropy: EntropySource;
  /** Which crypto provider computes the suites (default: the fastest correct mix). */
  readonly provider?: ProviderChoice;
  readonly policy?: Partial<AProfilePolicy>;
}

export interface InitiatorConfig extends CommonConfig {
  /** The responder we mean to reach: its certificate must carry this JID. */
  readonly peerJid: string;
}

/** A snapshot of the responder's replay cache, to carry it into a new responder. */
export interface ReplayCacheState {
  /** Request time below or at which every request is refused (raised when live entries are evicted). */
  readonly floor: number;
  /** Seen nonces (hex) with their request time, oldest first. */
  readonly entries: readonly { readonly nonce: string; readonly time: number }[];
}

export interface ResponderConfig extends CommonConfig {
  /** When set, only these bare JIDs may associate. */
  readonly acceptPeers?: readonly string[];
  /** A replay cache carried over from an earlier responder of the same identity. */
  readonly replayCache?: ReplayCacheState;
}

/** Inputs of both machines. Every input may carry `now` (ms since the epoch). */
export type AProfileInput =
  /** Initiator: begin the handshake. */
  | { readonly type: "start"; readonly now: number }
  /** The external signer's answer to a `sign-request`. */
  | {
    readonly type: "signature";
    readonly id: number;
    readonly value: Uint8Array;
    readonly now?: number;
  }
  | {
    readonly type: "signer-failed";
    readonly id: number;
    readonly detail?: string;
    readonly now?: number;
  }
  /** A profile element received from the network, with the sender the XMPP server stamped. */
  | {
    readonly type: "receive";
    readonly element: XmlElement;
    readonly from?: string;
    readonly now: number;
  }
  /** Application data to protect and send. */
  | { readonly type: "send"; readonly payload: Uint8Array; readonly now: number }
  /** Update our sending key now, and ask the peer to update theirs. */
  | { readonly type: "update-keys"; readonly now: number }
  /** Initiator: run a fresh handshake under the established association. */
  | { readonly type: "rehandshake"; readonly now: number }
  | { readonly type: "release"; readonly now: number }
  | { readonly type: "abort"; readonly now: number }
  | { readonly type: "tick"; readonly now: number };

/** Which profile message an element is. */
export type MessageKind = "request" | "response" | "pdu";

/** What the machines ask for and report. */
export type AProfileOutput =
  /** Send this element: a request in an iq set, a response in the iq result, a PDU in a message or iq. */
  | { readonly type: "send"; readonly message: MessageKind; readonly element: XmlElement }
  /** Sign `data` with our certificate's private key and answer with a `signature` input. */
  | {
    readonly type: "sign-request";
    readonly id: number;
    readonly suite: SuiteId;
    readonly data: Uint8Array;
  }
  | {
    readonly type: "established";
    readonly association: string;
    readonly peer: PeerIdentity;
    readonly suite: SuiteId;
    readonly mode: ModeId;
    readonly renewed: boolean;
  }
  /** Application data received, authenticated (and decrypted). */
  | {
    readonly type: "data";
    readonly association: string;
    readonly seq: number;
    readonly payload: Uint8Array;
  }
  | {
    readonly type: "keys-updated";
    readonly direction: "send" | "receive";
    readonly epoch: number;
  }
  | { readonly type: "released" }
  | { readonly type: "aborted"; readonly by: "local" | "peer" }
  /** Call back with a `tick` at or after `at`. */
  | { readonly type: "timer"; readonly at: number }
  | ErrorOutput;

/** Our own certificate key, for the default driver that signs in process. */
export interface LocalSigner {
  readonly suite: SuiteId;
  /** Secret: never logged, never in an error detail. */
  readonly privateKey: Uint8Array;
}
