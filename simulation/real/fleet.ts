/**
 * The fleet driver (issue 6, "interop against the real Prosody"): N DERs
 * and one control centre on a {@link Network} — a real server through
 * {@link RealNetwork}, or any network of the same shape — run through one
 * scenario, each phase timed:
 *
 * 1. the control centre logs in; the N DERs log in (each its own XMPP
 *    session) and announce presence; the control centre waits until it has
 *    seen every DER's available presence (roster groups pre-approved);
 * 2. it associates with every DER (A-profile handshake, then initiate);
 * 3. it commands every DER — select-with-value + operate of the active-power
 *    limit DRCC1.WMaxLimPct (SBO with enhanced security), waits for the
 *    command termination and reads back the limit's ctlNum — and checks
 *    each answer: a DER counts as acknowledged only when all four are right;
 * 4. `cut` DER connections are destroyed at once (no stream close); the
 *    control centre's associations with exactly those must abort (presence
 *    unavailable, or ping timeout, whichever comes first), each delay from
 *    its cut to its abort measured; the others are watched for `settleMs`
 *    and then each answers a read;
 * 5. the survivors are concluded in order and every session closed.
 *
 * @module
 */
import { type DerConfig, derConfig } from "../../apps/der/config.ts";
import type {
  ControlParameters,
  ServiceResponse,
} from "../../state-machines/association/services.ts";
import type { ClientSettings } from "../../state-machines/association/types.ts";
import { ControlCentreNode, type DerAssociation } from "./control_centre.ts";
import { DerNode } from "./der_node.ts";
import type { FleetPki } from "./fleet_pki.ts";
import type { Network, TrafficCounters } from "../network.ts";
import { type Distribution, distribution } from "./stats.ts";

export interface FleetAccount {
  readonly account: string;
  readonly resource: string;
}

