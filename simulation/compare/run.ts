/**
 * Runs the scenario (simulation/scenario.ts, in-memory router, virtual
 * time) for one configuration through the tap, and derives what the
 * comparison reports: deterministic traffic figures, measured CPU and wall
 * times (PD-238), and the attack outcomes (attacks.ts), each attack in its
 * own run with the same seed so a difference from the clean run is the
 * attack's doing.
 *
 * @module
 */
import { groupName } from "../context.ts";
import type { NetworkSetup } from "../network.ts";
import { DEFAULTS, type SimulationOptions } from "../options.ts";
import type { Provisioned } from "../pki.ts";
import {
  type NetworkFactory,
  runScenario,
  type ScenarioResult,
  START,
  TIMELINE,
} from "../scenario.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import {
  type AttackId,
  type AttackResult,
  copyStanza,
  forge,
  isRoomCommand,
  judgeEvicted,
  judgeInjected,
  judgeServerReads,
  judgeThief,
  type RunCounts,
  ThiefLog,
  thiefStanzas,
  watchThief,
} from "./attacks.ts";
import { type Combination, keyPathOf } from "./combinations.ts";
import { TARIFF_NODE } from "../scenario_acl.ts";
import { TappedNetwork } from "./tap.ts";
import { installMinted, judgeMinted, type MintCounts, MintLog } from "./attack_operator_ca.ts";
import { priorityPresence, rogueOn, stolenEndToEnd } from "./rogue_member.ts";
import { COMPARE_VALUES } from "../../apps/options.ts";
import { type CredentialsChoice, isCredentialsChoice, LOGIN_OF } from "../credentials.ts";
import { CERTIFICATE_LOGINS_AT_SERVER, memoryNetwork } from "../run.ts";
import { accessOptions } from "./access_wiring.ts";
import { expiredTokenAttack, refusedByTarget } from "./attack_tokens.ts";

export interface RunSettings {
  readonly ders: number;
  readonly seed: string;
  readonly minutes: number;
  readonly groupSize: number;
  readonly pkiCache?: string;
  /** Share of DERs that drop out (and are evicted), percent. */
  readonly dropoutPct: number;
}

/** The scenario's phases (scenario.ts's plan) by virtual time. */
export const PHASES = [
  ["join", 0],
  ["tariff update", TIMELINE.tariffUpdate],
  ["red light", TIMELINE.red],
  ["dropout + eviction", TIMELINE.dropout],
  ["next command", TIMELINE.command],
] as const;

const durationOf = (s: RunSettings) => s.minutes * 60_000;
const when = (s: RunSettings, share: number) => START + Math.round(durationOf(s) * share);

export function phaseAt(s: RunSettings, t: number): string {
  let name: string = PHASES[0][0];
  for (const [n, share] of PHASES) if (t >= when(s, share)) name = n;
  return name;
}

export function scenarioOptions(c: Combination, s: RunSettings): SimulationOptions {
  return {
    ders: s.ders,
    minutes: s.minutes,
    seed: s.seed,
    groupSize: s.groupSize,
    keyPath: keyPathOf(c),
    dropoutPct: s.dropoutPct,
    limitPct: DEFAULTS.limitPct,
    secondLimitPct: DEFAULTS.secondLimitPct,
    scramIterations: DEFAULTS.scramIterations,
    pkiCache: s.pkiCache,
    servers: [],
    ...protectionOf(c),
    ...credentialOptions(c),
    ...accessOptions(c),
  };
}

/** The credential plan and key server placement as simulation options (none for the defaults). */
// spec: PD-254 PD-258 DL-CRED-3
export function credentialOptions(
  c: Combination,
): Pick<SimulationOptions, "credentials" | "keyPlacement"> {
  const placement = COMPARE_VALUES.keyPlacement[c.keyPlacement];
  if (!placement) throw new Error(`keyPlacement: unknown value ${c.keyPlacement}`);
  if (!isCredentialsChoice(c.credentials)) {
    throw new Error(`credentials: unknown value ${c.credentials}`);
  }
  return {
    ...(c.credentials === "separate/grid-ca" ? {} : { credentials: c.credentials }),
    ...(placement === "separate-kdc" ? {} : { keyPlacement: placement }),
  };
}

