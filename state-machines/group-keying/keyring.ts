/**
 * A member's traffic keys and the counters that go with them, as an
 * immutable value: which keys it holds, which were retired, the last SPDU
 * number accepted from each sender under each key, and its own sending
 * counters. {@link receiveSpdu} is the receiver's whole decision, in a fixed
 * order so that every refusal has one code (docs/group-keying.md):
 *
 * 1. parse (`group/malformed`, `group/truncated-tag`);
 * 2. the Stream-ID is one of the group's (`group/wrong-stream`);
 * 3. the key ID is held (`group/key-expired` if retired, else `group/unknown-key`),
 *    protects this stream (`group/wrong-stream`) with this algorithm
 *    (`group/algorithm-mismatch`) and is in its lifetime
 *    (`group/key-not-active`, `group/key-expired`);
 * 4. the tag verifies (`group/bad-tag`);
 * 5. the sender publishes on the stream (`group/sender-not-authorized`);
 * 6. the time allowed to live has not passed (`group/ttl-expired`) and the
 *    time is not ahead of ours by more than the skew (`group/from-future`);
 * 7. the SPDU number is above the last one accepted from that sender under
 *    that key (`group/spdu-replayed`, `group/spdu-stale`).
 * Only a message that passes every check changes the counters.
 *
 * @module
 */
import type { Suite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GroupError } from "./errors.ts";
import { bareJid } from "./jid.ts";
import type { TrafficKey } from "./keywrap.ts";
import { type GroupInfo, mayPublish } from "./policy.ts";
import { decodeSpdu, MAX_SPDU, openSpdu, protectSpdu, type SpduHeader } from "./spdu.ts";

export interface Keyring {
  readonly keys: readonly TrafficKey[];
  /** Recently retired key IDs (newest last), so their messages read as expired. */
  readonly retired: readonly number[];
  /** `keyId/sender` → last SPDU number accepted. */
  readonly lastSeen: Readonly<Record<string, number>>;
  /** keyId → last SPDU number this member sent. */
  readonly sent: Readonly<Record<number, number>>;
}

export const EMPTY_KEYRING: Keyring = { keys: [], retired: [], lastSeen: {}, sent: {} };
const RETIRED_MEMORY = 64;

/** Receiver settings. */
export interface ReceiveOptions {
  /** How far a message's time may be ahead of ours, ms. */
  readonly maxSkewMs: number;
  /** The sender the transport vouches for (the MUC occupant's real JID), when known. */
  readonly from?: string;
}

export interface Received {
  readonly header: SpduHeader;
  readonly payload: Uint8Array;
  readonly keyring: Keyring;
}

const replayKey = (keyId: number, sender: string) => `${keyId}/${sender}`;

/** Adds traffic keys (replacing one with the same key ID, which a correct server never sends). */
export function addKeys(ring: Keyring, keys: readonly TrafficKey[]): Keyring {
  const ids = new Set(keys.map((k) => k.keyId));
  return { ...ring, keys: [...ring.keys.filter((k) => !ids.has(k.keyId)), ...keys] };
}

/** Withdraws keys at once (an eviction rekey) and forgets their counters. */
// spec: RFC6407-5.delete PAPER-R4b
export function retireKeys(ring: Keyring, keyIds: readonly number[]): Keyring {
  if (keyIds.length === 0) return ring;
  const gone = new Set(keyIds);
  return prune({
    keys: ring.keys.filter((k) => !gone.has(k.keyId)),
    retired: [...ring.retired.filter((id) => !gone.has(id)), ...keyIds].slice(-RETIRED_MEMORY),
    lastSeen: ring.lastSeen,
    sent: ring.sent,
  });
}

/** Drops keys whose lifetime ended (they then read as retired). */
export function expireKeys(ring: Keyring, now: number): Keyring {
  const ended = ring.keys.filter((k) => now >= k.notAfter).map((k) => k.keyId);
  return retireKeys(ring, ended);
}

function prune(ring: Keyring): Keyring {
  const held = new Set(ring.keys.map((k) => String(k.keyId)));
  const lastSeen: Record<string, number> = {};
  for (const [k, v] of Object.entries(ring.lastSeen)) {
    if (held.has(k.slice(0, k.indexOf("/")))) lastSeen[k] = v;
  }
  const sent: Record<number, number> = {};
  for (const [k, v] of Object.entries(ring.sent)) if (held.has(k)) sent[Number(k)] = v;
  return { ...ring, lastSeen, sent };
}

