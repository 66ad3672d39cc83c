/**
 * Checker for the PKI vectors (`vectors/pki/*.json`, schema
 * `pki.schema.json`): `pki-chain` resolves the named objects of the group,
 * asks the IUT's `pki.validate-chain` with the test's policy and compares
 * the verdict, the refusal code or the extracted identity.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

/** The call's arguments: object names resolved to hex, the time in milliseconds. */
export function chainArgs(test: VectorTest, group: VectorGroup): JsonObject {
  const objects = group.objects as Record<string, string>;
  const resolve = (names: unknown) =>
    (names as string[]).map((n) => {
      if (!(n in objects)) throw new Error(`object ${n} not in the group`);
      return objects[n];
    });
  const optional = ["expectedJid", "requiredEku", "allowedSuites", "requireCrl"] as const;
  return {
    chain: resolve(test.chain),
    anchors: resolve(test.anchors),
    crls: resolve(test.crls),
    now: Date.parse(test.now as string),
    ...Object.fromEntries(
      optional.filter((k) => test[k] !== undefined).map((k) => [k, test[k] as JsonObject[string]]),
    ),
  };
}

async function checkChain(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const r = await iut.call("pki.validate-chain", chainArgs(test, group));
  if (test.result === "invalid") {
    if (r.ok) {
      return {
        verdict: "fail",
        expected: test.error,
        observed: r.result,
        message: "accepted an invalid chain",
      };
    }
    return r.code === test.error
      ? { verdict: "pass", expected: test.error, observed: r.code }
      : { verdict: "fail", expected: test.error, observed: r.code, message: r.detail };
  }
  if (!r.ok) {
    return { verdict: "fail", expected: test.identity, observed: r.code, message: r.detail };
  }
  return isDeepStrictEqual(r.result, test.identity)
    ? { verdict: "pass", expected: test.identity, observed: r.result }
    : { verdict: "fail", expected: test.identity, observed: r.result, message: "identity differs" };
}

/** The PKI checkers, run against `iut`. */
export function pkiCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "pki-chain",
      () => ({ functions: ["pki.validate-chain"] }),
      (t, g) => checkChain(iut, t, g),
    ),
  ];
}

/** The PKI checkers of the reference implementation. */
export const checkers: GroupChecker[] = pkiCheckers(reference);
