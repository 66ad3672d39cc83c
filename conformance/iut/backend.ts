/**
 * What a checker talks to: an implementation under test seen at the level of
 * the IUT protocol (docs/conformance.md) — named functions called with JSON
 * arguments, and one machine session at a time driven by `init` and `step`.
 *
 * Every area's checkers are written once against {@link IutBackend}. The
 * reference implementation is one backend (in process, `bindings.ts`), an
 * out-of-process program speaking JSON lines is another (`stdio.ts`), so the
 * expectations a vector sets are checked by the same code for both.
 *
 * @module
 */
import type { VectorFile, VectorGroup, VectorTest } from "../../core/vectors.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";
import type { JsonObject, StepReply } from "./protocol.ts";

export type { Json, JsonObject, StepReply } from "./protocol.ts";

/** A function's answer: its result, or the error code it refused the arguments with. */
export type CallOutcome =
  | { readonly ok: true; readonly result: JsonObject }
  | { readonly ok: false; readonly code: string; readonly detail?: string };

/** An implementation under test at protocol level. */
export interface IutBackend {
  /** True when the IUT declared the function or machine (its hello). */
  implements(kind: "function" | "machine", name: string): boolean;
  call(fn: string, args: JsonObject): Promise<CallOutcome>;
  /** Starts a machine session (replacing any previous one). */
  init(machine: string, config: JsonObject): Promise<StepReply>;
  /** Feeds one input to the current session. */
  step(input: JsonObject): Promise<StepReply>;
}

/** The IUT declared a request outside what it implements: the case is not applicable. */
export class IutUnsupported extends Error {
  override readonly name = "IutUnsupported";
}

/**
 * The IUT did not answer as the protocol requires (no answer in time, exit,
 * a malformed line, an init or step refused as a request): the case fails.
 */
export class IutBroken extends Error {
  override readonly name = "IutBroken";
}

/** What a group type needs the IUT to implement. */
export interface Needs {
  readonly functions?: readonly string[];
  readonly machines?: readonly string[];
}

const THROUGH_BACKEND = Symbol("protocol checker");

/**
 * True for checkers made by {@link protocolChecker}. A checker written
 * directly against the reference would judge the reference whatever IUT is
 * named, so an out-of-process IUT only gets these.
 */
export const isProtocolChecker = (c: GroupChecker): boolean =>
  (c as { [THROUGH_BACKEND]?: true })[THROUGH_BACKEND] === true;

/**
 * A checker that runs through a backend: not applicable when the IUT lacks
 * what the group needs or answers `unsupported`, a fail with the reason when
 * the IUT breaks the protocol.
 */
// spec: DL-IUT-6 DL-IUT-7
export function protocolChecker(
  backend: IutBackend,
  groupType: string,
  needs: (group: VectorGroup) => Needs,
  run: (test: VectorTest, group: VectorGroup, file: VectorFile) => Promise<CaseOutcome>,
): GroupChecker {
  const checker: GroupChecker & { [THROUGH_BACKEND]: true } = {
    groupType,
    [THROUGH_BACKEND]: true,
    async check(test, group, file) {
      const need = needs(group);
      for (const kind of ["function", "machine"] as const) {
        for (const name of (kind === "function" ? need.functions : need.machines) ?? []) {
          if (!backend.implements(kind, name)) {
            return {
              verdict: "not-applicable",
              message: `the IUT does not implement ${kind} ${name}`,
            };
          }
        }
      }
      try {
        return await run(test, group, file);
      } catch (e) {
        if (e instanceof IutUnsupported) {
          return { verdict: "not-applicable", message: `unsupported by the IUT: ${e.message}` };
        }
        if (e instanceof IutBroken) return { verdict: "fail", message: e.message };
        throw e;
      }
    },
  };
  return checker;
}

/** The first error output of a step, if any. */
export const errorOf = (r: StepReply): { code: string; detail?: string } | undefined => {
  const e = r.out.find((o) => o.type === "error");
  return e
    ? { code: String(e.code), ...(e.detail ? { detail: String(e.detail) } : {}) }
    : undefined;
};

/** Every edge the replies reported, first-seen order, each once. */
export function edgesOf(replies: readonly StepReply[]): string[] {
  const seen = new Set<string>();
  for (const r of replies) for (const e of r.edges ?? []) seen.add(e);
  return [...seen];
}

/** JSON text with object keys sorted, so values compare whatever order an IUT wrote keys in. */
// spec: PD-166
export function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  );
}
