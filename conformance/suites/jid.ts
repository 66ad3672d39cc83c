/**
 * Checkers for the JID vectors (`vectors/jid/*.json`, schema
 * `jid.schema.json`): `jid-parse` runs one JID text through the parser and
 * compares the canonical form, the parts or the error code; `jid-compare`
 * parses two texts and compares the equality verdict (and that ordering
 * agrees with it).
 *
 * @module
 */
import type { VectorTest } from "../../core/vectors.ts";
import { compareJids, formatJid, type Jid, jidEquals, tryParseJid } from "../../core/jid.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const partsOf = (j: Jid) => ({
  ...(j.local !== undefined ? { local: j.local } : {}),
  domain: j.domain,
  ...(j.resource !== undefined ? { resource: j.resource } : {}),
});

const sameParts = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  a.local === b.local && a.domain === b.domain && a.resource === b.resource;

function checkParse(test: VectorTest): CaseOutcome {
  const r = tryParseJid(test.input as string);
  if (test.result === "invalid") {
    const expected = test.error;
    if (r.ok) {
      return {
        verdict: "fail",
        expected,
        observed: formatJid(r.value),
        message: "accepted an invalid JID",
      };
    }
    return r.error.code === expected
      ? { verdict: "pass", expected, observed: r.error.code }
      : { verdict: "fail", expected, observed: r.error.code, message: r.error.message };
  }
  const expected = { canonical: test.canonical, parts: test.parts };
  if (!r.ok) {
    return { verdict: "fail", expected, observed: r.error.code, message: r.error.message };
  }
  const observed = { canonical: formatJid(r.value), parts: partsOf(r.value) };
  // Formatting the canonical text again must give the same JID (idempotence).
  const again = tryParseJid(observed.canonical);
  const stable = again.ok && formatJid(again.value) === observed.canonical;
  const pass = observed.canonical === test.canonical &&
    sameParts(observed.parts, test.parts as Record<string, unknown>) && stable;
  return pass ? { verdict: "pass", expected, observed } : {
    verdict: "fail",
    expected,
    observed,
    message: stable
      ? "canonical form or parts differ"
      : "canonical form does not re-parse to itself",
  };
}

function checkCompare(test: VectorTest): CaseOutcome {
  const a = tryParseJid(test.a as string), b = tryParseJid(test.b as string);
  if (!a.ok || !b.ok) {
    const error = !a.ok ? a.error : (b as { error: Error }).error;
    return { verdict: "fail", expected: test.equal, message: `did not parse: ${error.message}` };
  }
  const equal = jidEquals(a.value, b.value);
  const ordered = compareJids(a.value, b.value) === 0;
  if (equal !== ordered) {
    return { verdict: "fail", expected: test.equal, observed: equal, message: "order disagrees" };
  }
  return equal === test.equal
    ? { verdict: "pass", expected: test.equal, observed: equal }
    : { verdict: "fail", expected: test.equal, observed: equal };
}

/** The JID checkers of the reference implementation. */
export const checkers: GroupChecker[] = [
  { groupType: "jid-parse", check: checkParse },
  { groupType: "jid-compare", check: checkCompare },
];
