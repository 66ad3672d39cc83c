/**
 * The transcript check several areas share: replay a vector's inputs
 * through an IUT machine from its config, then compare the final phase and
 * the last input's outputs with the vector; an invalid case must also have
 * been refused with its error code.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorTest } from "../../core/vectors.ts";
import { edgesOf, type IutBackend } from "./backend.ts";
import type { JsonObject, StepReply } from "./protocol.ts";
import type { CaseOutcome } from "../suite.ts";

/** Runs `test.inputs` through `machine` initialised with `config` and judges the outcome. */
export async function checkTranscript(
  iut: IutBackend,
  machine: string,
  config: JsonObject,
  test: VectorTest,
): Promise<CaseOutcome> {
  const expected = { phase: test.phase, outputs: test.outputs };
  const replies: StepReply[] = [await iut.init(machine, config)];
  for (const input of test.inputs as JsonObject[]) replies.push(await iut.step(input));
  const last = replies.at(-1)!;
  const edges = edgesOf(replies);
  const observed = { phase: last.phase, outputs: replies.length > 1 ? last.out : [] };
  if (test.result === "invalid" && !observed.outputs.some((o) => o.error === test.error)) {
    return {
      verdict: "fail",
      expected: test.error,
      observed,
      message: "not refused with the expected code",
      edges,
    };
  }
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed, edges }
    : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges };
}
