/**
 * Key wrapping for the logical key hierarchy: a key-encryption key (a node
 * of the tree, or a traffic key) sealed with AES-GCM under another node's
 * key (RFC 2627 §5, RFC 6407 §5.4 carry such KEK arrays).
 *
 * The nonce is not sent: it is built from what the record already names —
 * the target node and the version the key server gave it, or the first key ID
 * of a rekey's traffic keys and the version of the root that wraps them,
 * all sealed together (PD-115). Every
 * refreshed node takes a fresh version from one counter of the whole tree,
 * and key IDs are never reused, so no (key, nonce) pair ever repeats.
 * The associated data binds the group and both ends of the wrap, so a
 * ciphertext cannot be moved to another node or group.
 *
 * @module
 */
import type { Suite } from "../../core/crypto/suite.ts";
import { concat, utf8 } from "../../core/bytes.ts";
import { Writer } from "./codec.ts";
import { PROTECTION_CODES, type ProtectionId, TEK_LENGTH } from "./policy.ts";

/** A node of the key tree: level 0 holds the leaves, the root is at the tree's height. */
export interface NodeRef {
  readonly level: number;
  readonly pos: number;
}

/** One node key wrapped under another node's key. */
export interface NodeWrap {
  readonly target: NodeRef;
  readonly targetVersion: number;
  readonly by: NodeRef;
  readonly byVersion: number;
  /** AES-GCM ciphertext of the target key with its 16-byte tag. */
  readonly sealed: Uint8Array;
}

/** What a traffic key is, besides its bytes (RFC 8052 style SA TEK attributes). */
export interface TekAttributes {
  /** Key ID (the SPI of the SA TEK), never reused within a group. */
  readonly keyId: number;
  readonly streamId: string;
  readonly protection: ProtectionId;
  /** Activation time, ms since the epoch. */
  readonly notBefore: number;
  /** End of the lifetime, ms since the epoch. */
  readonly notAfter: number;
}

/** A traffic key with its bytes (held by members and the key server only). */
export interface TrafficKey extends TekAttributes {
  readonly key: Uint8Array;
}

/**
 * The traffic keys of one rekey, sealed together under the root of the tree
 * (the group KEK): one wrap however many streams the group has.
 */
export interface TekBundle {
  readonly rootVersion: number;
  /** AES-GCM ciphertext of the keys concatenated in the order of the attributes, with its tag. */
  readonly sealed: Uint8Array;
}

const NODE_WRAP = 1;
const TEK_WRAP = 2;
const LABEL = utf8("derlink/gdoi-wrap/v1");

/**
 * 12 bytes: purpose, then a byte and two 32-bit words, then two zero bytes.
 * Written into one scratch buffer: seal and open consume it before returning,
 * and a rekey makes dozens of wraps (allocations are what its tail latency pays for).
 */
const NONCE = new Uint8Array(12);
// spec: PD-115
function nonce(purpose: number, b: number, w1: number, w2: number): Uint8Array {
  NONCE[0] = purpose;
  NONCE[1] = b;
  putU32(NONCE, 2, w1);
  putU32(NONCE, 6, w2);
  return NONCE;
}

function putU32(a: Uint8Array, at: number, v: number): void {
  a[at] = v >>> 24;
  a[at + 1] = v >>> 16;
  a[at + 2] = v >>> 8;
  a[at + 3] = v;
}

const groupAad = new Map<string, Uint8Array>();
/**
 * A node wrap's associated data buffer for a group, cached: LABEL ‖ str8(groupId)
 * (the start of every associated data of the group) then 19 bytes rewritten
 * by every wrap (consumed before the wrap returns).
 */
function nodeAadBuffer(groupId: string): Uint8Array {
  let a = groupAad.get(groupId);
  if (!a) {
    a = concat(LABEL, new Writer().str8(groupId).finish(), new Uint8Array(19));
    if (groupAad.size > 64) groupAad.clear();
    groupAad.set(groupId, a);
  }
  return a;
}

