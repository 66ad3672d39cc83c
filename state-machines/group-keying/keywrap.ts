/**
 * Key wrapping for the logical key hierarchy: a key-encryption key (a node
 * of the tree, or a traffic key) sealed with AES-GCM under another node's
 * key (RFC 2627 §5, RFC 6407 §5.4 carry such KEK arrays).
 *
 * The nonce is not sent: it is built from what the record already names —
 * the target node and the version the key server gave it, or the key ID of
 * a traffic key and the version of the root that wraps it (PD-115). Every
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
import { PROTECTION_CODES, type ProtectionId } from "./policy.ts";

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

/** A traffic key wrapped under the root of the tree (the group KEK). */
export interface TekWrap extends TekAttributes {
  readonly rootVersion: number;
  readonly sealed: Uint8Array;
}

const NODE_WRAP = 1;
const TEK_WRAP = 2;
const LABEL = utf8("derlink/gdoi-wrap/v1");

// spec: PD-115
function nodeNonce(target: NodeRef, version: number): Uint8Array {
  return new Writer().u8(NODE_WRAP).u8(target.level).u32(target.pos).u32(version).u16(0).finish();
}

function tekNonce(keyId: number, rootVersion: number): Uint8Array {
  return new Writer().u8(TEK_WRAP).u8(0).u32(keyId).u32(rootVersion).u16(0).finish();
}

function nodeAad(
  groupId: string,
  target: NodeRef,
  version: number,
  by: NodeRef,
  byVersion: number,
) {
  return concat(
    LABEL,
    new Writer().str8(groupId).u8(NODE_WRAP)
      .u8(target.level).u32(target.pos).u32(version)
      .u8(by.level).u32(by.pos).u32(byVersion).finish(),
  );
}

function tekAad(groupId: string, a: TekAttributes, rootVersion: number): Uint8Array {
  return concat(
    LABEL,
    new Writer().str8(groupId).u8(TEK_WRAP).u32(a.keyId).str8(a.streamId)
      .u8(PROTECTION_CODES[a.protection]).u64(a.notBefore).u64(a.notAfter).u32(rootVersion)
      .finish(),
  );
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
    nodeNonce(target, version),
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
    nodeNonce(w.target, w.targetVersion),
    w.sealed,
    nodeAad(groupId, w.target, w.targetVersion, w.by, w.byVersion),
  );
}

/** Seals a traffic key under the root key at `rootVersion`. */
// spec: RFC6407-5.tek RFC8052-stream
export function wrapTek(
  suite: Suite,
  groupId: string,
  tek: TrafficKey,
  rootVersion: number,
  rootKey: Uint8Array,
): TekWrap {
  const { key, ...attributes } = tek;
  const sealed = suite.aead.seal(
    rootKey,
    tekNonce(tek.keyId, rootVersion),
    key,
    tekAad(groupId, attributes, rootVersion),
  );
  return { ...attributes, rootVersion, sealed };
}

/** Opens a traffic-key wrap with the root key; throws `crypto/aead-auth-failed`. */
export function unwrapTek(
  suite: Suite,
  groupId: string,
  w: TekWrap,
  rootKey: Uint8Array,
): TrafficKey {
  const { sealed, rootVersion, ...attributes } = w;
  const key = suite.aead.open(
    rootKey,
    tekNonce(w.keyId, rootVersion),
    sealed,
    tekAad(groupId, attributes, rootVersion),
  );
  return { ...attributes, key };
}
