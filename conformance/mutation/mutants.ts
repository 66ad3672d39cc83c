/**
 * The mutant list the conformance command runs: every area's deliberate
 * bugs in one array. A unit test checks that each snippet still occurs
 * exactly once in the tree, so the list cannot rot silently (PD-171).
 *
 * @module
 */
import type { Mutant } from "./types.ts";
import { primitiveMutants } from "./mutants_primitives.ts";
import { protocolMutants } from "./mutants_protocols.ts";

export const MUTANTS: readonly Mutant[] = [...protocolMutants, ...primitiveMutants];
