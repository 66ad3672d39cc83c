/**
 * Group-protected messages ("SPDUs"), shaped after the IEC 62351-6 /
 * IEC 61850-90-5 session header the paper relies on for R4b and R6b: key ID,
 * per-sender monotonic SPDU number, time and time allowed to live, payload,
 * and a tag (PD-118, PD-119).
 *
 * ```
 * "DLGP" version=1 protection(u8) key-id(u32) spdu(u32) time(u64 ms) ttl(u32 ms)
 * sender(str8) stream-id(str8) payload-length(u32) payload tag(16)
 * ```
 * - hmac-sha256-128: tag = HMAC-SHA-256(key, header ‖ payload) truncated to 16 bytes;
 * - aes-gmac-128: tag = AES-GCM over no plaintext with header ‖ payload as associated data;
 * - aes-128-gcm / aes-256-gcm: the payload is encrypted, the header is associated data.
 * The GCM nonce is 8 bytes of SHA-256 over the sender's bare JID followed by
 * the SPDU number, unique as long as each sender counts up under each key.
 *
 * @module
 */
import { concat, constantTimeEqual, utf8 } from "../../core/bytes.ts";
import type { Suite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { Reader, Writer } from "./codec.ts";
import { GroupError } from "./errors.ts";
import type { TrafficKey } from "./keywrap.ts";
import { PROTECTION_CODES, type ProtectionId, protectionOfCode } from "./policy.ts";

export const SPDU_MAGIC = utf8("DLGP");
export const SPDU_VERSION = 1;
export const TAG_LENGTH = 16;
/** Largest SPDU number; a sender that reaches it needs a new key. */
export const MAX_SPDU = 0xffffffff;

export interface SpduHeader {
  readonly protection: ProtectionId;
  readonly keyId: number;
  readonly spdu: number;
  /** Sending time, ms since the epoch. */
  readonly time: number;
  /** Time allowed to live after `time`, ms. */
  readonly ttl: number;
  /** Bare JID of the sender. */
  readonly sender: string;
  readonly streamId: string;
}

export interface DecodedSpdu {
  readonly header: SpduHeader;
  /** Header bytes up to and including the payload length (associated data). */
  readonly headerBytes: Uint8Array;
  /** Payload as sent: plaintext, or ciphertext for the GCM modes. */
  readonly body: Uint8Array;
  readonly tag: Uint8Array;
}

function headerBytes(h: SpduHeader, payloadLength: number): Uint8Array {
  return new Writer(33 + h.sender.length + h.streamId.length).raw(SPDU_MAGIC).u8(SPDU_VERSION).u8(
    PROTECTION_CODES[h.protection],
  )
    .u32(h.keyId).u32(h.spdu).u64(h.time).u32(h.ttl).str8(h.sender).str8(h.streamId)
    .u32(payloadLength).finish();
}

const NONCE_LABEL = utf8("derlink/spdu-nonce/v1\0");

// The hashed sender part of the nonce, per suite and sender: a pure function of public values,
// and a group hears the same few publishers all the time.
const noncePrefixes = new Map<string, Uint8Array>();
const NONCE_PREFIX_MEMO = 1024;

// spec: PD-119
function spduNonce(suite: Suite, sender: string, spdu: number): Uint8Array {
  const id = `${suite.id}\u0000${sender}`;
  let prefix = noncePrefixes.get(id);
  if (prefix === undefined) {
    prefix = suite.hash.digest(concat(NONCE_LABEL, utf8(sender))).slice(0, 8);
    if (noncePrefixes.size >= NONCE_PREFIX_MEMO) noncePrefixes.clear();
    noncePrefixes.set(id, prefix);
  }
  const nonce = new Uint8Array(12);
  nonce.set(prefix);
  nonce[8] = spdu >>> 24;
  nonce[9] = spdu >>> 16;
  nonce[10] = spdu >>> 8;
  nonce[11] = spdu;
  return nonce;
}

/** `a ‖ b`: a view when b follows a in one buffer (a decoded message's parts), else a copy. */
function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset) {
    return new Uint8Array(a.buffer, a.byteOffset, a.length + b.length);
  }
  return concat(a, b);
}

