/**
 * The layered layout on random graphs (fast-check): nothing overlaps, every
 * route joins its two boxes, and the same graph always gives the same
 * picture.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type Box, layeredLayout, type LayoutEdgeSpec, type LayoutNodeSpec } from "./layout.ts";

const graph = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    nodes: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          id: fc.constant(`n${i}`),
          width: fc.integer({ min: 10, max: 160 }),
          height: fc.integer({ min: 10, max: 30 }),
          side: fc.oneof(fc.constant(0), fc.integer({ min: 20, max: 200 })),
          sideHeight: fc.integer({ min: 0, max: 70 }),
        })),
    ),
    edges: fc.array(
      fc.record({
        from: fc.integer({ min: 0, max: n - 1 }).map((i) => `n${i}`),
        to: fc.integer({ min: 0, max: n - 1 }).map((i) => `n${i}`),
        labelWidth: fc.oneof(fc.constant(0), fc.integer({ min: 20, max: 250 })),
        labelHeight: fc.integer({ min: 15, max: 70 }),
      }),
      { maxLength: 3 * n },
    ),
  })
);

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.01 && b.x < a.x + a.width - 0.01 &&
  a.y < b.y + b.height - 0.01 && b.y < a.y + a.height - 0.01;

function check(nodes: readonly LayoutNodeSpec[], edges: readonly LayoutEdgeSpec[]) {
  const l = layeredLayout(nodes, edges);
  assert.equal(l.nodes.length, nodes.length);
  assert.equal(l.edges.length, edges.length);
  // A node's box with the room it reserves on its right for a self-loop.
  const areas: Box[] = l.nodes.map((b, i) => ({ ...b, width: b.width + nodes[i].side }));
  const labels = l.edges.flatMap((e) => e.label ? [e.label] : []);
  const all = [...areas, ...labels];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      assert.ok(!overlaps(all[i], all[j]), `boxes ${i} and ${j} overlap`);
    }
  }
  for (const b of all) {
    for (const v of [b.x, b.y, b.width, b.height]) assert.ok(Number.isFinite(v));
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= l.width && b.y + b.height <= l.height);
  }
  const byId = new Map(l.nodes.map((b) => [b.id, b]));
  edges.forEach((e, i) => {
    const r = l.edges[i];
    if (e.from === e.to) {
      assert.equal(r.points.length, 0);
      return;
    }
    assert.equal(r.label !== null, e.labelWidth > 0, "a label box exactly when the edge has one");
    const a = byId.get(e.from)!, b = byId.get(e.to)!;
    const first = r.points[0], last = r.points[r.points.length - 1];
    const onBorder = (p: { x: number; y: number }, box: Box) =>
      p.x >= box.x - 0.01 && p.x <= box.x + box.width + 0.01 &&
      (Math.abs(p.y - box.y) < 0.01 || Math.abs(p.y - box.y - box.height) < 0.01);
    assert.ok(onBorder(first, a), `edge ${i} leaves from its source`);
    assert.ok(onBorder(last, b), `edge ${i} ends on its target`);
    assert.ok(r.span >= 1);
    for (const p of r.points) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y));
  });
  return l;
}

Deno.test("DL-SITE-1: layered layout: no overlaps, routes join their boxes, deterministic", () => {
  fc.assert(
    fc.property(graph, ({ nodes, edges }) => {
      const l = check(nodes, edges);
      assert.deepEqual(layeredLayout(nodes, edges), l);
    }),
    { numRuns: 300 },
  );
});

Deno.test("layered layout: a chain goes top to bottom, a back edge is drawn upwards", () => {
  const node = (id: string): LayoutNodeSpec => ({
    id,
    width: 40,
    height: 20,
    side: 0,
    sideHeight: 0,
  });
  const edge = (from: string, to: string): LayoutEdgeSpec => ({
    from,
    to,
    labelWidth: 30,
    labelHeight: 15,
  });
  const l = check([node("a"), node("b"), node("c")], [
    edge("a", "b"),
    edge("b", "c"),
    edge("c", "a"),
  ]);
  const [a, b, c] = l.nodes;
  assert.ok(a.y < b.y && b.y < c.y);
  assert.deepEqual(l.edges.map((e) => e.reversed), [false, false, true]);
  const back = l.edges[2].points;
  assert.ok(back[0].y > back[back.length - 1].y, "c -> a runs upwards");
  assert.equal(l.edges[2].span, 2);
});

Deno.test("layered layout: an edge naming an unknown node is refused", () => {
  assert.throws(
    () =>
      layeredLayout([{ id: "a", width: 1, height: 1, side: 0, sideHeight: 0 }], [
        { from: "a", to: "zz", labelWidth: 0, labelHeight: 0 },
      ]),
    /unknown node/,
  );
});
