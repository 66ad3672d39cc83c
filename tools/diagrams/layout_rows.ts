/**
 * The row stage of the layered layout (layout.ts): items are the nodes and
 * the per-row pieces of edges; this orders each row to reduce crossings
 * (barycentre sweeps, best order kept), places items left to right (each
 * pulled towards the mean of its neighbours, solved per row as an isotonic
 * regression that keeps order and gaps), and straightens long edges.
 *
 * @module
 */

const NODE_GAP = 28;
const DUMMY_GAP = 12;
const SWEEPS = 24;
const PLACEMENT_ROUNDS = 10;

/** A node, or the piece of an edge in one row (a dummy, labelled or not). */
export interface Item {
  readonly row: number;
  readonly width: number;
  /** x of the point edges attach to, relative to the item's left. */
  readonly anchor: number;
  readonly height: number;
  readonly node: number | null;
  labelled: boolean;
  readonly up: Item[];
  readonly down: Item[];
  left: number;
}

/** Number of crossings between the edges of row `r` and row `r + 1`. */
function crossingsBelow(row: readonly Item[], pos: Map<Item, number>): number {
  const segs: [number, number][] = [];
  for (const a of row) for (const b of a.down) segs.push([pos.get(a)!, pos.get(b)!]);
  let c = 0;
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      const [a1, b1] = segs[i], [a2, b2] = segs[j];
      if ((a1 - a2) * (b1 - b2) < 0) c++;
    }
  }
  return c;
}

export function positions(rows: readonly Item[][]): Map<Item, number> {
  const pos = new Map<Item, number>();
  for (const row of rows) row.forEach((it, i) => pos.set(it, i));
  return pos;
}

function totalCrossings(rows: readonly Item[][]): number {
  const pos = positions(rows);
  let c = 0;
  for (let r = 0; r + 1 < rows.length; r++) c += crossingsBelow(rows[r], pos);
  return c;
}

/** Reorders one row by the mean position of each item's neighbours in the adjacent row. */
function sortByBarycentre(row: Item[], neighbours: (it: Item) => Item[], pos: Map<Item, number>) {
  const key = new Map<Item, number>();
  row.forEach((it, i) => {
    const ns = neighbours(it);
    key.set(it, ns.length ? ns.reduce((s, n) => s + pos.get(n)!, 0) / ns.length : i);
  });
  row.sort((a, b) => key.get(a)! - key.get(b)! || pos.get(a)! - pos.get(b)!);
  row.forEach((it, i) => pos.set(it, i));
}

export function order(rows: Item[][]): Item[][] {
  let best = rows.map((r) => [...r]);
  let bestCrossings = totalCrossings(best);
  const pos = positions(rows);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    if (sweep % 2 === 0) {
      for (let r = 1; r < rows.length; r++) sortByBarycentre(rows[r], (it) => it.up, pos);
    } else {
      for (let r = rows.length - 2; r >= 0; r--) sortByBarycentre(rows[r], (it) => it.down, pos);
    }
    const c = totalCrossings(rows);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = rows.map((r) => [...r]);
    }
  }
  return best;
}

const gapBetween = (a: Item, b: Item) => a.node === null && b.node === null ? DUMMY_GAP : NODE_GAP;

/**
 * Places a row's items as close as possible (least squares, weighted) to the
 * wanted left edges while keeping their order and gaps: with offsets folded
 * in this is isotonic regression, solved by pooling adjacent violators.
 */
function placeRow(row: readonly Item[], wanted: readonly number[]): void {
  const offsets: number[] = [];
  let off = 0;
  row.forEach((it, i) => {
    offsets.push(off);
    if (i + 1 < row.length) off += it.width + gapBetween(it, row[i + 1]);
  });
  const blocks: { value: number; weight: number; count: number }[] = [];
  row.forEach((it, i) => {
    const weight = it.node === null ? 2 : 1; // long edges prefer to stay straight
    blocks.push({ value: wanted[i] - offsets[i], weight, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].value > blocks[blocks.length - 1].value) {
      const b = blocks.pop()!, a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({
        value: (a.value * a.weight + b.value * b.weight) / weight,
        weight,
        count: a.count + b.count,
      });
    }
  });
  let i = 0;
  for (const b of blocks) {
    for (let k = 0; k < b.count; k++, i++) row[i].left = b.value + offsets[i];
  }
}

export function place(rows: readonly Item[][]): void {
  for (const row of rows) {
    let x = 0;
    row.forEach((it, i) => {
      it.left = x;
      if (i + 1 < row.length) x += it.width + gapBetween(it, row[i + 1]);
    });
  }
  const centre = (it: Item) => it.left + it.anchor;
  const pull = (row: Item[], neighbours: (it: Item) => Item[]) =>
    placeRow(
      row,
      row.map((it) => {
        const ns = neighbours(it);
        const x = ns.length ? ns.reduce((s, n) => s + centre(n), 0) / ns.length : centre(it);
        return x - it.anchor;
      }),
    );
  for (let round = 0; round < PLACEMENT_ROUNDS; round++) {
    for (let r = 1; r < rows.length; r++) pull(rows[r], (it) => it.up);
    for (let r = rows.length - 2; r >= 0; r--) pull(rows[r], (it) => it.down);
  }
  for (const row of rows) pull(row, (it) => [...it.up, ...it.down]);
}

/**
 * Makes each long edge one vertical line where its rows leave room: tries the
 * source's centre, the target's, then the median of its items, and keeps the
 * first position every item of the edge fits at without moving a neighbour.
 */
export function straighten(rows: readonly Item[][], chains: readonly (Item[] | null)[]): void {
  const pos = positions(rows);
  const fits = (it: Item, left: number) => {
    const row = rows[it.row], i = pos.get(it)!;
    const before = row[i - 1], after = row[i + 1];
    return (!before || before.left + before.width + gapBetween(before, it) <= left + 0.01) &&
      (!after || left + it.width + gapBetween(it, after) <= after.left + 0.01);
  };
  const long = chains.filter((c): c is Item[] => c !== null && c.length > 3)
    .sort((a, b) => b.length - a.length);
  for (const chain of long) {
    const inner = chain.slice(1, -1);
    const xs = inner.map(centreOf).sort((a, b) => a - b);
    const candidates = [centreOf(chain[0]), centreOf(chain[chain.length - 1]), xs[xs.length >> 1]];
    const x = candidates.find((c) => inner.every((it) => fits(it, c - it.anchor)));
    if (x !== undefined) { for (const it of inner) it.left = x - it.anchor; }
  }
}

export function centreOf(it: Item): number {
  return it.left + it.anchor;
}
