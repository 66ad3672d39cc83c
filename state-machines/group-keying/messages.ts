/**
 * Wire format of the key-management messages (PD-110): the four messages of
 * a registration (GROUPKEY-PULL style, RFC 6407 §3.2) and the rekey
 * (GROUPKEY-PUSH style, RFC 6407 §4). Binary, big-endian, every field
 * length-prefixed; the XML carriage for XMPP is in xml.ts.
 *
 * ```
 * header    = "DLGK" version=1 kind group-id(str8)
 * request   = header suite(str8) jid(str8) Ni(32)                                  kind 1
 * challenge = header Ni Nr KE_R(bytes8) chain policy sig(bytes16)                  kind 2
 * proof     = header Ni Nr KE_I(bytes8) chain sig(bytes16)                         kind 3
 * keys      = header Ni Nr sealed-key-download(bytes32)                            kind 4
 * rekey     = header seq(u32) issued(u64) height(u8) moves wraps teks [bundle] retire sig
 *                                                                                  kind 5
 * ```
 * Signatures cover every byte before them, after a label naming the message
 * kind (as GDOI prefixes its rekey signature with "rekey"), so a signature
 * made for one message kind can never verify as another.
 *
 * @module
 */
import { concat, utf8 } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import { Reader, Writer } from "./codec.ts";
import { GdoiError } from "./errors.ts";
import type { NodeWrap, TekAttributes, TekBundle } from "./keywrap.ts";
import type { LeafMove } from "./lkh.ts";
import {
  type GroupInfo,
  PROTECTION_CODES,
  type ProtectionId,
  protectionOfCode,
  type StreamPolicy,
} from "./policy.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";

export const MAGIC = utf8("DLGK");
export const VERSION = 1;
export const NONCE_LENGTH = 32;

export const KIND = {
  request: 1,
  challenge: 2,
  proof: 3,
  keys: 4,
  rekey: 5,
} as const;
export type MessageKind = keyof typeof KIND;

export interface PullRequest {
  readonly kind: "request";
  readonly groupId: string;
  readonly suite: string;
  readonly jid: string;
  readonly ni: Uint8Array;
}

export interface PullChallenge {
  readonly kind: "challenge";
  readonly groupId: string;
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  readonly keyShare: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly info: GroupInfo;
  readonly signature: Uint8Array;
}

