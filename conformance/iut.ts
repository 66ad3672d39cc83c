/**
 * The implementation under test (IUT), as the conformance runner sees it.
 *
 * An IUT is whatever can run vector cases: the reference implementation in
 * this process (the default), or a program in any language speaking the
 * stdio protocol (DESIGN.md §5, `--iut CMD`, `iut/stdio_iut.ts`). Both get
 * the same checkers from `conformance/suites/index.ts`, pointed at a
 * different protocol-level backend.
 *
 * @module
 */
import { CoreError, DerlinkError } from "../core/errors.ts";
import type { Transition } from "../core/machine.ts";
import type { GroupChecker } from "./suite.ts";
import { checkers as referenceCheckers, machines as referenceMachines } from "./suites/index.ts";

/** A machine's name and declared edges, for transition coverage. */
export interface MachineDescription {
  readonly name: string;
  readonly transitions: readonly Transition[];
}

/** An implementation under test. */
export interface Iut {
  /** Shown in every report, e.g. "derlink reference (in-process)". */
  readonly name: string;
  /** The checkers this IUT can run, at most one per group type. */
  readonly checkers: readonly GroupChecker[];
  /** Machines whose declared transitions coverage is measured against. */
  readonly machines: readonly MachineDescription[];
  /** What the IUT declared about itself (an out-of-process IUT's hello and command), for the report. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Releases what the IUT holds (a child process, for instance). */
  close?(): Promise<void>;
}

/** The reference implementation, in process. */
export function referenceIut(): Iut {
  return {
    name: "derlink reference (in-process)",
    checkers: referenceCheckers,
    machines: referenceMachines,
  };
}

/** Indexes checkers by group type; two checkers claiming one type is a bug of the registry. */
export function checkerRegistry(checkers: readonly GroupChecker[]): Map<string, GroupChecker> {
  const registry = new Map<string, GroupChecker>();
  for (const c of checkers) {
    if (registry.has(c.groupType)) {
      throw new DerlinkError(
        CoreError["invalid-argument"],
        `two checkers for group type ${c.groupType}`,
      );
    }
    registry.set(c.groupType, c);
  }
  return registry;
}
