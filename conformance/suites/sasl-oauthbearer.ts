/**
 * Checkers for the OAUTHBEARER vectors (`vectors/sasl-oauthbearer/*.json`,
 * schema `sasl-oauthbearer.schema.json`): `oauthbearer-client-initial`
 * asks the IUT's `sasl.oauthbearer-initial` for the initial client response
 * and compares its bytes (or the refusal code); `oauthbearer-client-error-result`
 * gives `sasl.oauthbearer-error-result` a server challenge and compares what
 * the client read from it and its answer (or the refusal code).
 *
 * @module
 */
import { fromBase64, toHex } from "../../core/bytes.ts";
import type { VectorTest } from "../../core/vectors.ts";
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const textHex = (s: string) => toHex(new TextEncoder().encode(s));

async function judge(
  iut: IutBackend,
  fn: string,
  args: JsonObject,
  test: VectorTest,
  expected: JsonObject,
): Promise<CaseOutcome> {
  const r = await iut.call(fn, args);
  if (test.result === "invalid") {
    if (r.ok) {
      return { verdict: "fail", expected: test.error, observed: r.result, message: "accepted" };
    }
    return r.code === test.error
      ? { verdict: "pass", expected: test.error, observed: r.code }
      : { verdict: "fail", expected: test.error, observed: r.code, message: r.detail };
  }
  if (!r.ok) return { verdict: "fail", expected, observed: r.code, message: r.detail };
  const same = JSON.stringify(Object.entries(r.result).sort()) ===
    JSON.stringify(Object.entries(expected).sort());
  return same
    ? { verdict: "pass", expected, observed: r.result }
    : { verdict: "fail", expected, observed: r.result, message: "different result" };
}

function checkInitial(iut: IutBackend, t: VectorTest): Promise<CaseOutcome> {
  const args: Record<string, string | number> = { token: t.token as string };
  for (const k of ["authzid", "host", "port"] as const) {
    if (t[k] !== undefined) args[k] = t[k] as string | number;
  }
  const expected = { message: textHex(String(t.message ?? "")) };
  return judge(iut, "sasl.oauthbearer-initial", args, t, expected);
}

function checkErrorResult(iut: IutBackend, t: VectorTest): Promise<CaseOutcome> {
  const challenge = toHex(fromBase64(t.challenge as string));
  const expected: Record<string, string> = {
    status: t.status as string,
    response: textHex("\x01"),
  };
  if (t.scope !== undefined) expected.scope = t.scope as string;
  if (t.openidConfiguration !== undefined) {
    expected.openidConfiguration = t.openidConfiguration as string;
  }
  return judge(iut, "sasl.oauthbearer-error-result", { challenge }, t, expected);
}

/** The OAUTHBEARER checkers, run against `iut`. */
export function saslOAuthBearerCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "oauthbearer-client-initial",
      () => ({ functions: ["sasl.oauthbearer-initial"] }),
      (t) => checkInitial(iut, t),
    ),
    protocolChecker(
      iut,
      "oauthbearer-client-error-result",
      () => ({ functions: ["sasl.oauthbearer-error-result"] }),
      (t) => checkErrorResult(iut, t),
    ),
  ];
}

/** The OAUTHBEARER checkers of the reference implementation. */
export const checkers: GroupChecker[] = saslOAuthBearerCheckers(reference);
