/**
 * The scenario of issue 6 item 5, on any `Network`: the key server, the
 * control centre and the market operator log in; the control centre
 * creates one room per group and registers as each group's publisher; the
 * market operator creates the tariff node and publishes a first tariff;
 * then the DERs join, spread over the first 30 % of the run (login,
 * A-profile session and association started by the control centre, room
 * join, group registration, tariff subscription). Timeline, as shares of
 * the run: 40 % a tariff update; 50 % the red light, one group command per
 * group to all DERs; 60 % a share of the DERs drops out (transport cut:
 * presence loss aborts their associations at the control centre, the key
 * server evicts them one rekey per group); 70 % the dropped DERs come back
 * online and re-enter their rooms, still holding their old keys; 80 % the
 * next group command, which the present DERs apply and the evicted ones
 * cannot open. Counters, the event log and the plot samples go to Metrics.
 *
 * Options beyond the fleet: the credential plan (`credentials`, PD-254:
 * who issues the certificates, login by password or certificate) and the
 * key server's placement (`keyPlacement`, PD-258: its own login, or inside
 * the control centre's, which is then also the key server's address).
 * Access control (`access`, simulation/access.ts): the network gets the
 * option and the scenario's ACL in its setup and applies them itself.
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import type { LightDecision } from "../apps/control-centre/traffic_light.ts";
import { type Addresses, groupName, type SimContext } from "./context.ts";
import { ControlCentre, type DerRecord } from "./control_centre.ts";
import { DerNode, type DerSpec } from "./der_node.ts";
import { type GroupSpec, KeyServerNode } from "./key_server.ts";
import { MarketNode } from "./market.ts";
import { Metrics } from "./metrics.ts";
import type { Network, NetworkSetup } from "./network.ts";
import { JOIN_BATCH_MS, type SimulationOptions } from "./options.ts";
import { provision, type Provisioned } from "./pki.ts";
import { DEFAULT_CERTIFICATE_MEMO_CAPACITY, setPkiMemoCapacity } from "../core/pki/validate.ts";
import { checkRun, type PowerSnapshot, type RunChecks } from "./checks.ts";
import { type PhaseSummary, PhaseTimer } from "./phases.ts";
import { assertPlaintextAllowed } from "../state-machines/association/plaintext.ts";
import type { Identity } from "./pki.ts";
import {
  DEFAULT_KEY_SERVER_PLACEMENT,
  type GroupIdentity,
  placeKeyServer,
} from "../state-machines/group-keying/placement.ts";
import { GridOperator } from "./operator.ts";
import { accessSetup, usesOperatorTokens } from "./access.ts";

/** 2025-06-21 10:30 UTC: the PV fleet is near its midday output. */
export const START = Date.UTC(2025, 5, 21, 10, 30);
const DOMAIN = "grid.example";

/** Share of the run at which each step happens. */
export const TIMELINE = {
  joinEnd: 0.3,
  tariffUpdate: 0.4,
  red: 0.5,
  dropout: 0.6,
  reconnect: 0.7,
  command: 0.8,
} as const;

export interface ScenarioResult {
  readonly options: SimulationOptions;
  readonly phases: readonly PhaseSummary[];
  readonly metrics: Metrics;
  readonly checks: RunChecks;
  readonly provision: { readonly wallMs: number; readonly cached: boolean };
  readonly durationMs: number;
}

/** Builds a network for the scenario (the in-memory router, or a real server's fleet driver). */
export type NetworkFactory = (setup: NetworkSetup, pki: Provisioned) => Network;

export interface RunHooks {
  /** Progress: share of virtual time done, and the phase. */
  progress?(done: number, phase: string): void;
}

