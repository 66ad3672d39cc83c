/**
 * Interop: a fleet over a real Prosody (issue 6, "Must show"). 200 DERs,
 * each a real XMPP login (TCP, STARTTLS, SCRAM-SHA-256, bind) through
 * derlink's adapter with an IEC 61850 server association in an A-profile
 * session backed by the DER model, and one control centre holding one
 * client association per DER over its single stream. The control centre
 * commands every DER (SBOw + operate of the active-power limit, command
 * termination, read-back) and checks every answer; then 10 DER connections
 * are cut abruptly and exactly those 10 associations must abort at the
 * control centre (presence unavailable from Prosody, or the XEP-0199 ping,
 * whichever comes first), while the other 190 stay and answer. The cut →
 * abort delays are printed (min/median/p90/max), never asserted.
 *
 * `FLEET_N` / `FLEET_CUT` change the sizes (e.g. for a quick run).
 *
 * @module
 */
import assert from "node:assert/strict";
import { cpuUsage } from "node:process";
import { issueFleetPki } from "../../simulation/real/fleet_pki.ts";
import { type FleetResult, runFleet } from "../../simulation/real/fleet.ts";
import { startFleetProsody } from "../../simulation/real/prosody_setup.ts";
import { RealNetwork } from "../../simulation/real/real_network.ts";
import { formatDistribution } from "../../simulation/real/stats.ts";
import { AssociationError } from "../../state-machines/association/errors.ts";

const N = Number(Deno.env.get("FLEET_N") ?? 200);
const CUT = Number(Deno.env.get("FLEET_CUT") ?? 10);
const DOMAIN = "derlink.test";
const SEED = "fleet-interop";
const password = (account: string) => `${account}-fleet-interop-secret`;
const loadavg = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
/** CPU seconds of this process, and of a child process by PID (utime + stime). */
const ownCpuS = () => (cpuUsage().user + cpuUsage().system) / 1e6;
function pidCpuS(pid: number): number {
  const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ = 100)
}

function report(
  r: FleetResult,
  startMs: number,
  pkiMs: number,
  totalMs: number,
  cpu: { own: number; prosody: number },
): void {
  const lines = [
    `fleet over Prosody: ${r.n} DERs + 1 control centre, ${r.cutDers.length} cut (load ${loadavg()})`,
    `  grid PKI (${r.n + 1} certificates): ${pkiMs.toFixed(0)} ms; Prosody start with ${
      r.n + 1
    } accounts: ${startMs.toFixed(0)} ms`,
    ...Object.entries(r.phases).map(([k, v]) => `  ${k}: ${v.toFixed(0)} ms`),
    ...(r.loginMs ? [`  login (TCP+STARTTLS+SCRAM+bind): ${formatDistribution(r.loginMs)}`] : []),
    `  acknowledged: ${r.acknowledged}/${r.n}`,
    `  cut -> presence unavailable read: ${formatDistribution(r.presenceDelays)}`,
    `  cut -> association aborted: ${formatDistribution(r.abortDelays)}`,
    `  causes: ${
      JSON.stringify(r.abortCauses)
    }; alive after the cut: ${r.aliveAfterCut}; concluded: ${r.concluded}`,
    `  traffic: ${JSON.stringify(r.traffic)}`,
    `  whole test: ${(totalMs / 1000).toFixed(1)} s; CPU: test process ${
      cpu.own.toFixed(1)
    } s, Prosody ${cpu.prosody.toFixed(1)} s`,
  ];
  console.log(lines.join("\n"));
}

Deno.test({
  name:
    `fleet over Prosody: ${N} DERs commanded and acknowledged; ${CUT} cut abort at the control centre, the rest stay (PAPER-MAP3 PD-149 PD-150 IEC61850-SBOES IEC61850-CMDTERM PD-215)`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-MAP1 PAPER-MAP2 PAPER-MAP3 PD-140 PD-149 PD-150 IEC61850-SBOES IEC61850-CMDTERM PD-215 PD-216 DL-FLEET-1 DL-FLEET-2
    const started = performance.now();
    const cpu0 = ownCpuS();
    const ders = Array.from({ length: N }, (_, i) => `der${String(i + 1).padStart(3, "0")}`);
    const pkiStart = performance.now();
    const pki = issueFleetPki({ domain: DOMAIN, cc: "cc", ders, seed: SEED });
    const pkiMs = performance.now() - pkiStart;
    // Star roster (PD-216): each DER and the control centre see each other's presence, DERs not each other's.
    const rosterGroups = Object.fromEntries(ders.map((d) => [`cc-${d}`, ["cc", d]]));
    const prosody = await startFleetProsody({
      domain: DOMAIN,
      accounts: ["cc", ...ders].map((username) => ({ username, password: password(username) })),
      rosterGroups,
      scramIterations: 4096,
    });
    const net = new RealNetwork({
      server: {
        endpoint: { host: prosody.server.host, port: prosody.server.port },
        anchors: [prosody.server.caPem],
        stop: () => prosody.stop(),
      },
      domain: DOMAIN,
      password,
      seed: SEED,
      maxPendingIq: 4096,
    });
    try {
      const r = await runFleet({
        net,
        pki,
        cc: { account: "cc", resource: "control" },
        ders: ders.map((account) => ({ account, resource: "iec61850" })),
        cut: CUT,
        seed: SEED,
        ccSettings: { ping: { intervalMs: 10_000, timeoutMs: 5_000 } },
      });
      const cpu = { own: ownCpuS() - cpu0, prosody: pidCpuS(prosody.server.pid) };
      report(r, prosody.startMs, pkiMs, performance.now() - started, cpu);
      assert.equal(r.acknowledged, N, `not acknowledged: ${r.commandFailures.join("; ")}`);
      assert.deepEqual(r.notAborted, [], "cut DERs whose association stayed");
      assert.equal(r.abortDelays.n, CUT);
      const causes = Object.keys(r.abortCauses);
      const allowed = [AssociationError["peer-unavailable"], AssociationError["ping-timeout"]];
      assert.ok(causes.every((c) => allowed.includes(c as never)), `causes ${causes}`);
      assert.deepEqual(r.unexpectedAborts, [], "associations lost without a cut");
      assert.equal(r.aliveAfterCut, N - CUT);
      assert.equal(r.concluded, N - CUT);
      assert.deepEqual(r.errors, []);
    } finally {
      await net.close();
    }
  },
});
