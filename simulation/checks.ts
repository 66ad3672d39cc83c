/**
 * What a run must show, computed from the nodes at the end: every DER
 * joined; every group command acknowledged by the DERs present when it was
 * sent; exactly the dropped DERs' associations aborted at the control
 * centre and exactly they evicted by the key server; the evicted ones
 * refused the next group command; aggregate power at or below the
 * curtailment level after the red light. The CLI prints these, the tests
 * assert them.
 *
 * @module
 */
import type { ControlCentre } from "./control_centre.ts";
import type { DerNode } from "./der_node.ts";
import type { KeyServerNode } from "./key_server.ts";
import type { Metrics } from "./metrics.ts";
import type { SimulationOptions } from "./options.ts";

/** Aggregate power at one moment, simulated and as the control centre saw it. */
export interface PowerSnapshot {
  readonly t: number;
  /** Simulated output of the DERs online, and their rated power (W). */
  readonly simW: number;
  readonly simRatedW: number;
  /** The control centre's view (reports) over live associations, and their rated power (W). */
  readonly viewW: number;
  readonly viewRatedW: number;
}

export interface CommandCheck {
  readonly id: number;
  readonly group: string;
  readonly t: number;
  readonly acks: number;
  /** DERs of the group present (joined, not dropped out) when it was sent. */
  readonly expected: number;
}

export interface RunChecks {
  readonly ders: number;
  readonly joined: number;
  readonly commands: readonly CommandCheck[];
  readonly allAcked: boolean;
  readonly dropped: readonly string[];
  readonly aborted: readonly string[];
  readonly abortsAreDropouts: boolean;
  readonly evicted: readonly string[];
  readonly evictionsAreDropouts: boolean;
  /** Dropped DERs that refused the command after the evictions, and that applied it. */
  readonly evictedRefused: number;
  readonly evictedApplied: number;
  readonly refusalCodes: readonly string[];
  readonly beforeRed?: PowerSnapshot;
  readonly afterRed?: PowerSnapshot;
  /** Simulated power ≤ limit × rated, and the view within the reporting deadband of it. */
  readonly curtailed: boolean;
}

export interface CheckInput {
  readonly o: SimulationOptions;
  readonly cc: ControlCentre;
  readonly ks: KeyServerNode;
  readonly ders: readonly DerNode[];
  readonly dropped: readonly DerNode[];
  readonly metrics: Metrics;
  readonly beforeRed?: PowerSnapshot;
  readonly afterRed?: PowerSnapshot;
  /** The second command's virtual time (the one after the evictions). */
  readonly secondCommandAt: number;
}

/** Reporting deadband of the simulated DERs, as a share of rated power. */
export const DEADBAND_SHARE = 0.02;

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function checkRun(i: CheckInput): RunChecks {
  const droppedSet = new Set(i.dropped.map((d) => d.spec.id.jid));
  const byGroup = new Map<string, DerNode[]>();
  for (const d of i.ders) {
    const list = byGroup.get(d.spec.group);
    if (list) list.push(d);
    else byGroup.set(d.spec.group, [d]);
  }
  const commands = i.cc.commands.map((c): CommandCheck => {
    const members = byGroup.get(c.group) ?? [];
    const present = members.filter((d) =>
      d.joinedAt !== undefined && d.joinedAt <= c.t &&
      !(c.t >= i.secondCommandAt && droppedSet.has(d.spec.id.jid))
    );
    return { id: c.id, group: c.group, t: c.t, acks: c.acks, expected: present.length };
  });
  const dropped = [...droppedSet].sort();
  const aborted = [...i.cc.aborted].sort();
  const evicted = i.ders.filter((d) => !i.ks.registered.get(d.spec.group)!.has(d.spec.id.jid))
    .map((d) => d.spec.id.jid).sort();
  const second = i.cc.commands.filter((c) => c.t >= i.secondCommandAt).map((c) => c.id);
  const applied = i.dropped.filter((d) => d.applied.some((id) => second.includes(id))).length;
  const refused = i.dropped.filter((d) => d.refusals.length > 0).length;
  const limit = i.o.limitPct / 100;
  const a = i.afterRed;
  const curtailed = a !== undefined &&
    a.simW <= limit * a.simRatedW + 1e-6 &&
    a.viewW <= (limit + DEADBAND_SHARE) * a.viewRatedW + 1e-6;
  return {
    ders: i.ders.length,
    joined: i.ders.filter((d) => d.joinedAt !== undefined).length,
    commands,
    allAcked: commands.length > 0 && commands.every((c) => c.acks === c.expected),
    dropped,
    aborted,
    abortsAreDropouts: same(dropped, aborted),
    evicted,
    evictionsAreDropouts: same(dropped, evicted),
    evictedRefused: refused,
    evictedApplied: applied,
    refusalCodes: [...new Set(i.dropped.flatMap((d) => d.refusals))].sort(),
    beforeRed: i.beforeRed,
    afterRed: a,
    curtailed,
  };
}
