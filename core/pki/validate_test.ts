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

Deno.test("pki: validUntil is the earliest notAfter along the path", () => {
  const h = createHierarchy({
    suite: "x25519-ed25519",
    now: NOW,
    validityDays: 30,
    peers: [{ commonName: "IED-8", jid: "ied8@grid.example" }],
  }, new SeededEntropy("valid-until"));
  const r = validateChain(h.chains[0], h.policy);
  assert.ok(r.ok);
  assert.equal(r.value.validUntil, NOW + 30 * 86_400_000);
});

Deno.test("pki: a validation time that is not a number is a usage error, not a verdict", () => {
  const h = createHierarchy(
    { suite: "p256", now: NOW, peers: [{ commonName: "IED" }] },
    new SeededEntropy("nan"),
  );
  const r = validateChain(h.chains[0], { ...h.policy, now: Number.NaN });
  assert.equal(r.ok ? "accepted" : r.error.code, "core/invalid-argument");
});

Deno.test("pki: several anchors, one of them the issuer; unrelated CRLs are ignored (RFC5280-6.1 PD-83)", () => {
  const e = new SeededEntropy("anchors");
  const a = createHierarchy({
    suite: "p256",
    now: NOW,
    peers: [{ commonName: "A", jid: "a@grid.example" }],
  }, e);
  const b = createHierarchy({
    suite: "brainpool256",
    now: NOW,
    peers: [{ commonName: "B", jid: "b@grid.example" }],
  }, e);
  const policy = {
    anchors: [a.root.der, b.root.der],
    crls: [...a.crls, ...b.crls],
    requireCrl: true,
    now: NOW,
  };
  const ra = validateChain(a.chains[0], { ...policy, expectedJid: "a@grid.example" });
  const rb = validateChain(b.chains[0], { ...policy, expectedJid: "b@grid.example" });
  assert.ok(ra.ok && rb.ok);
  assert.equal(ra.value.suite, "p256");
  assert.equal(rb.value.suite, "brainpool256");
  // A's end entity with B's intermediate: no issuer.
  const mixed = validateChain([a.chains[0][0], b.chains[0][1]], policy);
  assert.equal(mixed.ok ? "accepted" : mixed.error.code, "pki/untrusted");
});

Deno.test("pki: a revoked peer from createHierarchy is refused, the others pass (PAPER-M7)", () => {
  const e = new SeededEntropy("revoked");
  const first = createHierarchy({
    suite: "x25519-ed25519",
    now: NOW,
    peers: [{ commonName: "IED-1" }, { commonName: "IED-2" }],
  }, e);
  const serial = validateChain(first.chains[1], first.policy);
  assert.ok(serial.ok);
  const again = createHierarchy({
    suite: "x25519-ed25519",
    now: NOW,
    peers: [{ commonName: "IED-1" }, { commonName: "IED-2" }],
    revoked: [serial.value.serial],
  }, new SeededEntropy("revoked"));
  assert.ok(validateChain(again.chains[0], again.policy).ok);
  const r = validateChain(again.chains[1], again.policy);
  assert.equal(r.ok ? "accepted" : r.error.code, "pki/revoked");
});
