/**
 * Per-call cost of the suite operations the simulation uses, at the sizes
 * it uses them (counted in a 1,000-DER run: AES-GCM opens of ~200 B and
 * seals of ~330 B, Ed25519 verifications of ~450 B and signatures of
 * ~730 B, SHA-256 of ~840 B, HKDF to 47 B, X25519 key pairs and
 * agreements), node:crypto against noble, noble the baseline of each group
 * measured in the same run. The evidence of PD-262: per-call overhead
 * (Deno creates a stream object per AES-GCM call) does not make noble the
 * faster choice at these sizes.
 *
 * Run: deno bench bench/crypto_call_cost.ts
 *
 * @module
 */
import { getSuite, type Suite } from "../core/crypto/suite.ts";
import { SeededEntropy } from "../core/entropy.ts";

const e = new SeededEntropy("bench/crypto-call-cost");
const suites: [string, Suite][] = [
  ["noble", getSuite("x25519-ed25519", "noble")],
  ["node", getSuite("x25519-ed25519", "node")],
];
const key = e.bytes(16), nonce = e.bytes(12), aad = e.bytes(40);
const m200 = e.bytes(200), m330 = e.bytes(330), m450 = e.bytes(450), m730 = e.bytes(730);
const m840 = e.bytes(840), ikm = e.bytes(32), salt = e.bytes(32), info = e.bytes(20);
const signer = suites[1][1].sig.generate(e);
const peer = suites[1][1].kex.generate(e);
const sealed200 = suites[1][1].aead.seal(key, nonce, m200, aad);
const sig450 = suites[1][1].sig.sign(signer.privateKey, m450);

const groups: [string, (s: Suite) => unknown][] = [
  ["AES-128-GCM seal 330 B", (s) => s.aead.seal(key, nonce, m330, aad)],
  ["AES-128-GCM open 200 B", (s) => s.aead.open(key, nonce, sealed200, aad)],
  ["Ed25519 verify 450 B", (s) => s.sig.verify(signer.publicKey, m450, sig450)],
  ["Ed25519 sign 730 B", (s) => s.sig.sign(signer.privateKey, m730)],
  ["SHA-256 840 B", (s) => s.hash.digest(m840)],
  ["HKDF-SHA256 to 47 B", (s) => s.kdf.hkdf(ikm, salt, info, 47)],
  ["X25519 key pair", (s) => s.kex.generate(e)],
  [
    "X25519 agree with a fresh peer key",
    (s) => s.kex.agree(peer.privateKey, s.kex.generate(e).publicKey),
  ],
];
for (const [group, f] of groups) {
  for (const [provider, s] of suites) {
    Deno.bench(`${group} ${provider}`, { group, baseline: provider === "noble" }, () => void f(s));
  }
}
