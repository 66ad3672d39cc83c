/**
 * Checkers for the service discovery vectors (`vectors/disco/*.json`, schema
 * `disco.schema.json`): `disco-requester` replays a transcript through the
 * requester machine with declared-edge checking and compares the final phase
 * and the last input's outputs (an invalid case must end in its error code);
 * `disco-responder` compares the responder's answer to a request with the
 * expected XML.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorFile, VectorTest } from "../../core/vectors.ts";
import type { DiscoEntity } from "../../state-machines/disco/responder.ts";
import type { RequesterConfig } from "../../state-machines/disco/types.ts";
import {
  type RequesterVectorInput,
  runRequester,
  runResponder,
} from "../../state-machines/disco/vectors.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

function checkRequester(test: VectorTest): CaseOutcome {
  const expected = { phase: test.phase, outputs: test.outputs };
  let run;
  try {
    run = runRequester(test.config as RequesterConfig, test.inputs as RequesterVectorInput[]);
  } catch (e) {
    return {
      verdict: "fail",
      expected,
      observed: String(e),
      message: "the transcript did not run",
    };
  }
  const observed = { phase: run.state.phase, outputs: run.last };
  if (test.result === "invalid" && !run.last.some((o) => o.error === test.error)) {
    return {
      verdict: "fail",
      expected: test.error,
      observed,
      message: "not refused with the expected code",
      edges: run.edges,
    };
  }
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed, edges: run.edges }
    : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges: run.edges };
}

function checkResponder(test: VectorTest, _group: unknown, file: VectorFile): CaseOutcome {
  const entities = (file as unknown as { entities?: Record<string, DiscoEntity> }).entities ?? {};
  const entity = entities[test.entity as string];
  if (!entity) return { verdict: "fail", message: `no entity ${String(test.entity)} in the file` };
  let observed: string | null;
  try {
    observed = runResponder(entity, test.request as string);
  } catch (e) {
    return { verdict: "fail", expected: test.answer, observed: String(e), message: "threw" };
  }
  return observed === test.answer
    ? { verdict: "pass", expected: test.answer, observed }
    : { verdict: "fail", expected: test.answer, observed, message: "answer differs" };
}

export const checkers: readonly GroupChecker[] = [
  { groupType: "disco-requester", check: checkRequester },
  { groupType: "disco-responder", check: checkResponder },
];
