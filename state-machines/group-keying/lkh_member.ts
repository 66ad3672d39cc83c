/**
 * A member's view of the key tree: its leaf, the tree's height and the keys
 * on its path, as an immutable value. {@link applyTreeUpdate} folds a rekey's
 * moves, height change and wraps into it (RFC 2627 §5, RFC 6407 §5.4): a
 * wrap is opened when the member holds the key it names, at the version it
 * names, and kept when its target lies on the member's path.
 *
 * @module
 */
import type { Suite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { type NodeWrap, unwrapNodeKey } from "./keywrap.ts";
import type { LeafMove, PathKey } from "./lkh.ts";

export interface MemberKeys {
  readonly leaf: number;
  readonly height: number;
  /** Index = level; `undefined` where the member lacks the key. */
  readonly path: readonly (PathKey | undefined)[];
}

/** The tree part of a rekey, as the member reads it. */
export interface TreeChange {
  readonly height: number;
  readonly moves: readonly LeafMove[];
  readonly wraps: readonly NodeWrap[];
}

/** True when the member holds a key for every level at the right position. */
export function isComplete(keys: MemberKeys): boolean {
  if (keys.leaf >= 2 ** keys.height) return false;
  for (let l = 0; l <= keys.height; l++) {
    const k = keys.path[l];
    if (!k || k.level !== l || k.pos !== keys.leaf >>> l) return false;
  }
  return true;
}

/** The root key (group KEK) the member holds, if any. */
export function rootOf(keys: MemberKeys): PathKey | undefined {
  const r = keys.path[keys.height];
  return r && r.pos === 0 && r.level === keys.height ? r : undefined;
}

/** Builds a member's keys from a key download, checking they form its path. */
// spec: RFC6407-3.kd
export function memberKeysFrom(leaf: number, height: number, path: readonly PathKey[]): MemberKeys {
  const byLevel: (PathKey | undefined)[] = [];
  for (const k of path) {
    if (byLevel[k.level]) {
      throw new DerlinkError(GdoiError["inconsistent-keys"], `level ${k.level} twice`);
    }
    byLevel[k.level] = k;
  }
  const keys = { leaf, height, path: byLevel };
  if (byLevel.length !== height + 1 || !isComplete(keys)) {
    throw new DerlinkError(GdoiError["inconsistent-keys"], "the key path does not fit the leaf");
  }
  return keys;
}

/**
 * Applies the tree part of a verified rekey. Throws `gdoi/unwrap-failed` when
 * a wrap the member can open does not authenticate.
 */
// spec: RFC2627-join RFC2627-leave RFC6407-4
export function applyTreeUpdate(
  suite: Suite,
  groupId: string,
  keys: MemberKeys,
  change: TreeChange,
): MemberKeys {
  let leaf = keys.leaf;
  let path: (PathKey | undefined)[] = [...keys.path];
  const move = change.moves.find((m) => m.from === leaf);
  if (move) {
    const own = path[0];
    leaf = move.to;
    path = own ? [{ ...own, pos: move.to }] : [];
  }
  if (change.height < path.length - 1) path.length = change.height + 1;
  for (const w of change.wraps) {
    const by = path[w.by.level];
    if (!by || by.pos !== w.by.pos || by.version !== w.byVersion) continue;
    const t = w.target;
    if (t.level > change.height || t.pos !== leaf >>> t.level) continue;
    let key: Uint8Array;
    try {
      key = unwrapNodeKey(suite, groupId, w, by.key);
    } catch {
      throw new DerlinkError(
        GdoiError["unwrap-failed"],
        `wrap of (${t.level},${t.pos}) v${w.targetVersion}`,
      );
    }
    path[t.level] = { level: t.level, pos: t.pos, version: w.targetVersion, key };
  }
  return { leaf, height: change.height, path };
}
