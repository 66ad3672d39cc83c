/**
 * An immutable map from strings to values with structural sharing (a hash
 * array mapped trie, 32-way): `set` and `delete` return a new map and copy
 * only the path to the changed entry (O(log32 n) nodes), so a pure machine
 * can keep thousands of entries in its state and still take each step in
 * about constant time, where copying a plain record per step costs O(n)
 * (PD-271). The old map stays valid and unchanged: states may be kept,
 * compared and stepped again from any earlier one.
 *
 * Iteration order is that of the keys' hashes (the same for the same set of
 * keys, whatever the order they were added in), not insertion order.
 *
 * @module
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;

/** 32-bit FNV-1a over the UTF-16 code units: cheap, and spreads short ids well (exported for the tests). */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Leaf<V> {
  constructor(readonly hash: number, readonly key: string, readonly value: V) {}
}

/** Keys whose 32-bit hashes are equal, in the order they were added. */
class Collision<V> {
  constructor(readonly hash: number, readonly leaves: readonly Leaf<V>[]) {}
}

/** One trie level: `bitmap` says which of the 32 slots are used; `slots` holds them packed. */
class Branch<V> {
  constructor(readonly bitmap: number, readonly slots: readonly Slot<V>[]) {}
}

type Slot<V> = Leaf<V> | Collision<V> | Branch<V>;

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

const EMPTY_BRANCH = new Branch<never>(0, []);

function lookup<V>(node: Slot<V>, hash: number, key: string, shift: number): Leaf<V> | undefined {
  for (;;) {
    if (node instanceof Leaf) return node.key === key ? node : undefined;
    if (node instanceof Collision) {
      if (node.hash !== hash) return undefined;
      return node.leaves.find((l) => l.key === key);
    }
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.slots[popcount(node.bitmap & (bit - 1))];
    shift += BITS;
  }
}

/** A branch (or collision) holding two leaves that differ at or below `shift`. */
function pair<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Slot<V> {
  if (a.hash === b.hash) return new Collision(a.hash, [a, b]);
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [pair(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

const replaced = <T>(list: readonly T[], i: number, x: T): T[] => {
  const copy = list.slice();
  copy[i] = x;
  return copy;
};

/** `node` with `leaf` added or replaced; `added` says whether the key was new. */
function insert<V>(node: Slot<V>, leaf: Leaf<V>, shift: number, added: { yes: boolean }): Slot<V> {
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return leaf;
    added.yes = true;
    return pair(node, leaf, shift);
  }
  if (node instanceof Collision) {
    if (node.hash !== leaf.hash) {
      added.yes = true;
      // Split: a branch holding the collision and the new leaf.
      const branch = new Branch(1 << ((node.hash >>> shift) & MASK), [node]);
      return insert(branch, leaf, shift, added);
    }
    const i = node.leaves.findIndex((l) => l.key === leaf.key);
    if (i >= 0) return new Collision(node.hash, replaced(node.leaves, i, leaf));
    added.yes = true;
    return new Collision(node.hash, [...node.leaves, leaf]);
  }
  const bit = 1 << ((leaf.hash >>> shift) & MASK);
  const at = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.yes = true;
    const slots = node.slots.slice();
    slots.splice(at, 0, leaf);
    return new Branch(node.bitmap | bit, slots);
  }
  const child = node.slots[at];
  const next = insert(child, leaf, shift + BITS, added);
  return next === child ? node : new Branch(node.bitmap, replaced(node.slots, at, next));
}

/** `node` without `key`: the same node when absent, undefined when nothing is left. */
function remove<V>(
  node: Slot<V>,
  hash: number,
  key: string,
  shift: number,
): Slot<V> | undefined {
  if (node instanceof Leaf) return node.key === key ? undefined : node;
  if (node instanceof Collision) {
    if (node.hash !== hash) return node;
    const rest = node.leaves.filter((l) => l.key !== key);
    if (rest.length === node.leaves.length) return node;
    return rest.length === 1 ? rest[0] : new Collision(node.hash, rest);
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const at = popcount(node.bitmap & (bit - 1));
  const child = node.slots[at];
  const next = remove(child, hash, key, shift + BITS);
  if (next === child) return node;
  if (next === undefined) {
    const bitmap = node.bitmap & ~bit;
    if (bitmap === 0) return undefined;
    const slots = node.slots.filter((_, i) => i !== at);
    // A lone leaf or collision moves up; a lone branch must stay at its depth.
    if (slots.length === 1 && !(slots[0] instanceof Branch)) return slots[0];
    return new Branch(bitmap, slots);
  }
  if (node.slots.length === 1 && !(next instanceof Branch)) return next;
  return new Branch(node.bitmap, replaced(node.slots, at, next));
}

function* leaves<V>(node: Slot<V>): Generator<Leaf<V>> {
  if (node instanceof Leaf) yield node;
  else if (node instanceof Collision) yield* node.leaves;
  else for (const s of node.slots) yield* leaves(s);
}

/** An immutable string-keyed map; every change returns a new map sharing the unchanged parts. */
export class PersistentMap<V> {
  // A plain (not #private) field, so that deep equality of two states compares the entries.
  /** The trie (internal). */
  private readonly root: Slot<V>;
  /** Number of entries. */
  readonly size: number;

  private constructor(root: Slot<V>, size: number) {
    this.root = root;
    this.size = size;
  }

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_BRANCH as Branch<V>, 0);
  }

  /** A map of a record's own entries. */
  static fromRecord<V>(record: Readonly<Record<string, V>>): PersistentMap<V> {
    let m = PersistentMap.empty<V>();
    for (const k of Object.keys(record)) m = m.set(k, record[k]);
    return m;
  }

  get(key: string): V | undefined {
    return lookup(this.root, hashOf(key), key, 0)?.value;
  }

  has(key: string): boolean {
    return lookup(this.root, hashOf(key), key, 0) !== undefined;
  }

  /** The map with `key` set to `value`. */
  set(key: string, value: V): PersistentMap<V> {
    const added = { yes: false };
    const root = insert(this.root, new Leaf(hashOf(key), key, value), 0, added);
    return new PersistentMap(root, this.size + (added.yes ? 1 : 0));
  }

  /** The map without `key` (this map when it has no such key). */
  delete(key: string): PersistentMap<V> {
    const root = remove(this.root, hashOf(key), key, 0);
    if (root === this.root) return this;
    // The root stays a branch, as insertion builds it: one set of keys, one shape.
    const top = root === undefined
      ? EMPTY_BRANCH as Branch<V>
      : root instanceof Branch
      ? root
      : new Branch<V>(1 << (root.hash & MASK), [root]);
    return new PersistentMap(top, this.size - 1);
  }

  *entries(): Generator<[string, V]> {
    for (const l of leaves(this.root)) yield [l.key, l.value];
  }

  *keys(): Generator<string> {
    for (const l of leaves(this.root)) yield l.key;
  }

  [Symbol.iterator](): Generator<[string, V]> {
    return this.entries();
  }

  /** A plain record of the entries (for tokens and snapshots that travel as data). */
  toRecord(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const l of leaves(this.root)) out[l.key] = l.value;
    return out;
  }

  /** Structural equality with another map (same keys, values compared by `===`). */
  equals(other: PersistentMap<V>): boolean {
    if (other.size !== this.size) return false;
    for (const l of leaves(this.root)) {
      const o = lookup(other.root, l.hash, l.key, 0);
      if (o === undefined || o.value !== l.value) return false;
    }
    return true;
  }
}
