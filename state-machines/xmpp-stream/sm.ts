/**
 * XEP-0198 stream management, the part both roles share: the counters and
 * their 32-bit wrap, acknowledgement checks, the unacknowledged queue, and
 * the `<r/>`, `<a/>`, `<enable/>`, `<enabled/>`, `<resume/>`, `<resumed/>`
 * and `<failed/>` elements.
 *
 * Counters count stanzas only (message, presence, iq), never these
 * elements. `outbound` counts stanzas sent since stream management started
 * on this side, `acked` is the peer's last `h`, `inbound` the stanzas
 * handled from the peer; all wrap at 2^32 (XEP-0198 §4). The queue holds the
 * `outbound - acked` stanzas the peer has not acknowledged, oldest first.
 *
 * @module
 */
import { Element } from "ltx";
import { NS, type Xel } from "./messages.ts";

// spec: XEP0198-4.wrap
/** Counters wrap at 2^32. */
export const SM_MODULUS = 2 ** 32;
export const smIncrement = (n: number): number => (n + 1) % SM_MODULUS;

/** Stream management of one session. */
export interface SmState {
  /** `enabling`: the client sent `<enable/>`, no answer yet. */
  readonly status: "enabling" | "enabled";
  readonly resumable: boolean;
  /** The resumption id the server assigned (XEP-0198 §5). */
  readonly id?: string;
  /** The server's preferred reconnect location, if it gave one. */
  readonly location?: string;
  /** The most seconds the server keeps the session resumable, if it said. */
  readonly max?: number;
  readonly inbound: number;
  readonly outbound: number;
  readonly acked: number;
  readonly unacked: readonly Xel[];
  /** Stanzas sent since our last `<r/>`. */
  readonly sinceRequest: number;
}

/** What a client carries from a dropped session to the next connection. */
export interface ResumptionToken {
  readonly id: string;
  /** The full JID that was bound. */
  readonly jid: string;
  readonly inbound: number;
  readonly outbound: number;
  readonly acked: number;
  readonly unacked: readonly Xel[];
  readonly location?: string;
  /**
   * Initiator: its iq requests still in flight (id → `to`, "" for none). A
   * resumed session continues, so their responses are still expected (PD-106).
   */
  readonly pendingOut?: Readonly<Record<string, string>>;
  /** Initiator: iq requests received and not answered yet, keyed `from` + "\n" + id. */
  readonly pendingIn?: Readonly<Record<string, true>>;
}

/** A fresh state; the caller says when counting starts. */
export const smStart = (status: SmState["status"], resumable: boolean): SmState => ({
  status,
  resumable,
  inbound: 0,
  outbound: 0,
  acked: 0,
  unacked: [],
  sinceRequest: 0,
});

// spec: XEP0198-4.h
/** Parses an `h` attribute: xs:unsignedInt, 0 … 2^32-1. */
export function parseH(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n < SM_MODULUS ? n : undefined;
}

/** Result of applying a peer's `h`. */
export type AckResult =
  | { readonly ok: true; readonly state: SmState; readonly newlyAcked: number }
  | { readonly ok: false; readonly sendCount: number };

// spec: XEP0198-4.ack XEP0198-4.too-high XEP0198-4.wrap
/**
 * Applies an acknowledgement: `h` may advance `acked` by at most the number
 * of unacknowledged stanzas (modulo 2^32). An `h` beyond that — or behind
 * `acked`, which modulo arithmetic sees as far beyond — is refused.
 */
export function smApplyAck(s: SmState, h: number): AckResult {
  const advance = (h - s.acked + SM_MODULUS) % SM_MODULUS;
  if (advance > s.unacked.length) return { ok: false, sendCount: s.outbound };
  return {
    ok: true,
    newlyAcked: advance,
    state: advance === 0 ? s : { ...s, acked: h, unacked: s.unacked.slice(advance) },
  };
}

/** Records a stanza we sent: counted and queued until acknowledged. */
export const smRecordSent = (s: SmState, stanza: Xel): SmState => ({
  ...s,
  outbound: smIncrement(s.outbound),
  unacked: [...s.unacked, stanza],
  sinceRequest: s.sinceRequest + 1,
});

/** Records a stanza handled from the peer (counted only once enabled on our side). */
export const smRecordHandled = (s: SmState): SmState => ({ ...s, inbound: smIncrement(s.inbound) });

export const ackRequestXml = (): string => new Element("r", { xmlns: NS.sm }).toString();
export const ackXml = (h: number): string =>
  new Element("a", { xmlns: NS.sm, h: String(h) }).toString();
export const enableXml = (resume: boolean): string =>
  new Element("enable", { xmlns: NS.sm, resume: resume ? "true" : undefined }).toString();
export const enabledXml = (id: string | undefined, resume: boolean, max?: number): string =>
  new Element("enabled", {
    xmlns: NS.sm,
    id,
    resume: resume ? "true" : undefined,
    max: max === undefined ? undefined : String(max),
  }).toString();
export const resumeXml = (previd: string, h: number): string =>
  new Element("resume", { xmlns: NS.sm, previd, h: String(h) }).toString();
export const resumedXml = (previd: string, h: number): string =>
  new Element("resumed", { xmlns: NS.sm, previd, h: String(h) }).toString();

/** `<failed/>` with a stanza error condition and, when known, the handled count (XEP-0198 §5). */
export function smFailedXml(condition: string, h?: number): string {
  const el = new Element("failed", { xmlns: NS.sm, h: h === undefined ? undefined : String(h) });
  el.c(condition, { xmlns: NS.stanzas });
  return el.toString();
}

// spec: XEP0198-4.too-high
/** The application-specific stream error condition for an `h` that is too high. */
export const handledCountTooHigh = (h: number, sendCount: number): Xel =>
  new Element("handled-count-too-high", {
    xmlns: NS.sm,
    h: String(h),
    "send-count": String(sendCount),
  });

/** `true`/`1` per xs:boolean. */
export const xsTrue = (v: string | undefined): boolean => v === "true" || v === "1";
