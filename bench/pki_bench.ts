/**
 * Certificate chain validation cost per suite: validateChain on an
 * end entity + intermediate chain with CRLs of both CAs required, cold
 * (memo tables cleared before every call: three certificate parses, two CRL
 * parses, four signature verifications), for a new peer (anchor, CRLs and
 * intermediate already seen: one parse, one verification) and warm (a peer
 * seen before: parses and signature checks come from the memo). Each group's baseline is
 * the irreducible crypto of a cold validation — the suite's four signature
 * verifications alone, computed by the same default provider in the same
 * run — so the ratios say what parsing and path logic add. OpenSSL's own
 * verify is not in the same process; `openssl speed` for the primitives is
 * in bench/crypto_bench.ts.
 *
 * Run: deno bench bench/pki_bench.ts
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import { getSuite, type SuiteId } from "../core/crypto/suite.ts";
import { createHierarchy } from "../core/pki/hierarchy.ts";
import { parseCertificate } from "../core/pki/parse.ts";
import { parseCrl } from "../core/pki/crl.ts";
import { clearPkiMemo, validateChain } from "../core/pki/validate.ts";

const NOW = Date.UTC(2025, 5, 1);
const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];
const PEERS = 1100;

for (const suite of SUITES) {
  const h = createHierarchy({
    suite,
    now: NOW,
    // More peers than the memo tables hold, so cycling through them always meets a new peer.
    peers: Array.from({ length: PEERS }, (_, i) => ({
      commonName: `IED-${i}`,
      jid: `ied${i}@grid.example`,
      roles: ["OPERATOR"],
    })),
  }, new SeededEntropy(`bench-${suite}`));
  const policy = { ...h.policy, expectedJid: "ied0@grid.example" };
  const chain = h.chains[0];
  const sig = getSuite(suite).sig;
  // The four signatures a cold validation verifies, with their issuers' keys.
  const root = parseCertificate(h.root.der), int = parseCertificate(h.intermediate!.der);
  const ee = parseCertificate(chain[0]);
  const crls = h.crls.map((der) => {
    const c = parseCrl(der);
    if (!c.ok) throw c.error;
    return c.value;
  });
  if (!root.ok || !int.ok || !ee.ok) throw new Error("fixture");
  const checks = [
    [root.value.key.publicKey, int.value.tbsDer, int.value.signature],
    [int.value.key.publicKey, ee.value.tbsDer, ee.value.signature],
    ...crls.map((c, i) => [(i === 0 ? root : int).value.key.publicKey, c.tbsDer, c.signature]),
  ] as const;
  if (!validateChain(chain, policy).ok) throw new Error("fixture chain invalid");

  Deno.bench(`${suite}: 4 signature verifications`, { group: suite, baseline: true }, () => {
    for (const [key, msg, s] of checks) if (!sig.verify(key, msg, s)) throw new Error("verify");
  });
  Deno.bench(`${suite}: validateChain cold`, { group: suite }, () => {
    clearPkiMemo();
    if (!validateChain(chain, policy).ok) throw new Error("refused");
  });
  let next = 0;
  Deno.bench(`${suite}: validateChain, new peer (anchor, CRLs, intermediate known)`, {
    group: suite,
  }, () => {
    const i = next++ % PEERS;
    const r = validateChain(h.chains[i], { ...h.policy, expectedJid: `ied${i}@grid.example` });
    if (!r.ok) throw new Error("refused");
  });
  Deno.bench(`${suite}: validateChain warm (peer seen before)`, { group: suite }, () => {
    if (!validateChain(chain, policy).ok) throw new Error("refused");
  });
}
