/**
 * The protected session of an established association: sealing and opening
 * PDUs, the receive window, key lifetimes and the key-update ratchet.
 *
 * Every PDU carries association id, key epoch, sequence number (from 1, +1
 * per PDU in each direction, across key updates), time and kind. These
 * header fields are the AES-GCM additional data (or are MACed with the body
 * in integrity-only mode), together with the direction, which the wire does
 * not carry. The GCM nonce is the epoch's IV XOR the sequence number, so it
 * is never sent and never repeats under one key.
 *
 * A sender updates its key before an epoch has protected `keyLifetimePdus`
 * PDUs or lived `keyLifetimeMs`: it sends a `key-update` PDU under the old
 * key, then ratchets. A receiver accepts the current epoch and the next one
 * (deriving it when the announcement was lost), refuses older epochs
 * (`key-expired`), and refuses an epoch that protected more PDUs than the
 * lifetime, or outlived it by more than the timestamp window.
 *
 * @module
 */
import { concat, toHex, uintBE, utf8 } from "../../core/bytes.ts";
import { fail, isDerlinkError, ok, type Result } from "../../core/errors.ts";
import { ASSOCIATION_BYTES } from "./tokens.ts";
import type { Suite, SuiteId } from "../../core/crypto/suite.ts";
import { AProfileError } from "./errors.ts";
import {
  type Direction,
  nextSecret,
  pduNonce,
  type TrafficKeys,
  trafficKeys,
} from "./keyschedule.ts";
import { type Pdu, PDU_KINDS, type PduKind } from "./messages.ts";
import type { AProfilePolicy, ModeId } from "./types.ts";
import { EMPTY_WINDOW, type ReceiveWindow, windowAccept, windowRefusal } from "./window.ts";

/** One direction's current key epoch. */
export interface EpochKeys {
  readonly epoch: number;
  readonly secret: Uint8Array;
  readonly keys: TrafficKeys;
  /** When this epoch was installed (local time). */
  readonly since: number;
  /** PDUs protected (or accepted) under this epoch. */
  readonly count: number;
}

export interface Session {
  readonly association: Uint8Array;
  readonly associationHex: string;
  readonly suite: SuiteId;
  readonly mode: ModeId;
  /** Our sending direction. */
  readonly sendDirection: Direction;
  readonly send: EpochKeys & { readonly seq: number };
  readonly recv: EpochKeys & { readonly window: ReceiveWindow };
  /** When the handshake completed (local time). */
  readonly started: number;
}

const other = (d: Direction): Direction => d === "i2r" ? "r2i" : "i2r";

function epochKeys(suite: Suite, mode: ModeId, secret: Uint8Array, epoch: number, now: number) {
  return { epoch, secret, keys: trafficKeys(suite.kdf, secret, mode), since: now, count: 0 };
}

/** A fresh session from the two initial secrets. */
export function newSession(
  suite: Suite,
  mode: ModeId,
  association: Uint8Array,
  sendDirection: Direction,
  secrets: Readonly<Record<Direction, Uint8Array>>,
  now: number,
): Session {
  return {
    association,
    associationHex: toHex(association),
    suite: suite.id,
    mode,
    sendDirection,
    send: { ...epochKeys(suite, mode, secrets[sendDirection], 0, now), seq: 0 },
    recv: {
      ...epochKeys(suite, mode, secrets[other(sendDirection)], 0, now),
      window: EMPTY_WINDOW,
    },
    started: now,
  };
}

/** The additional data of a PDU: every header field and the direction. */
const HEADER_LABEL = utf8("derlink a-profile pdu");
const HEADER_BYTES = HEADER_LABEL.length + 3 + 4 + 8 + 8;
const fitsBytes = (n: number, width: 4 | 8) =>
  Number.isSafeInteger(n) && n >= 0 && (width === 8 || n < 2 ** 32);

/**
 * The PDU header bound into every seal: label, zero, direction, kind,
 * association, epoch (4 bytes), seq and time (8 bytes each, big-endian).
 * Written into one array (every PDU has one); a number out of range takes
 * the generic path, which refuses it as before.
 */
// spec: PD-90 PAPER-R4a
export function header(p: Omit<Pdu, "body">, direction: Direction): Uint8Array {
  if (
    p.association.length !== ASSOCIATION_BYTES || !fitsBytes(p.epoch, 4) ||
    !fitsBytes(p.seq, 8) || !fitsBytes(p.time, 8)
  ) return headerChecked(p, direction);
  const out = new Uint8Array(HEADER_BYTES + ASSOCIATION_BYTES);
  out.set(HEADER_LABEL);
  let at = HEADER_LABEL.length;
  out[at + 1] = direction === "i2r" ? 0 : 1;
  out[at + 2] = PDU_KINDS.indexOf(p.kind);
  out.set(p.association, at + 3);
  at += 3 + ASSOCIATION_BYTES;
  put32(out, at, p.epoch);
  put32(out, at + 4, Math.floor(p.seq / 2 ** 32));
  put32(out, at + 8, p.seq % 2 ** 32);
  put32(out, at + 12, Math.floor(p.time / 2 ** 32));
  put32(out, at + 16, p.time % 2 ** 32);
  return out;
}

function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}

/** The header by the generic encoders (range-checked); `header` must equal it (tests). */
export function headerChecked(p: Omit<Pdu, "body">, direction: Direction): Uint8Array {
  return concat(
    utf8("derlink a-profile pdu"),
    new Uint8Array([0, direction === "i2r" ? 0 : 1, PDU_KINDS.indexOf(p.kind)]),
    p.association,
    uintBE(p.epoch, 4),
    uintBE(p.seq, 8),
    uintBE(p.time, 8),
  );
}

