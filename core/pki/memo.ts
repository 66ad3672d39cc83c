/**
 * Bounded memo tables for validation. Parsing a certificate with the ASN.1
 * schemas costs about a millisecond and a P-256 verification about as much,
 * while a protocol sees the same anchors, CRLs and peer chains again and
 * again. Every memoised function is pure and keyed by the full content of
 * its inputs, so a memo can change how fast an answer comes, never which
 * answer: clearing the tables (clearPkiMemo) gives the same results.
 *
 * @module
 */

/** A least-recently-used map with a fixed capacity. */
export class Memo<V> {
  readonly #limit: number;
  readonly #map = new Map<string, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value for `key`, computing and remembering it on a miss. */
  get(key: string, compute: () => V): V {
    const hit = this.#map.get(key);
    if (hit !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, hit);
      return hit;
    }
    const value = compute();
    if (this.#map.size >= this.#limit) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(key, value);
    return value;
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
