/**
 * Read and write of data attributes through the data tree (PD-196), with the
 * IEC 61850 functional-constraint rules as MMS sees them: the FC is part of
 * the name, so a known path under another FC does not exist; only settings
 * (SP) are writable, everything else that exists is read-only; controls
 * (CO) are reached through the control services only. A reference may name a
 * leaf or anything above it (DA, DO, LN): reading it gives a structure of the
 * leaves below with that FC, in model order, and writing it takes the same
 * structure, all or nothing.
 *
 * @module
 */
import type {
  DataAccessError,
  DataReference,
  MmsData,
} from "../../state-machines/association/services.ts";
import {
  CONTROLLABLE,
  type DataTree,
  type Leaf,
  type TreeSchema,
  type WriteContext,
} from "./data_tree.ts";
import { MAX_REFERENCE, parseReference } from "./references.ts";
import type { DerState } from "./state.ts";
import { hasType, inRange } from "./values.ts";

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/**
 * How the leaves a reference names make up its value: one leaf, or a
 * structure whose members group the leaves by their name one level down,
 * in model order.
 */
export type Shape = { readonly leaf: Leaf } | { readonly members: readonly Shape[] };

/** The leaves a reference names, at which depth, and the shape of their value. */
export type Located =
  | { readonly leaves: readonly Leaf[]; readonly depth: number; readonly shape: Shape }
  | DataAccessError;

/** Per shared table: LD-relative `fc|LN.DO…` → what it names (the same for every DER of the shape). */
const located = new WeakMap<TreeSchema, Map<string, Located>>();

/**
 * {@link findLeaves}, remembered per shared table (data sets are read after
 * every step). Below the LD the answer does not depend on which DER asks, so
 * a reference `LD/rest` of this tree's LD is remembered by `rest`; anything
 * else (another LD, too long, malformed before the slash) is worked out each
 * time.
 */
export function locate(tree: DataTree, ref: DataReference): Located {
  const text = ref.ref, ld = tree.ld;
  const mine = tree.plainLd && typeof text === "string" && text.length <= MAX_REFERENCE &&
    text.length > ld.length && text.charCodeAt(ld.length) === 47 && text.startsWith(ld);
  if (!mine) return findLeaves(tree, ref);
  let cache = located.get(tree.schema);
  if (!cache) located.set(tree.schema, cache = new Map());
  const key = `${ref.fc}|${text.slice(ld.length + 1)}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = findLeaves(tree, ref);
    if (cache.size < 4096) cache.set(key, hit);
  }
  return hit;
}

/** Finds the leaves a reference names under its FC, or why there are none. */
// spec: ACSI-FC1 PD-196
function findLeaves(tree: DataTree, ref: DataReference): Located {
  const r = parseReference(ref.ref);
  if (!r) return "invalid-address";
  if (r.ld !== tree.ld) return "object-non-existent";
  if (ref.fc === "CO") {
    const controllable = r.path.length >= 1 && CONTROLLABLE.has(`${r.ln}.${r.path[0]}`);
    return controllable ? "object-access-denied" : "object-non-existent";
  }
  const leaves = tree.leaves.filter((l) =>
    l.ln === r.ln && l.fc === ref.fc && startsWith(l.path, r.path)
  );
  if (leaves.length === 0) return "object-non-existent";
  const depth = r.path.length;
  return { leaves, depth, shape: shapeOf(leaves, depth) };
}

/** Groups leaves by their name at `depth`, keeping model order. */
function children(leaves: readonly Leaf[], depth: number): Leaf[][] {
  const groups = new Map<string, Leaf[]>();
  for (const l of leaves) {
    const name = l.path[depth];
    const g = groups.get(name) ?? [];
    g.push(l);
    groups.set(name, g);
  }
  return [...groups.values()];
}

function shapeOf(leaves: readonly Leaf[], depth: number): Shape {
  if (leaves.length === 1 && leaves[0].path.length === depth) return { leaf: leaves[0] };
  return { members: children(leaves, depth).map((g) => shapeOf(g, depth + 1)) };
}

/** The value of a located reference in state `s`. */
export function readShape(s: DerState, shape: Shape): MmsData {
  if ("leaf" in shape) return shape.leaf.read(s);
  return { type: "structure", members: shape.members.map((m) => readShape(s, m)) };
}

/** Reads one item: its value, or the DataAccessError MMS would give. */
export function readItem(
  tree: DataTree,
  s: DerState,
  ref: DataReference,
): MmsData | DataAccessError {
  const found = locate(tree, ref);
  return typeof found === "string" ? found : readShape(s, found.shape);
}

/** Pairs each leaf of a shape with its part of a structured value. */
function pairs(shape: Shape, value: MmsData, out: [Leaf, MmsData][]): boolean {
  if ("leaf" in shape) {
    out.push([shape.leaf, value]);
    return true;
  }
  const members = shape.members;
  if (value.type !== "structure" || value.members.length !== members.length) return false;
  return members.every((m, i) => pairs(m, value.members[i], out));
}

/**
 * Writes one item. Type is checked before range, range before the setting's
 * own rules (which may refuse with object-access-denied or
 * object-value-invalid); a refused item changes nothing.
 */
// spec: ACSI-FC2 PD-196
export function writeItem(
  tree: DataTree,
  s: DerState,
  ref: DataReference,
  value: MmsData,
  ctx: WriteContext | undefined,
): DerState | DataAccessError {
  const found = locate(tree, ref);
  if (typeof found === "string") return found;
  if (ref.fc !== "SP" || found.leaves.some((l) => !l.write)) return "object-access-denied";
  // spec: PD-161
  if (!ctx) return "object-access-denied";
  const items: [Leaf, MmsData][] = [];
  if (!pairs(found.shape, value, items)) return "type-inconsistent";
  if (items.some(([l, v]) => !hasType(l.type, v))) return "type-inconsistent";
  if (items.some(([l, v]) => !inRange(l.type, v))) return "object-value-invalid";
  let next = s;
  for (const [l, v] of items) {
    const r = l.write!(next, v, ctx);
    if (typeof r === "string") return r;
    next = r;
  }
  return next;
}