export interface PullProof {
  readonly kind: "proof";
  readonly groupId: string;
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  readonly keyShare: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

export interface PullKeys {
  readonly kind: "keys";
  readonly groupId: string;
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  readonly sealed: Uint8Array;
}

export interface Rekey {
  readonly kind: "rekey";
  readonly groupId: string;
  readonly seq: number;
  readonly issuedAt: number;
  readonly height: number;
  readonly moves: readonly LeafMove[];
  readonly wraps: readonly NodeWrap[];
  /** The new traffic keys' attributes; their keys travel sealed together in `tekBundle`. */
  readonly teks: readonly TekAttributes[];
  /** Present exactly when `teks` is not empty. */
  readonly tekBundle?: TekBundle;
  /** Key IDs withdrawn at once (GDOI's Delete payload): an eviction retires the old keys. */
  readonly retire: readonly number[];
  readonly signature: Uint8Array;
}

export type GdoiMessage = PullRequest | PullChallenge | PullProof | PullKeys | Rekey;

/** A decoded message with the bytes its signature covers (when it has one). */
export interface Decoded<M> {
  readonly message: M;
  readonly signed: Uint8Array;
}

/** Domain-separation labels of the signatures. */
export const SIGNATURE_LABEL = {
  challenge: utf8("derlink/gdoi-pull-challenge/v1\0"),
  proof: utf8("derlink/gdoi-pull-proof/v1\0"),
  rekey: utf8("derlink/gdoi-rekey/v1\0"),
} as const;

/** `body`: bytes expected after the header (a good guess saves the writer's regrowth). */
function header(kind: MessageKind, groupId: string, body = 64): Writer {
  return new Writer(7 + groupId.length + body).raw(MAGIC).u8(VERSION).u8(KIND[kind]).str8(groupId);
}

/** Bytes of a certificate chain as written, and a margin for the small fields around it. */
const chainSize = (chain: readonly Uint8Array[]) =>
  chain.reduce((n, c) => n + 2 + c.length, 1) + 2 * NONCE_LENGTH + 128;

function writeChain(w: Writer, chain: readonly Uint8Array[]): void {
  w.u8(chain.length);
  for (const c of chain) w.bytes16(c);
}

function writeInfo(w: Writer, info: GroupInfo): void {
  w.str8(info.suite).u8(info.kekLength).u8(info.streams.length);
  for (const s of info.streams) {
    w.str8(s.streamId).u8(PROTECTION_CODES[s.protection]).u8(s.publishers.length);
    for (const p of s.publishers) w.str8(p);
  }
}

export function encodeRequest(m: Omit<PullRequest, "kind">): Uint8Array {
  return header("request", m.groupId).str8(m.suite).str8(m.jid).raw(m.ni).finish();
}

/** The challenge without its signature (what the key server signs). */
export function challengeBody(m: Omit<PullChallenge, "kind" | "signature">): Uint8Array {
  const w = header("challenge", m.groupId, chainSize(m.chain)).raw(m.ni).raw(m.nr)
    .bytes8(m.keyShare);
  writeChain(w, m.chain);
  writeInfo(w, m.info);
  return w.finish();
}

export function proofBody(m: Omit<PullProof, "kind" | "signature">): Uint8Array {
  const w = header("proof", m.groupId, chainSize(m.chain)).raw(m.ni).raw(m.nr)
    .bytes8(m.keyShare);
  writeChain(w, m.chain);
  return w.finish();
}

/** The part of the keys message its AES-GCM seal authenticates as associated data. */
export function keysHeader(groupId: string, ni: Uint8Array, nr: Uint8Array): Uint8Array {
  return header("keys", groupId).raw(ni).raw(nr).finish();
}

export function encodeKeys(m: Omit<PullKeys, "kind">): Uint8Array {
  return concat(keysHeader(m.groupId, m.ni, m.nr), new Writer().bytes32(m.sealed).finish());
}

// spec: PD-110 PD-124
export function rekeyBody(m: Omit<Rekey, "kind" | "signature">): Uint8Array {
  let size = 32 + 8 * m.moves.length + 4 * m.retire.length;
  for (const x of m.wraps) size += 20 + x.sealed.length;
  for (const t of m.teks) size += 22 + t.streamId.length;
  if (m.tekBundle) size += 6 + m.tekBundle.sealed.length;
  const w = header("rekey", m.groupId, size).u32(m.seq).u64(m.issuedAt).u8(m.height);
  w.u32(m.moves.length);
  for (const mv of m.moves) w.u32(mv.from).u32(mv.to);
  w.u32(m.wraps.length);
  for (const x of m.wraps) {
    w.u8(x.target.level).u32(x.target.pos).u32(x.targetVersion);
    w.u8(x.by.level).u32(x.by.pos).u32(x.byVersion).bytes8(x.sealed);
  }
  w.u16(m.teks.length);
  for (const t of m.teks) {
    w.u32(t.keyId).str8(t.streamId).u8(PROTECTION_CODES[t.protection]);
    w.u64(t.notBefore).u64(t.notAfter);
  }
  if (m.teks.length > 0) w.u32(m.tekBundle!.rootVersion).bytes16(m.tekBundle!.sealed);
  w.u16(m.retire.length);
  for (const id of m.retire) w.u32(id);
  return w.finish();
}

/** A signed body followed by its signature. */
export const withSignature = (body: Uint8Array, signature: Uint8Array): Uint8Array =>
  concat(body, new Writer().bytes16(signature).finish());

const bad = (detail: string) => new DerlinkError(GdoiError.malformed, detail);

function readChain(r: Reader): Uint8Array[] {
  const n = r.u8("chain length");
  if (n === 0) throw bad("empty certificate chain");
  const chain: Uint8Array[] = [];
  for (let i = 0; i < n; i++) chain.push(r.bytes16("certificate"));
  return chain;
}

function readProtection(r: Reader): ProtectionId {
  const code = r.u8("protection");
  const p = protectionOfCode(code);
  if (!p) throw bad(`unknown protection ${code}`);
  return p;
}

function readInfo(r: Reader, groupId: string): GroupInfo {
  const suite = r.str8("suite") as SuiteId;
  const kekLength = r.u8("kek length");
  if (kekLength !== 16 && kekLength !== 32) throw bad(`kek length ${kekLength}`);
  const streams: StreamPolicy[] = [];
  const n = r.u8("streams");
  for (let i = 0; i < n; i++) {
    const streamId = r.str8("stream id");
    const protection = readProtection(r);
    const publishers: string[] = [];
    const np = r.u8("publishers");
    for (let j = 0; j < np; j++) publishers.push(r.str8("publisher"));
    streams.push({ streamId, protection, publishers });
  }
  return { groupId, suite, kekLength, streams };
}

/** Message kinds by their code. */
const KIND_OF_CODE: readonly (MessageKind | undefined)[] = (() => {
  const out: (MessageKind | undefined)[] = [];
  for (const k of Object.keys(KIND) as MessageKind[]) out[KIND[k]] = k;
  return out;
})();

/** Reads the header; returns the message kind and group. */
function readHeader(r: Reader): { kind: MessageKind; groupId: string } {
  if (!r.expect(MAGIC, "magic")) throw bad("not a group-keying message");
  const version = r.u8("version");
  if (version !== VERSION) throw bad(`version ${version}`);
  const code = r.u8("kind");
  const kind = KIND_OF_CODE[code];
  if (!kind) throw bad(`unknown message kind ${code}`);
  return { kind, groupId: r.str8("group id") };
}

/**
 * Decodes any key-management message; throws `gdoi/malformed`. The byte
 * fields of the message are views of one private copy of `data`; `signed`
 * is a view of `data` itself.
 */
// spec: RFC6407-5.format PD-110
export function decodeMessage(data: Uint8Array): Decoded<GdoiMessage> {
  if (!(data instanceof Uint8Array)) throw bad("not bytes");
  const r = Reader.private(data, GdoiError.malformed);
  const { kind, groupId } = readHeader(r);
  const nonce = (what: string) => r.raw(NONCE_LENGTH, what);
  let message: GdoiMessage;
  let signedEnd = data.length;
  switch (kind) {
    case "request":
      message = { kind, groupId, suite: r.str8("suite"), jid: r.str8("jid"), ni: nonce("Ni") };
      break;
    case "challenge": {
      const ni = nonce("Ni"), nr = nonce("Nr"), keyShare = r.bytes8("key share");
      const chain = readChain(r);
      const info = readInfo(r, groupId);
      signedEnd = r.offset;
      message = { kind, groupId, ni, nr, keyShare, chain, info, signature: r.bytes16("sig") };
      break;
    }
    case "proof": {
      const ni = nonce("Ni"), nr = nonce("Nr"), keyShare = r.bytes8("key share");
      const chain = readChain(r);
      signedEnd = r.offset;
      message = { kind, groupId, ni, nr, keyShare, chain, signature: r.bytes16("sig") };
      break;
    }
    case "keys":
      message = { kind, groupId, ni: nonce("Ni"), nr: nonce("Nr"), sealed: r.bytes32("sealed") };
      break;
    case "rekey": {
      const body = readRekeyBody(r, groupId);
      signedEnd = r.offset;
      message = { ...body, signature: r.bytes16("sig") };
      break;
    }
  }
  r.end(kind);
  return { message, signed: data.subarray(0, signedEnd) };
}

function readRekeyBody(r: Reader, groupId: string): Omit<Rekey, "signature"> {
  const seq = r.u32("seq"), issuedAt = r.u64("issued"), height = r.u8("height");
  const moves: LeafMove[] = [];
  const nm = r.u32("moves");
  if (nm * 8 > r.remaining) throw bad("move count beyond the message");
  for (let i = 0; i < nm; i++) moves.push({ from: r.u32("from"), to: r.u32("to") });
  const wraps: NodeWrap[] = [];
  const nw = r.u32("wraps");
  if (nw * 19 > r.remaining) throw bad("wrap count beyond the message");
  for (let i = 0; i < nw; i++) {
    const target = { level: r.u8("level"), pos: r.u32("pos") };
    const targetVersion = r.u32("version");
    const by = { level: r.u8("level"), pos: r.u32("pos") };
    const byVersion = r.u32("version");
    if (by.level > target.level) throw bad("a wrap under a node above its target");
    wraps.push({ target, targetVersion, by, byVersion, sealed: r.bytes8("sealed key") });
  }
  const teks: TekAttributes[] = [];
  const nt = r.u16("teks");
  for (let i = 0; i < nt; i++) {
    const keyId = r.u32("key id"), streamId = r.str8("stream"), protection = readProtection(r);
    teks.push({
      keyId,
      streamId,
      protection,
      notBefore: r.u64("not before"),
      notAfter: r.u64("not after"),
    });
  }
  const tekBundle = nt > 0
    ? { rootVersion: r.u32("root version"), sealed: r.bytes16("sealed keys") }
    : undefined;
  const retire: number[] = [];
  const nr = r.u16("retire");
  for (let i = 0; i < nr; i++) retire.push(r.u32("key id"));
  return { kind: "rekey", groupId, seq, issuedAt, height, moves, wraps, teks, tekBundle, retire };
}
