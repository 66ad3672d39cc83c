/**
 * Checkers for the group-keying vectors (`vectors/group-keying/*.json`,
 * schema `group-keying.schema.json`): they start the IUT's member from a
 * snapshot (protected messages, rekeys) or its key server or member from the
 * group's fields (registration transcripts), drive the machine through the
 * test's input(s) and compare outputs, the member's view of its keys and
 * refusal codes with the vector. The unit tests run the same checkers on the
 * reference implementation.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { edgesOf, type IutBackend, protocolChecker, stableJson } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

type Out = JsonObject;

/** The verdict for a single-input test whose outcome is an error code or a success check. */
function verdict(
  test: VectorTest,
  out: readonly Out[],
  success: () => string | undefined,
  edges: readonly string[],
): CaseOutcome {
  const error = out.find((o) => o.type === "error");
  if (test.result === "invalid") {
    if (error && error.code === test.error) return { verdict: "pass", observed: error.code, edges };
    return {
      verdict: "fail",
      expected: test.error,
      observed: error ? { code: error.code, detail: error.detail } : out.map((o) => o.type),
      message: error ? "refused with another code" : "accepted what it must refuse",
      edges,
    };
  }
  if (error) {
    return {
      verdict: "fail",
      expected: "success",
      observed: { code: error.code, detail: error.detail },
      message: "refused unexpectedly",
      edges,
    };
  }
  const problem = success();
  return problem ? { verdict: "fail", message: problem, edges } : { verdict: "pass", edges };
}

/** Starts a member from the group's snapshot and feeds it one input. */
async function snapshotStep(
  iut: IutBackend,
  group: VectorGroup,
  input: JsonObject,
  lastSeen?: unknown,
): Promise<StepReply> {
  await iut.init("group-keying.member", {
    snapshot: group.member as JsonObject,
    ...(lastSeen ? { lastSeen: lastSeen as JsonObject } : {}),
  });
  return await iut.step(input);
}

async function checkSpdu(iut: IutBackend, test: VectorTest, group: VectorGroup) {
  const r = await snapshotStep(iut, group, {
    type: "spdu",
    data: test.data as string,
    ...(test.from !== undefined ? { from: test.from as string } : {}),
    now: (test.now ?? group.now) as number,
  }, test.lastSeen);
  return verdict(test, r.out, () => {
    const d = r.out.find((o) => o.type === "deliver");
    if (!d) return "nothing delivered";
    if (d.payload !== test.payload) return "payload differs";
    return undefined;
  }, edgesOf([r]));
}

async function checkRekey(iut: IutBackend, test: VectorTest, group: VectorGroup) {
  const snap = group.member as JsonObject;
  const r = await snapshotStep(iut, group, {
    type: "message",
    data: test.data as string,
    from: snap.keyServerJid,
    now: test.now as number,
  });
  return verdict(test, r.out, () => {
    const expect = test.expect as { outcome: string; rootVersion?: number; keyIds?: number[] };
    const event = (r.out.find((o) => o.type === "event")?.event ?? undefined) as
      | { type: string }
      | undefined;
    if (event?.type !== expect.outcome) {
      return `outcome ${event?.type} instead of ${expect.outcome}`;
    }
    if (expect.outcome === "excluded") return r.phase === "excluded" ? undefined : "not excluded";
    if (!r.view) return "the member's reply has no view";
    if (r.view.rootVersion !== expect.rootVersion) return "root version differs";
    return stableJson(r.view.keyIds) === stableJson(expect.keyIds)
      ? undefined
      : "traffic keys differ";
  }, edgesOf([r]));
}

interface Step {
  readonly input: JsonObject;
  readonly expect: { out?: Record<string, unknown>[]; error?: string };
}

/** Compares one step's outputs with the expected list (type plus every field given). */
function compare(out: readonly Out[], expect: Step["expect"]): string | undefined {
  if (expect.error !== undefined) {
    const e = out.find((o) => o.type === "error");
    return e?.code === expect.error
      ? undefined
      : `expected ${expect.error}, got ${e ? e.code : out.map((o) => o.type).join(",")}`;
  }
  const want = expect.out ?? [];
  if (out.length !== want.length) {
    return `outputs ${
      out.map((o) => o.type === "error" ? `error ${o.code}` : o.type).join(",")
    } instead of ${want.map((o) => o.type).join(",")}`;
  }
  for (const [i, w] of want.entries()) {
    for (const [k, v] of Object.entries(w)) {
      if (stableJson(out[i][k]) !== stableJson(v)) return `output ${i} field ${k} differs`;
    }
  }
  return undefined;
}

async function runTranscript(
  iut: IutBackend,
  machine: string,
  config: JsonObject,
  test: VectorTest,
) {
  const steps = test.steps as Step[];
  const replies = [await iut.init(machine, config)];
  for (const [i, s] of steps.entries()) {
    const r = await iut.step(s.input);
    replies.push(r);
    const problem = compare(r.out, s.expect);
    if (problem) {
      return {
        verdict: "fail",
        message: `step ${i + 1}: ${problem}`,
        edges: edgesOf(replies),
      } as const;
    }
  }
  const edges = edgesOf(replies);
  const last = steps.at(-1)!.expect;
  if (test.result === "invalid" && last.error !== test.error) {
    return {
      verdict: "fail",
      message: "the vector's last step does not name its error",
      edges,
    } as const;
  }
  return { verdict: "pass", observed: last.error, edges } as const;
}

const KEY_SERVER = "group-keying.key-server", MEMBER = "group-keying.member";

/** The group-keying checkers, run against `iut`. */
export function groupKeyingCheckers(iut: IutBackend): GroupChecker[] {
  const needs = (machine: string) => () => ({ machines: [machine] });
  return [
    protocolChecker(iut, "group-spdu", needs(MEMBER), (t, g) => checkSpdu(iut, t, g)),
    protocolChecker(iut, "gdoi-rekey", needs(MEMBER), (t, g) => checkRekey(iut, t, g)),
    protocolChecker(
      iut,
      "gdoi-ks-registration",
      needs(KEY_SERVER),
      (t, g) => runTranscript(iut, KEY_SERVER, g.keyServer as JsonObject, t),
    ),
    protocolChecker(
      iut,
      "gdoi-member-registration",
      needs(MEMBER),
      (t, g) => runTranscript(iut, MEMBER, g.member as JsonObject, t),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = groupKeyingCheckers(reference);
