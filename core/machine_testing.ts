/**
 * Test helpers for machines: the reusable fast-check property of DESIGN.md §2.
 * Imported by tests only.
 *
 * @module
 */
import fc from "fast-check";
import { CoreError } from "./errors.ts";
import { inputType, type Machine, matchTransition, type Phased, type Typed } from "./machine.ts";

/** Inputs that no machine accepts: wrong shapes, unknown types, hostile values. */
export function garbageInput(): fc.Arbitrary<Typed> {
  return fc.oneof(
    fc.record({ type: fc.string({ maxLength: 12 }) }),
    fc.record({ type: fc.string({ maxLength: 12 }), data: fc.uint8Array({ maxLength: 64 }) }),
    fc.anything({ maxDepth: 2 }) as fc.Arbitrary<unknown> as fc.Arbitrary<Typed>,
  );
}

export interface TotalityOptions<C, I> {
  readonly config: fc.Arbitrary<C>;
  /** Well-formed inputs of the machine; garbage is mixed in by the property. */
  readonly input: fc.Arbitrary<I>;
  readonly maxSteps?: number;
  readonly numRuns?: number;
  readonly seed?: number;
}

/**
 * For any config and any sequence of inputs (well-formed ones mixed with
 * garbage) `step` never throws, never reports `core/internal`, every phase is
 * declared and every step follows a declared transition.
 */
export function assertMachineTotal<C, S extends Phased, I extends Typed, O>(
  machine: Machine<C, S, I, O>,
  options: TotalityOptions<C, I>,
): void {
  const phases = new Set(machine.phases);
  const inputs = fc.array(fc.oneof({ arbitrary: options.input, weight: 3 }, garbageInput()), {
    maxLength: options.maxSteps ?? 40,
  });
  fc.assert(
    fc.property(options.config, inputs, (config, seq) => {
      let state = machine.init(config);
      if (!phases.has(state.phase)) throw new Error(`init phase ${state.phase} undeclared`);
      for (const input of seq) {
        const from = state.phase;
        const { state: next, out } = machine.step(state, input as I);
        if (!phases.has(next.phase)) throw new Error(`undeclared phase ${next.phase}`);
        if (!matchTransition(machine.transitions, from, inputType(input), next.phase)) {
          throw new Error(`undeclared step ${from} --${inputType(input)}--> ${next.phase}`);
        }
        for (const o of out) {
          if ((o as { code?: string }).code === CoreError.internal) {
            throw new Error(`internal error output: ${JSON.stringify(o)}`);
          }
        }
        state = next;
      }
    }),
    { numRuns: options.numRuns ?? 200, seed: options.seed },
  );
}
