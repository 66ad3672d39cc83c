/**
 * `deno task simulate --access` on the in-memory router (simulation/
 * access.ts): the flag's values; every option runs the scenario with all
 * checks passing through `simulate`; Option 1 refuses none of the
 * scenario's own traffic (same digest as none); and while the scenario
 * runs, the router refuses what each option forbids — the probes the
 * interop test (tests/interop/access_fleet_test.ts) runs against Prosody.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEFAULTS, parseArgs, type SimulationOptions } from "../simulation/options.ts";
import { memoryNetwork, simulate } from "../simulation/run.ts";
import {
  ACL_REFUSALS,
  aclProbe,
  LOGIN_REFUSALS,
  loginProbes,
  refusalsOf,
  runWithProbe,
} from "./simulation_access_probes.ts";

const small: SimulationOptions = {
  ...DEFAULTS,
  ders: 8,
  groupSize: 4,
  minutes: 5,
  dropoutPct: 25,
  seed: "simulate-access",
};

Deno.test("simulate --access: none, option-1, option-2, option-3; anything else refused (DL-SIM-ACC-1)", () => {
  // spec: DL-SIM-ACC-1
  assert.equal(parseArgs([]).access, undefined);
  assert.equal("access" in parseArgs(["--access", "none"]), false);
  for (const a of ["option-1", "option-2", "option-3"] as const) {
    assert.equal(parseArgs(["--access", a]).access, a);
  }
  assert.equal("access" in parseArgs(["--access", "option-3", "--access", "none"]), false);
  for (const bad of [["--access"], ["--access", "option-4"], ["--access", "Option-1"]]) {
    assert.throws(() => parseArgs(bad), /--access is none, option-1, option-2 or option-3/);
  }
});

Deno.test("simulate --access: every option runs the scenario with all checks passing; Option 1 refuses none of its traffic (DL-SIM-ACC-1)", async () => {
  // spec: DL-SIM-ACC-1 PD-224 PD-242 PD-243
  const none = await simulate(small);
  assert.ok(none.passed, none.checks.join("\n"));
  for (const access of ["option-1", "option-2", "option-3"] as const) {
    const out = await simulate({ ...small, access });
    assert.ok(out.passed, `${access}\n${out.checks.join("\n")}`);
    assert.equal(out.result.metrics.errorCodes.size, 0, [...out.result.metrics.errorCodes].join());
    // The ACL lists every stanza the scenario sends: the same run, byte for byte.
    if (access === "option-1") assert.equal(out.digest, none.digest);
    else assert.notEqual(out.digest, none.digest);
  }
});

Deno.test("simulate --access option-1 in memory: DER->DER, DER tariff publish, other group's room refused while the scenario runs (DL-SIM-ACC-1 PAPER-OPT1)", async () => {
  // spec: DL-SIM-ACC-1 PAPER-OPT1 PD-211 DL-ACL-2 DL-ACL-4 DL-ACL-6
  const { probed } = await runWithProbe({ ...small, access: "option-1" }, memoryNetwork, aclProbe);
  assert.equal(probed.up, true);
  assert.deepEqual(refusalsOf(probed), ACL_REFUSALS);
  // Without the option the same stanzas pass the router (the room join still fails: not a member).
  const open = await runWithProbe(small, memoryNetwork, aclProbe);
  assert.deepEqual(
    refusalsOf(open.probed).filter((r) => r[2].startsWith("acl/")),
    [],
  );
});

Deno.test("simulate --access option-2 in memory: unlisted account and another DER's token refused by the operator; every login asked it (DL-SIM-ACC-1 PAPER-OPT2 PD-242)", async () => {
  // spec: DL-SIM-ACC-1 PAPER-OPT2 PD-242 DL-OPT2-1 DL-OPT2-2
  const { result, setup, probed } = await runWithProbe(
    { ...small, access: "option-2" },
    memoryNetwork,
    loginProbes,
  );
  assert.equal(probed.length, 2);
  for (const p of probed) assert.equal(p.up, false);
  const op = setup.operator!;
  assert.deepEqual(op.loginRefusals, LOGIN_REFUSALS);
  const logins = setup.accounts.length + result.checks.dropped.length;
  assert.equal(op.loginDecisions, logins + probed.length);
});
