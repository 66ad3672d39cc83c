/**
 * The cost side of the comparison, from one clean run at the requested
 * fleet size: traffic per group command, per joining DER and for the
 * eviction (deterministic with a seed: stanzas and bytes counted by the
 * network), command latency in virtual time, and the login's bytes at the
 * server; then what a machine measures (PD-238): CPU per command at the
 * control centre and at the DERs (time inside their callbacks, tap.ts),
 * wall-clock command latency (send to last delivery, in one process), and
 * CPU per login (client and router in one process).
 *
 * @module
 */
import { cpuMs } from "../phases.ts";
import { clearPkiMemo } from "../../core/pki/validate.ts";
import type { Combination } from "./combinations.ts";
import { phaseAt, runOnce, type RunSettings } from "./run.ts";
import { utf8 } from "../../core/bytes.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { memoryNetwork } from "../run.ts";
import type { NetworkSetup } from "../network.ts";
import type { Provisioned } from "../pki.ts";
import type { NetworkFactory } from "../scenario.ts";

/** Same every run with the same seed and fleet: goes into docs/options.md. */
export interface Deterministic {
  readonly commands: number;
  readonly stanzasPerCommand: number;
  readonly bytesPerCommand: number;
  readonly joinStanzasPerDer: number;
  readonly joinBytesPerDer: number;
  readonly evictionStanzas: number;
  readonly evictionBytes: number;
  readonly loginBytes: number;
  readonly virtualLatencyMs: number;
  readonly allAcked: boolean;
  /** The two-party associations alone (control centre ↔ DERs, PD-250). */
  readonly association?: AssociationTraffic;
}

/**
 * Stanzas (iq and message, pings included) between the control centre and
 * the DERs, and their bytes as delivered: per DER in the join phase (the
 * protection's setup, the initiate and the first read) and per group
 * command in the red-light phase (the reports that acknowledge it).
 */
export interface AssociationTraffic {
  readonly joinStanzasPerDer: number;
  readonly joinBytesPerDer: number;
  readonly stanzasPerCommand: number;
  readonly bytesPerCommand: number;
}

/** Differs run to run: goes into docs/options-measured.md and the HTML page only. */
export interface Measured {
  readonly ccCpuPerCommandMs: number;
  readonly derCpuPerCommandMs: number;
  readonly wallLatencyMs: number;
  /** CPU per login on a fresh in-memory router; undefined at a real server. */
  readonly loginCpuMs?: number;
  /** Median wall time from a login's start to its bound session, over the run's logins. */
  readonly loginWallMs: number;
  readonly runWallMs: number;
}

export interface Measurement {
  readonly deterministic: Deterministic;
  readonly measured: Measured;
  /** Empty when every command was acknowledged; else the run's error codes with counts. */
  readonly problems: string;
}

