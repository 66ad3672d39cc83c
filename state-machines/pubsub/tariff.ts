/**
 * The market's tariff (paper Table I "tariff data"; PD-157): prices per
 * time slot for a validity window, in one currency, numbered by a sequence
 * that only grows, and its canonical bytes. The bytes are what the market
 * operator signs; XML only carries them (envelope.ts).
 *
 * Canonical body, big-endian, length-prefixed like group keying's codec:
 *
 * ```
 * u8 version (1) | str8 market | str8 node | str8 id | u64 seq | u64 issuedAt
 * | u64 validFrom | u32 slotSeconds | 3 bytes currency | u16 n | n × i32 price
 * ```
 * Times are ms since the epoch; prices are millionths of the currency unit
 * per kWh (negative prices exist). Slot i covers
 * [validFrom + i·slot, validFrom + (i+1)·slot); the window ends after the
 * last slot. Decoding accepts exactly the bytes encoding produces.
 *
 * @module
 */
import { formatJid, tryParseJid } from "../../core/jid.ts";
import { DerlinkError } from "../../core/errors.ts";
import { Reader, Writer } from "../group-keying/codec.ts";
import { TariffError } from "./errors.ts";

export const TARIFF_VERSION = 1;
export const MAX_SLOTS = 1024;
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
const INT32 = [-0x8000_0000, 0x7fff_ffff] as const;

export interface Tariff {
  /** The market operator's bare JID: the only signer a subscriber accepts. */
  readonly market: string;
  /** The pubsub node the tariff is published on. */
  readonly node: string;
  /** Tariff id, also the pubsub item id. */
  readonly id: string;
  /** Sequence number, strictly increasing per node (replay and rollback protection). */
  readonly seq: number;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly slotSeconds: number;
  /** ISO 4217 code, e.g. "EUR". */
  readonly currency: string;
  /** One price per slot, millionths of the currency unit per kWh. */
  readonly prices: readonly number[];
}

/** The end of the validity window (ms). */
export const validUntil = (t: Tariff): number =>
  t.validFrom + t.prices.length * t.slotSeconds * 1000;

/** The price in force at `at`, or undefined outside the window. */
export function priceAt(t: Tariff, at: number): number | undefined {
  if (at < t.validFrom || at >= validUntil(t)) return undefined;
  return t.prices[Math.floor((at - t.validFrom) / (t.slotSeconds * 1000))];
}

const bad = (detail: string): never => {
  throw new DerlinkError(TariffError.malformed, detail);
};

/** Throws `tariff/malformed` unless every field is in the profile's range (PD-157). */
// spec: PD-157
export function checkTariff(t: Tariff): void {
  const j = tryParseJid(t.market);
  if (
    !j.ok || j.value.local === undefined || j.value.resource !== undefined ||
    formatJid(j.value) !== t.market
  ) {
    bad("market must be a canonical bare JID with a local part");
  }
  if (
    typeof t.node !== "string" || t.node.length < 1 || new TextEncoder().encode(t.node).length > 255
  ) {
    bad("node must be 1 to 255 bytes");
  }
  if (typeof t.id !== "string" || !ID.test(t.id)) bad("id must be 1 to 64 of [A-Za-z0-9._-]");
  for (const [name, v] of [["seq", t.seq], ["issuedAt", t.issuedAt], ["validFrom", t.validFrom]]) {
    if (!Number.isSafeInteger(v) || (v as number) < 0) {
      bad(`${name} must be a non-negative integer`);
    }
  }
  if (t.seq < 1) bad("seq starts at 1");
  if (!Number.isInteger(t.slotSeconds) || t.slotSeconds < 60 || t.slotSeconds > 86_400) {
    bad("slotSeconds must be 60 to 86400");
  }
  if (typeof t.currency !== "string" || !CURRENCY.test(t.currency)) {
    bad("currency must be ISO 4217");
  }
  if (!Array.isArray(t.prices) || t.prices.length < 1 || t.prices.length > MAX_SLOTS) {
    bad(`1 to ${MAX_SLOTS} prices`);
  }
  for (const p of t.prices) {
    if (!Number.isInteger(p) || p < INT32[0] || p > INT32[1]) bad("price out of int32 range");
  }
  if (!Number.isSafeInteger(validUntil(t))) bad("window end beyond 2^53");
}

/** The canonical body of `t` (the signed bytes, after the label). */
// spec: PD-157 PAPER-AS4
export function encodeTariff(t: Tariff): Uint8Array {
  checkTariff(t);
  const w = new Writer().u8(TARIFF_VERSION).str8(t.market).str8(t.node).str8(t.id)
    .u64(t.seq).u64(t.issuedAt).u64(t.validFrom).u32(t.slotSeconds)
    .raw(new TextEncoder().encode(t.currency)).u16(t.prices.length);
  for (const p of t.prices) w.u32(p >>> 0);
  return w.finish();
}

/** Reads a canonical body; throws `tariff/malformed` for anything else. */
// spec: PD-157
export function decodeTariff(body: Uint8Array): Tariff {
  const r = new Reader(body, TariffError.malformed);
  const version = r.u8("version");
  if (version !== TARIFF_VERSION) bad(`version ${version}`);
  const market = r.str8("market");
  const node = r.str8("node");
  const id = r.str8("id");
  const seq = r.u64("seq");
  const issuedAt = r.u64("issuedAt");
  const validFrom = r.u64("validFrom");
  const slotSeconds = r.u32("slotSeconds");
  const currency = String.fromCharCode(...r.raw(3, "currency"));
  const n = r.u16("count");
  if (n > MAX_SLOTS) bad(`${n} prices`);
  const prices: number[] = [];
  for (let i = 0; i < n; i++) prices.push(r.u32("price") | 0);
  r.end("tariff");
  const t: Tariff = { market, node, id, seq, issuedAt, validFrom, slotSeconds, currency, prices };
  checkTariff(t);
  return t;
}
