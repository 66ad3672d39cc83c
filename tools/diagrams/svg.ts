/**
 * Draws a {@link MachineDiagram} as a standalone SVG document: phases as
 * boxes, declared edges as arrows labelled with the input and the
 * requirement IDs, self-loops beside their box, rules of every phase as
 * lines under the picture, notes as tooltips (`<title>`).
 *
 * Text is monospaced so its width can be computed here without a browser
 * (CHAR_WIDTH is DejaVu Sans Mono's advance at 12 px, rounded up); the
 * browser test checks in Chromium that every text fits its box. Presentation
 * is in attributes, not CSS, so the file looks the same inline in a page and
 * as an `<img>` in Markdown. Classes and `data-` attributes name every part
 * for the tests.
 *
 * @module
 */
import { ANY } from "../../core/machine.ts";
import { esc } from "../../conformance/html.ts";
import type { DiagramNode, EdgeLine, EveryPhaseRule, MachineDiagram } from "./graph.ts";
import { type Box, layeredLayout, type Layout, type Point } from "./layout.ts";

export const FONT_SIZE = 12;
export const CHAR_WIDTH = 7.3;
const LINE_HEIGHT = 15;
const FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";
const BOX_HEIGHT = 26;
const BOX_PAD = 10;
const LABEL_PAD = 4;
const START_SIZE = 12;
const LOOP_WIDTH = 26;
const TITLE_HEIGHT = 28;
const MARGIN = 12;

const COLORS = {
  phase: { fill: "#e8f1fb", stroke: "#3465a4", text: "#1c2833" },
  terminal: { fill: "#eeeeec", stroke: "#555753", text: "#2e3436" },
  any: { fill: "#ffffff", stroke: "#888a85", text: "#555753" },
  edge: "#3d3d3d",
  anyEdge: "#888a85",
  ids: "#1a5fb4",
};

const textWidth = (s: string) => s.length * CHAR_WIDTH;
const num = (x: number) => String(Math.round(x * 10) / 10);

/** The input as a label shows it. */
const inputName = (on: string) => on === ANY ? "any input" : on;
const lineText = (l: EdgeLine) => `${inputName(l.on)} ${l.spec.join(" ")}`;

function labelSize(lines: readonly EdgeLine[]): { width: number; height: number } {
  if (!lines.length) return { width: 0, height: 0 };
  return {
    width: Math.max(...lines.map((l) => textWidth(lineText(l)))) + 2 * LABEL_PAD,
    height: lines.length * LINE_HEIGHT + 2 * LABEL_PAD,
  };
}

function boxSize(n: DiagramNode): { width: number; height: number } {
  if (n.kind === "start") return { width: START_SIZE, height: START_SIZE };
  return { width: textWidth(n.label) + 2 * BOX_PAD, height: BOX_HEIGHT };
}

/** A label: one `<text>` per line, input in bold, requirement IDs in blue, on a white ground. */
function labelSvg(lines: readonly EdgeLine[], at: Box): string {
  const texts = lines.map((l, k) => {
    const y = at.y + LABEL_PAD + k * LINE_HEIGHT + LINE_HEIGHT / 2;
    return `<text x="${num(at.x + LABEL_PAD)}" y="${num(y)}" dominant-baseline="central">` +
      `<tspan font-weight="bold">${esc(inputName(l.on))}</tspan> ` +
      `<tspan fill="${COLORS.ids}">${esc(l.spec.join(" "))}</tspan></text>`;
  }).join("");
  return `<g class="label"><rect x="${num(at.x)}" y="${num(at.y)}" width="${num(at.width)}" ` +
    `height="${num(at.height)}" rx="3" fill="#ffffff" fill-opacity="0.92"/>${texts}</g>`;
}

const tooltip = (from: string, to: string, lines: readonly EdgeLine[]) =>
  `<title>${
    esc(
      lines.map((l) =>
        `${from} --${inputName(l.on)}--> ${to} [${l.spec.join(" ")}]${l.note ? `: ${l.note}` : ""}`
      ).join("\n"),
    )
  }</title>`;

