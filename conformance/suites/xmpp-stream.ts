/**
 * Checker for the XMPP stream vectors (`vectors/xmpp-stream/*.json`, schema
 * `xmpp-stream.schema.json`): replays one role of the stream through the
 * reference machine (checked driver) and compares the final phase, the
 * error codes in order, and for valid transcripts every byte written and
 * every stanza delivered. The outcome lists the transition edges covered.
 *
 * @module
 */
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { replay, type ReplayCase } from "../../state-machines/xmpp-stream/replay.ts";
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

function checkReplay(test: VectorTest, group: VectorGroup): CaseOutcome {
  const expect = test.expect as Expect;
  let r;
  try {
    r = replay({
      role: group.role as ReplayCase["role"],
      config: test.config as ReplayCase["config"],
      limits: test.limits as ReplayCase["limits"],
      steps: test.steps as ReplayCase["steps"],
    });
  } catch (e) {
    return {
      verdict: "fail",
      expected: expect,
      message: `replay threw: ${e instanceof Error ? e.message : e}`,
    };
  }
  const observed = {
    phase: r.phase,
    errors: r.errors,
    established: r.established,
    events: r.events,
    ...(expect.sent ? { sent: r.sent, stanzas: r.stanzas } : {}),
  };
  const problems: string[] = [];
  if (r.phase !== expect.phase) problems.push(`phase ${r.phase}, expected ${expect.phase}`);
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
      observed: r.errors.at(-1) ?? r.phase,
      edges: r.edges,
    }
    : { verdict: "fail", expected: expect, observed, message: problems.join("; "), edges: r.edges };
}

/** The XMPP stream checkers of the reference implementation. */
export const checkers: GroupChecker[] = [{ groupType: "xmpp-stream-replay", check: checkReplay }];