/** Whether the configuration's accounts log in by client certificate. */
export const certificateLogins = (c: Combination) =>
  LOGIN_OF[c.credentials as CredentialsChoice] === "certificate";

/**
 * The protection value as simulation options; the plaintext baseline is the
 * one place that sets the test-only flag, and only for the value "none" (PD-247).
 */
// spec: PD-247 PD-249 DL-CMP-PROT-1
export function protectionOf(
  c: Combination,
): Pick<SimulationOptions, "protection" | "insecurePlaintextForTestOnly"> {
  switch (c.protection) {
    case "a-profile":
      return {};
    case "per-message":
      return { protection: "per-message" };
    case "none":
      return { protection: "none", insecurePlaintextForTestOnly: true };
    default:
      throw new Error(`protection: unknown value ${c.protection}`);
  }
}

export interface Run {
  readonly result: ScenarioResult;
  readonly tap: TappedNetwork;
  readonly setup: NetworkSetup;
  readonly pki: Provisioned;
}

/** One scenario run of configuration `c`; `install` sets an attacker up before anyone logs in. */
// spec: PD-236 DL-CMP-1
export async function runOnce(
  c: Combination,
  s: RunSettings,
  keep: boolean,
  install?: (tap: TappedNetwork, setup: NetworkSetup, pki: Provisioned) => void,
  server?: NetworkFactory,
): Promise<Run> {
  // spec: PD-254
  if (server && certificateLogins(c)) throw new Error(CERTIFICATE_LOGINS_AT_SERVER);
  let tap: TappedNetwork | undefined,
    setup: NetworkSetup | undefined,
    prov: Provisioned | undefined;
  const result = await runScenario(scenarioOptions(c, s), (st, pki) => {
    // spec: DL-SIM-ACC-1
    const net = (server ?? memoryNetwork)(st, pki);
    setup = st;
    prov = pki;
    tap = new TappedNetwork(net, (t) => phaseAt(s, t), keep);
    install?.(tap, st, pki);
    return tap;
  });
  return { result, tap: tap!, setup: setup!, pki: prov! };
}

/** Commands applied, and every code a node reported: errors and refusals of group messages. */
function countsOf(r: ScenarioResult): RunCounts {
  const errors = new Map(r.metrics.errorCodes);
  for (const [code, n] of r.metrics.refusalCodes) errors.set(code, (errors.get(code) ?? 0) + n);
  return { applied: r.metrics.counts.commandsApplied, errors };
}

/** DER accounts of the first group that stay online, in order. */
function steadyDers(run: Run, s: RunSettings): string[] {
  const fixed = new Set(["dno", "kdc", "market"]);
  const ders = run.setup.accounts.filter((a) => !fixed.has(a)).slice(0, s.groupSize);
  return ders.filter((a) => !run.tap.cuts.includes(a));
}

