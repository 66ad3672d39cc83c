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
import type { VectorFile, VectorTest } from "../../core/vectors.ts";
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import { checkTranscript } from "../iut/transcript.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

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
      (t) => checkTranscript(iut, "disco.requester", t.config as JsonObject, t),
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