export interface FleetRunOptions {
  readonly net: Network;
  /** The control centre's and the DERs' identities (DER i ↔ `ders[i]`). */
  readonly pki: FleetPki;
  readonly cc: FleetAccount;
  readonly ders: readonly FleetAccount[];
  /** How many DER connections to cut. */
  readonly cut: number;
  readonly seed: string;
  /** The control centre's association settings (pings, timeouts). */
  readonly ccSettings?: ClientSettings;
  /** The DER model of DER `i` (logical device `ld`); default a PV unit with defaults. */
  readonly derConfig?: (i: number, ld: string, ccBare: string) => DerConfig;
  /** Wall ms between two cuts; default 0 (all at once, as when a feeder's link fails). */
  readonly cutSpacingMs?: number;
  /** Bound on waiting for the cut DERs' aborts, wall ms. Default 15 s. */
  readonly abortTimeoutMs?: number;
  /** How long the other associations are watched after the last abort, wall ms. Default 1 s. */
  readonly settleMs?: number;
  /** Bound on every other phase, wall ms. Default 60 s. */
  readonly phaseTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface FleetResult {
  readonly n: number;
  /** Wall ms per phase. */
  readonly phases: Readonly<Record<string, number>>;
  /** Per-login time (TCP + STARTTLS + SCRAM + bind) where the network reports it. */
  readonly loginMs?: Distribution;
  /** DERs whose command was acknowledged and checked; the failures with the reason. */
  readonly acknowledged: number;
  readonly commandFailures: readonly string[];
  readonly cutDers: readonly string[];
  /** Cut → abort at the control centre, ms, for the cut DERs that aborted. */
  readonly abortDelays: Distribution;
  readonly abortDelaysMs: readonly number[];
  /** Cut → the DER's presence unavailable read at the control centre (the server's part), ms. */
  readonly presenceDelays: Distribution;
  readonly abortCauses: Readonly<Record<string, number>>;
  /** Cut DERs whose association did not abort in time. */
  readonly notAborted: readonly string[];
  /** Associations that ended although their DER was not cut. */
  readonly unexpectedAborts: readonly string[];
  /** Survivors that answered the read after the cut. */
  readonly aliveAfterCut: number;
  readonly concluded: number;
  readonly traffic: TrafficCounters;
  readonly errors: readonly string[];
}

const ldOf = (i: number) => `DER${String(i + 1).padStart(3, "0")}`;

/** Indices of `k` DERs spread evenly over `n`. */
export function spreadIndices(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.floor(((j + 0.5) * n) / k));
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Checks one answer; returns the problem or undefined. */
function problem(r: ServiceResponse, service: string, ctlNum?: number): string | undefined {
  if (r.service !== service) return `${service}: answered ${r.service}`;
  const c = r as { addCause?: string; ctlNum?: number };
  if (c.addCause !== undefined) return `${service}: ${c.addCause}`;
  if (ctlNum !== undefined && c.ctlNum !== ctlNum) return `${service}: ctlNum ${c.ctlNum}`;
  return undefined;
}

/** SBOw + operate of the active-power limit, its termination, and the ctlNum read back. */
// spec: IEC61850-SBOES IEC61850-CMDTERM PAPER-MAP1 PAPER-MAP2
async function commandOne(
  cc: ControlCentreNode,
  a: DerAssociation,
  ld: string,
  ccBare: string,
  ctlNum: number,
  now: number,
): Promise<string | undefined> {
  const control = `${ld}/DRCC1.WMaxLimPct`;
  const params: ControlParameters = {
    ctlVal: { type: "float", value: 50, width: 32 },
    origin: { orCat: "remote-control", orIdent: ccBare },
    ctlNum,
    t: now,
    test: false,
    check: { synchrocheck: false, interlockCheck: false },
  };
  const sel = await cc.request(a, { service: "select-with-value", control, params });
  const p1 = problem(sel, "select-with-value", ctlNum);
  if (p1) return p1;
  const terminated = cc.termination(a, control, ctlNum);
  const op = await cc.request(a, { service: "operate", control, params });
  const p2 = problem(op, "operate", ctlNum);
  if (p2) return p2;
  const t = await terminated;
  if (t.addCause !== undefined) return `termination: ${t.addCause}`;
  return await readCtlNum(cc, a, ld, ctlNum);
}

async function readCtlNum(
  cc: ControlCentreNode,
  a: DerAssociation,
  ld: string,
  ctlNum: number,
): Promise<string | undefined> {
  const r = await cc.request(a, {
    service: "read",
    items: [{ ref: `${ld}/DRCC1.WMaxLimPct.ctlNum`, fc: "ST" }],
  });
  if (r.service !== "read") return `read: answered ${r.service}`;
  const v = r.results[0];
  if (typeof v === "string") return `read: ${v}`;
  return v.type === "integer" && v.value === ctlNum
    ? undefined
    : `read: ctlNum ${JSON.stringify(v)}`;
}

/** Runs the whole scenario; never throws for a DER's failure (it is counted), only for setup. */
export async function runFleet(o: FleetRunOptions): Promise<FleetResult> {
  const log = o.log ?? (() => {});
  const timeout = o.phaseTimeoutMs ?? 60_000;
  const n = o.ders.length;
  if (o.pki.ders.length < n) throw new RangeError("fewer DER identities than DER accounts");
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = now - mark;
    mark = now;
    log(`${name}: ${phases[name].toFixed(0)} ms`);
  };
  const ccBare = o.pki.cc.jid;
  const cc = new ControlCentreNode({
    net: o.net,
    ...o.cc,
    identity: o.pki.cc,
    trust: o.pki.trust,
    settings: o.ccSettings,
    seed: o.seed,
  });
  const ders: DerNode[] = [];
  try {
    await within(cc.established, timeout, "control centre login");
    phase("control centre login");
    for (let i = 0; i < n; i++) {
      const ld = ldOf(i);
      ders.push(
        new DerNode({
          net: o.net,
          ...o.ders[i],
          identity: o.pki.ders[i],
          trust: o.pki.trust,
          controlCentres: [ccBare],
          der: o.derConfig?.(i, ld, ccBare) ??
            derConfig({
              ld,
              priorities: { [ccBare]: 200 },
              weather: { kind: "clear-sky", seed: i },
            }),
          seed: o.seed,
        }),
      );
    }
    await within(Promise.all(ders.map((d) => d.established)), timeout, "DER logins");
    phase("DER logins");
    const fulls = await within(
      Promise.all(o.pki.ders.slice(0, n).map((id) => cc.whenOnline(id.jid))),
      timeout,
      "every DER's presence at the control centre",
    );
    phase("presence of every DER");
    const assocs = await within(
      Promise.all(fulls.map((full, i) => cc.associate(full, o.pki.ders[i].jid))),
      timeout,
      "associations",
    );
    phase("associate all");

    const failures: string[] = [];
    const outcomes = await within(
      Promise.all(
        assocs.map((a, i) =>
          commandOne(cc, a, ldOf(i), ccBare, (i % 250) + 1, o.net.clock.now).catch((e) =>
            `${(e as Error).message}`
          )
        ),
      ),
      timeout,
      "commands",
    );
    outcomes.forEach((p, i) => p && failures.push(`${ldOf(i)}: ${p}`));
    phase("command all (SBOw + operate + termination + read-back)");

    // Cut k DERs at once; every other association must stay.
    const cutIdx = spreadIndices(n, Math.min(o.cut, n));
    const cutSet = new Set(cutIdx.map((i) => fulls[i]));
    const cutAt = new Map<string, number>();
    const unexpected: string[] = [];
    let remaining = cutSet.size;
    let allAborted!: () => void;
    const aborted = new Promise<void>((r) => allAborted = r);
    if (remaining === 0) allAborted();
    cc.onAbort = (a) => {
      if (!cutSet.has(a.der)) return void unexpected.push(`${a.der}: ${a.aborted?.cause}`);
      if (--remaining === 0) allAborted();
    };
    // spec: DL-FLEET-2
    for (const i of cutIdx) {
      if (o.cutSpacingMs && cutAt.size > 0) await new Promise((r) => setTimeout(r, o.cutSpacingMs));
      cutAt.set(fulls[i], performance.now());
      ders[i].link.cut();
    }
    await within(aborted, o.abortTimeoutMs ?? 15_000, "aborts of the cut DERs").catch(() => {});
    phase(`cut ${cutIdx.length} and wait for their aborts`);
    await new Promise((r) => setTimeout(r, o.settleMs ?? 1_000));
    const delays: number[] = [];
    const presenceDelays: number[] = [];
    const causes: Record<string, number> = {};
    const notAborted: string[] = [];
    for (const i of cutIdx) {
      const a = assocs[i];
      if (!a.aborted) {
        notAborted.push(fulls[i]);
        continue;
      }
      delays.push(a.aborted.atMs - cutAt.get(fulls[i])!);
      if (a.unavailableAtMs !== undefined) {
        presenceDelays.push(a.unavailableAtMs - cutAt.get(fulls[i])!);
      }
      causes[a.aborted.cause] = (causes[a.aborted.cause] ?? 0) + 1;
    }
    const survivors = assocs.filter((a, i) => !cutSet.has(fulls[i]) && !a.aborted);
    const alive = await within(
      Promise.all(survivors.map((a) => {
        const i = assocs.indexOf(a);
        return readCtlNum(cc, a, ldOf(i), (i % 250) + 1).then((p) => p === undefined, () => false);
      })),
      timeout,
      "reads after the cut",
    );
    phase("settle + read every survivor");
    const concluded = await within(
      Promise.all(survivors.map((a) => cc.conclude(a).then(() => a.phase === "concluded"))),
      timeout,
      "conclude",
    ).catch(() => [] as boolean[]);
    phase("conclude survivors");
    return {
      n,
      phases,
      loginMs: loginTimes(o.net),
      acknowledged: outcomes.filter((p) => p === undefined).length,
      commandFailures: failures,
      cutDers: cutIdx.map((i) => fulls[i]),
      abortDelays: distribution(delays),
      abortDelaysMs: delays,
      presenceDelays: distribution(presenceDelays),
      abortCauses: causes,
      notAborted,
      unexpectedAborts: unexpected,
      aliveAfterCut: alive.filter(Boolean).length,
      concluded: concluded.filter(Boolean).length,
      traffic: { ...o.net.traffic },
      errors: cc.errors.map((e) => `${e.layer}: ${e.code}`),
    };
  } finally {
    cc.stop();
    for (const d of ders) d.stop();
  }
}

/** Login times when the network's links report them (RealNetwork does). */
function loginTimes(net: Network): Distribution | undefined {
  const links = (net as { links?: readonly { loginMs?: number }[] }).links;
  const ms = links?.flatMap((l) => l.loginMs === undefined ? [] : [l.loginMs]) ?? [];
  return ms.length > 0 ? distribution(ms) : undefined;
}
