/**
 * A machine's declared `transitions` table as a diagram graph (DESIGN.md §2:
 * "docs/ renders each machine as a diagram from it").
 *
 * Every declared edge ends up on the diagram (DL-SITE-1), in one of three
 * forms (PD-175):
 * - an arrow between two phases, one label line per declared edge between
 *   the same pair (input and requirement IDs);
 * - an edge from `*` (any phase) becomes an arrow from a dashed "any phase"
 *   box placed just above its target, one box per target, so a wildcard
 *   never draws long arrows across the whole picture;
 * - a rule declared in the same words (`on` `*`, same IDs, same note) as a
 *   self-loop of every phase becomes one line under the diagram instead of a
 *   loop on every box.
 * The first declared edge starts at the initial phase (the tables are
 * written that way); it gets the start marker.
 *
 * @module
 */
import { ANY, type Transition } from "../../core/machine.ts";

/** What the docs need of a machine: the registry's `MachineDescription`, plus phases when known. */
export interface DiagramSource {
  readonly name: string;
  readonly transitions: readonly Transition[];
  readonly phases?: readonly string[];
}

/** One declared edge as a label line. */
export interface EdgeLine {
  readonly on: string;
  readonly spec: readonly string[];
  readonly note?: string;
}

export type NodeKind = "phase" | "terminal" | "any" | "start";

export interface DiagramNode {
  readonly id: string;
  /** The text in the box: the phase name, "any phase", or "" for the start marker. */
  readonly label: string;
  readonly kind: NodeKind;
  /** Self-loop lines of a phase (empty for other kinds). */
  readonly loops: readonly EdgeLine[];
  /** Set on a second box of a phase, drawn to keep arrows into a busy phase short. */
  readonly copyOf?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly lines: readonly EdgeLine[];
}

/** A rule written under the diagram instead of drawn: usually one that holds in every phase. */
export interface EveryPhaseRule {
  /** The phase it applies in, or `*` for every phase. */
  readonly from: string;
  readonly line: EdgeLine;
  /** Where the input leads: null when it stays in the phase it came in, `*` for "any phase". */
  readonly to: string | null;
}

export interface MachineDiagram {
  readonly name: string;
  readonly initial: string;
  readonly phases: readonly string[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly everyPhase: readonly EveryPhaseRule[];
  /** How many declared transitions the diagram shows (all of them). */
  readonly declared: number;
}

/** Node id of the start marker and of the "any phase" box above `target`. */
export const START_ID = "(start)";
export const anyId = (target: string): string => `(any)→${target}`;

const lineKey = (l: EdgeLine) => `${l.on}\u0000${l.spec.join(" ")}\u0000${l.note ?? ""}`;

function pushUnique(list: EdgeLine[], line: EdgeLine): void {
  if (!list.some((l) => lineKey(l) === lineKey(line))) list.push(line);
}

/** The phases in order: declared ones first, then any endpoint the table names. */
function phasesOf(m: DiagramSource): string[] {
  const seen = new Set<string>(m.phases ?? []);
  const out = [...seen];
  for (const t of m.transitions) {
    for (const p of [t.from, t.to]) {
      if (p !== ANY && !seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

// spec: DL-SITE-1 PD-175
/** Builds the diagram graph of a machine from its declared transitions. */
export function machineDiagram(m: DiagramSource): MachineDiagram {
  const phases = phasesOf(m);
  const first = m.transitions.find((t) => t.from !== ANY);
  const initial = first?.from ?? phases[0] ?? "";
  const line = (t: Transition): EdgeLine => ({ on: t.on, spec: t.spec, note: t.note });

  // Self-loops on any input, declared once per phase with the same words, collapse into one rule.
  const everyPhase: EveryPhaseRule[] = [];
  const collapsed = new Set<Transition>();
  const stayRules = new Map<string, Transition[]>();
  for (const t of m.transitions) {
    if (t.on === ANY && t.from === t.to && t.from !== ANY) {
      const key = lineKey(line(t));
      stayRules.set(key, [...(stayRules.get(key) ?? []), t]);
    }
  }
  for (const group of stayRules.values()) {
    const covered = new Set(group.map((t) => t.from));
    if (phases.length > 1 && phases.every((p) => covered.has(p))) {
      everyPhase.push({ from: ANY, line: line(group[0]), to: null });
      for (const t of group) collapsed.add(t);
    }
  }

  const loops = new Map<string, EdgeLine[]>(phases.map((p) => [p, []]));
  const edges = new Map<string, { from: string; to: string; lines: EdgeLine[] }>();
  const anyTargets: string[] = [];
  const outgoing = new Set<string>();
  const addEdge = (from: string, to: string, l: EdgeLine) => {
    const key = `${from}\u0000${to}`;
    let e = edges.get(key);
    if (!e) edges.set(key, e = { from, to, lines: [] });
    pushUnique(e.lines, l);
  };
  for (const t of m.transitions) {
    if (collapsed.has(t)) continue;
    if (t.to === ANY) {
      // A declared edge into "any phase" has no single target: say it under the diagram.
      everyPhase.push({ from: t.from, line: line(t), to: ANY });
    } else if (t.from === ANY) {
      if (!anyTargets.includes(t.to)) anyTargets.push(t.to);
      addEdge(anyId(t.to), t.to, line(t));
    } else if (t.from === t.to) {
      pushUnique(loops.get(t.from)!, line(t));
    } else {
      outgoing.add(t.from);
      addEdge(t.from, t.to, line(t));
    }
  }

  const nodes: DiagramNode[] = [];
  if (initial) nodes.push({ id: START_ID, label: "", kind: "start", loops: [] });
  for (const p of phases) {
    nodes.push({
      id: p,
      label: p,
      kind: outgoing.has(p) ? "phase" : "terminal",
      loops: loops.get(p) ?? [],
    });
  }
  for (const target of anyTargets) {
    nodes.push({ id: anyId(target), label: "any phase", kind: "any", loops: [] });
  }
  const edgeList: DiagramEdge[] = [...edges.values()];
  if (initial) edgeList.unshift({ from: START_ID, to: initial, lines: [] });
  return {
    name: m.name,
    initial,
    phases,
    nodes,
    edges: edgeList,
    everyPhase,
    declared: m.transitions.length,
  };
}
