/**
 * Types and small helpers of the bound session (session.ts, session_iq.ts):
 * its configuration and state, the context a step runs in, and the draft a
 * step builds before its stanzas are counted and serialised.
 *
 * @module
 */
import type { PersistentMap } from "../../core/persistent_map.ts";
import type { Refusal } from "./common.ts";
import type { StreamDecls, Xel } from "./messages.ts";
import type { SmState } from "./sm.ts";
import type { StreamOutput } from "./types.ts";

export interface SessionConfig {
  /** Send a ping after this long without inbound traffic (XEP-0199); none when absent. */
  readonly pingIntervalMs?: number;
  /** How long a ping may stay unanswered. */
  readonly pingTimeoutMs: number;
  /** Most iq requests in flight (initiator). */
  readonly maxPendingIq: number;
  /** Request an acknowledgement after this many stanzas (XEP-0198). */
  readonly ackEvery: number;
  /** Most unacknowledged stanzas kept for resending. */
  readonly maxUnacked: number;
}

export interface PingState {
  /** When to ping next if nothing arrives before. */
  readonly nextAt: number;
  readonly awaiting?: { readonly id: string; readonly deadline: number };
}

export interface SessionState {
  /** The bound full JID: ours (initiator) or the client's (receiver). */
  readonly jid: string;
  readonly sm?: SmState;
  readonly ping?: PingState;
  // spec: PD-271
  /**
   * Initiator: iq get/set sent and not answered, id → `to` ("" for none).
   * A persistent map: a stream with thousands of requests in flight (the
   * control centre's) adds and removes one in constant time.
   */
  readonly pendingOut: PersistentMap<string>;
  /** Initiator: iq get/set received and not answered, keyed `from` + "\n" + id. */
  readonly pendingIn: PersistentMap<true>;
  readonly idPrefix: string;
  readonly nextId: number;
}

export interface SessionCtx {
  readonly role: "initiator" | "receiver";
  readonly now: number;
  readonly decls: StreamDecls;
  /** The server's domain. */
  readonly domain: string;
  readonly config: SessionConfig;
  /** Receiver: XEP-0198 offered, and a fresh resumption id when resumption is offered. */
  readonly smOffer?: { readonly resumptionId?: string; readonly max?: number };
}

export interface SessionStep {
  readonly session: SessionState;
  /** Serialised XML to write, in order. */
  readonly send: readonly string[];
  readonly out: readonly StreamOutput[];
  readonly fatal?: Refusal;
}

/** Something to send: a stanza (an element, counted by XEP-0198) or other XML (a string, not counted). */
export type Outgoing = Xel | string;

export interface Draft {
  readonly session: SessionState;
  readonly send: readonly Outgoing[];
  readonly out: readonly StreamOutput[];
  readonly fatal?: Refusal;
}

export const done = (
  session: SessionState,
  send: Outgoing[] = [],
  out: StreamOutput[] = [],
): Draft => ({
  session,
  send,
  out,
});
export const fatal = (session: SessionState, refusal: Refusal): Draft => ({
  session,
  send: [],
  out: [],
  fatal: refusal,
});

export const without = <T>(rec: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const copy = { ...rec };
  delete copy[key];
  return copy;
};