/** A smooth path through the route: vertical segments straight, row changes as S-curves. */
export function pathData(points: readonly Point[]): string {
  let d = `M${num(points[0].x)},${num(points[0].y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1], q = points[i];
    if (Math.abs(p.x - q.x) < 0.05) d += ` L${num(q.x)},${num(q.y)}`;
    else {
      const my = (p.y + q.y) / 2;
      d += ` C${num(p.x)},${num(my)} ${num(q.x)},${num(my)} ${num(q.x)},${num(q.y)}`;
    }
  }
  return d;
}

function nodeSvg(n: DiagramNode, b: Box, initial: boolean, marker: string): string {
  const phase = n.kind === "phase" || n.kind === "terminal" ? ` data-phase="${esc(n.label)}"` : "";
  const copy = n.copyOf !== undefined ? ` data-copy-of="${esc(n.copyOf)}"` : "";
  const attrs = `class="node" data-id="${esc(n.id)}" data-kind="${n.kind}"${phase}${copy}`;
  if (n.kind === "start") {
    const r = b.width / 2;
    return `<g ${attrs}><title>start</title><circle cx="${num(b.x + r)}" cy="${num(b.y + r)}" ` +
      `r="${num(r)}" fill="${COLORS.edge}"/></g>`;
  }
  const c = COLORS[n.kind];
  const dash = n.kind === "any" || n.copyOf !== undefined ? ` stroke-dasharray="4 3"` : "";
  const title = n.copyOf !== undefined
    ? `<title>${esc(`${n.copyOf} (drawn again to keep the arrow short)`)}</title>`
    : "";
  let out = `<g ${attrs}>${title}<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.width)}" ` +
    `height="${num(b.height)}" rx="6" fill="${c.fill}" stroke="${c.stroke}" ` +
    `stroke-width="${initial ? 2.2 : 1.2}"${dash}/>` +
    `<text x="${num(b.x + b.width / 2)}" y="${num(b.y + b.height / 2)}" text-anchor="middle" ` +
    `dominant-baseline="central" fill="${c.text}"${
      n.kind === "any" ? ` font-style="italic"` : ""
    }>${esc(n.label)}</text></g>`;
  if (n.loops.length) {
    const right = b.x + b.width, cy = b.y + b.height / 2;
    const loop = `M${num(right)},${num(cy - 6)} C${num(right + LOOP_WIDTH)},${num(cy - 20)} ` +
      `${num(right + LOOP_WIDTH)},${num(cy + 20)} ${num(right + 1)},${num(cy + 6)}`;
    const size = labelSize(n.loops);
    out += `<g class="edge loop" data-from="${esc(n.id)}" data-to="${esc(n.id)}">` +
      tooltip(n.id, n.id, n.loops) +
      `<path d="${loop}" fill="none" stroke="${COLORS.edge}" stroke-width="1.2" ` +
      `marker-end="url(#${marker})"/>` +
      labelSvg(n.loops, {
        x: right + LOOP_WIDTH,
        y: cy - size.height / 2,
        width: size.width,
        height: size.height,
      }) + `</g>`;
  }
  return out;
}

function ruleText(r: EveryPhaseRule): string {
  const where = r.from === ANY ? "in every phase" : `in ${r.from}`;
  const to = r.to === null ? "stays" : r.to === ANY ? "→ any phase" : `→ ${r.to}`;
  return `${where}: ${inputName(r.line.on)} ${to}  ${r.line.spec.join(" ")}${
    r.line.note ? ` (${r.line.note})` : ""
  }`;
}

