/**
 * GetNameList over the data tree, as the ACSI directory services map onto
 * MMS (ACSI-NL1): the server's logical devices, the logical nodes of a
 * device, the data objects of a node. Names come sorted in code-point order,
 * at most `page` per answer; `continueAfter` resumes after the given name
 * (which need not exist), and `moreFollows` says whether names remain.
 *
 * @module
 */
import type { DataAccessError, NameListScope } from "../../state-machines/association/services.ts";
import type { DataTree } from "./data_tree.ts";
import { parseReference } from "./references.ts";

export interface NameListPage {
  readonly names: readonly string[];
  readonly moreFollows: boolean;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function namesIn(tree: DataTree, scope: NameListScope): readonly string[] | DataAccessError {
  switch (scope.objectClass) {
    case "logical-device":
      return [tree.ld];
    case "logical-node":
      return scope.logicalDevice === tree.ld ? tree.lns : "object-non-existent";
    case "data": {
      const r = parseReference(scope.logicalNode);
      if (!r || r.path.length > 0) return "invalid-address";
      if (r.ld !== tree.ld) return "object-non-existent";
      return tree.dataObjects.get(r.ln) ?? "object-non-existent";
    }
    default:
      return "object-non-existent";
  }
}

/** One page of names, or the error the whole request gets. */
// spec: ACSI-NL1
export function getNameList(
  tree: DataTree,
  scope: NameListScope,
  continueAfter: string | undefined,
  page: number,
): NameListPage | DataAccessError {
  const all = namesIn(tree, scope);
  if (typeof all === "string") return all;
  const sorted = [...all].sort(byCodePoint);
  const rest = continueAfter === undefined ? sorted : sorted.filter((n) => n > continueAfter);
  return { names: rest.slice(0, page), moreFollows: rest.length > page };
}
