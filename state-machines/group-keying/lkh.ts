/**
 * The key server's logical key hierarchy (RFC 2627 §5, RFC 6407 §5.4): a
 * binary tree whose leaves are members' individual keys and whose root is
 * the group key-encryption key. Every member holds the keys on the path from
 * its leaf to the root.
 *
 * Theory of operation. Nodes are named by (level, pos): level 0 holds the
 * leaves, the root is (height, 0), and the parent of (l, p) is (l + 1, p >> 1),
 * so growing the tree by one level leaves every existing name unchanged.
 * Storage is one typed array per level for keys, versions and member counts
 * (about 55 bytes per member at 10^6 members, see docs/performance.md).
 *
 * One {@link LkhTree.update} is one rekey, in this order:
 * 1. evictions empty their leaves and mark every ancestor for a new key;
 * 2. the height follows the final member count — ceil(log2 N), at least 1 —
 *    so a single eviction never costs more than 2·ceil(log2 N) wraps: when it
 *    must shrink, members in the right half move to the leftmost free leaves
 *    (their ancestors are marked too) and the top levels are dropped; when it
 *    must grow, a new root is wrapped under the old one;
 * 3. marked nodes get fresh keys bottom-up, each wrapped under the current
 *    key of every child that still has members (RFC 2627 §5.3 removal);
 * 4. joins take the leftmost free leaf with a fresh individual key; every
 *    ancestor not yet renewed in this rekey gets a fresh key wrapped under its
 *    own old key (RFC 2627 §5.2 addition), so the newcomer never sees a key
 *    that protected earlier traffic.
 * Every renewed node takes the next value of one version counter of the whole
 * tree; versions name keys on the wire and make wrap nonces unique (PD-115).
 *
 * The tree is mutable on purpose: copying tens of megabytes per rekey is not
 * an option at 10^6 members (PD-116). It validates its inputs before it
 * changes anything, so a refused update leaves it as it was.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import type { Suite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { type NodeRef, type NodeWrap, wrapNodeKey } from "./keywrap.ts";

/** A node key as members hold it. */
export interface PathKey {
  readonly level: number;
  readonly pos: number;
  readonly version: number;
  readonly key: Uint8Array;
}

/** A member moved from one leaf to another by rebalancing. */
export interface LeafMove {
  readonly from: number;
  readonly to: number;
}

/** What one rekey did to the tree, for the rekey message. */
export interface TreeUpdate {
  readonly height: number;
  readonly moves: readonly LeafMove[];
  /** Leaves given to the joins, in order. */
  readonly joined: readonly number[];
  readonly wraps: readonly NodeWrap[];
}

/** What a rekey asks of the tree. */
export interface UpdateRequest {
  readonly evict: readonly number[];
  readonly joins: number;
  readonly suite: Suite;
  readonly groupId: string;
  readonly entropy: EntropySource;
}

/** Largest height: 2^26 (about 67 million) member slots. */
export const MAX_HEIGHT = 26;
const MAX_VERSION = 0xffffffff;

/** ceil(log2 n), at least 1: the height a tree of n members is kept at. */
// spec: PD-114
export function heightFor(n: number): number {
  let h = 1;
  while (2 ** h < n) h++;
  return h;
}

export class LkhTree {
  readonly kekLength: number;
  #height: number;
  #keys: Uint8Array[] = [];
  #versions: Uint32Array[] = [];
  #counts: Uint32Array[] = [];
  #lastVersion = 0;

  private constructor(kekLength: number, height: number) {
    this.kekLength = kekLength;
    this.#height = height;
  }

  /** A tree with `members` leaves filled from the left, every key fresh. */
  static create(kekLength: 16 | 32, entropy: EntropySource, members = 0): LkhTree {
    const height = heightFor(members);
    if (height > MAX_HEIGHT) throw new DerlinkError(GdoiError.exhausted, "tree too large");
    const tree = new LkhTree(kekLength, height);
    const cap = 1 << height;
    for (let l = 0; l <= height; l++) {
      const n = cap >>> l;
      tree.#keys.push(fill(entropy, n * kekLength));
      const versions = new Uint32Array(n);
      for (let p = 0; p < n; p++) versions[p] = ++tree.#lastVersion;
      tree.#versions.push(versions);
      const counts = new Uint32Array(n);
      for (let p = 0; p < n; p++) {
        counts[p] = Math.max(0, Math.min(1 << l, members - (p << l)));
      }
      tree.#counts.push(counts);
    }
    return tree;
  }

  get height(): number {
    return this.#height;
  }

  get size(): number {
    return this.#counts[this.#height][0];
  }

  get capacity(): number {
    return 1 << this.#height;
  }

  /** Last version handed out (tests and the exhaustion check). */
  get lastVersion(): number {
    return this.#lastVersion;
  }

  isOccupied(leaf: number): boolean {
    return Number.isInteger(leaf) && leaf >= 0 && leaf < this.capacity &&
      this.#counts[0][leaf] === 1;
  }

  /** Members under a node (tests, statistics). */
  countAt(level: number, pos: number): number {
    return this.#counts[level][pos];
  }