/** A stable, XML-safe id prefix for one diagram's markers. */
const idPrefix = (name: string) => `d-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/** A phase with at least this many arrows in gets a copy for each arrow that crosses layers. */
const BUSY_TARGET = 4;

/**
 * Lays the diagram out; then each arrow into a busy phase that would cross
 * more than one layer points at a copy of that phase drawn just below its
 * source instead, and the graph is laid out again (PD-175). A copy is drawn
 * like the phase, dashed, and names the phase.
 */
export function layoutWithCopies(d: MachineDiagram): { diagram: MachineDiagram; layout: Layout } {
  const first = layoutOf(d);
  const kinds = new Map(d.nodes.map((n) => [n.id, n.kind]));
  const inDegree = new Map<string, number>();
  for (const e of d.edges) {
    if (kinds.get(e.from) !== "start") {
      inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
    }
  }
  const copies: DiagramNode[] = [];
  const edges = d.edges.map((e, i) => {
    const kind = kinds.get(e.to);
    const long = first.edges[i].span > 1;
    if (!long || (kind !== "phase" && kind !== "terminal") || kinds.get(e.from) === "start") {
      return e;
    }
    if ((inDegree.get(e.to) ?? 0) < BUSY_TARGET) return e;
    const id = `${e.to} (copy ${copies.length + 1})`;
    copies.push({ id, label: e.to, kind: kind, loops: [], copyOf: e.to });
    return { ...e, to: id };
  });
  if (!copies.length) return { diagram: d, layout: first };
  const diagram = { ...d, nodes: [...d.nodes, ...copies], edges };
  return { diagram, layout: layoutOf(diagram) };
}

function layoutOf(d: MachineDiagram): Layout {
  const specs = d.nodes.map((n) => {
    const box = boxSize(n);
    const loops = labelSize(n.loops);
    return {
      id: n.id,
      ...box,
      side: n.loops.length ? LOOP_WIDTH + loops.width + 4 : 0,
      sideHeight: loops.height,
    };
  });
  const edgeSpecs = d.edges.map((e) => {
    const s = labelSize(e.lines);
    return { from: e.from, to: e.to, labelWidth: s.width, labelHeight: s.height };
  });
  return layeredLayout(specs, edgeSpecs);
}

// spec: DL-SITE-1 PD-175
/** The diagram as a standalone SVG document (no XML declaration, so it also inlines into HTML). */
export function diagramSvg(source: MachineDiagram): string {
  const { diagram: d, layout } = layoutWithCopies(source);
  const rules = d.everyPhase.map(ruleText);
  const title = `${d.name}: ${d.phases.length} phases, ${d.declared} declared transitions`;
  const width = Math.ceil(
    Math.max(layout.width, ...[title, ...rules].map((t) => textWidth(t) + 2 * MARGIN)),
  );
  const rulesHeight = rules.length ? rules.length * LINE_HEIGHT + MARGIN : 0;
  const height = Math.ceil(TITLE_HEIGHT + layout.height + rulesHeight);
  const marker = `${idPrefix(d.name)}-arrow`;
  const markerAny = `${idPrefix(d.name)}-arrow-any`;
  const kinds = new Map(d.nodes.map((n) => [n.id, n.kind]));

  const edges = d.edges.map((e, i) => {
    const route = layout.edges[i];
    const fromAny = kinds.get(e.from) === "any";
    const colour = fromAny ? COLORS.anyEdge : COLORS.edge;
    return `<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}">` +
      (e.lines.length ? tooltip(fromAny ? "*" : e.from, e.to, e.lines) : "") +
      `<path d="${pathData(route.points)}" fill="none" stroke="${colour}" stroke-width="1.2"${
        fromAny ? ` stroke-dasharray="4 3"` : ""
      } marker-end="url(#${fromAny ? markerAny : marker})"/>` +
      (route.label ? labelSvg(e.lines, route.label) : "") + `</g>`;
  }).join("\n");
  const nodes = d.nodes.map((n, i) => nodeSvg(n, layout.nodes[i], n.id === d.initial, marker))
    .join("\n");
  const ruleLines = rules.map((t, k) =>
    `<text class="rule" x="${MARGIN}" y="${
      num(TITLE_HEIGHT + layout.height + k * LINE_HEIGHT + LINE_HEIGHT / 2)
    }" dominant-baseline="central" fill="#2e3436">${esc(t)}</text>`
  ).join("\n");
  const arrow = (id: string, colour: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" ` +
    `orient="auto-start-reverse"><path d="M0,1 L9,5 L0,9 z" fill="${colour}"/></marker>`;

  return `<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" data-machine="${
    esc(d.name)
  }" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" ` +
    `font-size="${FONT_SIZE}" role="img" aria-label="${esc(`State diagram of ${d.name}`)}">
<defs>${arrow(marker, COLORS.edge)}${arrow(markerAny, COLORS.anyEdge)}</defs>
<rect width="${width}" height="${height}" fill="#ffffff"/>
<text class="title" x="${MARGIN}" y="${
      TITLE_HEIGHT / 2 + 2
    }" dominant-baseline="central" font-weight="bold" fill="#1c2833">${esc(title)}</text>
<g transform="translate(0 ${TITLE_HEIGHT})">
${edges}
${nodes}
</g>
${ruleLines}
</svg>
`;
}
