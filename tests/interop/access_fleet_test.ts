/**
 * Interop: `deno task simulate --access option-1|option-2 --server prosody`
 * — the scenario (8 DERs, one virtual minute, scale 4, two DERs dropping
 * out) over a private Prosody started with the access option
 * (simulation/real/access_server.ts), every check passing, and the server
 * refusing what the option forbids while the scenario runs
 * (tests/simulation_access_probes.ts; the same probes run against the
 * in-memory router in tests/simulation_access_test.ts):
 *
 * - Option 1 (the scenario's ACL compiled into mod_firewall rules): a
 *   second session of a DER addressing another DER, publishing to the
 *   tariff node and joining another group's room gets `forbidden` with
 *   `acl/address-denied`, `acl/publish-denied`, `acl/room-denied`.
 * - Option 2 (logins delegated to the operator's login service): every
 *   login of the run is an OAUTHBEARER login the operator's service
 *   decided; an account the ACL does not list, with a token the operator
 *   signed, and a DER presenting another DER's token are refused.
 *
 * Fails (never skips) when Prosody is missing, like every interop test.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEFAULTS, type SimAccess, type SimulationOptions } from "../../simulation/options.ts";
import { networkFor } from "../../simulation/run.ts";
import { findProsody } from "../harness/prosody.ts";
import {
  ACL_REFUSALS,
  aclProbe,
  LOGIN_REFUSALS,
  loginProbes,
  refusalsOf,
  runWithProbe,
} from "../simulation_access_probes.ts";

const SERVER = "prosody?scale=4";
const opts = { sanitizeOps: false, sanitizeResources: false };

const fleet = (access: SimAccess): SimulationOptions => ({
  ...DEFAULTS,
  ders: 8,
  groupSize: 4,
  minutes: 1,
  dropoutPct: 25,
  seed: `access-fleet-${access}`,
  servers: [SERVER],
  access,
});

Deno.test({
  name:
    "simulate --access option-1 --server prosody: checks pass; DER->DER, DER tariff publish, other group's room refused by the compiled ACL (DL-SIM-ACC-2 PAPER-OPT1 PD-212)",
  ...opts,
  async fn() {
    // spec: DL-SIM-ACC-2 DL-SIM-ACC-1 PAPER-OPT1 PD-212 DL-ACL-2 DL-ACL-4 DL-ACL-6
    findProsody(); // fails with the install command when Prosody is missing
    const o = fleet("option-1");
    const { setup, probed } = await runWithProbe(o, await networkFor(o.servers), aclProbe);
    assert.equal(setup.access, "option-1");
    assert.equal(probed.up, true, `the probe session logged in (${probed.ended})`);
    assert.deepEqual(refusalsOf(probed), ACL_REFUSALS);
  },
});

Deno.test({
  name:
    "simulate --access option-2 --server prosody: checks pass, every login decided by the operator's service; unlisted account and another DER's token refused (DL-SIM-ACC-3 PAPER-OPT2 PD-246)",
  ...opts,
  async fn() {
    // spec: DL-SIM-ACC-3 DL-SIM-ACC-1 PD-246 PAPER-OPT2 DL-OPT2-1 DL-OPT2-2
    findProsody();
    const o = fleet("option-2");
    const { result, setup, probed } = await runWithProbe(
      o,
      await networkFor(o.servers),
      loginProbes,
    );
    assert.equal(probed.length, 2);
    for (const p of probed) {
      assert.equal(p.up, false);
      assert.equal(p.ended, "login failed: sasl/not-authorized");
    }
    const op = setup.operator!;
    assert.deepEqual(op.loginRefusals, LOGIN_REFUSALS);
    // Every login of the scenario (first logins and the dropped DERs' return) asked the service.
    const logins = setup.accounts.length + result.checks.dropped.length;
    assert.equal(op.loginDecisions, logins + probed.length);
  },
});
