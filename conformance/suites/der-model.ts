/**
 * Checkers for the DER model vectors (`vectors/der-model/*.json`, schema
 * `der-model.schema.json`), written against {@link IutBackend}:
 * `der-service` asks `der.serve` for the response to a request after the
 * test's setup and compares it (and the terminations and refusal code);
 * `der-group-command` asks `der.group-command` to decode and apply a group
 * command payload, comparing the refusal code, or the per-operation outcomes
 * and the values read afterwards. Every setup step must be answered
 * positively, or the case fails.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { type IutBackend, type JsonObject, protocolChecker, stableJson } from "../iut/backend.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

/** The refusal a response carries: first refused item, addCause, or service error. */
function refusalOf(response: unknown): string | undefined {
  const r = response as { results?: unknown[]; addCause?: string; error?: string };
  const item = (r.results ?? []).find((x) => typeof x === "string") as string | undefined;
  return item ?? r.addCause ?? r.error;
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);
/** Refusals are named der-model/<AddCause or DataAccessError> (PD-162, PD-196). */
const codeOf = (
  refusal: string | undefined,
) => (refusal === undefined ? undefined : `der-model/${refusal}`);

function setupFailure(responses: unknown): string | undefined {
  const list = Array.isArray(responses) ? responses : [];
  const i = list.findIndex((r) => refusalOf(r) !== undefined);
  return i < 0 ? undefined : `setup step ${i + 1} refused: ${refusalOf(list[i])}`;
}

const base = (test: VectorTest, group: VectorGroup): JsonObject => ({
  config: group.config as JsonObject,
  start: group.start as number,
  setup: (test.setup ?? []) as JsonObject[],
  at: test.at as number,
});

async function checkService(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const r = await iut.call("der.serve", {
    ...base(test, group),
    caller: test.caller as string,
    request: test.request as JsonObject,
  });
  if (!r.ok) {
    return { verdict: "fail", expected: test.response, observed: r.code, message: r.detail };
  }
  const setup = setupFailure(r.result.setup);
  if (setup) return { verdict: "fail", message: setup };
  const code = codeOf(refusalOf(r.result.response));
  const expected = { response: test.response, terminations: test.terminations, error: test.error };
  const observed = {
    response: r.result.response,
    terminations: r.result.terminations,
    error: code,
  };
  if (!same(r.result.response, test.response)) {
    return { verdict: "fail", expected, observed, message: "response differs" };
  }
  if (test.terminations !== undefined && !same(r.result.terminations, test.terminations)) {
    return { verdict: "fail", expected, observed, message: "terminations differ" };
  }
  if (code !== test.error) {
    return { verdict: "fail", expected, observed, message: "refusal code differs" };
  }
  return { verdict: "pass", expected: test.error ?? "accepted", observed: code ?? "accepted" };
}

async function checkGroupCommand(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const then = (test.then ?? []) as { at: number; ref: string; fc: string; value: unknown }[];
  const r = await iut.call("der.group-command", {
    ...base(test, group),
    sender: test.sender as string,
    payload: test.payload as string,
    reads: then.map(({ at, ref, fc }) => ({ at, ref, fc })),
  });
  if (!r.ok) {
    return r.code === test.error ? { verdict: "pass", expected: test.error, observed: r.code } : {
      verdict: "fail",
      expected: test.error ?? test.outcomes,
      observed: r.code,
      message: r.detail,
    };
  }
  const setup = setupFailure(r.result.setup);
  if (setup) return { verdict: "fail", message: setup };
  const outcomes = r.result.outcomes as { ok: boolean; addCause?: string; error?: string }[];
  if (!same(outcomes, test.outcomes)) {
    return {
      verdict: "fail",
      expected: test.outcomes,
      observed: outcomes,
      message: "outcomes differ",
    };
  }
  const first = outcomes.find((o) => !o.ok);
  const code = codeOf(first ? first.addCause ?? first.error : undefined);
  if (code !== test.error) return { verdict: "fail", expected: test.error, observed: code };
  const values = r.result.values as unknown[];
  for (const [i, check] of then.entries()) {
    if (!same(values[i], check.value)) {
      return {
        verdict: "fail",
        expected: check,
        observed: values[i],
        message: `${check.ref} at ${check.at}`,
      };
    }
  }
  return { verdict: "pass", expected: test.error ?? test.outcomes, observed: code ?? outcomes };
}

/** The DER model checkers, run against `iut`. */
export function derModelCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "der-service",
      () => ({ functions: ["der.serve"] }),
      (t, g) => checkService(iut, t, g),
    ),
    protocolChecker(
      iut,
      "der-group-command",
      () => ({ functions: ["der.group-command"] }),
      (t, g) => checkGroupCommand(iut, t, g),
    ),
  ];
}

/** The DER model checkers of the reference implementation. */
export const checkers: GroupChecker[] = derModelCheckers(reference);