/** Every attack against configuration `c` (expired-token only where tokens exist). */
// spec: PD-237 DL-CMP-4
export async function runAttacks(
  c: Combination,
  s: RunSettings,
): Promise<Record<AttackId, AttackResult>> {
  const clean = await runOnce(c, s, true);
  const ch = clean.result.checks;
  const out = {
    "server-reads": judgeServerReads(clean.tap.seen),
    "evicted-reads": judgeEvicted({
      dropped: ch.dropped.length,
      evictedApplied: ch.evictedApplied,
      evictedRefused: ch.evictedRefused,
      refusalCodes: ch.refusalCodes,
    }),
    // spec: PD-245
    "expired-token": await expiredTokenAttack(
      c,
      (share) => when(s, share),
      countsOf(clean.result),
      async (install) => countsOf((await runOnce(c, s, false, install)).result),
    ),
  } as Record<AttackId, AttackResult>;
  const [victim, other] = steadyDers(clean, s);
  const room = `${groupName(0)}@${clean.tap.mucDomain}`;
  // The second group's room (attack runs have two groups; with one, a room nobody made).
  const foreignRoom = `${groupName(1)}@${clean.tap.mucDomain}`;
  if (!victim || !other) {
    const none: AttackResult = {
      outcome: "n/a",
      evidence: "fewer than two steady DERs in group 1",
    };
    for (
      const id of [
        "forged-command",
        "replayed-command",
        "replayed-command-late",
        "operator-ca",
      ] as const
    ) {
      out[id] = none;
    }
    for (
      const id of ["stolen-address", "stolen-publish", "stolen-read", "stolen-other-room"] as const
    ) out[id] = none;
    return out;
  }
  const injectAt = when(s, (TIMELINE.red + TIMELINE.dropout) / 2);
  // Each injection: what the server delivers, and when (absolute, or this long after the capture).
  const injections = [
    ["replayed-command", copyStanza, { afterMs: 1_000 }],
    ["replayed-command-late", copyStanza, { at: injectAt }],
    ["forged-command", forge, { at: injectAt }],
  ] as const;
  for (const [id, change, timing] of injections) {
    let captured: Xel | undefined, delivered = false;
    const attacked = await runOnce(c, s, false, (tap) => {
      const fire = () => {
        if (captured) delivered = tap.inject(victim, change(captured));
      };
      tap.watch = (x) => {
        if (captured || x.account !== victim || !isRoomCommand(x, room)) return;
        captured = x.stanza;
        if ("afterMs" in timing) tap.clock.at(x.t + timing.afterMs, fire);
      };
      if ("at" in timing) tap.clock.at(timing.at, fire);
    });
    out[id] = judgeInjected(countsOf(clean.result), countsOf(attacked.result), delivered);
  }
  const log = new ThiefLog();
  const thief = await runOnce(c, s, false, (tap, setup, pki) => {
    const thiefJid = `${victim}@${setup.domain}/thief`;
    watchThief(tap, log, thiefJid, other);
    tap.clock.at(when(s, (TIMELINE.red + TIMELINE.dropout) / 2), () => {
      const link = tap.connect(victim, "thief", {
        established: () => {
          // spec: PD-257 DL-CRED-6
          const key = stolenEndToEnd(pki, `${victim}@${setup.domain}`);
          if (key) {
            link.send(priorityPresence());
            log.rogue = rogueOn(link, setup, pki, key, groupName(0));
            log.rogue.start(tap.clock.now);
          }
          const stanzas = thiefStanzas({
            otherDer: `${other}@${setup.domain}/der`,
            pubsub: tap.pubsubDomain,
            node: TARIFF_NODE,
            room,
            foreignRoom,
          });
          for (const st of stanzas) link.send(st);
        },
        stanza: (x) => {
          log.received.push(x);
          log.rogue?.stanza(x, tap.clock.now, x.attrs.from?.startsWith(`${room}/`) ?? false);
          const from = x.attrs.from ?? "";
          if (x.name === "presence" && from === `${room}/thief` && x.attrs.type !== "error") {
            log.joined = true;
          }
        },
        closed: () => {},
      });
    });
  });
  Object.assign(out, judgeThief(log, room, foreignRoom));
  // spec: PD-244
  out["stolen-address"] = refusedByTarget(
    out["stolen-address"],
    c,
    countsOf(clean.result),
    countsOf(thief.result),
  );
  // spec: PD-256 DL-CRED-5 PAPER-TA3
  const mint = new MintLog();
  const minted = await runOnce(c, s, false, (tap, setup, pki) =>
    installMinted({
      tap,
      setup,
      pki,
      victim,
      others: steadyDers(clean, s).filter((a) => a !== victim),
      group: groupName(0),
      room,
      registerAt: when(s, TIMELINE.red + (TIMELINE.dropout - TIMELINE.red) / 5),
      commandAt: injectAt,
      log: mint,
    }));
  out["operator-ca"] = judgeMinted(mintCounts(clean.result), mintCounts(minted.result), mint);
  return out;
}

/** The counts the operator's attack is judged on: every code, and the red-light phase's applied. */
function mintCounts(r: ScenarioResult): MintCounts {
  const red = r.phases.find((p) => p.name === "red light");
  return { ...countsOf(r), appliedInPhase: red?.counts.commandsApplied ?? 0 };
}
