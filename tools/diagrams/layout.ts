/**
 * A small layered (Sugiyama-style) graph layout for the state diagrams, so
 * the docs need no graph-layout dependency (PD-175). Pure and deterministic:
 * the same graph gives the same coordinates, so regenerated diagrams do not
 * change when the machines do not.
 *
 * Steps: (1) break cycles by reversing the back edges a depth-first search
 * meets, starting from the first node; (2) give every node a layer by the
 * longest path from a source, then pull each source down to just above its
 * nearest successor; (3) split every edge into one item per row it crosses,
 * on a grid where real nodes sit on even rows and every odd row between two
 * layers holds edge labels, so a label is laid out like a node and never
 * overlaps another; (4) order each row by barycentre sweeps, keeping the
 * order with the fewest crossings; (5) place items left to right by pulling
 * each towards the mean of its neighbours, solved per row as an isotonic
 * regression so the order and the gaps are kept, then make each long edge
 * one straight vertical where its rows leave room; (6) route every edge
 * through its items, spreading the ports along the node's border.
 * Self-loops are not laid out: the caller reserves `side` width for them.
 * Steps (4) and (5) are in layout_rows.ts.
 *
 * @module
 */
import { centreOf, type Item, order, place, straighten } from "./layout_rows.ts";

export interface LayoutNodeSpec {
  readonly id: string;
  /** The node's box. */
  readonly width: number;
  readonly height: number;
  /** Width reserved to the right of the box (a self-loop and its label). */
  readonly side: number;
  /** Height that side content needs (centred on the box). */
  readonly sideHeight: number;
}

