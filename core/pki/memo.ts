/**
 * Bounded memo tables for validation. Parsing a certificate with the ASN.1
 * schemas costs about a millisecond and a P-256 verification about as much,
 * while a protocol sees the same anchors, CRLs and peer chains again and
 * again. Every memoised function is pure and keyed by the full content of
 * its inputs, so a memo can change how fast an answer comes, never which
 * answer: clearing the tables (clearPkiMemo) gives the same results.
 *
 * Two kinds of table: {@link Memo}, a least-recently-used map keyed by
 * content, and {@link VerdictMemo}, which hangs signature verdicts on the
 * memoised parse they concern (so they live and die with it and need no
 * content key of their own, PD-261).
 *
 * @module
 */
import { CoreError, DerlinkError } from "../errors.ts";

/** A least-recently-used map with a capacity the owner may change. */
export class Memo<V> {
  #limit: number;
  readonly #map = new Map<string, V>();

  constructor(limit: number) {
    this.#limit = checkedLimit(limit);
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

  /** The most entries kept. */
  get limit(): number {
    return this.#limit;
  }

  /** Sets the capacity; shrinking drops the least recently used entries. */
  // spec: PD-261
  resize(limit: number): void {
    this.#limit = checkedLimit(limit);
    while (this.#map.size > this.#limit) this.#map.delete(this.#map.keys().next().value!);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}

/** Most issuer keys whose verdict one certificate or CRL remembers. */
const VERDICTS_PER_SUBJECT = 4;

/**
 * Verdicts about a memoised object (a parsed certificate or CRL), one per
 * issuer key tag, held weakly by that object: when the parse memo drops the
 * object, its verdicts go with it. A hit needs the object (content-keyed
 * already by the parse memo) and the issuer's key tag (suite and key bytes),
 * which together are all a signature verdict depends on.
 */
export class VerdictMemo<V> {
  #table = new WeakMap<object, Map<string, V>>();

  get(subject: object, issuerTag: string, compute: () => V): V {
    let verdicts = this.#table.get(subject);
    if (verdicts === undefined) this.#table.set(subject, verdicts = new Map());
    const hit = verdicts.get(issuerTag);
    if (hit !== undefined) return hit;
    const value = compute();
    // A subject is normally checked against one issuer key; a few more are kept, never many.
    if (verdicts.size >= VERDICTS_PER_SUBJECT) verdicts.clear();
    verdicts.set(issuerTag, value);
    return value;
  }

  clear(): void {
    this.#table = new WeakMap();
  }
}

function checkedLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new DerlinkError(CoreError["invalid-argument"], `memo capacity ${limit}`);
  }
  return limit;
}
