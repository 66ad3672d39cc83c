/**
 * The machine contract (DESIGN.md §2).
 *
 * Every protocol role is a pure, sans-IO state machine: `step(state, input)`
 * returns the next state and a list of outputs, never performs I/O, never
 * reads a clock or global randomness, and never throws — bad input yields an
 * error output and a defined state. The declared `transitions` table is data:
 * tests check that every step follows a declared edge, the docs draw it, and
 * conformance reports which edges a run covered.
 *
 * @module
 */
import type { RequirementId } from "./spec.ts";
import { CoreError, DerlinkError, type ErrorCode } from "./errors.ts";

/** Wildcard for `from` (any phase) or `on` (any input type) in a transition. */
export const ANY = "*";

/** One declared edge: in phase `from`, input `on` may lead to phase `to`. */
export interface Transition {
  readonly from: string;
  readonly on: string;
  readonly to: string;
  /** The requirement IDs this edge implements. */
  readonly spec: readonly RequirementId[];
  /** A few words for diagrams and reports. */
  readonly note?: string;
}

/** States are plain readonly objects discriminated by `phase`. */
export interface Phased {
  readonly phase: string;
}

/** Inputs are plain objects discriminated by `type`. */
export interface Typed {
  readonly type: string;
}

/** What one step returns. */
export interface StepResult<S, O> {
  readonly state: S;
  readonly out: readonly O[];
}

/** A protocol role as a pure machine. */
export interface Machine<C, S extends Phased, I extends Typed, O> {
  /** Dotted name, for example `xmpp-stream.initiator`. */
  readonly name: string;
  /** Every phase a state may be in. */
  readonly phases: readonly string[];
  readonly transitions: readonly Transition[];
  init(config: C): S;
  step(state: S, input: I): StepResult<S, O>;
}

/** The error output every machine uses to report a refused input. */
export interface ErrorOutput {
  readonly type: "error";
  readonly code: ErrorCode;
  readonly detail: string;
}

/** Builds an {@link ErrorOutput}. */
export const errorOutput = (code: ErrorCode, detail = ""): ErrorOutput => ({
  type: "error",
  code,
  detail,
});

/** The type tag of an input, or `"?"` for something that is not an object with a string `type`. */
export function inputType(input: unknown): string {
  if (typeof input === "object" && input !== null && "type" in input) {
    const t = (input as { type: unknown }).type;
    if (typeof t === "string") return t;
  }
  return "?";
}

/** The declared transition that matches an observed step, if any. */
export function matchTransition(
  transitions: readonly Transition[],
  from: string,
  on: string,
  to: string,
): Transition | undefined {
  // Exact edges win over wildcard ones so coverage names the precise rule.
  let wildcard: Transition | undefined;
  for (const t of transitions) {
    if (t.to !== to) continue;
    const fromOk = t.from === from || t.from === ANY;
    const onOk = t.on === on || t.on === ANY;
    if (!fromOk || !onOk) continue;
    if (t.from !== ANY && t.on !== ANY) return t;
    wildcard ??= t;
  }
  return wildcard;
}

/** A stable key for an edge, for coverage sets. */
export const edgeKey = (t: Transition): string => `${t.from} --${t.on}--> ${t.to}`;

/** One observed step, as recorded by {@link runChecked}. */
export interface TraceEntry<I, O> {
  readonly from: string;
  readonly input: I;
  readonly to: string;
  readonly out: readonly O[];
  readonly edge: Transition;
}

/**
 * Drives a machine through inputs, failing (throwing `core/internal`) if a
 * step throws, lands in an undeclared phase, or follows no declared edge.
 * Used by every machine's tests and by the conformance runner.
 */
// spec: DL-MACHINE-2
export function runChecked<C, S extends Phased, I extends Typed, O>(
  machine: Machine<C, S, I, O>,
  start: S,
  inputs: Iterable<I>,
): { state: S; trace: TraceEntry<I, O>[] } {
  const phases = new Set(machine.phases);
  let state = start;
  const trace: TraceEntry<I, O>[] = [];
  for (const input of inputs) {
    const from = state.phase;
    const next = machine.step(state, input);
    const to = next.state.phase;
    if (!phases.has(to)) {
      throw new DerlinkError(CoreError.internal, `${machine.name}: undeclared phase ${to}`);
    }
    const edge = matchTransition(machine.transitions, from, inputType(input), to);
    if (!edge) {
      throw new DerlinkError(
        CoreError.internal,
        `${machine.name}: step ${from} --${inputType(input)}--> ${to} is not declared`,
      );
    }
    trace.push({ from, input, to, out: next.out, edge });
    state = next.state;
  }
  return { state, trace };
}

/**
 * Wraps a step function so that an unexpected exception becomes an error
 * output and a move to `failedPhase` instead of escaping the machine. A
 * `core/internal` output always means a bug; property tests assert it never
 * appears.
 */
// spec: DL-MACHINE-1
export function totalStep<S extends Phased, I, O>(
  step: (state: S, input: I) => StepResult<S, O>,
  fail: (state: S, error: ErrorOutput) => StepResult<S, O>,
): (state: S, input: I) => StepResult<S, O> {
  return (state, input) => {
    try {
      return step(state, input);
    } catch (e) {
      const code = e instanceof DerlinkError ? e.code : CoreError.internal;
      const detail = e instanceof Error ? e.message : String(e);
      return fail(state, errorOutput(code, detail));
    }
  };
}