  /** A copy of a node's key and its version. */
  nodeKey(level: number, pos: number): PathKey {
    const k = this.kekLength;
    return {
      level,
      pos,
      version: this.#versions[level][pos],
      key: this.#keys[level].slice(pos * k, (pos + 1) * k),
    };
  }

  root(): PathKey {
    return this.nodeKey(this.#height, 0);
  }

  /** The keys a member at `leaf` holds, leaf first, root last (copies). */
  pathKeys(leaf: number): PathKey[] {
    const out: PathKey[] = [];
    for (let l = 0; l <= this.#height; l++) out.push(this.nodeKey(l, leaf >>> l));
    return out;
  }

  /** Bytes held by the typed arrays (keys, versions, counts). */
  storageBytes(): number {
    let n = 0;
    for (let l = 0; l <= this.#height; l++) {
      n += this.#keys[l].byteLength + this.#versions[l].byteLength + this.#counts[l].byteLength;
    }
    return n;
  }

  /** An independent copy (tests that branch a key server's history). */
  clone(): LkhTree {
    const t = new LkhTree(this.kekLength, this.#height);
    t.#keys = this.#keys.map((a) => a.slice());
    t.#versions = this.#versions.map((a) => a.slice());
    t.#counts = this.#counts.map((a) => a.slice());
    t.#lastVersion = this.#lastVersion;
    return t;
  }

  /** Runs one rekey (see the module comment). Throws before changing anything if refused. */
  // spec: RFC2627-join RFC2627-leave RFC6407-5.lkh RFC6407-4.fwd RFC6407-4.bwd PD-114 PD-116
  update(req: UpdateRequest): TreeUpdate {
    const evict = this.#checkUpdate(req);
    const dirty: Set<number>[] = [];
    const mark = (leaf: number, upTo: number) => {
      for (let l = 1; l <= upTo; l++) (dirty[l] ??= new Set()).add(leaf >>> l);
    };
    // 1. Evictions.
    for (const leaf of evict) {
      this.#keys[0].fill(0, leaf * this.kekLength, (leaf + 1) * this.kekLength);
      this.#setOccupied(leaf, false);
      mark(leaf, this.#height);
    }
    // 2. Height.
    const target = heightFor(this.size + req.joins);
    const moves: LeafMove[] = [];
    if (target < this.#height) {
      const cap = 1 << target;
      for (const from of this.#occupiedFrom(cap)) {
        const to = this.#leftmostFree();
        this.#moveLeaf(from, to);
        moves.push({ from, to });
      }
      this.#truncate(target);
      for (const m of moves) mark(m.to, target);
      for (let l = target + 1; l < dirty.length; l++) delete dirty[l];
      // Marks of evicted leaves in the dropped half name nodes that no longer exist.
      for (let l = 1; l <= target; l++) {
        if (!dirty[l]) continue;
        for (const p of dirty[l]) if (p >= cap >>> l) dirty[l].delete(p);
      }
    }
    const wraps: NodeWrap[] = [];
    const renewed: Set<number>[] = [];
    // 3. Renew marked nodes bottom-up, each under its children with members.
    for (let l = 1; l <= this.#height; l++) {
      const positions = dirty[l] ? [...dirty[l]].sort((a, b) => a - b) : [];
      for (const p of positions) {
        const version = this.#renew(l, p, req.entropy);
        (renewed[l] ??= new Set()).add(p);
        for (const c of [2 * p, 2 * p + 1]) {
          if (this.#counts[l - 1][c] === 0) continue;
          wraps.push(this.#wrap(req, { level: l, pos: p }, version, { level: l - 1, pos: c }));
        }
      }
    }
    if (target > this.#height) {
      for (let h = this.#height + 1; h <= target; h++) {
        this.#grow();
        const version = this.#renew(h, 0, req.entropy);
        (renewed[h] ??= new Set()).add(0);
        if (this.#counts[h - 1][0] > 0) {
          wraps.push(this.#wrap(req, { level: h, pos: 0 }, version, { level: h - 1, pos: 0 }));
        }
      }
    }
    // 4. Joins.
    const joined: number[] = [];
    for (let j = 0; j < req.joins; j++) {
      const leaf = this.#leftmostFree();
      this.#renew(0, leaf, req.entropy);
      for (let l = 1; l <= this.#height; l++) {
        const p = leaf >>> l;
        if (renewed[l]?.has(p)) continue;
        (renewed[l] ??= new Set()).add(p);
        const hadMembers = this.#counts[l][p] > 0;
        const old = this.nodeKey(l, p);
        const version = this.#renew(l, p, req.entropy);
        if (!hadMembers) continue;
        const node = { level: l, pos: p };
        wraps.push(
          wrapNodeKey(
            req.suite,
            req.groupId,
            node,
            version,
            this.#keyAt(l, p),
            node,
            old.version,
            old.key,
          ),
        );
      }
      this.#setOccupied(leaf, true);
      joined.push(leaf);
    }
    return { height: this.#height, moves, joined, wraps };
  }

  #checkUpdate(req: UpdateRequest): number[] {
    const evict = [...req.evict];
    const seen = new Set<number>();
    for (const leaf of evict) {
      if (!this.isOccupied(leaf) || seen.has(leaf)) {
        throw new DerlinkError(GdoiError["unknown-member"], `leaf ${leaf} is not a member`);
      }
      seen.add(leaf);
    }
    if (!Number.isInteger(req.joins) || req.joins < 0) {
      throw new DerlinkError(GdoiError["invalid-input"], "joins must be a count");
    }
    const finalSize = this.size - evict.length + req.joins;
    const height = Math.max(heightFor(finalSize), this.#height);
    if (heightFor(finalSize) > MAX_HEIGHT) {
      throw new DerlinkError(GdoiError.exhausted, "the tree would exceed its largest height");
    }
    // Each eviction, move or join renews at most one path; growth adds the new roots.
    const bound = (evict.length + finalSize + req.joins + 2) * (height + 2);
    if (this.#lastVersion + bound > MAX_VERSION) {
      throw new DerlinkError(GdoiError.exhausted, "key versions would wrap");
    }
    return evict;
  }

  #keyAt(level: number, pos: number): Uint8Array {
    const k = this.kekLength;
    return this.#keys[level].subarray(pos * k, (pos + 1) * k);
  }

  #wrap(req: UpdateRequest, target: NodeRef, version: number, by: NodeRef): NodeWrap {
    return wrapNodeKey(
      req.suite,
      req.groupId,
      target,
      version,
      this.#keyAt(target.level, target.pos),
      by,
      this.#versions[by.level][by.pos],
      this.#keyAt(by.level, by.pos),
    );
  }

  /** Fresh key and version for a node; returns the version. */
  #renew(level: number, pos: number, entropy: EntropySource): number {
    this.#keys[level].set(entropy.bytes(this.kekLength), pos * this.kekLength);
    const v = ++this.#lastVersion;
    this.#versions[level][pos] = v;
    return v;
  }

  #setOccupied(leaf: number, on: boolean): void {
    if ((this.#counts[0][leaf] === 1) === on) return;
    const d = on ? 1 : -1;
    for (let l = 0; l <= this.#height; l++) this.#counts[l][leaf >>> l] += d;
  }

  /** The leftmost leaf without a member (the tree must have one). */
  #leftmostFree(): number {
    let p = 0;
    for (let l = this.#height; l > 0; l--) {
      const left = 2 * p;
      p = this.#counts[l - 1][left] < (1 << (l - 1)) ? left : left + 1;
    }
    return p;
  }

  /** Occupied leaves at or right of `start`, left to right, skipping empty subtrees. */
  #occupiedFrom(start: number): number[] {
    const out: number[] = [];
    const visit = (l: number, p: number) => {
      if (this.#counts[l][p] === 0 || ((p + 1) << l) <= start) return;
      if (l === 0) {
        out.push(p);
        return;
      }
      visit(l - 1, 2 * p);
      visit(l - 1, 2 * p + 1);
    };
    visit(this.#height, 0);
    return out;
  }

  #moveLeaf(from: number, to: number): void {
    const k = this.kekLength;
    this.#keys[0].copyWithin(to * k, from * k, (from + 1) * k);
    this.#keys[0].fill(0, from * k, (from + 1) * k);
    this.#versions[0][to] = this.#versions[0][from];
    this.#setOccupied(from, false);
    this.#setOccupied(to, true);
  }

  /** Drops every level above `height` (all members are below 2^height by now). */
  #truncate(height: number): void {
    const cap = 1 << height;
    for (let l = 0; l <= height; l++) {
      const n = cap >>> l;
      this.#keys[l] = this.#keys[l].slice(0, n * this.kekLength);
      this.#versions[l] = this.#versions[l].slice(0, n);
      this.#counts[l] = this.#counts[l].slice(0, n);
    }
    this.#keys.length = this.#versions.length = this.#counts.length = height + 1;
    this.#height = height;
  }

  /** Adds one level on top (its key is set by the caller); the new right half is empty. */
  #grow(): void {
    const h = this.#height + 1;
    const cap = 1 << h;
    for (let l = 0; l < h; l++) {
      const n = cap >>> l;
      const keys = new Uint8Array(n * this.kekLength);
      keys.set(this.#keys[l]);
      this.#keys[l] = keys;
      const versions = new Uint32Array(n);
      versions.set(this.#versions[l]);
      this.#versions[l] = versions;
      const counts = new Uint32Array(n);
      counts.set(this.#counts[l]);
      this.#counts[l] = counts;
    }
    this.#keys.push(new Uint8Array(this.kekLength));
    this.#versions.push(new Uint32Array(1));
    this.#counts.push(Uint32Array.of(this.#counts[h - 1][0]));
    this.#height = h;
  }
}

/** `n` random bytes drawn in chunks the entropy source accepts. */
function fill(entropy: EntropySource, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const CHUNK = 1 << 20;
  for (let at = 0; at < n; at += CHUNK) out.set(entropy.bytes(Math.min(CHUNK, n - at)), at);
  return out;
}
