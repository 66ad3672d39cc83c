/**
 * The key download of a registration (RFC 6407 §3.2 message 4, KD payload
 * §5.5): the current rekey sequence number, the member's leaf, the keys on
 * its path and the traffic keys in force, sealed to that member only.
 *
 * The sealing key comes from an ephemeral-ephemeral ECDH between the key
 * server's share (signed in the challenge) and the member's (signed in the
 * proof), through HKDF-SHA-256 with both nonces as salt and the hash of the
 * three earlier messages in the info (PD-111). AES-256-GCM with a zero nonce
 * is safe because every registration derives a fresh key and seals once.
 *
 * @module
 */
import { concat, utf8 } from "../../core/bytes.ts";
import type { Suite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { Reader, Writer } from "./codec.ts";
import { GdoiError } from "./errors.ts";
import type { TrafficKey } from "./keywrap.ts";
import type { PathKey } from "./lkh.ts";
import { PROTECTION_CODES, protectionOfCode, TEK_LENGTH } from "./policy.ts";

export interface KeyDownload {
  /** The sequence number of the last rekey; the member refuses any rekey at or below it. */
  readonly seq: number;
  readonly leaf: number;
  readonly height: number;
  readonly path: readonly PathKey[];
  readonly teks: readonly TrafficKey[];
}

const KD_INFO = utf8("derlink/gdoi-pull-kd/v1\0");
const ZERO_NONCE = new Uint8Array(12);

/** The transcript hash both sides bind the key download to. */
export function transcriptHash(suite: Suite, ...messages: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const m of messages) size += 4 + m.length;
  const w = new Writer(size);
  for (const m of messages) w.bytes32(m);
  return suite.hash.digest(w.finish());
}

/** The AES-256-GCM key that seals the key download. */
// spec: PD-111 RFC6407-3
export function downloadKey(
  suite: Suite,
  sharedSecret: Uint8Array,
  ni: Uint8Array,
  nr: Uint8Array,
  transcript: Uint8Array,
): Uint8Array {
  return suite.kdf.hkdf(sharedSecret, concat(ni, nr), concat(KD_INFO, transcript), 32);
}

export function encodeKeyDownload(kd: KeyDownload, kekLength: number): Uint8Array {
  const w = new Writer().u32(kd.seq).u32(kd.leaf).u8(kd.height).u8(kd.path.length);
  for (const k of kd.path) {
    if (k.key.length !== kekLength) throw new DerlinkError(GdoiError.malformed, "kek length");
    w.u8(k.level).u32(k.pos).u32(k.version).bytes8(k.key);
  }
  w.u8(kd.teks.length);
  for (const t of kd.teks) {
    w.u32(t.keyId).str8(t.streamId).u8(PROTECTION_CODES[t.protection]);
    w.u64(t.notBefore).u64(t.notAfter).bytes8(t.key);
  }
  return w.finish();
}

/** Parses a key download; every key must have its declared length (`gdoi/malformed`). */
export function decodeKeyDownload(data: Uint8Array, kekLength: number): KeyDownload {
  const r = new Reader(data, GdoiError.malformed);
  const seq = r.u32("seq"), leaf = r.u32("leaf"), height = r.u8("height");
  const path: PathKey[] = [];
  const np = r.u8("path");
  for (let i = 0; i < np; i++) {
    const level = r.u8("level"), pos = r.u32("pos"), version = r.u32("version");
    const key = r.bytes8("key");
    if (key.length !== kekLength) throw new DerlinkError(GdoiError.malformed, "kek length");
    path.push({ level, pos, version, key });
  }
  const teks: TrafficKey[] = [];
  const nt = r.u8("teks");
  for (let i = 0; i < nt; i++) {
    const keyId = r.u32("key id"), streamId = r.str8("stream");
    const code = r.u8("protection");
    const protection = protectionOfCode(code);
    if (!protection) throw new DerlinkError(GdoiError.malformed, `protection ${code}`);
    const notBefore = r.u64("not before"), notAfter = r.u64("not after");
    const key = r.bytes8("tek");
    if (key.length !== TEK_LENGTH[protection]) {
      throw new DerlinkError(GdoiError.malformed, "traffic key length");
    }
    teks.push({ keyId, streamId, protection, notBefore, notAfter, key });
  }
  r.end("key download");
  return { seq, leaf, height, path, teks };
}

export function sealKeyDownload(key: Uint8Array, plain: Uint8Array, aad: Uint8Array, suite: Suite) {
  return suite.aead.seal(key, ZERO_NONCE, plain, aad);
}

/** Opens a sealed key download; `gdoi/decrypt-failed` when anything was changed. */
export function openKeyDownload(
  key: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
  suite: Suite,
): Uint8Array {
  try {
    return suite.aead.open(key, ZERO_NONCE, sealed, aad);
  } catch {
    throw new DerlinkError(GdoiError["decrypt-failed"], "key download");
  }
}