// spec: PAPER-R6a PAPER-R4a PD-89
function seal(
  suite: Suite,
  mode: ModeId,
  k: TrafficKeys,
  aad: Uint8Array,
  seq: number,
  payload: Uint8Array,
) {
  if (mode === "hmac-sha256") return concat(payload, suite.mac.mac(k.key, concat(aad, payload)));
  return suite.aead.seal(k.key, pduNonce(k.iv, seq), payload, aad);
}

function open(
  suite: Suite,
  mode: ModeId,
  k: TrafficKeys,
  aad: Uint8Array,
  seq: number,
  body: Uint8Array,
): Uint8Array | undefined {
  if (mode === "hmac-sha256") {
    if (body.length < 32) return undefined;
    const payload = body.subarray(0, body.length - 32);
    return suite.mac.verify(k.key, concat(aad, payload), body.subarray(body.length - 32))
      ? payload.slice()
      : undefined;
  }
  try {
    return suite.aead.open(k.key, pduNonce(k.iv, seq), body, aad);
  } catch (e) {
    if (isDerlinkError(e)) return undefined;
    throw e;
  }
}

/** True when the sending epoch must be updated before it protects another PDU. */
// spec: PD-93
export const sendKeyDue = (s: Session, policy: AProfilePolicy, now: number): boolean =>
  s.send.count + 1 >= policy.keyLifetimePdus || now - s.send.since >= policy.keyLifetimeMs;

/** Protects one PDU under the current sending epoch. */
export function protect(
  suite: Suite,
  s: Session,
  kind: PduKind,
  payload: Uint8Array,
  now: number,
): { session: Session; pdu: Pdu } {
  const seq = s.send.seq + 1;
  const head = { association: s.association, epoch: s.send.epoch, seq, time: now, kind };
  const body = seal(suite, s.mode, s.send.keys, header(head, s.sendDirection), seq, payload);
  return {
    session: { ...s, send: { ...s.send, seq, count: s.send.count + 1 } },
    pdu: { ...head, body },
  };
}

/** The session after our sending direction moved to the next epoch. */
// spec: PD-93
export function ratchetSend(suite: Suite, s: Session, now: number): Session {
  const secret = nextSecret(suite.kdf, s.send.secret);
  return {
    ...s,
    send: { ...epochKeys(suite, s.mode, secret, s.send.epoch + 1, now), seq: s.send.seq },
  };
}

/** The session after the peer's direction moved to the next epoch. */
export function ratchetRecv(suite: Suite, s: Session, now: number): Session {
  const secret = nextSecret(suite.kdf, s.recv.secret);
  return {
    ...s,
    recv: { ...epochKeys(suite, s.mode, secret, s.recv.epoch + 1, now), window: s.recv.window },
  };
}

/** What opening a PDU gave. */
export interface Opened {
  readonly session: Session;
  readonly kind: PduKind;
  readonly seq: number;
  readonly payload: Uint8Array;
  /** Set when the PDU was the first of the peer's next epoch. */
  readonly advancedTo?: number;
}

/**
 * Checks and opens a received PDU. The checks run in this order, and the
 * first failure is the code: association, time, epoch, window, lifetime,
 * tag. Nothing changes unless the PDU authenticates.
 */
// spec: PAPER-R4a PAPER-R6a PAPER-AS3 PD-91 PD-93
export function unprotect(
  suite: Suite,
  s: Session,
  p: Pdu,
  now: number,
  policy: AProfilePolicy,
): Result<Opened> {
  if (toHex(p.association) !== s.associationHex) {
    return fail(AProfileError["association-mismatch"], "PDU of another association");
  }
  if (Math.abs(p.time - now) > policy.timestampWindowMs) {
    return fail(AProfileError["stale-timestamp"], `PDU time ${p.time - now} ms from local time`);
  }
  if (p.epoch < s.recv.epoch) return fail(AProfileError["key-expired"], `epoch ${p.epoch} retired`);
  if (p.epoch > s.recv.epoch + 1) return fail(AProfileError["bad-epoch"], `epoch ${p.epoch}`);
  const refusal = windowRefusal(s.recv.window, p.seq, policy.receiveWindow, policy.maxSequenceGap);
  if (refusal) return fail(refusal, `seq ${p.seq}, highest ${s.recv.window.highest}`);
  const advancing = p.epoch === s.recv.epoch + 1;
  if (
    !advancing &&
    (s.recv.count >= policy.keyLifetimePdus ||
      now - s.recv.since > policy.keyLifetimeMs + policy.timestampWindowMs)
  ) {
    return fail(AProfileError["key-expired"], `epoch ${p.epoch} outlived its lifetime`);
  }
  const base = advancing ? ratchetRecv(suite, s, now) : s;
  const direction = other(s.sendDirection);
  const payload = open(suite, s.mode, base.recv.keys, header(p, direction), p.seq, p.body);
  if (!payload) return fail(AProfileError["bad-tag"], `seq ${p.seq}`);
  const recv = {
    ...base.recv,
    count: base.recv.count + 1,
    window: windowAccept(base.recv.window, p.seq, policy.receiveWindow),
  };
  return ok({
    session: { ...base, recv },
    kind: p.kind,
    seq: p.seq,
    payload,
    advancedTo: advancing ? p.epoch : undefined,
  });
}
