/**
 * Checker for the access-token vectors (`vectors/access-token/*.json`,
 * schema `access-token.schema.json`): `access-token-verify` starts the IUT's
 * relying party (`access.relying-party`) as the group describes it, presents
 * the `before` tokens (each must be accepted), then the test's token, and —
 * when the test names a request — asks it to authorize the request at the
 * request's time. The verdict compares acceptance or the refusal code.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { errorOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { Json, JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const CONFIG = [
  "issuer",
  "audience",
  "keys",
  "leewaySeconds",
  "maxLifetimeSeconds",
  "maxTokenBytes",
  "replayCapacity",
] as const;

/** What a step says: "accepted", or its refusal. */
function verdictOf(r: StepReply): { observed: string; detail?: string } {
  const e = errorOf(r);
  if (e) return { observed: e.code, detail: e.detail };
  return r.out.some((o) => o.type === "accepted")
    ? { observed: "accepted" }
    : { observed: "no answer", detail: "neither accepted nor an error" };
}

async function checkVerify(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  await iut.init(
    "access.relying-party",
    Object.fromEntries(CONFIG.map((k) => [k, group[k] as Json])) as JsonObject,
  );
  const now = test.now as number;
  const peer: JsonObject = test.peer === undefined ? {} : { peer: test.peer as string };
  for (const [i, t] of ((test.before ?? []) as string[]).entries()) {
    const r = verdictOf(await iut.step({ type: "present", token: t, now, ...peer }));
    if (r.observed !== "accepted") {
      return { verdict: "fail", observed: r.observed, message: `before[${i}] was refused` };
    }
  }
  let r = verdictOf(await iut.step({ type: "present", token: test.token as Json, now, ...peer }));
  const request = test.request as (JsonObject & { now?: number }) | undefined;
  if (r.observed === "accepted" && request) {
    r = verdictOf(await iut.step({ type: "authorize", request, now: request.now ?? now }));
  }
  const { observed } = r;
  const expected = test.result === "invalid" ? test.error : "accepted";
  if (test.result === "acceptable") return { verdict: "pass", expected, observed };
  return observed === expected
    ? { verdict: "pass", expected, observed }
    : { verdict: "fail", expected, observed, message: r.detail };
}

/** The access-token checkers, run against `iut`. */
export function accessTokenCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "access-token-verify",
      () => ({ machines: ["access.relying-party"] }),
      (t, g) => checkVerify(iut, t, g),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = accessTokenCheckers(reference);
