/**
 * Checkers for the service discovery vectors (`vectors/disco/*.json`, schema
 * `disco.schema.json`): `disco-requester` replays a transcript through the
 * IUT's `disco.requester` machine and compares the final phase and the last
 * input's outputs (an invalid case must end in its error code);
 * `disco-responder` compares the answer of the IUT's `disco.respond` to a
 * request with the expected XML.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorFile, VectorTest } from "../../core/vectors.ts";
import { edgesOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

async function checkRequester(iut: IutBackend, test: VectorTest): Promise<CaseOutcome> {
  const expected = { phase: test.phase, outputs: test.outputs };
  const replies: StepReply[] = [await iut.init("disco.requester", test.config as JsonObject)];
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

async function checkResponder(
  iut: IutBackend,
  test: VectorTest,
  file: VectorFile,
): Promise<CaseOutcome> {
  const entities = (file as unknown as { entities?: Record<string, JsonObject> }).entities ?? {};
  const entity = entities[test.entity as string];
  if (!entity) return { verdict: "fail", message: `no entity ${String(test.entity)} in the file` };
  const r = await iut.call("disco.respond", { entity, request: test.request as string });
  if (!r.ok) {
    return { verdict: "fail", expected: test.answer, observed: r.code, message: "refused" };
  }
  const observed = r.result.answer;
  return observed === test.answer
    ? { verdict: "pass", expected: test.answer, observed }
    : { verdict: "fail", expected: test.answer, observed, message: "answer differs" };
}

/** The disco checkers, run against `iut`. */
export function discoCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "disco-requester",
      () => ({ machines: ["disco.requester"] }),
      (t) => checkRequester(iut, t),
    ),
    protocolChecker(
      iut,
      "disco-responder",
      () => ({ functions: ["disco.respond"] }),
      (t, _g, f) => checkResponder(iut, t, f),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = discoCheckers(reference);
