/**
 * Configuration, state, inputs and outputs of the disco requester machine.
 *
 * @module
 */
import type { ErrorOutput } from "../../core/machine.ts";
import type { ErrorCode } from "../../core/errors.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import type { DiscoInfo, DiscoItem, DiscoKind, DiscoLimits } from "./stanzas.ts";

export interface RequesterConfig {
  /** How long a request may stay unanswered, ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Most requests in flight at once (default 64). */
  readonly maxPending?: number;
  /** Prefix of the ids of iqs we send (default "disco"). */
  readonly idPrefix?: string;
  readonly limits?: Partial<DiscoLimits>;
}

export const REQUESTER_PHASES = ["idle", "waiting"] as const;
export type RequesterPhase = typeof REQUESTER_PHASES[number];

/** One request in flight. */
export interface PendingQuery {
  readonly kind: DiscoKind;
  /** Canonical JID we asked. */
  readonly to: string;
  readonly node?: string;
  readonly deadline: number;
}

export interface RequesterState {
  readonly phase: RequesterPhase;
  readonly config: RequesterConfig;
  readonly pending: Readonly<Record<string, PendingQuery>>;
  readonly nextId: number;
}

export type RequesterInput =
  /** Ask `to` for its info or items (optionally of `node`). */
  | {
    readonly type: "query";
    readonly kind: DiscoKind;
    readonly to: string;
    readonly node?: string;
    readonly now: number;
  }
  /** An iq result or error the client received (other stanzas are ignored). */
  | { readonly type: "stanza"; readonly stanza: Xel }
  /** Time passed: requests past their deadline time out. */
  | { readonly type: "tick"; readonly now: number };

export type RequesterOutput =
  | { readonly type: "send"; readonly stanza: Xel }
  /** Arm a timer named by the request id; send `tick` at `at`. */
  | { readonly type: "set-timer"; readonly name: string; readonly at: number }
  | { readonly type: "clear-timer"; readonly name: string }
  | {
    readonly type: "info";
    readonly id: string;
    readonly from: string;
    readonly node?: string;
    readonly info: DiscoInfo;
  }
  | {
    readonly type: "items";
    readonly id: string;
    readonly from: string;
    readonly node?: string;
    readonly items: readonly DiscoItem[];
  }
  /** A request ended without an answer we accept; an error output with the same code precedes it. */
  | {
    readonly type: "failed";
    readonly id: string;
    readonly to: string;
    readonly kind: DiscoKind;
    readonly node?: string;
    readonly code: ErrorCode;
  }
  | ErrorOutput;
