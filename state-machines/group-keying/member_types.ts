/**
 * Configuration, state, inputs and outputs of a group member (RFC 6407's GM:
 * an IED, DER controller or control centre that joins a multicast group).
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import type { ProviderChoice, Suite, SuiteId } from "../../core/crypto/suite.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { CertificateDer, ValidateChain } from "../../core/pki/types.ts";
import type { Keyring } from "./keyring.ts";
import type { Signer } from "./key_server_types.ts";
import type { MemberKeys } from "./lkh_member.ts";
import type { GroupInfo } from "./policy.ts";

export interface MemberConfig {
  /** Our bare JID; our certificate carries it. */
  readonly jid: string;
  readonly groupId: string;
  /** The suite we register with; the group policy must name the same. */
  readonly suite: SuiteId;
  /** The key server's bare JID; its certificate must carry it. */
  readonly keyServerJid: string;
  /** Our certificate chain, end entity first. */
  readonly chain: readonly CertificateDer[];
  /** Signs with our certificate key. */
  readonly sign: Signer;
  /** Trust anchors for the key server's chain. */
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  readonly requiredEku?: readonly string[];
  readonly validateChain: ValidateChain;
  readonly entropy: EntropySource;
  readonly provider?: ProviderChoice;
  /** How long to wait for each registration answer, ms (default 30 s). */
  readonly registrationTimeoutMs?: number;
  /** How far a received message's time may be ahead of ours, ms (default 2 s). */
  readonly maxSkewMs?: number;
  /** Time allowed to live of the messages we protect, unless the input says otherwise (default 2 s). */
  readonly ttlMs?: number;
}

export const MEMBER_PHASES = [
  "idle",
  "requesting",
  "proving",
  "member",
  "excluded",
  "failed",
] as const;
export type MemberPhase = typeof MEMBER_PHASES[number];

/** What a registration in progress remembers. */
export interface MemberRegistration {
  readonly ni: Uint8Array;
  readonly request: Uint8Array;
  /** When the last registration message was sent (the timeout runs from here). */
  readonly started: number;
  readonly challenge?: Uint8Array;
  readonly nr?: Uint8Array;
  readonly proof?: Uint8Array;
  readonly ephemeral?: Uint8Array;
  readonly keyShare?: Uint8Array;
  readonly serverKey?: Uint8Array;
  readonly info?: GroupInfo;
}

export interface MemberState {
  readonly phase: MemberPhase;
  readonly config: MemberConfig;
  readonly suite: Suite;
  readonly now: number;
  readonly registration?: MemberRegistration;
  /** The key server's signature key, from its validated certificate. */
  readonly serverKey?: Uint8Array;
  readonly info?: GroupInfo;
  /** Sequence number of the last rekey accepted (or of the key download). */
  readonly seq: number;
  readonly keys?: MemberKeys;
  readonly keyring: Keyring;
}

export type MemberInput =
  /** Register (again): from idle, failed or excluded. */
  | { readonly type: "start"; readonly now: number }
  /** A key-management message (challenge, key download, rekey) with the sender the server stamped. */
  | {
    readonly type: "message";
    readonly data: Uint8Array;
    readonly from?: string;
    readonly now: number;
  }
  /** A group-protected message received from the group. */
  | {
    readonly type: "spdu";
    readonly data: Uint8Array;
    readonly from?: string;
    readonly now: number;
  }
  /** Protect `payload` for the group on `streamId`. */
  | {
    readonly type: "protect";
    readonly streamId: string;
    readonly payload: Uint8Array;
    readonly ttlMs?: number;
    readonly now: number;
  }
  /** Leave the group: forget every key. */
  | { readonly type: "leave"; readonly now: number }
  | { readonly type: "tick"; readonly now: number };

export type MemberEvent =
  | { readonly type: "registered"; readonly seq: number; readonly keyIds: readonly number[] }
  | { readonly type: "rekeyed"; readonly seq: number; readonly keyIds: readonly number[] }
  /** The rekey left us without the group key: evicted, or too far behind to follow. */
  | { readonly type: "excluded"; readonly seq: number };

export type MemberOutput =
  | {
    readonly type: "send";
    readonly to: string;
    readonly message: "request" | "proof";
    readonly data: Uint8Array;
  }
  | { readonly type: "event"; readonly event: MemberEvent }
  | {
    readonly type: "deliver";
    readonly streamId: string;
    readonly sender: string;
    readonly keyId: number;
    readonly spdu: number;
    readonly payload: Uint8Array;
  }
  /** A protected message to publish to the group (e.g. into the MUC room). */
  | { readonly type: "publish"; readonly streamId: string; readonly data: Uint8Array }
  | { readonly type: "timer"; readonly at: number }
  | ErrorOutput;

export const MEMBER_DEFAULTS = {
  registrationTimeoutMs: 30_000,
  maxSkewMs: 2_000,
  ttlMs: 2_000,
} as const;