export async function runScenario(
  o: SimulationOptions,
  makeNetwork: NetworkFactory,
  hooks: RunHooks = {},
): Promise<ScenarioResult> {
  const protection = o.protection ?? "a-profile";
  // spec: PD-247 DL-CMP-PROT-2
  if (protection === "none") assertPlaintextAllowed(o.insecurePlaintextForTestOnly, "simulation");
  const width = Math.max(5, String(o.ders).length);
  const accounts = Array.from(
    { length: o.ders },
    (_, i) => `der${String(i + 1).padStart(width, "0")}`,
  );
  const placement = o.keyPlacement ?? DEFAULT_KEY_SERVER_PLACEMENT;
  // spec: PD-258 DL-CRED-7
  const hosted = placement === "control-centre";
  const at: Addresses = {
    cc: `dno@${DOMAIN}`,
    ccFull: `dno@${DOMAIN}/cc`,
    ks: hosted ? `dno@${DOMAIN}` : `kdc@${DOMAIN}`,
    ksFull: hosted ? `dno@${DOMAIN}/cc` : `kdc@${DOMAIN}/ks`,
    market: `market@${DOMAIN}`,
    marketFull: `market@${DOMAIN}/mo`,
    pubsub: `pubsub.${DOMAIN}`,
    node: "tariffs/grid",
  };
  const t0 = performance.now();
  const pki = await provision({
    seed: o.seed,
    suite: "x25519-ed25519",
    domain: DOMAIN,
    cc: "dno",
    ks: "kdc",
    market: "market",
    ders: accounts,
    now: START,
    cacheDir: o.pkiCache,
    credentials: o.credentials,
  });
  const provisionMs = performance.now() - t0;
  // Every certificate of the run fits the validation memo, so each is parsed and its
  // signature verified once, however large the fleet (PD-261).
  setPkiMemoCapacity(Math.max(DEFAULT_CERTIFICATE_MEMO_CAPACITY, accounts.length + 16));

  // spec: PD-243
  const operator = usesOperatorTokens(o.access) ? new GridOperator(o.seed, DOMAIN) : undefined;
  const rosterGroups: Record<string, string[]> = {};
  const kdc = hosted ? [] : ["kdc"];
  for (const a of accounts) rosterGroups[a] = ["dno", ...kdc, a];
  const logins = ["dno", ...kdc, "market", ...accounts];
  const net = makeNetwork({
    domain: DOMAIN,
    accounts: logins,
    pubsubAdmins: ["market"],
    rosterGroups,
    discoItems: [{ jid: at.ksFull, name: "derlink key server" }],
    start: START,
    seed: o.seed,
    scramIterations: o.scramIterations,
    ...(operator ? { operator } : {}),
    // spec: DL-SIM-ACC-1
    ...accessSetup(o.access, { domain: DOMAIN, accounts: logins }, o.groupSize),
  }, pki);
  const metrics = new Metrics();
  const ctx: SimContext = {
    net,
    clock: net.clock,
    grid: pki.grid,
    at,
    seed: o.seed,
    keyPath: o.keyPath,
    // spec: PD-268
    joinBatchMs: o.joinBatchMs ?? JOIN_BATCH_MS,
    metrics,
    stream: "commands",
    protection,
    insecurePlaintextForTestOnly: o.insecurePlaintextForTestOnly === true,
    ...(o.access === "option-3" ? { tokens: operator } : {}),
  };

  // spec: PD-192 PD-190
  const fleet = new SeededEntropy(`${o.seed}/fleet`);
  const specs: DerSpec[] = accounts.map((account, i) => ({
    index: i,
    account,
    ld: `DER${i + 1}`,
    group: groupName(Math.floor(i / o.groupSize)),
    ratedW: 3_000 + (fleet.bytes(1)[0] % 28) * 1_000,
    id: pki.grid.ders[i],
  }));
  const groups: GroupSpec[] = [];
  for (const s of specs) {
    if (groups.at(-1)?.name !== s.group) groups.push({ name: s.group, members: [] });
    (groups.at(-1)!.members as string[]).push(s.id.jid);
  }
  const records: DerRecord[] = specs.map((s) => ({
    bare: s.id.jid,
    ld: s.ld,
    group: s.group,
    ratedW: s.ratedW,
    chain: s.id.chain,
  }));

  let simW = 0;
  const groupId = (id: Identity): GroupIdentity => ({
    jid: id.jid,
    chain: id.chain,
    key: id.signer,
  });
  // spec: PD-231 PD-258
  const placed = placeKeyServer(placement, {
    controlCentre: groupId(pki.grid.cc),
    kdc: groupId(pki.grid.ks),
  });
  const ks = new KeyServerNode(ctx, groups, placed);
  const cc = new ControlCentre(ctx, records, groups);
  if (placed.hostedByControlCentre) cc.hostKeyServer(ks);
  const market = new MarketNode(ctx, specs.map((s) => s.id.jid));
  const ders = specs.map((s) =>
    new DerNode(ctx, s, { output: (_d, before, after) => (simW += after - before) })
  );
  const dropped = pickDropouts(ders, o, fleet);

  // The timeline.
  const D = o.minutes * 60_000;
  const when = (share: number) => START + Math.round(D * share);
  const clock = ctx.clock;
  if (!placed.hostedByControlCentre) ks.login();
  cc.login();
  market.login();
  clock.at(START + 1_000, () => market.publish(1));
  const joinStart = START + 2_000, joinSpan = when(TIMELINE.joinEnd) - joinStart;
  // A DER logs in once the rooms and the tariff node exist (at once in memory; over a real
  // server they take round trips, and a DER entering a room first would own it).
  // Once they exist a DER need not ask again (each ask looks at every group's publisher).
  let infra = false;
  const infraReady = () => infra ||= cc.ready && market.ready;
  const login = (d: DerNode) => {
    const go = () => infraReady() ? d.login() : clock.at(clock.now + 500, go);
    go();
  };
  ders.forEach((d, i) =>
    clock.at(joinStart + Math.floor((i * joinSpan) / ders.length), () => login(d))
  );

  clock.at(when(TIMELINE.tariffUpdate), () => {
    metrics.commandMarks.push({ t: clock.now, label: "tariff update" });
    market.publish(2);
  });
  const red = (pct: number) => (group: string): LightDecision => ({
    light: "red",
    group,
    limitPct: pct,
    revertS: 3_600,
    rampS: 0,
    windowS: 0,
  });
  clock.at(when(TIMELINE.red), () => {
    metrics.commandMarks.push({ t: clock.now, label: `red ${o.limitPct} %` });
    cc.light(red(o.limitPct));
  });
  clock.at(when(TIMELINE.dropout), () => {
    metrics.commandMarks.push({ t: clock.now, label: `${dropped.length} drop out` });
    for (const d of dropped) {
      metrics.event(clock.now, "dropout", d.spec.account);
      d.cut();
    }
  });
  clock.at(when(TIMELINE.reconnect), () => {
    metrics.commandMarks.push({ t: clock.now, label: `${dropped.length} back, old keys` });
    // They come back over ten seconds, not in one instant.
    dropped.forEach((d, i) =>
      clock.at(clock.now + Math.floor((i * 10_000) / dropped.length), () => d.login())
    );
  });
  clock.at(when(TIMELINE.command), () => {
    metrics.commandMarks.push({ t: clock.now, label: `red ${o.secondLimitPct} %` });
    cc.light(red(o.secondLimitPct));
  });

  // Run, phase by phase, in slices (progress, plot samples).
  const phases = new PhaseTimer(metrics, net);
  const plan: [string, number][] = [
    ["join", TIMELINE.tariffUpdate],
    ["tariff update", TIMELINE.red],
    ["red light", TIMELINE.dropout],
    ["dropout + eviction", TIMELINE.command],
    ["next command", 1],
  ];
  const SLICES = 200;
  let slice = 0;
  const snapshots: Record<string, PowerSnapshot> = {};
  const snapshot = (): PowerSnapshot => ({
    t: clock.now,
    simW,
    simRatedW: ders.reduce((sum, d) => sum + (d.online ? d.spec.ratedW : 0), 0),
    viewW: cc.viewW,
    viewRatedW: cc.ratedW,
  });
  for (const [name, end] of plan) {
    // A phase ends just before the step that opens the next one.
    const last = end === 1 ? START + D : when(end) - 1;
    phases.begin(name, clock.now);
    while (clock.now < last) {
      const next = Math.min(last, START + Math.round((D * (slice + 1)) / SLICES));
      await net.runUntil(next);
      if (next === START + Math.round((D * (slice + 1)) / SLICES)) {
        slice++;
        metrics.samples.push({ t: clock.now, viewW: cc.viewW, simW, ratedW: cc.ratedW });
        hooks.progress?.(slice / SLICES, name);
      }
    }
    phases.end(clock.now);
    snapshots[name] = snapshot();
  }
  await net.close();
  const checks = checkRun({
    o,
    cc,
    ks,
    ders,
    dropped,
    metrics,
    beforeRed: snapshots["tariff update"],
    afterRed: snapshots["red light"],
    secondCommandAt: when(TIMELINE.command),
  });
  return {
    options: o,
    phases: phases.done,
    metrics,
    checks,
    provision: { wallMs: provisionMs, cached: pki.cached },
    durationMs: D,
  };
}

/** The DERs that drop out: a seeded draw of `dropoutPct` percent, spread over the groups. */
function pickDropouts(ders: DerNode[], o: SimulationOptions, entropy: SeededEntropy): DerNode[] {
  const n = Math.round((ders.length * o.dropoutPct) / 100);
  const order = ders.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const b = entropy.bytes(4);
    const j = (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, n).sort((a, b) => a - b).map((i) => ders[i]);
}
