/**
 * Checkers for the market vectors (`vectors/pubsub/*.json`, schema
 * `pubsub.schema.json`): `tariff-verify` checks one `<tariff>` element
 * against the group's subscriber policy (accepted with exactly the listed
 * fields, or refused with the listed code); `pubsub-publisher` and
 * `pubsub-subscriber` replay a transcript through the machine with
 * declared-edge checking and compare the final phase and the last input's
 * outputs.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import {
  type PolicyJson,
  type PublisherJson,
  type PublisherVectorInput,
  runPublisher,
  runSubscriber,
  runTariffCase,
  type SubscriberJson,
  type SubscriberVectorInput,
} from "../../state-machines/pubsub/vectors.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

function checkTariff(test: VectorTest, group: VectorGroup): CaseOutcome {
  const expected = test.result === "invalid" ? { error: test.error } : { tariff: test.tariff };
  let observed;
  try {
    observed = runTariffCase(group.policy as PolicyJson, {
      xml: test.xml as string,
      now: test.now as number,
      lastSeq: test.lastSeq as number,
      ...(test.itemId !== undefined ? { itemId: test.itemId as string } : {}),
    });
  } catch (e) {
    return { verdict: "fail", expected, observed: String(e), message: "threw" };
  }
  return isDeepStrictEqual(observed, expected)
    ? { verdict: "pass", expected, observed }
    : { verdict: "fail", expected, observed, message: "verdict differs" };
}

function transcript(
  run: (inputs: unknown[]) => { phase: string; last: Record<string, unknown>[]; edges: string[] },
) {
  return (test: VectorTest): CaseOutcome => {
    const expected = { phase: test.phase, outputs: test.outputs };
    let r;
    try {
      r = run(test.inputs as unknown[]);
    } catch (e) {
      return {
        verdict: "fail",
        expected,
        observed: String(e),
        message: "the transcript did not run",
      };
    }
    const observed = { phase: r.phase, outputs: r.last };
    if (test.result === "invalid" && !r.last.some((o) => o.error === test.error)) {
      return {
        verdict: "fail",
        expected: test.error,
        observed,
        message: "not refused with the expected code",
        edges: r.edges,
      };
    }
    return isDeepStrictEqual(observed, expected)
      ? { verdict: "pass", expected, observed, edges: r.edges }
      : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges: r.edges };
  };
}

export const checkers: readonly GroupChecker[] = [
  { groupType: "tariff-verify", check: checkTariff },
  {
    groupType: "pubsub-publisher",
    check: (test, group) =>
      transcript((i) => runPublisher(group.config as PublisherJson, i as PublisherVectorInput[]))(
        test,
      ),
  },
  {
    groupType: "pubsub-subscriber",
    check: (test, group) =>
      transcript((i) =>
        runSubscriber(group.config as SubscriberJson, i as SubscriberVectorInput[])
      )(test),
  },
];
