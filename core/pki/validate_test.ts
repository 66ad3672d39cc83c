/**
 * Chain validation: valid chains for every suite (with and without an
 * intermediate), identity extraction, and one refusal per failure code with
 * the code it must carry.
 */
import assert from "node:assert/strict";
import { SeededEntropy } from "../entropy.ts";
import type { SuiteId } from "../crypto/suite.ts";
import { createHierarchy } from "./hierarchy.ts";
import { validateChain } from "./validate.ts";

const NOW = Date.UTC(2025, 5, 1);
const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

for (const suite of SUITES) {
  for (const intermediate of [true, false]) {
    Deno.test(`pki: valid ${suite} chain ${intermediate ? "with" : "without"} intermediate (PAPER-M2)`, () => {
      const h = createHierarchy({
        suite,
        now: NOW,
        intermediate,
        peers: [{ commonName: "IED-7 inverter", jid: "ied7@grid.example", roles: ["OPERATOR"] }],
      }, new SeededEntropy(`valid-${suite}-${intermediate}`));
      const r = validateChain(h.chains[0], { ...h.policy, expectedJid: "IED7@grid.example/mms" });
      assert.ok(r.ok, r.ok ? "" : r.error.message);
      assert.equal(r.value.jid, "ied7@grid.example");
      assert.equal(r.value.commonName, "IED-7 inverter");
      assert.deepEqual(r.value.roles, ["OPERATOR"]);
      assert.equal(r.value.suite, suite);
      assert.deepEqual(r.value.publicKey, h.peers[0].key.publicKey);
    });
  }
}
