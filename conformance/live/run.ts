/**
 * Runs the live checks against one server in a fixed order and turns the
 * results into a conformance {@link Report} (one case per check), so the
 * JSON, JUnit and HTML writers serve live runs unchanged. Order: probes
 * without login, logins, presence between the first two accounts, `from`
 * stamping, the room, and last the abrupt disconnect of the second account.
 * A check that cannot run for lack of accounts or a room service is not
 * applicable, with the reason; a check whose setup failed fails.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { systemEntropy } from "../../core/entropy.ts";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import denoConfig from "../../deno.json" with { type: "json" };
import {
  aggregateRequirements,
  type CaseResult,
  count,
  jsonSafe,
  type Report,
  type RequirementInfo,
} from "../report.ts";
import {
  checkAbruptDisconnect,
  checkFromStamping,
  checkNonMember,
  checkVoiceless,
  presenceRelation,
  type RoomSetup,
  setUpRoom,
} from "./checks_session.ts";
import { checkClearAuth, featureProbe, judgeScram } from "./checks_stream.ts";
import { bareOf, login } from "./sessions.ts";
import {
  type CheckName,
  type CheckResult,
  CHECKS,
  describeError,
  type LiveOptions,
  result,
} from "./types.ts";

/** PD-174: presence unavailable must arrive within this many ms of the drop. */
export const DEFAULT_MAX_DELAY_MS = 5_000;

const why = describeError;

/** Runs every check; never throws for a server's behaviour. */
export async function runLiveChecks(
  o: LiveOptions,
  onResult: (r: CheckResult) => void = () => {},
): Promise<CheckResult[]> {
  const entropy = o.entropy ?? systemEntropy;
  const timeoutMs = o.stepTimeoutMs ?? 10_000;
  const maxDelayMs = o.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const results = new Map<CheckName, CheckResult>();
  const put = (name: CheckName, r: CheckResult) => {
    if (results.has(name)) return;
    results.set(name, r);
    onResult(r);
  };
  const skip = (names: CheckName[], reason: string, verdict: "fail" | "not-applicable") => {
    for (const n of names) put(n, result(n, verdict, reason));
  };
  const [acctA, acctB, acctC] = o.accounts;
  const domain = bareOf(acctA.jid).split("@").pop()!;
  const clients: XmppClient[] = [];
  try {
    const features = await featureProbe(o, domain);
    put("starttls", features.starttls);
    put("clearAuth", await checkClearAuth(o, domain, entropy));

    const logged = async (acct: typeof acctA, resource?: string) => {
      const c = await login(o, acct, entropy, resource);
      clients.push(c);
      return c;
    };
    let a: XmppClient;
    try {
      a = await logged(acctA, `live-${toHex(entropy.bytes(4))}`);
      put("scram", judgeScram(features.probe, { client: a }));
    } catch (e) {
      put("scram", judgeScram(features.probe, { error: e }));
      skip(
        ["from", "rosterGone", "roomGone", "voiceless", "nonMember"],
        `login failed: ${why(e)}`,
        "fail",
      );
      return order(results);
    }
    if (!acctB) {
      skip(
        ["from", "rosterGone", "roomGone", "voiceless", "nonMember"],
        "needs a second --account",
        "not-applicable",
      );
      return order(results);
    }
    let b: XmppClient, c: XmppClient | undefined;
    try {
      b = await logged(acctB, `live-${toHex(entropy.bytes(4))}`);
      if (acctC) c = await logged(acctC, `live-${toHex(entropy.bytes(4))}`);
    } catch (e) {
      skip(
        ["from", "rosterGone", "roomGone", "voiceless", "nonMember"],
        `login failed: ${why(e)}`,
        "fail",
      );
      return order(results);
    }

    const relation = await presenceRelation(a, b, timeoutMs).catch(() => undefined);
    if (!relation) {
      put(
        "rosterGone",
        result("rosterGone", "fail", "the first account never saw the second's presence"),
      );
    }

    // spec: DL-LIVE-4
    try {
      const spoofer = await logged(acctA, `live-spoof-${toHex(entropy.bytes(4))}`);
      const spoofAs = acctC ? bareOf(acctC.jid) : `derlink-live-nobody@${domain}`;
      put("from", await checkFromStamping(spoofer, b, spoofAs, entropy, timeoutMs));
    } catch (e) {
      put("from", result("from", "fail", `setup failed: ${why(e)}`));
    }

    let room: RoomSetup | undefined;
    if (!o.roomService) {
      skip(["roomGone", "voiceless", "nonMember"], "needs --room-service", "not-applicable");
    } else {
      try {
        room = await setUpRoom(a, b, o.roomService, entropy, timeoutMs);
        put("voiceless", await checkVoiceless(room, entropy, timeoutMs));
        if (c) put("nonMember", await checkNonMember(room, c, timeoutMs));
        else put("nonMember", result("nonMember", "not-applicable", "needs a third --account"));
      } catch (e) {
        skip(["roomGone", "voiceless", "nonMember"], `room setup failed: ${why(e)}`, "fail");
      }
    }

    const gone = await checkAbruptDisconnect(
      a,
      b,
      relation !== undefined,
      room,
      maxDelayMs,
      timeoutMs,
    );
    if (gone.roster) put("rosterGone", withSetup(gone.roster, relation));
    if (gone.room) put("roomGone", gone.room);
    return order(results);
  } catch (e) {
    for (const name of Object.keys(CHECKS) as CheckName[]) {
      put(name, result(name, "fail", `the checker stopped: ${why(e)}`));
    }
    return order(results);
  } finally {
    await Promise.all(clients.map((c) => c.isClosed ? undefined : c.close().catch(() => {})));
  }
}

function withSetup(r: CheckResult, relation: string | undefined): CheckResult {
  return relation ? { ...r, observed: { ...r.observed, contacts: relation } } : r;
}

function order(results: Map<CheckName, CheckResult>): CheckResult[] {
  return (Object.keys(CHECKS) as CheckName[]).flatMap((n) => results.get(n) ?? []);
}

/** The live run as a conformance report: suite "live", one case per check. */
export function liveReport(
  o: Pick<LiveOptions, "host" | "port">,
  results: readonly CheckResult[],
  started: Date,
  ended: Date,
  requirements: readonly RequirementInfo[],
): Report {
  const file = `live/${o.host}:${o.port}`;
  const cases: CaseResult[] = results.map((r, i) => ({
    suite: "live",
    file,
    groupType: "live-check",
    tcId: i + 1,
    comment: `${r.id}: ${r.title}`,
    flags: [],
    spec: r.spec,
    result: "valid",
    verdict: r.verdict,
    message: r.message,
    ...(r.observed ? { observed: jsonSafe(r.observed) } : {}),
  }));
  const summary = count(cases);
  return {
    meta: {
      tool: "derlink conformance (live)",
      derlinkVersion: denoConfig.version,
      date: started.toISOString(),
      durationMs: Math.max(0, ended.getTime() - started.getTime()),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      platform: `${Deno.build.os}-${Deno.build.arch}`,
      iut: `XMPP server at xmpp://${o.host}:${o.port} (live checks)`,
      selection: { suites: ["live"] },
      vectorsRoot: "none: live checks of a running server",
    },
    verdict: summary.fail > 0 ? "fail" : "pass",
    summary,
    problems: [],
    suites: [{ suite: "live", files: [file], ...summary }],
    requirements: aggregateRequirements(cases, requirements, false),
    coverage: [],
    cases,
  };
}
