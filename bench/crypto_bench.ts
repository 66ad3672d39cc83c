/**
 * Crypto suite benchmarks: every Suite operation per provider (noble, node,
 * default), each group with WebCrypto's rate for the same operation as the
 * baseline measured in the same run, so `deno bench` prints the ratio.
 * Groups without a WebCrypto equivalent (brainpoolP256r1, public-key
 * derivation) use noble as the baseline.
 *
 * Run: `deno bench --allow-read bench/crypto_bench.ts`
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import { getSuite, type ProviderChoice, type Suite, type SuiteId } from "../core/crypto/suite.ts";

const subtle = crypto.subtle;
const CHOICES: Record<SuiteId, ProviderChoice[]> = {
  "p256": ["noble", "node", "default"],
  "brainpool256": ["noble"],
  "x25519-ed25519": ["noble", "node", "default"],
};
const MSG = new Uint8Array(256).fill(0x5a);
const BIG = new Uint8Array(64 * 1024).fill(0xa5);

function group(
  name: string,
  webcrypto: (() => Promise<unknown>) | undefined,
  impls: [ProviderChoice, () => unknown][],
): void {
  if (webcrypto) {
    const run = webcrypto;
    Deno.bench({
      name: `${name} webcrypto`,
      group: name,
      baseline: true,
      fn: async () => void await run(),
    });
  }
  for (const [i, [provider, fn]] of impls.entries()) {
    Deno.bench({
      name: `${name} ${provider}`,
      group: name,
      baseline: !webcrypto && i === 0,
      fn: () => void fn(),
    });
  }
}

const suites = (id: SuiteId): [ProviderChoice, Suite][] =>
  CHOICES[id].map((c) => [c, getSuite(id, c)]);

// ---- WebCrypto keys (generated; rates do not depend on the key) ----------------------------

const ed = await subtle.generateKey({ name: "Ed25519" }, false, [
  "sign",
  "verify",
]) as CryptoKeyPair;
const edSig = await subtle.sign("Ed25519", ed.privateKey, MSG);
const xa = await subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]) as CryptoKeyPair;
const xb = await subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]) as CryptoKeyPair;
const ecdsaAlg = { name: "ECDSA", namedCurve: "P-256" };
const ecdsaSign = { name: "ECDSA", hash: "SHA-256" };
const pk = await subtle.generateKey(ecdsaAlg, false, ["sign", "verify"]) as CryptoKeyPair;
const pkSig = await subtle.sign(ecdsaSign, pk.privateKey, MSG);
const ecdhAlg = { name: "ECDH", namedCurve: "P-256" };
const ea = await subtle.generateKey(ecdhAlg, false, ["deriveBits"]) as CryptoKeyPair;
const eb = await subtle.generateKey(ecdhAlg, false, ["deriveBits"]) as CryptoKeyPair;
const aesKeys = {
  16: await subtle.importKey("raw", new Uint8Array(16).fill(1), "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]),
  32: await subtle.importKey("raw", new Uint8Array(32).fill(1), "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]),
};
const hmacKey = await subtle.importKey(
  "raw",
  new Uint8Array(32).fill(3),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign"],
);
const hkdfKey = await subtle.importKey("raw", new Uint8Array(32).fill(4), "HKDF", false, [
  "deriveBits",
]);

// ---- public-key operations -----------------------------------------------------------------

for (const id of ["x25519-ed25519", "p256", "brainpool256"] as SuiteId[]) {
  const list = suites(id);
  const ref = getSuite(id, "noble");
  const sk = ref.sig.generate(new SeededEntropy(`bench-sig/${id}`));
  const sig = ref.sig.sign(sk.privateKey, MSG);
  const ka = ref.kex.generate(new SeededEntropy(`bench-a/${id}`));
  const kb = ref.kex.generate(new SeededEntropy(`bench-b/${id}`));
  const edwards = id === "x25519-ed25519";
  const p256 = id === "p256";
  const sigName = edwards ? "Ed25519" : p256 ? "P-256 ECDSA" : "brainpoolP256r1 ECDSA";
  const kexName = edwards ? "X25519" : p256 ? "P-256 ECDH" : "brainpoolP256r1 ECDH";

  group(
    `${sigName} sign`,
    edwards
      ? () => subtle.sign("Ed25519", ed.privateKey, MSG)
      : p256
      ? () => subtle.sign(ecdsaSign, pk.privateKey, MSG)
      : undefined,
    list.map(([c, s]) => [c, () => s.sig.sign(sk.privateKey, MSG)]),
  );
  group(
    `${sigName} verify`,
    edwards
      ? () => subtle.verify("Ed25519", ed.publicKey, edSig, MSG)
      : p256
      ? () => subtle.verify(ecdsaSign, pk.publicKey, pkSig, MSG)
      : undefined,
    list.map(([c, s]) => [c, () => s.sig.verify(sk.publicKey, MSG, sig)]),
  );
  group(
    `${kexName} agree`,
    edwards
      ? () => subtle.deriveBits({ name: "X25519", public: xb.publicKey }, xa.privateKey, 256)
      : p256
      ? () => subtle.deriveBits({ name: "ECDH", public: eb.publicKey }, ea.privateKey, 256)
      : undefined,
    list.map(([c, s]) => [c, () => s.kex.agree(ka.privateKey, kb.publicKey)]),
  );
  group(
    `${kexName} public key`,
    undefined,
    list.map(([c, s]) => [c, () => s.kex.publicFromPrivate(ka.privateKey)]),
  );
  group(
    `${sigName} public key`,
    undefined,
    list.map(([c, s]) => [c, () => s.sig.publicFromPrivate(sk.privateKey)]),
  );
}

// ---- symmetric operations (the same in every suite; measured through p256) -----------------

const sym = suites("p256");
const nonce = new Uint8Array(12).fill(9);
for (const keyLen of [16, 32] as const) {
  const key = new Uint8Array(keyLen).fill(1);
  for (const [label, data] of [["256 B", MSG], ["64 KiB", BIG]] as const) {
    const name = `AES-${keyLen * 8}-GCM seal ${label}`;
    group(
      name,
      () => subtle.encrypt({ name: "AES-GCM", iv: nonce }, aesKeys[keyLen], data),
      sym.map(([c, s]) => [c, () => s.aead.seal(key, nonce, data)]),
    );
    const sealed = new Uint8Array(getSuite("p256", "noble").aead.seal(key, nonce, data));
    group(
      `AES-${keyLen * 8}-GCM open ${label}`,
      () => subtle.decrypt({ name: "AES-GCM", iv: nonce }, aesKeys[keyLen], sealed),
      sym.map(([c, s]) => [c, () => s.aead.open(key, nonce, sealed)]),
    );
  }
}

group(
  "HMAC-SHA-256 256 B",
  () => subtle.sign("HMAC", hmacKey, MSG),
  sym.map(([c, s]) => [c, () => s.mac.mac(new Uint8Array(32).fill(3), MSG)]),
);
const salt = new Uint8Array(32), info = new Uint8Array(32).fill(7);
group(
  "HKDF-SHA-256 32 B",
  () => subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, hkdfKey, 256),
  sym.map(([c, s]) => [c, () => s.kdf.hkdf(new Uint8Array(32).fill(4), salt, info, 32)]),
);
for (const [label, data] of [["256 B", MSG], ["64 KiB", BIG]] as const) {
  group(
    `SHA-256 ${label}`,
    () => subtle.digest("SHA-256", data),
    sym.map(([c, s]) => [c, () => s.hash.digest(data)]),
  );
}
