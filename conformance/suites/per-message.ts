/**
 * Checker for the per-message vectors (`vectors/per-message/*.json`, schema
 * `per-message.schema.json`): `per-message-receive` starts the IUT's
 * channel (`per-message.channel`) with the group's receiver configuration,
 * delivers the `before` messages (each must be accepted), then the test's
 * message, and compares the refusal code or the output (data payload,
 * released, aborted) with the expectation.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { errorOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const MACHINE = "per-message.channel";

/** What a step says: its refusal code, or the first output that answers a message. */
function observed(r: StepReply): string {
  const e = errorOf(r);
  if (e) return e.code;
  for (const o of r.out) {
    if (o.type === "data") return `data:${o.payload}`;
    if (o.type === "released" || o.type === "aborted") return String(o.type);
  }
  return "no answer";
}

async function check(iut: IutBackend, test: VectorTest, group: VectorGroup): Promise<CaseOutcome> {
  await iut.init(MACHINE, group.config as JsonObject);
  const deliver = (d: JsonObject) => iut.step({ type: "receive", ...d });
  for (const [i, d] of ((test.before ?? []) as JsonObject[]).entries()) {
    const seen = observed(await deliver(d));
    if (!seen.startsWith("data:") && seen !== "released" && seen !== "aborted") {
      return { verdict: "fail", observed: seen, message: `before[${i}] was not accepted` };
    }
  }
  const seen = observed(await deliver(test.message as JsonObject));
  const e = test.expected as { out: string; payload?: string } | undefined;
  const expected = test.result === "invalid"
    ? test.error
    : e?.out === "data"
    ? `data:${e.payload}`
    : e?.out;
  if (test.result === "acceptable") return { verdict: "pass", expected, observed: seen };
  return seen === expected
    ? { verdict: "pass", expected, observed: seen }
    : { verdict: "fail", expected, observed: seen };
}

/** The per-message checkers, run against `iut`. */
export function perMessageCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "per-message-receive",
      () => ({ machines: [MACHINE] }),
      (t, g) => check(iut, t, g),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = perMessageCheckers(reference);
