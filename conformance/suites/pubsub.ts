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
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import { checkTranscript } from "../iut/transcript.ts";
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
      (t, g) => checkTranscript(iut, "pubsub.publisher", g.config as JsonObject, t),
    ),
    protocolChecker(
      iut,
      "pubsub-subscriber",
      () => ({ machines: ["pubsub.subscriber"] }),
      (t, g) => checkTranscript(iut, "pubsub.subscriber", g.config as JsonObject, t),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = pubsubCheckers(reference);
