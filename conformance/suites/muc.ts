/**
 * Checker for the MUC room machine vectors (`vectors/muc/*.json`, schema
 * `muc.schema.json`): `muc-room` replays a transcript through the IUT's
 * `muc.room` machine and compares the final phase and the last input's
 * outputs; an invalid case must end in its error code.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorTest } from "../../core/vectors.ts";
import { edgesOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

async function checkRoom(iut: IutBackend, test: VectorTest): Promise<CaseOutcome> {
  const expected = { phase: test.phase, outputs: test.outputs };
  const replies: StepReply[] = [await iut.init("muc.room", test.config as JsonObject)];
  for (const input of test.inputs as JsonObject[]) replies.push(await iut.step(input));
  const last = replies.at(-1)!;
  const edges = edgesOf(replies);
  const observed = { phase: last.phase, outputs: replies.length > 1 ? last.out : [] };
  if (test.result === "invalid") {
    const refused = observed.outputs.some((o) => "error" in o && o.error === test.error);
    if (!refused) {
      return {
        verdict: "fail",
        expected: test.error,
        observed,
        message: "not refused with the expected code",
        edges,
      };
    }
  }
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed, edges }
    : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges };
}

/** The MUC checkers, run against `iut`. */
export function mucCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(iut, "muc-room", () => ({ machines: ["muc.room"] }), (t) => checkRoom(iut, t)),
  ];
}

export const checkers: readonly GroupChecker[] = mucCheckers(reference);
