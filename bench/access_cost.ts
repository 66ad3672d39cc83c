/**
 * What the access options cost per command and per login in the compared
 * scenario (issue 9, paper §V options 1-3): the traffic run of
 * `deno task compare` (simulation/compare/measure.ts) for the baseline (no
 * access control), Option 1, Option 2 and Option 3, repeated in rounds that
 * interleave the four (each round starting with the next one) so a busy
 * machine slows all of them alike; the median
 * of each measured figure, and its ratio to the baseline's median from the
 * same run. Deterministic figures (stanzas and bytes) repeat with the seed
 * and are printed once. Then what the tokens add, measured alone: issuing
 * and checking one access token (Option 3: once per group command at the
 * control centre and at each DER, once per association) and one login
 * decision (Option 2: once per login), with the synchronous path the
 * simulation uses (PD-240) and jose over WebCrypto for comparison.
 *
 * Run: deno run -A bench/access_cost.ts [rounds=5] [ders=20]
 *
 * @module
 */
import { measure, type Measurement } from "../simulation/compare/measure.ts";
import { BASELINE, type Combination } from "../simulation/compare/combinations.ts";
import { trafficSettings } from "../simulation/compare/cli.ts";
import { COMPARE_DEFAULTS } from "../simulation/compare/cli.ts";
import { GridOperator } from "../simulation/operator.ts";
import { createAccessVerifier, EMPTY_REPLAY } from "../core/access/mod.ts";
import { parseAcl } from "../core/acl/mod.ts";
import { scenarioAclDocument } from "../simulation/scenario_acl.ts";

const rounds = Number(Deno.args[0] ?? 5);
const ders = Number(Deno.args[1] ?? 20);
const values = ["none", "option-1", "option-2", "option-3"] as const;
const settings = trafficSettings({ ...COMPARE_DEFAULTS, ders });
const runs = new Map<string, Measurement[]>(values.map((v) => [v, []]));

// One warm-up round (JIT, PKI cache) is not counted.
for (let r = -1; r < rounds; r++) {
  // Each round starts with another value, so no value always runs first.
  const order = values.map((_, i) => values[(i + Math.max(0, r)) % values.length]);
  for (const access of order) {
    const c: Combination = { ...BASELINE, access };
    const m = await measure(c, settings);
    if (r >= 0) runs.get(access)!.push(m);
  }
  if (r >= 0) console.error(`round ${r + 1}/${rounds}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = [
  ["CPU per command, control centre (ms)", (m: Measurement) => m.measured.ccCpuPerCommandMs],
  ["CPU per command, each DER (ms)", (m: Measurement) => m.measured.derCpuPerCommandMs],
  ["command latency, wall (ms)", (m: Measurement) => m.measured.wallLatencyMs],
  ["CPU per login, both ends (ms)", (m: Measurement) => m.measured.loginCpuMs ?? 0],
] as const;

console.log(`access options, ${ders} DERs, medians of ${rounds} interleaved rounds`);
console.log(`| figure | ${values.join(" | ")} |`);
console.log(`|---|${values.map(() => "---").join("|")}|`);
for (const [name, pick] of figures) {
  const base = median(runs.get("none")!.map(pick));
  const cells = values.map((v) => {
    const x = median(runs.get(v)!.map(pick));
    return v === "none" ? x.toFixed(3) : `${x.toFixed(3)} (${(x / base).toFixed(2)}x)`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
const d = (v: string) => runs.get(v)![0].deterministic;
console.log(
  `| stanzas / bytes per command | ${
    values.map((v) => `${d(v).stanzasPerCommand} / ${d(v).bytesPerCommand}`).join(" | ")
  } |`,
);
console.log(
  `| join stanzas / bytes per DER | ${
    values.map((v) => `${d(v).joinStanzasPerDer} / ${d(v).joinBytesPerDer}`).join(" | ")
  } |`,
);
console.log(`| login bytes | ${values.map((v) => d(v).loginBytes).join(" | ")} |`);

// What the tokens add, alone (µs per operation, median of 5 batches).
const op = new GridOperator("access-cost", "grid.example");
const der = "der00001@grid.example", room = "feeder-001@rooms.grid.example";
const cc = "dno@grid.example";
const grant = [{ actions: ["group-command" as const], identifier: "*" }];
const syncV = op.verifierFor(der, room);
const asyncV = await createAccessVerifier({
  issuer: op.issuer,
  audience: [der, room],
  keys: op.keys,
});
const acl = parseAcl(scenarioAclDocument({
  domain: "grid.example",
  accounts: ["dno", "kdc", "market", "der00001"],
}, 1));
if (!acl.ok) throw acl.error;
const decider = op.decider(acl.value);
const now = Date.UTC(2025, 5, 21, 10, 30);
const n = 200;
async function perOp(f: (i: number) => unknown): Promise<number> {
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f(i);
    batches.push(((performance.now() - t0) * 1000) / n);
  }
  return median(batches);
}
const tokens = Array.from({ length: n }, () => op.accessToken(cc, room, grant, now));
const logins = Array.from({ length: n }, () => op.loginToken(der, now));
const issue = await perOp(() => op.accessToken(cc, room, grant, now));
const checkSync = await perOp((i) =>
  syncV.verify(tokens[i], { now, replay: EMPTY_REPLAY, peer: cc })
);
const checkAsync = await perOp((i) =>
  asyncV.verify(tokens[i], { now, replay: EMPTY_REPLAY, peer: cc })
);
const login = await perOp((i) =>
  decider.decide({ username: "der00001", host: "grid.example", token: logins[i] }, now)
);
console.log("");
console.log("| token operation (Ed25519 operator key) | µs per operation |");
console.log("|---|---|");
console.log(`| issue an access token (operator / control centre) | ${issue.toFixed(0)} |`);
console.log(`| check it, synchronous path (DER, PD-240) | ${checkSync.toFixed(0)} |`);
console.log(`| check it, jose over WebCrypto | ${checkAsync.toFixed(0)} |`);
console.log(`| login decision (Option 2, router → operator, in process) | ${login.toFixed(0)} |`);
