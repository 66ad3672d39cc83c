/**
 * Checkers for the A-profile vectors (`vectors/a-profile/*.json`, schema
 * `a-profile.schema.json`): they replay one role through the IUT's machine
 * (`a-profile.initiator` / `a-profile.responder`) — the group's prefix steps,
 * then the test's — and compare every step's outputs and phase with the
 * vector, and an invalid case's refusal code. The outcome lists the
 * transition edges the case covered.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import {
  type JsonConfig,
  type JsonStep,
  mergeConfig,
  type Role,
} from "../../state-machines/a-profile/replay.ts";
import { edgesOf, type IutBackend, protocolChecker, stableJson } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const canonical = (out: readonly unknown[]) => stableJson(out);

function check(iut: IutBackend, role: Role) {
  return async (test: VectorTest, group: VectorGroup): Promise<CaseOutcome> => {
    const prefix = group.prefix as JsonStep[];
    const steps = test.steps as JsonStep[];
    const config = mergeConfig(group.config as JsonConfig, test.config as Partial<JsonConfig>);
    await iut.init(`a-profile.${role}`, {
      ...(config as unknown as JsonObject),
      ...(config.manualSigner ? { autoSignSteps: prefix.length } : {}),
    });
    const results: StepReply[] = [];
    for (const step of [...prefix, ...steps]) {
      results.push(await iut.step(step.input as unknown as JsonObject));
    }
    const edges = edgesOf(results).sort();
    const problems: string[] = [];
    results.forEach((r, i) => {
      const errors = r.out.filter((o) => o.type === "error").map((o) => o.code);
      if (i < prefix.length) {
        if (errors.length) problems.push(`prefix step ${i + 1} refused: ${errors}`);
        return;
      }
      const step = steps[i - prefix.length];
      const n = i - prefix.length + 1;
      if (step.out && canonical(step.out) !== canonical(r.out)) {
        problems.push(`step ${n}: outputs ${canonical(r.out)} differ from ${canonical(step.out)}`);
      }
      if (step.phase !== undefined && step.phase !== r.phase) {
        problems.push(`step ${n}: phase ${r.phase}, expected ${step.phase}`);
      }
      const last = n === steps.length;
      if (test.result === "valid" && errors.length) problems.push(`step ${n} refused: ${errors}`);
      if (test.result === "invalid" && !last && errors.length) {
        problems.push(`step ${n} refused early: ${errors}`);
      }
      if (test.result === "invalid" && last && (errors.length !== 1 || errors[0] !== test.error)) {
        problems.push(`last step gave [${errors}], expected ${test.error}`);
      }
    });
    const final = results.at(-1)!;
    const observed = test.result === "invalid"
      ? final.out.find((o) => o.type === "error")?.code ?? final.phase
      : final.phase;
    return problems.length === 0
      ? { verdict: "pass", expected: test.error ?? steps.at(-1)!.phase, observed, edges }
      : {
        verdict: "fail",
        expected: test.error ?? "accepted",
        observed,
        message: problems.join("; "),
        edges,
      };
  };
}

/** The A-profile checkers, run against `iut`. */
export function aProfileCheckers(iut: IutBackend): GroupChecker[] {
  return (["initiator", "responder"] as const).map((role) =>
    protocolChecker(
      iut,
      `a-profile-${role}`,
      () => ({ machines: [`a-profile.${role}`] }),
      check(iut, role),
    )
  );
}

/** The A-profile checkers of the reference implementation. */
export const checkers: GroupChecker[] = aProfileCheckers(reference);
