/**
 * Checker for the PKI vectors (`vectors/pki/*.json`, schema
 * `pki.schema.json`): `pki-chain` resolves the named objects of the group,
 * runs `validateChain` with the test's policy and compares the verdict, the
 * refusal code or the extracted identity.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { fromHex, toHex } from "../../core/bytes.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { PeerIdentity, ValidationPolicy } from "../../core/pki/types.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

function identityJson(id: PeerIdentity): Record<string, unknown> {
  return {
    ...(id.jid !== undefined ? { jid: id.jid } : {}),
    ...(id.commonName !== undefined ? { commonName: id.commonName } : {}),
    roles: [...id.roles],
    suite: id.suite,
    serial: id.serial,
    publicKey: toHex(id.publicKey),
  };
}

function checkChain(test: VectorTest, group: VectorGroup): CaseOutcome {
  const objects = group.objects as Record<string, string>;
  const resolve = (names: unknown) =>
    (names as string[]).map((n) => {
      if (!(n in objects)) throw new Error(`object ${n} not in the group`);
      return fromHex(objects[n]);
    });
  const policy: ValidationPolicy = {
    anchors: resolve(test.anchors),
    crls: resolve(test.crls),
    now: Date.parse(test.now as string),
    expectedJid: test.expectedJid as string | undefined,
    requiredEku: test.requiredEku as string[] | undefined,
    allowedSuites: test.allowedSuites as SuiteId[] | undefined,
    requireCrl: test.requireCrl as boolean | undefined,
  };
  const r = validateChain(resolve(test.chain), policy);
  if (test.result === "invalid") {
    if (r.ok) {
      return {
        verdict: "fail",
        expected: test.error,
        observed: identityJson(r.value),
        message: "accepted an invalid chain",
      };
    }
    return r.error.code === test.error
      ? { verdict: "pass", expected: test.error, observed: r.error.code }
      : { verdict: "fail", expected: test.error, observed: r.error.code, message: r.error.detail };
  }
  if (!r.ok) {
    return {
      verdict: "fail",
      expected: test.identity,
      observed: r.error.code,
      message: r.error.detail,
    };
  }
  const observed = identityJson(r.value);
  return isDeepStrictEqual(observed, test.identity)
    ? { verdict: "pass", expected: test.identity, observed }
    : { verdict: "fail", expected: test.identity, observed, message: "identity differs" };
}

/** The PKI checkers of the reference implementation. */
export const checkers: GroupChecker[] = [{ groupType: "pki-chain", check: checkChain }];
