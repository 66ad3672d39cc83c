/**
 * Checkers for the JID vectors (`vectors/jid/*.json`, schema
 * `jid.schema.json`): `jid-parse` runs one JID text through the IUT's
 * `jid.parse` and compares the canonical form, the parts or the error code;
 * `jid-compare` asks `jid.compare` and compares the equality verdict (and
 * that ordering agrees with it). Written against {@link IutBackend}, so the
 * reference and an out-of-process IUT are checked by the same code.
 *
 * @module
 */
import type { VectorTest } from "../../core/vectors.ts";
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const sameParts = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  a.local === b.local && a.domain === b.domain && a.resource === b.resource;

async function checkParse(iut: IutBackend, test: VectorTest): Promise<CaseOutcome> {
  const r = await iut.call("jid.parse", { text: test.input as string });
  if (test.result === "invalid") {
    const expected = test.error;
    if (r.ok) {
      return {
        verdict: "fail",
        expected,
        observed: r.result.canonical,
        message: "accepted an invalid JID",
      };
    }
    return r.code === expected
      ? { verdict: "pass", expected, observed: r.code }
      : { verdict: "fail", expected, observed: r.code, message: r.detail };
  }
  const expected = { canonical: test.canonical, parts: test.parts };
  if (!r.ok) return { verdict: "fail", expected, observed: r.code, message: r.detail };
  const observed = { canonical: r.result.canonical, parts: r.result.parts };
  // Formatting the canonical text again must give the same JID (idempotence).
  const again = await iut.call("jid.parse", { text: String(observed.canonical) });
  const stable = again.ok && again.result.canonical === observed.canonical;
  const pass = observed.canonical === test.canonical &&
    sameParts(observed.parts as Record<string, unknown>, test.parts as Record<string, unknown>) &&
    stable;
  return pass ? { verdict: "pass", expected, observed } : {
    verdict: "fail",
    expected,
    observed,
    message: stable
      ? "canonical form or parts differ"
      : "canonical form does not re-parse to itself",
  };
}

async function checkCompare(iut: IutBackend, test: VectorTest): Promise<CaseOutcome> {
  const r = await iut.call("jid.compare", { a: test.a as string, b: test.b as string });
  if (!r.ok) {
    return {
      verdict: "fail",
      expected: test.equal,
      message: `did not parse: ${r.detail ?? r.code}`,
    };
  }
  const equal = r.result.equal;
  if (equal !== (r.result.order === 0)) {
    return { verdict: "fail", expected: test.equal, observed: equal, message: "order disagrees" };
  }
  return equal === test.equal
    ? { verdict: "pass", expected: test.equal, observed: equal }
    : { verdict: "fail", expected: test.equal, observed: equal };
}

/** The JID checkers, run against `iut`. */
export function jidCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "jid-parse",
      () => ({ functions: ["jid.parse"] }),
      (t) => checkParse(iut, t),
    ),
    protocolChecker(
      iut,
      "jid-compare",
      () => ({ functions: ["jid.compare"] }),
      (t) => checkCompare(iut, t),
    ),
  ];
}

/** The JID checkers of the reference implementation. */
export const checkers: GroupChecker[] = jidCheckers(reference);
