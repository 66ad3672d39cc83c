/**
 * Every declared transition of every registered machine is on its diagram,
 * in one of the forms graph.ts describes, and the SVG names every phase.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ANY, type Transition } from "../../core/machine.ts";
import { machines } from "../../conformance/suites/index.ts";
import { anyId, type EdgeLine, type MachineDiagram, machineDiagram, START_ID } from "./graph.ts";
import { diagramSvg, layoutWithCopies } from "./svg.ts";

const same = (l: EdgeLine, t: Transition) =>
  l.on === t.on && l.spec.join(" ") === t.spec.join(" ") && (l.note ?? "") === (t.note ?? "");

/** Where the diagram shows `t`, or null. */
function shown(d: MachineDiagram, t: Transition): string | null {
  if (t.on === ANY && t.from === t.to) {
    if (d.everyPhase.some((r) => r.from === ANY && r.to === null && same(r.line, t))) return "rule";
  }
  if (t.to === ANY) {
    return d.everyPhase.some((r) => r.from === t.from && r.to === ANY && same(r.line, t))
      ? "rule"
      : null;
  }
  if (t.from === t.to) {
    return d.nodes.find((n) => n.id === t.from)?.loops.some((l) => same(l, t)) ? "loop" : null;
  }
  const from = t.from === ANY ? anyId(t.to) : t.from;
  return d.edges.some((e) => e.from === from && e.to === t.to && e.lines.some((l) => same(l, t)))
    ? "edge"
    : null;
}

Deno.test("DL-SITE-1: every declared transition of every registered machine is on its diagram", () => {
  assert.ok(machines.length >= 7);
  for (const m of machines) {
    const d = machineDiagram(m);
    for (const t of m.transitions) {
      assert.ok(shown(d, t), `${m.name}: ${t.from} --${t.on}--> ${t.to} is not on the diagram`);
    }
    assert.equal(d.edges[0].from, START_ID);
    assert.equal(d.edges[0].to, d.initial);
    const svg = diagramSvg(d);
    for (const p of d.phases) assert.match(svg, new RegExp(`data-phase="${p}"`), `${m.name} ${p}`);
    assert.equal(diagramSvg(machineDiagram(m)), svg, "deterministic");
  }
});

const t = (from: string, on: string, to: string, spec: string[], note?: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

Deno.test("DL-SITE-1 PD-175: wildcards, merged edges, collapsed rules and escaping", () => {
  const d = machineDiagram({
    name: "demo.<m>",
    transitions: [
      t("a", "go", "b", ["PD-1"]),
      t("a", "jump", "b", ["PD-2"], "same pair: one arrow, two lines"),
      t("b", "tick", "b", ["PD-3"]),
      t(ANY, "close", "z", ["PD-4"]),
      t("a", ANY, "a", ["PD-5"], "stay"),
      t("b", ANY, "b", ["PD-5"], "stay"),
      t("z", ANY, "z", ["PD-5"], "stay"),
      t("b", ANY, "b", ["PD-6"], "only here"),
      t("b", "x<y", ANY, ["PD-7"]),
    ],
  });
  assert.equal(d.initial, "a");
  assert.deepEqual(d.phases, ["a", "b", "z"]);
  const ab = d.edges.find((e) => e.from === "a" && e.to === "b")!;
  assert.deepEqual(ab.lines.map((l) => l.on), ["go", "jump"]);
  assert.ok(d.edges.some((e) => e.from === anyId("z") && e.to === "z"));
  assert.deepEqual(d.everyPhase.map((r) => [r.from, r.line.spec[0], r.to]), [
    [ANY, "PD-5", null],
    ["b", "PD-7", ANY],
  ]);
  const b = d.nodes.find((n) => n.id === "b")!;
  assert.deepEqual(
    b.loops.map((l) => l.spec[0]),
    ["PD-3", "PD-6"],
    "a rule of one phase stays a loop",
  );
  assert.equal(d.nodes.find((n) => n.id === "z")!.kind, "terminal");
  const svg = diagramSvg(d);
  assert.ok(svg.includes("demo.&lt;m&gt;") && !svg.includes("demo.<m>"));
  assert.ok(svg.includes("x&lt;y"));
  assert.ok(svg.includes("in every phase: any input stays  PD-5 (stay)"));
});

Deno.test("PD-175: arrows into a busy phase that cross layers point at a dashed copy of it", () => {
  // a -> b -> c -> d -> e -> sink, and every one of them also -> sink directly.
  const chain = ["a", "b", "c", "d", "e"];
  const d = machineDiagram({
    name: "busy",
    transitions: [
      ...chain.slice(0, -1).map((p, i) => t(p, "next", chain[i + 1], ["PD-1"])),
      ...chain.map((p) => t(p, "abort", "sink", ["PD-2"])),
    ],
  });
  const { diagram, layout } = layoutWithCopies(d);
  const copies = diagram.nodes.filter((n) => n.copyOf === "sink");
  assert.ok(copies.length >= 2);
  diagram.edges.forEach((e, i) => {
    if (e.to === "sink") {
      assert.equal(layout.edges[i].span, 1, "the arrows left into sink are short");
    }
  });
  const svg = diagramSvg(d);
  assert.ok(svg.includes(`data-copy-of="sink"`));
});
