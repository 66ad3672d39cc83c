/**
 * Checkers for the market vectors (`vectors/pubsub/*.json`, schema
 * `pubsub.schema.json`): `tariff-verify` calls the IUT's `tariff.verify`
 * with the group's subscriber policy and one `<tariff>` element (accepted
 * with exactly the listed fields, or refused with the listed code);
 * `pubsub-publisher` and `pubsub-subscriber` replay a transcript through the
 * IUT's machine from the group's config and compare the final phase and the
 * last input's outputs.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { edgesOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

async function checkTariff(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const expected = test.result === "invalid" ? { error: test.error } : { tariff: test.tariff };
  const r = await iut.call("tariff.verify", {
    policy: group.policy as JsonObject,
    xml: test.xml as string,
    now: test.now as number,
    lastSeq: test.lastSeq as number,
    ...(test.itemId !== undefined ? { itemId: test.itemId as string } : {}),
  });
  const observed = r.ok ? { tariff: r.result.tariff } : { error: r.code };
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed }
    : { verdict: "fail", expected, observed, message: "verdict differs" };
}

async function checkTranscript(
  iut: IutBackend,
  machine: string,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const expected = { phase: test.phase, outputs: test.outputs };
  const replies: StepReply[] = [await iut.init(machine, group.config as JsonObject)];
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

/** The market checkers, run against `iut`. */
export function pubsubCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "tariff-verify",
      () => ({ functions: ["tariff.verify"] }),
      (t, g) => checkTariff(iut, t, g),
    ),
    protocolChecker(
      iut,
      "pubsub-publisher",
      () => ({ machines: ["pubsub.publisher"] }),
      (t, g) => checkTranscript(iut, "pubsub.publisher", t, g),
    ),
    protocolChecker(
      iut,
      "pubsub-subscriber",
      () => ({ machines: ["pubsub.subscriber"] }),
      (t, g) => checkTranscript(iut, "pubsub.subscriber", t, g),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = pubsubCheckers(reference);
