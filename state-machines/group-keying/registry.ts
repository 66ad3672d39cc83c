/**
 * The key server's member registry: which bare JID sits at which leaf of the
 * key tree. Mutable, like the tree it indexes (PD-116); per member it costs a
 * map entry and an array slot besides the JID text itself.
 *
 * @module
 */
import type { LeafMove } from "./lkh.ts";

export class MemberRegistry {
  #leafOf = new Map<string, number>();
  #jidAt: (string | undefined)[] = [];

  get size(): number {
    return this.#leafOf.size;
  }

  leafOf(jid: string): number | undefined {
    return this.#leafOf.get(jid);
  }

  jidAt(leaf: number): string | undefined {
    return this.#jidAt[leaf];
  }

  add(jid: string, leaf: number): void {
    this.#leafOf.set(jid, leaf);
    this.#jidAt[leaf] = jid;
  }

  remove(jid: string): void {
    const leaf = this.#leafOf.get(jid);
    if (leaf === undefined) return;
    this.#leafOf.delete(jid);
    this.#jidAt[leaf] = undefined;
  }

  /** Follows the tree's rebalancing moves (all at once: a move may free a leaf another fills). */
  applyMoves(moves: readonly LeafMove[]): void {
    const jids = moves.map((m) => this.#jidAt[m.from]);
    for (const m of moves) this.#jidAt[m.from] = undefined;
    moves.forEach((m, i) => {
      const jid = jids[i];
      if (jid === undefined) return;
      this.#jidAt[m.to] = jid;
      this.#leafOf.set(jid, m.to);
    });
    // Keep the slot array no longer than the occupied range.
    let end = this.#jidAt.length;
    while (end > 0 && this.#jidAt[end - 1] === undefined) end--;
    this.#jidAt.length = end;
  }

  /** Every member, in leaf order. */
  members(): string[] {
    return this.#jidAt.filter((j): j is string => j !== undefined);
  }

  clone(): MemberRegistry {
    const r = new MemberRegistry();
    r.#leafOf = new Map(this.#leafOf);
    r.#jidAt = [...this.#jidAt];
    return r;
  }
}
