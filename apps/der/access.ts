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
import { CONTROLLABLE, type DataTree, type Leaf, type WriteContext } from "./data_tree.ts";
import { parseReference } from "./references.ts";
import type { DerState } from "./state.ts";
import { hasType, inRange } from "./values.ts";

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

type Located = { readonly leaves: readonly Leaf[]; readonly depth: number } | DataAccessError;

const located = new WeakMap<DataTree, Map<string, Located>>();

/** {@link findLeaves}, remembered per tree (data sets are read after every step). */
function locate(tree: DataTree, ref: DataReference): Located {
  let cache = located.get(tree);
  if (!cache) located.set(tree, cache = new Map());
  const key = `${ref.fc}|${ref.ref}`;
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
  return leaves.length === 0 ? "object-non-existent" : { leaves, depth: r.path.length };
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

function assemble(s: DerState, leaves: readonly Leaf[], depth: number): MmsData {
  if (leaves.length === 1 && leaves[0].path.length === depth) return leaves[0].read(s);
  return {
    type: "structure",
    members: children(leaves, depth).map((g) => assemble(s, g, depth + 1)),
  };
}

/** Reads one item: its value, or the DataAccessError MMS would give. */
export function readItem(
  tree: DataTree,
  s: DerState,
  ref: DataReference,
): MmsData | DataAccessError {
  const found = locate(tree, ref);
  return typeof found === "string" ? found : assemble(s, found.leaves, found.depth);
}

/** Pairs each leaf below `depth` with its part of a structured value. */
function pairs(
  leaves: readonly Leaf[],
  depth: number,
  value: MmsData,
  out: [Leaf, MmsData][],
): boolean {
  if (leaves.length === 1 && leaves[0].path.length === depth) {
    out.push([leaves[0], value]);
    return true;
  }
  const groups = children(leaves, depth);
  if (value.type !== "structure" || value.members.length !== groups.length) return false;
  return groups.every((g, i) => pairs(g, depth + 1, value.members[i], out));
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
  if (!pairs(found.leaves, found.depth, value, items)) return "type-inconsistent";
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
