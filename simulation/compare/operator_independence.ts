/**
 * Whether a configuration depends on who runs the XMPP server (PAPER-TA3,
 * PD-259), judged from its attack outcomes: the paper lets the grid
 * operator or a third party run the server, trusted for routing only
 * (PAPER-TA5), so the design holds TA3 in a configuration exactly when
 * nothing a server operator can do there succeeds — reading, forging or
 * replaying commands, or issuing itself a certificate from its own CA. A
 * configuration where one of them succeeds needs the server operator to be
 * trusted, i.e. run by the grid operator.
 *
 * @module
 */
import type { AttackId, AttackResult } from "./attacks.ts";

/** The attacks the XMPP server operator makes, in the table's order. */
export const SERVER_OPERATOR_ATTACKS: readonly AttackId[] = [
  "server-reads",
  "forged-command",
  "replayed-command",
  "replayed-command-late",
  "operator-ca",
];

export interface Independence {
  readonly holds: boolean;
  readonly evidence: string;
}

/** PAPER-TA3 for one configuration, from its attack outcomes. */
// spec: PAPER-TA3 PAPER-TA5 PD-259
export function operatorIndependence(
  attacks: Readonly<Partial<Record<AttackId, AttackResult>>>,
): Independence {
  const succeeded = SERVER_OPERATOR_ATTACKS.filter((id) => attacks[id]?.outcome === "succeeded");
  const ran = SERVER_OPERATOR_ATTACKS.filter((id) =>
    attacks[id] !== undefined && attacks[id]!.outcome !== "n/a"
  );
  if (succeeded.length > 0) {
    return {
      holds: false,
      evidence: `the server operator succeeded (${succeeded.join(", ")}): it must be trusted`,
    };
  }
  return ran.length === SERVER_OPERATOR_ATTACKS.length
    ? { holds: true, evidence: "every attack of the server operator blocked or detected" }
    : {
      holds: false,
      evidence: `not shown: ${
        SERVER_OPERATOR_ATTACKS.filter((id) => !ran.includes(id)).join(", ")
      } did not run`,
    };
}

/** Rows of the section: combination, verdict. */
export function independenceRows(
  combos: readonly {
    readonly name: string;
    readonly attacks?: Readonly<Partial<Record<AttackId, AttackResult>>>;
  }[],
): string[][] {
  return combos.filter((c) => c.attacks).map((c) => {
    const v = operatorIndependence(c.attacks!);
    return [c.name, `${v.holds ? "yes" : "no"}: ${v.evidence}`];
  });
}

export const INDEPENDENCE_READING =
  `The paper lets the grid operator or a third party run the XMPP server (trust relation 3,
PAPER-TA3) and trusts it for routing only (PAPER-TA5). A configuration is independent of who runs
the server when every attack of the server operator above (reading, forging, replaying a command,
issuing itself a certificate from its own CA) was blocked or detected in the run; where one
succeeded, the server operator must be trusted (PD-259).`;
