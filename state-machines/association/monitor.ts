/**
 * The presence monitor of paper §II.C (PAPER-MAP3): each association watches
 * exactly one address, its peer's full JID. The XMPP server tells a client
 * that the other end disconnected with presence unavailable from that full
 * JID (RFC 6121 §4.5.2), and it stamps `from` itself (RFC 6120 §8.1.2.1), so
 * an unavailable presence from the peer is trusted and ends the association
 * at once. Presence from any other address — another resource of the same
 * account, the bare JID, a third party — is spoofing from this association's
 * point of view: counted and reported as ignored, never acted on (PD-149).
 *
 * The second signal is XEP-0199 (PD-150): when configured, the association
 * pings the peer's full JID after a quiet interval and declares it lost when
 * the pong does not come in time; any PDU from the peer counts as a sign of
 * life.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { formatJid, isFull, tryParseJid } from "../../core/jid.ts";
import { AssociationError } from "./errors.ts";
import type { PingSettings } from "./types.ts";
import type { Xel } from "./xer_dom.ts";

/** The canonical text of the peer's full JID; refuses anything else at init. */
export function canonicalPeer(text: string): string {
  const j = typeof text === "string" ? tryParseJid(text) : undefined;
  if (!j?.ok || !isFull(j.value)) {
    throw new DerlinkError(AssociationError["invalid-input"], "peer must be a full JID");
  }
  return formatJid(j.value);
}

/** True when `from` is the peer (canonical comparison; the common case is one string compare). */
export function isPeer(peer: string, from: unknown): boolean {
  if (from === peer) return true;
  if (typeof from !== "string") return false;
  const j = tryParseJid(from);
  return j.ok && formatJid(j.value) === peer;
}

/** What a presence stanza means to an association watching `peer`. */
export type PresenceVerdict =
  | { readonly kind: "lost" }
  | { readonly kind: "spoofed"; readonly from?: string }
  | { readonly kind: "none" }
  | { readonly kind: "invalid"; readonly detail: string };

// spec: PAPER-MAP3 RFC6121-4.5.2 PD-149
export function classifyPresence(peer: string, stanza: Xel): PresenceVerdict {
  if (typeof stanza !== "object" || stanza === null || typeof stanza.attrs !== "object") {
    return { kind: "invalid", detail: "not a stanza" };
  }
  if (stanza.name !== "presence") return { kind: "invalid", detail: `<${stanza.name}>` };
  const from = stanza.attrs.from;
  if (!isPeer(peer, from)) {
    return typeof from === "string" ? { kind: "spoofed", from } : { kind: "spoofed" };
  }
  return stanza.attrs.type === "unavailable" ? { kind: "lost" } : { kind: "none" };
}

/** Ping bookkeeping. */
export interface PingState {
  /** When to ping next if the peer stays quiet. */
  readonly nextAt: number;
  readonly awaiting?: { readonly id: string; readonly deadline: number };
}

/** Fresh ping state when an association starts (none when pings are off). */
export const startPing = (s: PingSettings | undefined, now: number): PingState | undefined =>
  s === undefined ? undefined : { nextAt: now + s.intervalMs };

/** A sign of life from the peer postpones the next ping (XEP0199-liveness). */
export function heard(p: PingState | undefined, s: PingSettings | undefined, now: number) {
  if (p === undefined || s === undefined || p.awaiting) return p;
  return { nextAt: now + s.intervalMs };
}

/** What time does to the ping state. */
export type PingTick =
  | { readonly kind: "lost" }
  | { readonly kind: "ping"; readonly id: string; readonly state: PingState }
  | { readonly kind: "wait"; readonly at?: number };

// spec: XEP0199-4.4 PD-150
export function pingTick(
  p: PingState | undefined,
  s: PingSettings | undefined,
  now: number,
  nextId: string,
): PingTick {
  if (p === undefined || s === undefined) return { kind: "wait" };
  if (p.awaiting) return now >= p.awaiting.deadline ? { kind: "lost" } : { kind: "wait" };
  if (now < p.nextAt) return { kind: "wait" };
  const deadline = now + s.timeoutMs;
  return {
    kind: "ping",
    id: nextId,
    state: { nextAt: p.nextAt, awaiting: { id: nextId, deadline } },
  };
}

/** A pong: true when it answers the ping we wait for. */
export const answers = (p: PingState | undefined, id: string): boolean =>
  p?.awaiting !== undefined && p.awaiting.id === id;