/** The key a sender uses on a stream now: active, newest activation, then highest key ID. */
// spec: RFC8052-keyid RFC8052-lifetime PD-120
export function currentKey(ring: Keyring, streamId: string, now: number): TrafficKey | undefined {
  let best: TrafficKey | undefined;
  for (const k of ring.keys) {
    if (k.streamId !== streamId || now < k.notBefore || now >= k.notAfter) continue;
    if (
      !best || k.notBefore > best.notBefore ||
      (k.notBefore === best.notBefore && k.keyId > best.keyId)
    ) best = k;
  }
  return best;
}

/** Protects a payload for the group; the caller must be a publisher of the stream. */
export function sendSpdu(
  suite: Suite,
  info: GroupInfo,
  ring: Keyring,
  self: string,
  streamId: string,
  payload: Uint8Array,
  now: number,
  ttl: number,
): { data: Uint8Array; keyring: Keyring } {
  if (!mayPublish(info, streamId, self)) {
    throw new DerlinkError(GroupError["not-publisher"], streamId);
  }
  const tek = currentKey(ring, streamId, now);
  if (!tek) throw new DerlinkError(GroupError["no-key"], streamId);
  const last = ring.sent[tek.keyId] ?? 0;
  if (last >= MAX_SPDU) throw new DerlinkError(GroupError["spdu-exhausted"], `key ${tek.keyId}`);
  const spdu = last + 1;
  // spec: PD-119
  const data = protectSpdu(suite, tek, { spdu, time: now, ttl, sender: bareJid(self) }, payload);
  return { data, keyring: { ...ring, sent: { ...ring.sent, [tek.keyId]: spdu } } };
}

/** Checks a received group-protected message (see the module comment for the order). */
// spec: PAPER-R4b PAPER-R6b PD-118 PD-119 PD-120
export function receiveSpdu(
  suite: Suite,
  info: GroupInfo,
  ring: Keyring,
  data: Uint8Array,
  now: number,
  options: ReceiveOptions,
): Received {
  const m = decodeSpdu(data);
  const h = m.header;
  const refuse = (code: keyof typeof GroupError, detail: string) =>
    new DerlinkError(GroupError[code], detail);
  if (!info.streams.some((s) => s.streamId === h.streamId)) {
    throw refuse("wrong-stream", "not a stream of this group");
  }
  const tek = ring.keys.find((k) => k.keyId === h.keyId);
  if (!tek) {
    if (ring.retired.includes(h.keyId)) throw refuse("key-expired", `key ${h.keyId} retired`);
    throw refuse("unknown-key", `key ${h.keyId}`);
  }
  if (tek.streamId !== h.streamId) throw refuse("wrong-stream", `key ${h.keyId}`);
  if (tek.protection !== h.protection) throw refuse("algorithm-mismatch", `key ${h.keyId}`);
  if (now < tek.notBefore) throw refuse("key-not-active", `key ${h.keyId}`);
  if (now >= tek.notAfter) throw refuse("key-expired", `key ${h.keyId}`);
  const payload = openSpdu(suite, tek, m);
  if (bareJid(h.sender) !== h.sender || !mayPublish(info, h.streamId, h.sender)) {
    throw refuse("sender-not-authorized", "not a publisher of the stream");
  }
  if (options.from !== undefined && bareJid(options.from) !== h.sender) {
    throw refuse("sender-not-authorized", "the transport names another sender");
  }
  // spec: PD-120
  if (now > h.time + h.ttl) throw refuse("ttl-expired", `${now - h.time - h.ttl} ms late`);
  if (h.time > now + options.maxSkewMs) throw refuse("from-future", `${h.time - now} ms ahead`);
  const key = replayKey(h.keyId, h.sender);
  const last = ring.lastSeen[key] ?? 0;
  if (h.spdu === 0) throw refuse("spdu-stale", "spdu numbers start at 1");
  if (h.spdu <= last) {
    throw h.spdu === last
      ? refuse("spdu-replayed", `spdu ${h.spdu}`)
      : refuse("spdu-stale", `spdu ${h.spdu} below ${last}`);
  }
  return {
    header: h,
    payload,
    keyring: { ...ring, lastSeen: { ...ring.lastSeen, [key]: h.spdu } },
  };
}
