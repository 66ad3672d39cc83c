/**
 * The attacks that only exist where the grid operator issues tokens
 * (PD-245), staged in their own runs and judged from what the run shows:
 *
 *  - Option 3: from the red light on, the control centre presents access
 *    tokens that expired an hour ago (a control centre whose authorization
 *    ran out, or that kept old tokens). Did the DERs act on them?
 *  - Option 2: half-way between the red light and the dropouts, the control
 *    centre's account logs in with a login token that expired an hour ago.
 *    Did the server let it in?
 *
 * And the stolen-login attack under Option 3: the server routes the thief's
 * message to the other DER, whose token gate refuses it — detected, with
 * the code, instead of merely delivered.
 *
 * @module
 */
import type { NetworkSetup } from "../network.ts";
import type { Provisioned } from "../pki.ts";
import { TIMELINE } from "../scenario.ts";
import type { AttackResult, RunCounts } from "./attacks.ts";
import type { Combination } from "./combinations.ts";
import type { TappedNetwork } from "./tap.ts";

type Install = (tap: TappedNetwork, setup: NetworkSetup, pki: Provisioned) => void;
/** runOnce of run.ts, passed in (this file is imported by it). */
export type RunWith = (install: Install) => Promise<RunCounts>;

const r = (outcome: AttackResult["outcome"], evidence: string): AttackResult => ({
  outcome,
  evidence,
});

/** Codes the attacked run reported more often than the clean one, sorted. */
export const newCodes = (clean: RunCounts, attacked: RunCounts): string[] =>
  [...attacked.errors].filter(([code, n]) => n > (clean.errors.get(code) ?? 0))
    .map(([code]) => code).sort();

/** Option 3: commands under expired tokens (PD-245). */
// spec: PD-245 PD-244 DL-CMP-4 PAPER-OPT3
export function judgeExpiredCommands(
  clean: RunCounts,
  attacked: RunCounts,
  presented: number,
): AttackResult {
  if (presented === 0) return r("n/a", "no expired token was presented");
  if (attacked.applied >= clean.applied) {
    return r(
      "succeeded",
      `the DERs acted on expired tokens (${attacked.applied} commands applied)`,
    );
  }
  const codes = newCodes(clean, attacked);
  const applied = `${attacked.applied} of ${clean.applied} command applications made`;
  return codes.length > 0
    ? r("detected", `${applied}; refused: ${codes.join(", ")}`)
    : r("blocked", `${applied}, without a code`);
}

/** Option 2: a login with an expired login token (PD-245). */
// spec: PD-245 PD-242 DL-CMP-4 PAPER-OPT2
export function judgeExpiredLogin(
  tried: boolean,
  established: boolean,
  refusals: readonly string[],
): AttackResult {
  if (!tried) return r("n/a", "no login was tried");
  if (established) return r("succeeded", "logged in with an expired login token");
  return refusals.length > 0
    ? r("blocked", `login refused by the operator: ${[...new Set(refusals)].sort().join(", ")}`)
    : r("blocked", "login refused");
}

/** The expired-token attack of configuration `c`, in its own run (or n/a where no tokens exist). */
export async function expiredTokenAttack(
  c: Combination,
  when: (share: number) => number,
  clean: RunCounts,
  runWith: RunWith,
): Promise<AttackResult> {
  if (c.access === "option-3") {
    let operator: NetworkSetup["operator"];
    const attacked = await runWith((_tap, setup) => {
      operator = setup.operator;
      if (operator) operator.staleFrom = when(TIMELINE.red);
    });
    return judgeExpiredCommands(clean, attacked, operator?.staleIssued ?? 0);
  }
  if (c.access === "option-2") {
    let tried = false, established = false;
    let refusals: readonly string[] = [];
    await runWith((tap, setup) => {
      const operator = setup.operator;
      if (!operator) return;
      refusals = operator.loginRefusals;
      tap.clock.at(when((TIMELINE.red + TIMELINE.dropout) / 2), () => {
        tried = true;
        const stale = operator.staleLoginToken(`dno@${setup.domain}`, tap.clock.now);
        tap.connect("dno", "stale", {
          established: () => (established = true),
          stanza: () => {},
          closed: () => {},
        }, { bearerToken: stale });
      });
    });
    return judgeExpiredLogin(tried, established, refusals);
  }
  return r("n/a", "no tokens in this configuration");
}

/**
 * Under Option 3 the thief's message reaches the other DER, whose gate
 * refuses it: "detected" with the gate's codes rather than "succeeded".
 */
// spec: PD-244 PD-245 DL-CMP-4
export function refusedByTarget(
  address: AttackResult,
  c: Combination,
  clean: RunCounts,
  thief: RunCounts,
): AttackResult {
  if (c.access !== "option-3" || address.outcome !== "succeeded") return address;
  const codes = newCodes(clean, thief).filter((code) => code.startsWith("access/"));
  return codes.length > 0
    ? r("detected", `delivered; the DER's token gate refused it: ${codes.join(", ")}`)
    : address;
}