export interface LayoutEdgeSpec {
  readonly from: string;
  readonly to: string;
  /** Label box size; 0 width for an unlabelled edge. */
  readonly labelWidth: number;
  readonly labelHeight: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedNode extends Box {
  readonly id: string;
}

export interface RoutedEdge {
  /** From the source's border to the target's border, in the edge's own direction. */
  readonly points: readonly Point[];
  readonly label: Box | null;
  /** True when the edge was reversed to break a cycle (it is drawn upwards). */
  readonly reversed: boolean;
  /** How many layers the edge crosses (1 between neighbouring layers, 0 for a self-loop). */
  readonly span: number;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  /** In the order of the input nodes. */
  readonly nodes: readonly PlacedNode[];
  /** In the order of the input edges; a self-loop gets no points. */
  readonly edges: readonly RoutedEdge[];
}

const MARGIN = 12;
const LABEL_ROW_MIN = 26;
const ROW_PAD = 22;
const LABEL_OFFSET = 5;
const DUMMY_WIDTH = 2;

/** Depth-first search from each node in input order; edges into the current path are reversed. */
function backEdges(n: number, edges: readonly { from: number; to: number }[]): boolean[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  edges.forEach((e, i) => {
    if (e.from !== e.to) out[e.from].push(i);
  });
  const state = new Uint8Array(n); // 0 new, 1 on the path, 2 done
  const reversed = edges.map(() => false);
  for (let root = 0; root < n; root++) {
    if (state[root]) continue;
    const stack: { v: number; i: number }[] = [{ v: root, i: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < out[top.v].length) {
        const e = out[top.v][top.i++];
        const w = edges[e].to;
        if (state[w] === 1) reversed[e] = true;
        else if (state[w] === 0) {
          state[w] = 1;
          stack.push({ v: w, i: 0 });
        }
      } else {
        state[top.v] = 2;
        stack.pop();
      }
    }
  }
  return reversed;
}

/** Longest-path layers of a DAG, sources pulled down to just above their nearest successor. */
function layers(n: number, dag: readonly { from: number; to: number }[]): number[] {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const e of dag) {
    preds[e.to].push(e.from);
    succs[e.from].push(e.to);
  }
  const indeg = preds.map((p) => p.length);
  const layer = new Array<number>(n).fill(0);
  const done = new Array<boolean>(n).fill(false);
  for (let k = 0; k < n; k++) {
    let v = 0;
    while (done[v] || indeg[v] > 0) v++; // lowest-numbered ready node: stable order
    done[v] = true;
    for (const w of succs[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      indeg[w]--;
    }
  }
  for (let v = 0; v < n; v++) {
    if (preds[v].length === 0 && succs[v].length > 0) {
      layer[v] = Math.min(...succs[v].map((w) => layer[w])) - 1;
    }
  }
  const min = Math.min(0, ...layer);
  return layer.map((l) => l - min);
}

/** Lays out nodes and edges; edges name nodes by id (unknown ids are an error of the caller). */
export function layeredLayout(
  nodeSpecs: readonly LayoutNodeSpec[],
  edgeSpecs: readonly LayoutEdgeSpec[],
): Layout {
  const index = new Map(nodeSpecs.map((n, i) => [n.id, i]));
  const edges = edgeSpecs.map((e) => {
    const from = index.get(e.from), to = index.get(e.to);
    if (from === undefined || to === undefined) {
      throw new Error(`layout: edge ${e.from} -> ${e.to} names an unknown node`);
    }
    return { from, to };
  });
  const n = nodeSpecs.length;
  const reversed = backEdges(n, edges);
  const dag = edges.map((e, i) => reversed[i] ? { from: e.to, to: e.from } : e)
    .filter((e) => e.from !== e.to);
  const layer = layers(n, dag);
  const rowCount = n ? 2 * Math.max(...layer) + 1 : 0;
  const rows: Item[][] = Array.from({ length: rowCount }, () => []);
  const item = (
    row: number,
    width: number,
    anchor: number,
    height: number,
    node: number | null,
  ) => {
    const it: Item = {
      row,
      width,
      anchor,
      height,
      node,
      labelled: false,
      up: [],
      down: [],
      left: 0,
    };
    rows[row].push(it);
    return it;
  };
  const nodeItems = nodeSpecs.map((s, v) =>
    item(2 * layer[v], s.width + s.side, s.width / 2, Math.max(s.height, s.sideHeight), v)
  );
  const chains: (Item[] | null)[] = edgeSpecs.map((spec, i) => {
    const e = edges[i];
    if (e.from === e.to) return null;
    const [u, v] = reversed[i] ? [e.to, e.from] : [e.from, e.to];
    const chain = [nodeItems[u]];
    const first = 2 * layer[u] + 1, last = 2 * layer[v] - 1;
    const labelRow = reversed[i] ? last : first;
    for (let r = first; r <= last; r++) {
      const labelled = r === labelRow && spec.labelWidth > 0;
      const it = labelled
        ? item(
          r,
          DUMMY_WIDTH + LABEL_OFFSET + spec.labelWidth,
          DUMMY_WIDTH / 2,
          spec.labelHeight,
          null,
        )
        : item(r, DUMMY_WIDTH, DUMMY_WIDTH / 2, 0, null);
      it.labelled = labelled;
      chain.push(it);
    }
    chain.push(nodeItems[v]);
    for (let k = 0; k + 1 < chain.length; k++) {
      chain[k].down.push(chain[k + 1]);
      chain[k + 1].up.push(chain[k]);
    }
    return chain;
  });

  const ordered = order(rows);
  place(ordered);
  straighten(ordered, chains);
  const minLeft = Math.min(0, ...ordered.flat().map((it) => it.left));
  for (const it of ordered.flat()) it.left += MARGIN - minLeft;

  const rowTop: number[] = [];
  const rowHeight: number[] = [];
  let y = MARGIN;
  ordered.forEach((row, r) => {
    const h = Math.max(r % 2 ? LABEL_ROW_MIN : 0, ...row.map((it) => it.height));
    rowTop.push(y);
    rowHeight.push(h);
    y += h + ROW_PAD;
  });
  const height = y - ROW_PAD + MARGIN;
  const width = Math.max(0, ...ordered.flat().map((it) => it.left + it.width)) + MARGIN;

  const boxes: PlacedNode[] = nodeSpecs.map((s, v) => {
    const it = nodeItems[v];
    return {
      id: s.id,
      x: it.left,
      y: rowTop[it.row] + (rowHeight[it.row] - s.height) / 2,
      width: s.width,
      height: s.height,
    };
  });

  // Ports: the chains leaving a node downwards share its bottom border, those arriving share its top.
  const port = new Map<string, number>(); // `${chain}:${"top"|"bottom"}` -> x
  nodeItems.forEach((it, v) => {
    const box = boxes[v];
    for (const side of ["bottom", "top"] as const) {
      const ends: { chain: number; towards: number }[] = [];
      chains.forEach((c, i) => {
        if (!c) return;
        if (side === "bottom" && c[0] === it) ends.push({ chain: i, towards: centreOf(c[1]) });
        if (side === "top" && c[c.length - 1] === it) {
          ends.push({ chain: i, towards: centreOf(c[c.length - 2]) });
        }
      });
      ends.sort((a, b) => a.towards - b.towards || a.chain - b.chain);
      const inset = Math.min(8, box.width / 4);
      ends.forEach((e, k) => {
        const x = ends.length === 1
          ? Math.min(Math.max(e.towards, box.x + inset), box.x + box.width - inset)
          : box.x + (box.width * (k + 1)) / (ends.length + 1);
        port.set(`${e.chain}:${side}`, x);
      });
    }
  });

  const routed: RoutedEdge[] = chains.map((c, i) => {
    if (!c) return { points: [], label: null, reversed: false, span: 0 };
    const src = boxes[c[0].node!], dst = boxes[c[c.length - 1].node!];
    const srcRow = c[0].row, dstRow = c[c.length - 1].row;
    // Leave and enter straight through the rest of the node's row, so curves stay between rows.
    const out = port.get(`${i}:bottom`)!, into = port.get(`${i}:top`)!;
    const pts: Point[] = [{ x: out, y: src.y + src.height }];
    const srcRowBottom = rowTop[srcRow] + rowHeight[srcRow];
    if (srcRowBottom > src.y + src.height) pts.push({ x: out, y: srcRowBottom });
    let label: Box | null = null;
    for (const it of c.slice(1, -1)) {
      const x = centreOf(it);
      pts.push({ x, y: rowTop[it.row] }, { x, y: rowTop[it.row] + rowHeight[it.row] });
      if (it.labelled) {
        const spec = edgeSpecs[i];
        label = {
          x: it.left + DUMMY_WIDTH + LABEL_OFFSET,
          y: rowTop[it.row] + (rowHeight[it.row] - spec.labelHeight) / 2,
          width: spec.labelWidth,
          height: spec.labelHeight,
        };
      }
    }
    if (rowTop[dstRow] < dst.y) pts.push({ x: into, y: rowTop[dstRow] });
    pts.push({ x: into, y: dst.y });
    return {
      points: reversed[i] ? pts.reverse() : pts,
      label,
      reversed: reversed[i],
      span: (dstRow - srcRow) / 2,
    };
  });
  return { width, height, nodes: boxes, edges: routed };
}
