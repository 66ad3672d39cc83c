/**
 * Checkers for the DER model vectors (`vectors/der-model/*.json`, schema
 * `der-model.schema.json`): `der-service` runs a request against a DER built
 * from the group's configuration after the test's setup and compares the
 * response, terminations and refusal code; `der-group-command` decodes a
 * group command payload and applies it, comparing the refusal code or the
 * per-operation outcomes and the values read afterwards.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import type { ServiceRequest } from "../../state-machines/association/services.ts";
import type { DerConfig } from "../../apps/der/config.ts";
import { checkConfig } from "../../apps/der/config.ts";
import { refusalCode } from "../../apps/der/errors.ts";
import { applyGroupCommand, createDer, serve } from "../../apps/der/serve.ts";
import type { DerState } from "../../apps/der/state.ts";
import { tryDecodeGroupCommand } from "../../apps/control-centre/group_command.ts";
import { utf8 } from "../../core/bytes.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

interface Step {
  readonly caller: string;
  readonly at: number;
  readonly request: ServiceRequest;
}

/** The refusal a response carries (first refused item, addCause or service error). */
function refusalOf(response: unknown): string | undefined {
  const r = response as { results?: unknown[]; addCause?: string; error?: string };
  const item = (r.results ?? []).find((x) => typeof x === "string") as string | undefined;
  return item ?? r.addCause ?? r.error;
}

/** JSON equality: vectors carry plain JSON, responses are plain data. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function start(group: VectorGroup): DerState {
  const config = group.config as DerConfig;
  checkConfig(config);
  return createDer(config, group.start as number);
}

/** Runs setup steps; every one must be answered positively. */
function setUp(model: DerState, test: VectorTest): DerState | string {
  let m = model;
  for (const [i, s] of ((test.setup ?? []) as Step[]).entries()) {
    const r = serve(m, s.request, s.at, s.caller);
    const refusal = refusalOf(r.response);
    if (refusal) return `setup step ${i + 1} refused: ${refusal}`;
    m = r.model;
  }
  return m;
}

function checkService(test: VectorTest, group: VectorGroup): CaseOutcome {
  const model = setUp(start(group), test);
  if (typeof model === "string") return { verdict: "fail", message: model };
  const r = serve(model, test.request as ServiceRequest, test.at as number, test.caller as string);
  const refusal = refusalOf(r.response);
  const code = refusal === undefined ? undefined : refusalCode(refusal as never);
  const expected = { response: test.response, terminations: test.terminations, error: test.error };
  const observed = {
    response: r.response,
    terminations: test.terminations === undefined ? undefined : r.terminations,
    error: code,
  };
  if (!same(r.response, test.response)) {
    return { verdict: "fail", expected, observed, message: "response differs" };
  }
  if (test.terminations !== undefined && !same(r.terminations, test.terminations)) {
    return { verdict: "fail", expected, observed, message: "terminations differ" };
  }
  if (code !== test.error) {
    return { verdict: "fail", expected, observed, message: "refusal code differs" };
  }
  return { verdict: "pass", expected: test.error ?? "accepted", observed: code ?? "accepted" };
}

function checkGroupCommand(test: VectorTest, group: VectorGroup): CaseOutcome {
  const decoded = tryDecodeGroupCommand(utf8(test.payload as string));
  if (!decoded.ok) {
    return decoded.error.code === test.error
      ? { verdict: "pass", expected: test.error, observed: decoded.error.code }
      : { verdict: "fail", expected: test.error ?? "decoded", observed: decoded.error.code };
  }
  const model = setUp(start(group), test);
  if (typeof model === "string") return { verdict: "fail", message: model };
  const at = test.at as number;
  const r = applyGroupCommand(model, decoded.value, at, test.sender as string);
  const outcomes = r.outcomes;
  if (!same(outcomes, test.outcomes)) {
    return {
      verdict: "fail",
      expected: test.outcomes,
      observed: outcomes,
      message: "outcomes differ",
    };
  }
  const first = r.outcomes.find((o) => !o.ok) as { addCause?: string; error?: string } | undefined;
  const code = first ? refusalCode((first.addCause ?? first.error)! as never) : undefined;
  if (code !== test.error) return { verdict: "fail", expected: test.error, observed: code };
  const reader = Object.keys((group.config as DerConfig).priorities)[0] ?? "";
  for (
    const check of (test.then ?? []) as { at: number; ref: string; fc: string; value: unknown }[]
  ) {
    const read = serve(
      r.model,
      { service: "read", items: [{ ref: check.ref, fc: check.fc as never }] },
      check.at,
      reader,
    );
    const got = (read.response as unknown as { results: unknown[] }).results[0];
    if (!same(got, check.value)) {
      return {
        verdict: "fail",
        expected: check,
        observed: got,
        message: `${check.ref} at ${check.at}`,
      };
    }
  }
  return { verdict: "pass", expected: test.error ?? outcomes, observed: code ?? outcomes };
}

/** The DER model checkers of the reference implementation. */
export const checkers: GroupChecker[] = [
  { groupType: "der-service", check: checkService },
  { groupType: "der-group-command", check: checkGroupCommand },
];