/** Protects `payload` under `tek` with the header fields given. */
// spec: PAPER-R4b PAPER-R6b PD-118
export function protectSpdu(
  suite: Suite,
  tek: TrafficKey,
  fields: Omit<SpduHeader, "protection" | "keyId" | "streamId">,
  payload: Uint8Array,
): Uint8Array {
  const h: SpduHeader = {
    ...fields,
    protection: tek.protection,
    keyId: tek.keyId,
    streamId: tek.streamId,
  };
  const head = headerBytes(h, payload.length);
  switch (tek.protection) {
    case "hmac-sha256-128": {
      const tag = suite.mac.mac(tek.key, concat(head, payload)).subarray(0, TAG_LENGTH);
      return concat(head, payload, tag);
    }
    case "aes-gmac-128": {
      const tag = suite.aead.seal(
        tek.key,
        spduNonce(suite, h.sender, h.spdu),
        new Uint8Array(0),
        concat(head, payload),
      );
      return concat(head, payload, tag);
    }
    case "aes-128-gcm":
    case "aes-256-gcm":
      // Ciphertext and tag follow the header; the ciphertext has the payload's length.
      return concat(
        head,
        suite.aead.seal(tek.key, spduNonce(suite, h.sender, h.spdu), payload, head),
      );
  }
}

const bad = (detail: string) => new DerlinkError(GroupError.malformed, detail);

/** Parses a group-protected message without checking it; throws `group/*`. */
export function decodeSpdu(data: Uint8Array): DecodedSpdu {
  if (!(data instanceof Uint8Array)) throw bad("not bytes");
  // One private copy; header, payload and tag are views of it (adjacent, see joined()).
  const copy = data.slice();
  const r = new Reader(copy, GroupError.malformed, true);
  if (!r.expect(SPDU_MAGIC, "magic")) throw bad("not a group-protected message");
  const version = r.u8("version");
  if (version !== SPDU_VERSION) throw bad(`version ${version}`);
  const code = r.u8("protection");
  const protection = protectionOfCode(code);
  if (!protection) throw bad(`unknown protection ${code}`);
  const keyId = r.u32("key id"), spdu = r.u32("spdu"), time = r.u64("time"), ttl = r.u32("ttl");
  const sender = r.str8("sender"), streamId = r.str8("stream id");
  const length = r.u32("payload length");
  const headerEnd = r.offset;
  const body = r.raw(length, "payload");
  const tag = r.rest();
  // spec: PD-118
  if (tag.length < TAG_LENGTH) {
    throw new DerlinkError(GroupError["truncated-tag"], `${tag.length}-byte tag`);
  }
  if (tag.length > TAG_LENGTH) throw bad(`${tag.length - TAG_LENGTH} bytes after the tag`);
  return {
    header: { protection, keyId, spdu, time, ttl, sender, streamId },
    headerBytes: copy.subarray(0, headerEnd),
    body,
    tag,
  };
}

/** Checks the tag of a decoded message under `tek` and returns the plaintext payload. */
// spec: PAPER-R4b PAPER-R6b
export function openSpdu(suite: Suite, tek: TrafficKey, m: DecodedSpdu): Uint8Array {
  const refuse = () => new DerlinkError(GroupError["bad-tag"], `key ${tek.keyId}`);
  switch (tek.protection) {
    case "hmac-sha256-128": {
      const full = suite.mac.mac(tek.key, joined(m.headerBytes, m.body));
      if (!constantTimeEqual(full.subarray(0, TAG_LENGTH), m.tag)) throw refuse();
      return m.body;
    }
    case "aes-gmac-128":
      try {
        suite.aead.open(
          tek.key,
          spduNonce(suite, m.header.sender, m.header.spdu),
          m.tag,
          joined(m.headerBytes, m.body),
        );
      } catch {
        throw refuse();
      }
      return m.body;
    case "aes-128-gcm":
    case "aes-256-gcm":
      try {
        return suite.aead.open(
          tek.key,
          spduNonce(suite, m.header.sender, m.header.spdu),
          joined(m.body, m.tag),
          m.headerBytes,
        );
      } catch {
        throw refuse();
      }
  }
}
