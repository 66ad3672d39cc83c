/**
 * Checker for the XMPP stream vectors (`vectors/xmpp-stream/*.json`, schema
 * `xmpp-stream.schema.json`): replays one role of the stream through the
 * IUT's machine (`xmpp-stream.initiator` / `xmpp-stream.receiver`) and
 * compares the final phase, the error codes in order, and for valid
 * transcripts every byte written and every stanza delivered. The outcome
 * lists the transition edges covered.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import {
  type JsonStreamOutput,
  summariseOutputs,
} from "../../state-machines/xmpp-stream/replay.ts";
import { edgesOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

interface Expect {
  readonly phase: string;
  readonly errors: readonly string[];
  readonly established?: string;
  readonly sent?: readonly string[];
  readonly stanzas?: readonly string[];
  readonly events: readonly string[];
}

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a === undefined || (b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

const machineOf = (group: VectorGroup) => `xmpp-stream.${group.role}`;

async function checkReplay(
  iut: IutBackend,
  test: VectorTest,
  group: VectorGroup,
): Promise<CaseOutcome> {
  const expect = test.expect as Expect;
  const replies: StepReply[] = [
    await iut.init(machineOf(group), {
      ...(test.config as JsonObject),
      ...(test.limits !== undefined ? { limits: test.limits as JsonObject } : {}),
    }),
  ];
  for (const step of test.steps as JsonObject[]) replies.push(await iut.step(step));
  const edges = edgesOf(replies);
  const phase = replies.at(-1)!.phase;
  const r = summariseOutputs(replies.flatMap((x) => x.out) as unknown as JsonStreamOutput[]);
  const observed = {
    phase,
    errors: r.errors,
    established: r.established,
    events: r.events,
    ...(expect.sent ? { sent: r.sent, stanzas: r.stanzas } : {}),
  };
  const problems: string[] = [];
  if (phase !== expect.phase) problems.push(`phase ${phase}, expected ${expect.phase}`);
  if (!same(expect.errors, r.errors)) {
    problems.push(`errors [${r.errors}], expected [${expect.errors}]`);
  }
  if (test.result === "invalid" && r.errors.at(-1) !== test.error) {
    problems.push(`last error is not ${test.error}`);
  }
  if (test.result === "valid" && r.errors.length > 0) {
    problems.push("a valid transcript reported errors");
  }
  if (expect.established !== r.established) problems.push(`established ${r.established}`);
  if (!same(expect.events, r.events)) problems.push(`events [${r.events}]`);
  if (!same(expect.sent, r.sent)) problems.push("bytes written differ");
  if (!same(expect.stanzas, r.stanzas)) problems.push("stanzas delivered differ");
  return problems.length === 0
    ? {
      verdict: "pass",
      expected: test.error ?? expect.phase,
      observed: r.errors.at(-1) ?? phase,
      edges,
    }
    : { verdict: "fail", expected: expect, observed, message: problems.join("; "), edges };
}

/** The XMPP stream checkers, run against `iut`. */
export function xmppStreamCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "xmpp-stream-replay",
      (g) => ({ machines: [machineOf(g)] }),
      (t, g) => checkReplay(iut, t, g),
    ),
  ];
}

/** The XMPP stream checkers of the reference implementation. */
export const checkers: GroupChecker[] = xmppStreamCheckers(reference);