const median = (xs: readonly number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? 0 : v[Math.floor(v.length / 2)];
};

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// spec: PD-238 DL-CMP-5
export async function measure(
  c: Combination,
  s: RunSettings,
  server?: NetworkFactory,
): Promise<Measurement> {
  const sent = new Map<string, { t: number; wall: number }>();
  let virtualLatency = 0, wallLatency = 0;
  const wall0 = performance.now();
  const assoc = new Map<string, { stanzas: number; bytes: number }>();
  const run = await runOnce(c, s, false, (tap) => {
    tap.watch = (x) => {
      const st = x.stanza;
      // spec: PD-250 DL-CMP-PROT-3
      if (x.dir === "down" && isAssociationStanza(x.account, st)) {
        const p = phaseAt(s, x.t);
        const a = assoc.get(p) ?? { stanzas: 0, bytes: 0 };
        a.stanzas++;
        a.bytes += utf8(st.toString()).length;
        assoc.set(p, a);
      }
      if (st.name !== "message" || st.attrs.type !== "groupchat") return;
      // A group command: under the group key, or in clear (protection=none, PD-247).
      const command = st.children.some((ch) =>
        typeof ch === "object" && (ch.name === "spdu" || ch.name === "group-command")
      );
      if (!command) return;
      if (x.dir === "up" && x.account === "dno") {
        sent.set(st.attrs.to ?? "", { t: x.t, wall: performance.now() });
      } else if (x.dir === "down" && x.account.startsWith("der")) {
        const room = (st.attrs.from ?? "").split("/")[0];
        const at = sent.get(room);
        if (!at) return;
        virtualLatency = Math.max(virtualLatency, x.t - at.t);
        wallLatency = Math.max(wallLatency, performance.now() - at.wall);
      }
    };
  }, server);
  const runWallMs = performance.now() - wall0;
  const r = run.result;
  const phase = (name: string) => r.phases.find((p) => p.name === name)!;
  const red = phase("red light"), join = phase("join"), evict = phase("dropout + eviction");
  const commands = Math.max(1, red.counts.commands);
  const cpu = (actor: string) => run.tap.cpu.get(`${actor}|red light`) ?? 0;
  const login = server ? undefined : await loginProbe(run.setup, run.pki);
  const problems = r.checks.allAcked
    ? ""
    : `not every command acknowledged (${
      [...r.metrics.errorCodes].map(([code, n]) => `${code} x${n}`).join(", ") || "no error codes"
    })`;
  return {
    problems,
    deterministic: {
      commands: red.counts.commands,
      stanzasPerCommand: round(red.stanzas / commands),
      bytesPerCommand: Math.round(red.bytes / commands),
      joinStanzasPerDer: round(join.stanzas / s.ders),
      joinBytesPerDer: Math.round(join.bytes / s.ders),
      evictionStanzas: evict.stanzas,
      evictionBytes: evict.bytes,
      loginBytes: login?.bytes ?? 0,
      virtualLatencyMs: virtualLatency,
      allAcked: r.checks.allAcked,
      association: {
        joinStanzasPerDer: round((assoc.get("join")?.stanzas ?? 0) / s.ders),
        joinBytesPerDer: Math.round((assoc.get("join")?.bytes ?? 0) / s.ders),
        stanzasPerCommand: round((assoc.get("red light")?.stanzas ?? 0) / commands),
        bytesPerCommand: Math.round((assoc.get("red light")?.bytes ?? 0) / commands),
      },
    },
    measured: {
      ccCpuPerCommandMs: round((cpu("dno") + cpu("scenario")) / commands, 3),
      derCpuPerCommandMs: round(cpu("der") / Math.max(1, red.counts.commandsApplied), 3),
      wallLatencyMs: round(wallLatency, 2),
      loginCpuMs: login ? round(login.cpuMs, 3) : undefined,
      loginWallMs: round(median(run.tap.loginMs), 2),
      runWallMs: Math.round(runWallMs),
    },
  };
}

const DER_FULL = /^der\d+@[^/]+\/der$/;

/** A stanza of a two-party association: iq or message between the control centre and a DER. */
export function isAssociationStanza(account: string, st: Xel): boolean {
  if (st.name !== "iq" && st.name !== "message") return false;
  const from = st.attrs.from ?? "";
  if (account === "dno") return DER_FULL.test(from);
  return account.startsWith("der") && from.startsWith("dno@") && from.endsWith("/cc");
}

/**
 * Login cost at the server: `k` DER accounts log in one after the other on a
 * fresh router of the same configuration (TLS simulated, SCRAM-SHA-256 —
 * or SASL EXTERNAL with the client certificate the router validates, under a
 * certificate plan, PD-254 — and bind); bytes both ways per login, and CPU
 * per login with the PKI memo cleared first.
 */
// spec: PD-238 DL-CMP-5
async function loginProbe(
  setup: NetworkSetup,
  pki: Provisioned,
  k = 10,
): Promise<{ bytes: number; cpuMs: number }> {
  // The run's setup names its access option and ACL: the same router configuration.
  const net = memoryNetwork(setup, pki);
  const ders = setup.accounts.filter((a) => a.startsWith("der")).slice(0, k);
  let t = setup.start, bytes = 0, cpu = 0;
  for (const a of ders) {
    const before = net.traffic.bytesUp + net.traffic.bytesDown;
    // Each login validates its certificates afresh, as a server seeing the client the first time.
    clearPkiMemo();
    const c0 = cpuMs();
    let up = false;
    net.connect(a, "probe", { established: () => (up = true), stanza: () => {}, closed: () => {} });
    await net.runUntil(t += 1_000);
    cpu += cpuMs() - c0;
    if (!up) throw new Error(`login probe: ${a} did not log in`);
    bytes += net.traffic.bytesUp + net.traffic.bytesDown - before;
  }
  await net.close();
  return { bytes: Math.round(bytes / ders.length), cpuMs: cpu / ders.length };
}
