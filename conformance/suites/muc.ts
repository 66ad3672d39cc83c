/**
 * Checker for the MUC room machine vectors (`vectors/muc/*.json`, schema
 * `muc.schema.json`): `muc-room` replays a transcript through the room
 * machine with declared-edge checking and compares the final phase and the
 * last input's outputs; an invalid case must end in its error code.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorTest } from "../../core/vectors.ts";
import type { RoomConfig } from "../../state-machines/muc/types.ts";
import { runTranscript, type VectorInput } from "../../state-machines/muc/vectors.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

function checkRoom(test: VectorTest): CaseOutcome {
  const expected = { phase: test.phase, outputs: test.outputs };
  let run;
  try {
    run = runTranscript(test.config as RoomConfig, test.inputs as VectorInput[]);
  } catch (e) {
    return {
      verdict: "fail",
      expected,
      observed: String(e),
      message: "the transcript did not run",
    };
  }
  const observed = { phase: run.state.phase, outputs: run.last };
  if (test.result === "invalid") {
    const refused = run.last.some((o) => "error" in o && o.error === test.error);
    if (!refused) {
      return {
        verdict: "fail",
        expected: test.error,
        observed,
        message: "not refused with the expected code",
        edges: run.edges,
      };
    }
  }
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed, edges: run.edges }
    : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges: run.edges };
}

export const checkers: readonly GroupChecker[] = [{ groupType: "muc-room", check: checkRoom }];