function nodeAad(
  groupId: string,
  target: NodeRef,
  version: number,
  by: NodeRef,
  byVersion: number,
): Uint8Array {
  const a = nodeAadBuffer(groupId);
  const at = a.length - 19;
  a[at] = NODE_WRAP;
  a[at + 1] = target.level;
  putU32(a, at + 2, target.pos);
  putU32(a, at + 6, version);
  a[at + 10] = by.level;
  putU32(a, at + 11, by.pos);
  putU32(a, at + 15, byVersion);
  return a;
}

function tekAad(groupId: string, teks: readonly TekAttributes[], rootVersion: number): Uint8Array {
  const cached = nodeAadBuffer(groupId);
  const prefix = cached.subarray(0, cached.length - 19);
  let size = prefix.length + 7;
  for (const a of teks) size += 22 + a.streamId.length; // exact for ASCII stream IDs
  const w = new Writer(size).raw(prefix).u8(TEK_WRAP).u16(teks.length);
  for (const a of teks) {
    w.u32(a.keyId).str8(a.streamId).u8(PROTECTION_CODES[a.protection]).u64(a.notBefore)
      .u64(a.notAfter);
  }
  return w.u32(rootVersion).finish();
}

/** Seals node key `key` (target at `version`) under `kek` (node `by` at `byVersion`). */
// spec: RFC2627-tree RFC6407-5.lkh
export function wrapNodeKey(
  suite: Suite,
  groupId: string,
  target: NodeRef,
  version: number,
  key: Uint8Array,
  by: NodeRef,
  byVersion: number,
  kek: Uint8Array,
): NodeWrap {
  const sealed = suite.aead.seal(
    kek,
    nonce(NODE_WRAP, target.level, target.pos, version),
    key,
    nodeAad(groupId, target, version, by, byVersion),
  );
  return { target, targetVersion: version, by, byVersion, sealed };
}

/** Opens a node wrap with the key of its `by` node; throws `crypto/aead-auth-failed`. */
export function unwrapNodeKey(
  suite: Suite,
  groupId: string,
  w: NodeWrap,
  kek: Uint8Array,
): Uint8Array {
  return suite.aead.open(
    kek,
    nonce(NODE_WRAP, w.target.level, w.target.pos, w.targetVersion),
    w.sealed,
    nodeAad(groupId, w.target, w.targetVersion, w.by, w.byVersion),
  );
}

/** Seals the traffic keys of a rekey under the root key at `rootVersion`. */
// spec: RFC6407-5.tek RFC8052-stream PD-115
export function wrapTeks(
  suite: Suite,
  groupId: string,
  teks: readonly TrafficKey[],
  rootVersion: number,
  rootKey: Uint8Array,
): TekBundle {
  const attributes = teks.map(({ key: _k, ...a }) => a);
  const sealed = suite.aead.seal(
    rootKey,
    nonce(TEK_WRAP, 0, teks[0].keyId, rootVersion),
    concat(...teks.map((t) => t.key)),
    tekAad(groupId, attributes, rootVersion),
  );
  return { rootVersion, sealed };
}

/**
 * Opens a bundle with the root key; throws `crypto/aead-auth-failed` when
 * anything was changed, or when the lengths do not fit the protections.
 */
export function unwrapTeks(
  suite: Suite,
  groupId: string,
  attributes: readonly TekAttributes[],
  bundle: TekBundle,
  rootKey: Uint8Array,
): TrafficKey[] {
  const keys = suite.aead.open(
    rootKey,
    nonce(TEK_WRAP, 0, attributes[0].keyId, bundle.rootVersion),
    bundle.sealed,
    tekAad(groupId, attributes, bundle.rootVersion),
  );
  const out: TrafficKey[] = [];
  let at = 0;
  for (const a of attributes) {
    const n = TEK_LENGTH[a.protection];
    out.push({ ...a, key: keys.slice(at, at + n) });
    at += n;
  }
  if (at !== keys.length) throw new Error("traffic key lengths do not fit the bundle");
  return out;
}
