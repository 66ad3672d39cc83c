/**
 * The live checks of a real XMPP server (DESIGN.md §5): what each one
 * checks, which requirement it stands for, and the shapes of options and
 * results. The architecture relies on these server behaviours; the checks
 * measure them on the server a deployment would use.
 *
 * @module
 */
import { defineErrorCodes, DerlinkError } from "../../core/errors.ts";
import type { EntropySource } from "../../core/entropy.ts";
import type { Verdict } from "../suite.ts";

/** Failures of the live checker itself (its verdicts are not errors). */
export const LiveError = defineErrorCodes("live", {
  usage: "the live command line is incomplete or malformed",
  timeout: "the server did not answer a probe in time",
  unexpected: "the server answered a probe with something the check cannot read",
});

/** A test account on the server. */
export interface LiveAccount {
  /** Bare JID. */
  readonly jid: string;
  /** Secret: never logged, never in a report. */
  readonly password: string;
}

export interface LiveOptions {
  /** Where to connect (any host: the checker connects to it). */
  readonly host: string;
  readonly port: number;
  /** Trust anchors (PEM) for the server certificate. */
  readonly anchors: readonly string[];
  /** Accounts: the first observes, the second is a contact/occupant that drops, the third is a stranger. */
  readonly accounts: readonly LiveAccount[];
  /** MUC service domain (e.g. `rooms.example.org`); without it the room checks are not applicable. */
  readonly roomService?: string;
  /** Longest acceptable delay of presence unavailable after a drop (PD-174). Default 5000 ms. */
  readonly maxDelayMs?: number;
  /** Bound on each wait for the server. Default 10 000 ms. */
  readonly stepTimeoutMs?: number;
  /** Randomness for nonces, room names and session ids. Default the system source. */
  readonly entropy?: EntropySource;
}

/** One check's identity. */
export interface CheckInfo {
  /** The check's own requirement ID (spec-notes/requirements/conformance-live.md). */
  readonly id: string;
  readonly title: string;
  /** Every requirement the check speaks for, its own first. */
  readonly spec: readonly string[];
}

/** The checks, in the order they run. */
export const CHECKS = {
  starttls: {
    id: "DL-LIVE-1",
    title: "STARTTLS is required: offered as <required/>, no SASL mechanism before TLS",
    spec: ["DL-LIVE-1", "RFC6120-5.3.1", "PAPER-R3", "PAPER-R5", "PAPER-M1"],
  },
  clearAuth: {
    id: "DL-LIVE-2",
    title: "authentication attempted in clear is refused",
    spec: ["DL-LIVE-2", "RFC6120-5.3.1", "PAPER-R3", "PAPER-R5"],
  },
  scram: {
    id: "DL-LIVE-3",
    title: "SCRAM is offered after TLS and a login with it succeeds",
    spec: ["DL-LIVE-3", "RFC7677-4", "PAPER-R1"],
  },
  from: {
    id: "DL-LIVE-4",
    title: "a spoofed 'from' is rewritten to the sender's address or refused",
    spec: ["DL-LIVE-4", "RFC6120-8.1.2.1", "PAPER-TA1"],
  },
  rosterGone: {
    id: "DL-LIVE-5",
    title: "a contact gets presence unavailable when the other's connection drops",
    spec: ["DL-LIVE-5", "RFC6121-4.5.2", "PAPER-MAP3"],
  },
  roomGone: {
    id: "DL-LIVE-6",
    title: "a room occupant gets presence unavailable when another's connection drops",
    spec: ["DL-LIVE-6", "XEP0045-7.14", "PAPER-MAP3", "PAPER-MAP4"],
  },
  voiceless: {
    id: "DL-LIVE-7",
    title: "a moderated room refuses groupchat from an occupant without voice",
    spec: ["DL-LIVE-7", "XEP0045-7.4", "XEP0045-8.4", "PAPER-MAP4"],
  },
  nonMember: {
    id: "DL-LIVE-8",
    title: "a members-only room refuses a non-member",
    spec: ["DL-LIVE-8", "XEP0045-7.2.6", "PAPER-M4"],
  },
} as const satisfies Record<string, CheckInfo>;

export type CheckName = keyof typeof CHECKS;

/** One check's outcome. */
export interface CheckResult extends CheckInfo {
  readonly verdict: Verdict;
  /** What was measured or seen, in a sentence. */
  readonly message: string;
  /** Measured values (delays in ms, mechanism lists, conditions). */
  readonly observed?: Readonly<Record<string, unknown>>;
}

/** A result for `name`. */
export const result = (
  name: CheckName,
  verdict: Verdict,
  message: string,
  observed?: Record<string, unknown>,
): CheckResult => ({ ...CHECKS[name], verdict, message, ...(observed ? { observed } : {}) });

/** An exception as one line: a DerlinkError's message already starts with its code. */
export const describeError = (e: unknown): string =>
  e instanceof DerlinkError
    ? e.message
    : e instanceof Error
    ? `${e.name}: ${e.message}`
    : String(e);
