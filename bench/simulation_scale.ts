/**
 * Issue 6's must-show: "the simulation at N = 10,000 in virtual time
 * finishes in under 60 s on one core and its digest is stable across two
 * runs". Runs the scenario twice at N (default 10,000) in this process and
 * prints, for each run, wall and CPU time (the process's, user + system)
 * per phase and in total, the digest, and whether the two digests agree;
 * beside them the reference measured in the same process: N complete
 * x25519-ed25519 A-profile handshakes between fresh machines (both roles,
 * messages through XML text, peer chains warm), i.e. the ratio says how
 * many bare handshakes one simulated DER costs. The certificates are
 * provisioned before the runs (cached in report/cache, timed separately).
 *
 * Run on one core: taskset -c 0 deno run -A bench/simulation_scale.ts [N] [--minutes M] [--group-size G]
 * No timed assertion: the numbers go to docs/performance.md ("Simulation").
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { SeededEntropy } from "../core/entropy.ts";
import { parseElement } from "../core/xml.ts";
import { driveStep, localSigner } from "../state-machines/a-profile/driver.ts";
import {
  initiatorConfig,
  responderConfig,
  T0,
  testPki,
} from "../state-machines/a-profile/fixtures.ts";
import { initiator } from "../state-machines/a-profile/initiator.ts";
import { responder } from "../state-machines/a-profile/responder.ts";
import type { AProfileOutput } from "../state-machines/a-profile/types.ts";
import type { XmlElement } from "../state-machines/a-profile/xml.ts";
import { DEFAULTS, parseArgs, type SimulationOptions } from "../simulation/options.ts";
import { provision } from "../simulation/pki.ts";
import { simulate } from "../simulation/run.ts";
import { START } from "../simulation/scenario.ts";

const cpu = () => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};
const s = (ms: number) => (ms / 1000).toFixed(2);

function machineFacts(): string {
  const read = (f: string) => {
    try {
      return Deno.readTextFileSync(f);
    } catch {
      return "";
    }
  };
  const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(read("/proc/self/status"))?.[1] ?? "?";
  const load = read("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  return `CPUs allowed: ${cpus}; load average at start: ${load || "?"}`;
}

/** `n` complete warm x25519-ed25519 handshakes (XML text between the machines); CPU ms. */
function referenceHandshakes(n: number): number {
  const pki = testPki("x25519-ed25519");
  const sent = (out: readonly AProfileOutput[]) =>
    (out.find((o) => o.type === "send") as { element: XmlElement }).element;
  const wire = (e: XmlElement) => parseElement(e.toString()) as unknown as XmlElement;
  const iSign = localSigner(pki.vpp.signer), rSign = localSigner(pki.der.signer);
  const one = (k: number) => {
    const iCfg = { ...initiatorConfig(pki, "ref"), entropy: new SeededEntropy(`ref i ${k}`) };
    const rCfg = { ...responderConfig(pki, "ref"), entropy: new SeededEntropy(`ref r ${k}`) };
    const a = driveStep(initiator, initiator.init(iCfg), { type: "start", now: T0 }, iSign);
    const b = driveStep(responder, responder.init(rCfg), {
      type: "receive",
      element: wire(sent(a.out)),
      from: iCfg.localJid,
      now: T0,
    }, rSign);
    const c = driveStep(initiator, a.state, {
      type: "receive",
      element: wire(sent(b.out)),
      from: rCfg.localJid,
      now: T0,
    }, iSign);
    if (c.state.phase !== "established") throw new Error(`reference handshake ${k} failed`);
  };
  one(-1);
  const t = cpu();
  for (let k = 0; k < n; k++) one(k);
  return cpu() - t;
}

const args = [...Deno.args];
const n = args[0] && !args[0].startsWith("--") ? Number(args.shift()) : 10_000;
const o: SimulationOptions = { ...DEFAULTS, ...parseArgs(args), ders: n };
console.log(
  `simulation scale: N = ${n}, ${o.minutes} virtual minutes, groups of ${o.groupSize}, ` +
    `key path ${o.keyPath}, SCRAM iterations ${o.scramIterations}`,
);
console.log(machineFacts());

let t = performance.now();
const p = await provision({
  seed: o.seed,
  suite: "x25519-ed25519",
  domain: "grid.example",
  cc: "dno",
  ks: "kdc",
  market: "market",
  ders: Array.from(
    { length: n },
    (_, i) => `der${String(i + 1).padStart(Math.max(5, String(n).length), "0")}`,
  ),
  now: START,
  cacheDir: o.pkiCache,
});
console.log(
  `PKI: ${n + 3} certificates ${p.cached ? "read from the cache" : "issued"} in ${
    s(performance.now() - t)
  } s (before the runs, not timed with them)`,
);

const refCpu = referenceHandshakes(n);
console.log(
  `reference: ${n} bare A-profile handshakes, CPU ${s(refCpu)} s (${
    (refCpu / n * 1000).toFixed(0)
  } µs each)`,
);

const runs: { wall: number; cpu: number; digest: string; passed: boolean }[] = [];
for (let i = 1; i <= 2; i++) {
  t = performance.now();
  const c0 = cpu();
  const out = await simulate(o);
  const wall = performance.now() - t, used = cpu() - c0;
  runs.push({ wall, cpu: used, digest: out.digest, passed: out.passed });
  console.log(
    `\nrun ${i}: wall ${s(wall)} s, CPU ${s(used)} s, checks ${out.passed ? "passed" : "FAILED"}`,
  );
  console.log(out.times);
  if (i === 1) console.log(out.summary);
  for (const line of out.checks) console.log(`  ${line}`);
  console.log(`  digest ${out.digest}`);
  console.log(
    `  CPU per DER ${(used / n).toFixed(2)} ms = ${(used / refCpu).toFixed(1)}x the reference`,
  );
}
const same = runs[0].digest === runs[1].digest;
console.log(`\ndigests equal across the two runs: ${same}`);
console.log(
  `| N | run | wall s | CPU s | CPU per DER ms | ratio to bare handshakes | digest stable |\n|---|---|---|---|---|---|---|`,
);
for (const [i, r] of runs.entries()) {
  console.log(
    `| ${n} | ${i + 1} | ${s(r.wall)} | ${s(r.cpu)} | ${(r.cpu / n).toFixed(2)} | ${
      (r.cpu / refCpu).toFixed(1)
    } | ${same} |`,
  );
}
