/**
 * Configuration, state, inputs and outputs of the key server (the paper's
 * KDC, RFC 6407's GCKS) for one group.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import type { ProviderChoice, Suite } from "../../core/crypto/suite.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { CertificateDer, ValidateChain } from "../../core/pki/types.ts";
import type { TrafficKey } from "./keywrap.ts";
import type { LkhTree } from "./lkh.ts";
import type { GroupPolicy } from "./policy.ts";
import type { MemberRegistry } from "./registry.ts";

/** Signs with the private key of a certificate (the key never enters the machine's state). */
export type Signer = (message: Uint8Array) => Uint8Array;

export interface KeyServerConfig {
  /** The key server's bare JID; its certificate carries it. */
  readonly jid: string;
  /** The group policy provisioned by the grid operator. */
  readonly policy: GroupPolicy;
  /** The key server's certificate chain, end entity first (its key is of the policy's suite). */
  readonly chain: readonly CertificateDer[];
  /** Signs with the key server's certificate key. */
  readonly sign: Signer;
  /** Trust anchors for members' chains. */
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  /** Extended key usages a member's certificate must carry, if any. */
  readonly requiredEku?: readonly string[];
  /** Chain validation (core/pki), injected so the machine stays pure and testable. */
  readonly validateChain: ValidateChain;
  readonly entropy: EntropySource;
  readonly provider?: ProviderChoice;
  /** Time the first traffic keys start, ms since the epoch (default 0). */
  readonly now?: number;
  /** How long a registration may take between challenge and proof, ms (default 30 s). */
  readonly registrationTimeoutMs?: number;
  /** Unfinished registrations held at most (default 1024). */
  readonly maxPending?: number;
  /**
   * Batch window for joins, ms (PD-267). 0 (default): each admitted member
   * gets its own rekey at once. Above 0: an admitted member waits, and every
   * member admitted within this time of the first waiting one joins in one
   * rekey (earlier if another rekey is issued first). At most the
   * registration timeout.
   */
  readonly joinBatchMs?: number;
}

/** A member whose proof was accepted, waiting for the rekey that joins it (PD-267). */
export interface Admission {
  /** Hex Nr of its registration. */
  readonly id: string;
  readonly jid: string;
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  /** The key its key download will be sealed with (derived from the registration's ECDH). */
  readonly sessionKey: Uint8Array;
  /** When it was admitted. */
  readonly at: number;
}

/** A registration between challenge and proof. */
export interface PendingRegistration {
  readonly jid: string;
  readonly ni: Uint8Array;
  readonly request: Uint8Array;
  readonly challenge: Uint8Array;
  /** Our ephemeral ECDH private key for this registration only. */
  readonly ephemeral: Uint8Array;
  readonly created: number;
}

export const KEY_SERVER_PHASES = ["serving", "halted"] as const;
export type KeyServerPhase = typeof KEY_SERVER_PHASES[number];

export interface KeyServerState {
  readonly phase: KeyServerPhase;
  readonly config: KeyServerConfig;
  readonly suite: Suite;
  readonly now: number;
  /** Sequence number of the last rekey (0 before the first). */
  readonly seq: number;
  /** Next traffic key ID. */
  readonly nextKeyId: number;
  /** Traffic keys in force, oldest first. */
  readonly teks: readonly TrafficKey[];
  /** Registrations in progress, by hex Nr. */
  readonly pending: Readonly<Record<string, PendingRegistration>>;
  /** Hex Nr of recently completed registrations, to name replays. */
  readonly completed: readonly string[];
  /** Admitted members waiting for their join rekey, oldest first (PD-267). */
  readonly admitting: readonly Admission[];
  /** The key tree and registry are owned by the state and change in place (PD-116). */
  readonly tree: LkhTree;
  readonly registry: MemberRegistry;
}

export type KeyServerInput =
  /** A key-management message from `from` (the sender the XMPP server stamped). */
  | {
    readonly type: "message";
    readonly data: Uint8Array;
    readonly from?: string;
    readonly now: number;
  }
  /** Remove members (one rekey for the whole batch). */
  | { readonly type: "evict"; readonly jids: readonly string[]; readonly now: number }
  /** Push new traffic keys now, keeping the old ones until they expire. */
  | { readonly type: "rotate"; readonly now: number }
  | { readonly type: "tick"; readonly now: number };

/** Counts describing one rekey, for logs and benchmarks. */
export interface RekeyStats {
  /** Key wraps: node keys, plus one for the traffic keys (sealed together). */
  readonly wraps: number;
  readonly moves: number;
  readonly bytes: number;
}

export type KeyServerOutput =
  /** Send a registration message to one member. */
  | {
    readonly type: "send";
    readonly to: string;
    readonly message: "challenge" | "keys";
    readonly data: Uint8Array;
  }
  /** Publish a rekey to the whole group (e.g. through the MUC room). */
  | {
    readonly type: "rekey";
    readonly seq: number;
    readonly data: Uint8Array;
    readonly stats: RekeyStats;
  }
  | { readonly type: "member-added"; readonly jid: string; readonly leaf: number }
  | { readonly type: "member-removed"; readonly jid: string }
  /** Call again with a tick at this time. */
  | { readonly type: "timer"; readonly at: number }
  | ErrorOutput;

export const KS_DEFAULTS = {
  registrationTimeoutMs: 30_000,
  maxPending: 1024,
  completedMemory: 1024,
  joinBatchMs: 0,
} as const;
