/**
 * Configuration, state, inputs and outputs of per-message protection: the
 * RFC 3923-style alternative to the A-profile session (paper §III.B.1), in
 * which every message is signed on its own by the sender's certificate key
 * and, optionally, encrypted to the recipient's certificate key with a fresh
 * ephemeral key (ECDH-ES + AES-256-GCM).
 *
 * The machine takes the A-profile's inputs (`start`, `send`, `receive`,
 * `signature`, `release`, `abort`, `tick`...) and gives outputs of the same
 * shape (`send`, `sign-request`, `established`, `data`, `released`,
 * `aborted`, errors), so the association can run over either (PD-226).
 *
 * @module
 */
import type { ProviderChoice, Suite, SuiteId } from "../../core/crypto/suite.ts";
import type { EntropySource } from "../../core/entropy.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { CertificateDer, PeerIdentity, ValidateChain } from "../../core/pki/types.ts";
import type { ReceiveWindow } from "../a-profile/window.ts";
import type { Rng } from "../a-profile/rng.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import type { Unsigned } from "./wire.ts";

export type { AProfileInput as PerMessageInput } from "../a-profile/types.ts";

/** Our certificate key's key agreement: the raw ECDH secret with `peerPublic` (an HSM could do it). */
export type KeyAgreementFn = (peerPublic: Uint8Array) => Uint8Array;

/** When a sender carries its certificate chain (PD-227). */
export type ChainCarriage = "until-acknowledged" | "always";

export interface PerMessagePolicy {
  /** Encrypt every message we send to the recipient's certificate key (default true). */
  readonly encrypt: boolean;
  /** Refuse messages that are not encrypted (default true). */
  readonly requireEncryption: boolean;
  /** Accepted distance between a message's time and local time, ms (default ±5 min). */
  readonly timestampWindowMs: number;
  /** Width of the receive window, in sequence numbers (default 64). */
  readonly receiveWindow: number;
  /** Largest forward jump of the sequence number accepted (default 2^20). */
  readonly maxSequenceGap: number;
  /** Encrypt only to certificates carrying keyAgreement (default true). */
  readonly requireKeyAgreementUsage: boolean;
  /** Carry our chain until the peer shows it holds our certificate, or always. */
  readonly chainCarriage: ChainCarriage;
  /** Suites the peer's certificate key may belong to; any when absent. */
  readonly certificateSuites?: readonly SuiteId[];
  /** Extended key usages the peer's certificate must carry, if any. */
  readonly requiredEku?: readonly string[];
  /** Require a current CRL for every certificate of the peer's path (default false). */
  readonly requireCrl?: boolean;
}

// spec: PD-227 PD-228
export const DEFAULT_POLICY: PerMessagePolicy = Object.freeze({
  encrypt: true,
  requireEncryption: true,
  timestampWindowMs: 5 * 60_000,
  receiveWindow: 64,
  maxSequenceGap: 1 << 20,
  requireKeyAgreementUsage: true,
  chainCarriage: "until-acknowledged" as ChainCarriage,
});

/** What the receive side remembers about the peer's messages (carried across restarts). */
export interface ReceiveState {
  /** The peer instance (sender id, hex) whose numbers the window holds. */
  readonly sid?: string;
  readonly window: ReceiveWindow;
  /** Latest message time accepted from the peer, any instance (0 before the first). */
  readonly last: number;
}

export interface PerMessageConfig {
  /** Our own bare JID (the one our certificate carries). */
  readonly localJid: string;
  /** The only peer of this channel (bare JID); its certificate must carry it. */
  readonly peerJid: string;
  /** Our certificate chain, end entity first. The private key stays with the signer. */
  readonly chain: readonly CertificateDer[];
  /** Suite of our certificate's key: names the signature algorithm and the ECDH curve. */
  readonly signatureSuite: SuiteId;
  /** Our certificate key's ECDH; without it encrypted messages cannot be read. */
  readonly agree?: KeyAgreementFn;
  /** The peer's chain when provisioned (from the operator's inventory, RFC 3923-style retrieval). */
  readonly peerChain?: readonly CertificateDer[];
  /** Trust anchors for the peer's chain. */
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  readonly validateChain: ValidateChain;
  /** Seeds the machine's own deterministic generator once, at init. */
  readonly entropy: EntropySource;
  readonly provider?: ProviderChoice;
  readonly policy?: Partial<PerMessagePolicy>;
  /** A receive state carried over from an earlier channel of the same identity. */
  readonly receive?: ReceiveState;
}

/** The peer's certificate once validated. */
export interface PeerCertificate {
  readonly chain: readonly CertificateDer[];
  readonly identity: PeerIdentity;
  /** SHA-256 of the end-entity certificate (hex). */
  readonly digest: string;
  /** The key agreement public key of the certificate key (X25519 form for Ed25519). */
  readonly kexPublic: Uint8Array;
  /** Whether the certificate carries keyAgreement. */
  readonly keyAgreement: boolean;
}

/** The resolved configuration every step uses. */
export interface Context {
  readonly localJid: string;
  readonly peerJid: string;
  readonly chain: readonly CertificateDer[];
  readonly suite: Suite;
  /** SHA-256 of our end-entity certificate. */
  readonly digest: Uint8Array;
  readonly digestHex: string;
  /** Our key agreement public key (the recipient key of messages to us). */
  readonly kexPublic: Uint8Array;
  readonly agree?: KeyAgreementFn;
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  readonly validateChain: ValidateChain;
  readonly policy: PerMessagePolicy;
}

export type MessageKind = "data" | "release" | "abort";

/** A message waiting for its signature. */
export interface PendingSend {
  readonly id: number;
  readonly message: Unsigned;
}

export const PHASES = ["idle", "established", "released", "aborted", "failed"] as const;
export type Phase = typeof PHASES[number];

export interface PerMessageState {
  readonly phase: Phase;
  readonly ctx: Context;
  readonly rng: Rng;
  /** Our sender instance id (8 bytes): a restart of the process draws a new one. */
  readonly sid: Uint8Array;
  /** Last sequence number we used. */
  readonly seq: number;
  readonly nextId: number;
  readonly pending: readonly PendingSend[];
  readonly peer?: PeerCertificate;
  /** The peer's chain as provisioned, checked whenever it is used. */
  readonly provisioned?: readonly CertificateDer[];
  /** The peer showed (rcpt) that it holds our certificate: send references only. */
  readonly peerHasOurCert: boolean;
  readonly recv: ReceiveState;
}

export type PerMessageOutput =
  | { readonly type: "send"; readonly message: "pdu"; readonly element: XmlElement }
  | {
    readonly type: "sign-request";
    readonly id: number;
    readonly suite: SuiteId;
    readonly data: Uint8Array;
  }
  | {
    readonly type: "established";
    /** Our sender instance id (hex). */
    readonly association: string;
    readonly peer?: PeerIdentity;
    readonly suite: SuiteId;
    readonly mode: "signed" | "signed-encrypted";
    readonly renewed: false;
  }
  | {
    readonly type: "data";
    /** The peer's sender instance id (hex). */
    readonly association: string;
    readonly seq: number;
    readonly payload: Uint8Array;
  }
  | { readonly type: "released" }
  | { readonly type: "aborted"; readonly by: "local" | "peer" }
  | { readonly type: "timer"; readonly at: number }
  | ErrorOutput;
