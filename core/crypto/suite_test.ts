/**
 * Unit tests of the Suite registry, key generation, parameter checks and
 * the refusals the vectors do not reach on their own.
 */
import assert from "node:assert/strict";
import { brainpoolP256r1 } from "@noble/curves/misc.js";
import { p256 } from "@noble/curves/nist.js";
import { concat, fromHex, toHex, utf8 } from "../bytes.ts";
import { type EntropySource, SeededEntropy } from "../entropy.ts";
import { isDerlinkError } from "../errors.ts";
import { DEFAULT_PROVIDERS } from "./build.ts";
import { checkX25519Output } from "./curve25519.ts";
import { derToCompact } from "./ecdsa_der.ts";
import { getSuite, listSuites, type ProviderChoice, type SuiteId } from "./suite.ts";

const IDS: SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];
const CHOICES: Record<SuiteId, ProviderChoice[]> = {
  "p256": ["noble", "node", "default"],
  "brainpool256": ["noble", "default"],
  "x25519-ed25519": ["noble", "node", "default"],
};

function throwsCode(f: () => unknown, code: string): void {
  assert.throws(f, (e: unknown) => isDerlinkError(e) && e.code === code, `expected ${code}`);
}

/** An entropy source that counts what was drawn. */
function counting(inner: EntropySource): EntropySource & { drawn: number[] } {
  const drawn: number[] = [];
  return { label: "counting", drawn, bytes: (n) => (drawn.push(n), inner.bytes(n)) };
}

Deno.test("PD-10: three suites, each listing the providers that build it", () => {
  assert.deepEqual(listSuites().map((s) => s.id), IDS);
  for (const info of listSuites()) {
    assert.deepEqual([...info.providers].sort(), [...CHOICES[info.id]].sort());
  }
  assert.equal(getSuite("p256").sig.name, "ECDSA-P256-SHA256");
  assert.equal(getSuite("brainpool256").kex.name, "ECDH-brainpoolP256r1");
  assert.equal(getSuite("x25519-ed25519").kex.name, "X25519");
  throwsCode(() => getSuite("p384"), "crypto/unknown-suite");
  throwsCode(() => getSuite("brainpool256", "node"), "crypto/unsupported");
  assert.equal(getSuite("p256"), getSuite("p256", "default"), "suites are cached");
});

Deno.test("PD-19: every operation answers synchronously with bytes", () => {
  const s = getSuite("x25519-ed25519");
  const k = s.kex.generate(new SeededEntropy(1));
  for (
    const out of [
      s.kex.agree(k.privateKey, k.publicKey),
      s.sig.sign(k.privateKey, utf8("m")),
      s.hash.digest(utf8("m")),
      s.mac.mac(utf8("k"), utf8("m")),
      s.kdf.hkdf(utf8("k"), utf8("s"), utf8("i"), 16),
      s.aead.seal(new Uint8Array(16), new Uint8Array(12), utf8("m")),
    ]
  ) assert.ok(out instanceof Uint8Array);
});

Deno.test("PD-17: defaults sign ECDSA with noble, use noble for brainpool, fall back to noble", () => {
  assert.equal(DEFAULT_PROVIDERS.p256["sig.sign"], "noble");
  for (const op of ["kex.public", "kex.agree", "sig.public", "sig.sign", "sig.verify"] as const) {
    assert.equal(DEFAULT_PROVIDERS.brainpool256[op], "noble");
  }
  const node = getSuite("p256", "node");
  assert.equal(node.providers["kex.agree"], "node");
  assert.equal(node.providers["sig.verify"], "node");
  assert.equal(node.providers["hkdf.expand"], "noble", "node:crypto has no stand-alone Expand");
  assert.ok(Object.values(getSuite("p256", "noble").providers).every((p) => p === "noble"));
});

Deno.test("PD-262: the simulation's suite computes what it uses through node:crypto, HMAC through noble", () => {
  const d = DEFAULT_PROVIDERS["x25519-ed25519"];
  const native = ["aead", "sig.sign", "sig.verify", "kex.public", "kex.agree", "hkdf", "sha256"];
  for (const op of native as (keyof typeof d)[]) assert.equal(d[op], "node", op);
  assert.equal(d.hmac, "noble");
});

Deno.test("PD-15: seeded key generation is identical on every provider", () => {
  for (const id of IDS) {
    const pairs = CHOICES[id].map((c) => {
      const s = getSuite(id, c);
      return [s.kex.generate(new SeededEntropy("kex")), s.sig.generate(new SeededEntropy("sig"))];
    });
    for (const other of pairs.slice(1)) assert.deepEqual(other, pairs[0], id);
    const s = getSuite(id);
    const [kex, sig] = pairs[0];
    assert.deepEqual(s.kex.publicFromPrivate(kex.privateKey), kex.publicKey);
    assert.deepEqual(s.sig.publicFromPrivate(sig.privateKey), sig.publicKey);
  }
});

Deno.test("PD-15: Weierstrass keys reduce 48 drawn bytes into [1, n-1]; Curve25519 keys are 32 drawn bytes", () => {
  const zero: EntropySource = { label: "zero", bytes: (n) => new Uint8Array(n) };
  const ones: EntropySource = { label: "ones", bytes: (n) => new Uint8Array(n).fill(0xff) };
  for (const id of ["p256", "brainpool256"] as const) {
    const s = getSuite(id);
    const c = counting(zero);
    const k = s.kex.generate(c);
    assert.deepEqual(c.drawn, [48]);
    // 0 mod (n-1) + 1 = 1, so the all-zero seed gives the generator.
    assert.equal(toHex(k.privateKey), "00".repeat(31) + "01");
    const curve = id === "p256" ? p256 : brainpoolP256r1;
    assert.deepEqual(k.publicKey, curve.Point.BASE.toBytes(false));
    const top = BigInt("0x" + toHex(s.sig.generate(ones).privateKey));
    assert.ok(top >= 1n && top < curve.Point.CURVE().n);
  }
  const s = getSuite("x25519-ed25519");
  const c = counting(new SeededEntropy(9));
  const k = s.kex.generate(c);
  assert.deepEqual(c.drawn, [32]);
  assert.deepEqual(k.privateKey, new SeededEntropy(9).bytes(32));
});

Deno.test("RFC5639-3.4: noble's brainpoolP256r1 has the parameters of RFC 5639 §3.4", () => {
  const c = brainpoolP256r1.Point.CURVE();
  const rfc = {
    p: 0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377n,
    a: 0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9n,
    b: 0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6n,
    Gx: 0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262n,
    Gy: 0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997n,
    n: 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7n,
    h: 1n,
  };
  assert.deepEqual({ p: c.p, a: c.a, b: c.b, Gx: c.Gx, Gy: c.Gy, n: c.n, h: c.h }, rfc);
});

Deno.test("RFC6979-3.2 PD-13: default ECDSA signatures repeat byte for byte", () => {
  for (const id of ["p256", "brainpool256"] as const) {
    const s = getSuite(id);
    assert.equal(s.sig.deterministic, true);
    const k = s.sig.generate(new SeededEntropy(id));
    assert.deepEqual(
      s.sig.sign(k.privateKey, utf8("again")),
      s.sig.sign(k.privateKey, utf8("again")),
    );
  }
  // node:crypto makes no such promise (Node.js with OpenSSL draws k at random).
  assert.equal(getSuite("p256", "node").sig.deterministic, false);
});

Deno.test("FIPS186-5-6.4.1 PD-12: ECDSA signs, emits minimal DER and verifies on every provider", () => {
  for (const id of ["p256", "brainpool256"] as const) {
    for (const c of CHOICES[id]) {
      const s = getSuite(id, c);
      const k = s.sig.generate(new SeededEntropy(`${id}/${c}`));
      const msg = utf8(`message for ${id}`);
      const der = s.sig.sign(k.privateKey, msg);
      assert.equal(der[0], 0x30);
      assert.ok(der.length <= 72);
      const curve = id === "p256" ? p256 : brainpoolP256r1;
      assert.deepEqual(
        curve.Signature.fromBytes(derToCompact(curve, der), "compact").toBytes("der"),
        der,
      );
      assert.equal(s.sig.verify(k.publicKey, msg, der), true);
      assert.equal(s.sig.verify(k.publicKey, utf8("other"), der), false);
    }
  }
});

Deno.test("X690-8.3.2 X690-10.1: DER with padding or long-form lengths is refused", () => {
  const r = "00" + "f1".repeat(32), s = "01".repeat(32);
  const good = `30450221${r}0220${s}`;
  const der = (hex: string) => derToCompact(p256, fromHex(hex));
  der(good);
  throwsCode(() => der(`3046022200${r}0220${s}`), "crypto/signature-encoding");
  throwsCode(() => der(`3081450221${r}0220${s}`), "crypto/signature-encoding");
  throwsCode(() => der(good + "00"), "crypto/signature-encoding");
  throwsCode(
    () => der("30" + "49" + "0221" + r + "0220" + s + "0403000000"),
    "crypto/signature-encoding",
  );
  throwsCode(() => der("3073" + "00".repeat(115)), "crypto/signature-encoding");
});

Deno.test("PD-16: an all-zero X25519 output is refused", () => {
  throwsCode(() => checkX25519Output(new Uint8Array(32)), "crypto/small-order-point");
  checkX25519Output(Uint8Array.of(...new Uint8Array(31), 1));
});

Deno.test("PD-18 SP800-38D-7.2: AES-GCM lengths, tag placement and refusals", () => {
  for (const c of ["noble", "node"] as const) {
    const a = getSuite("p256", c).aead;
    const key = new Uint8Array(32).fill(7), nonce = new Uint8Array(12).fill(1);
    const sealed = a.seal(key, nonce, utf8("hello"), utf8("hdr"));
    assert.equal(sealed.length, 5 + 16);
    assert.deepEqual(a.open(key, nonce, sealed, utf8("hdr")), utf8("hello"));
    throwsCode(() => a.open(key, nonce, sealed), "crypto/aead-auth-failed");
    throwsCode(() => a.open(key, nonce, sealed.subarray(0, 15)), "crypto/aead-auth-failed");
    throwsCode(() => a.seal(new Uint8Array(24), nonce, utf8("x")), "crypto/invalid-key-length");
    throwsCode(() => a.seal(key, new Uint8Array(16), utf8("x")), "crypto/invalid-nonce-length");
    assert.deepEqual(a.open(key, nonce, a.seal(key, nonce, new Uint8Array(0))), new Uint8Array(0));
  }
});

Deno.test("RFC5869-2.3 RFC5869-2.2: HKDF output and PRK bounds", () => {
  for (const c of ["noble", "node"] as const) {
    const k = getSuite("x25519-ed25519", c).kdf;
    const prk = k.extract(new Uint8Array(0), utf8("ikm"));
    assert.deepEqual(
      prk,
      k.extract(new Uint8Array(32), utf8("ikm")),
      "absent salt = 32 zero bytes",
    );
    assert.deepEqual(
      k.expand(prk, utf8("info"), 64),
      k.hkdf(utf8("ikm"), new Uint8Array(0), utf8("info"), 64),
    );
    throwsCode(() => k.expand(prk.subarray(0, 31), utf8("i"), 32), "crypto/invalid-key-length");
    throwsCode(() => k.expand(prk, utf8("i"), 8161), "crypto/invalid-length");
    throwsCode(() => k.hkdf(prk, prk, prk, 1.5), "crypto/invalid-length");
  }
});

Deno.test("RFC2104-2: HMAC verify compares whole tags only", () => {
  const m = getSuite("p256").mac;
  const tag = m.mac(utf8("key"), utf8("data"));
  assert.equal(m.verify(utf8("key"), utf8("data"), tag), true);
  assert.equal(m.verify(utf8("key"), utf8("data"), tag.subarray(0, 16)), false);
  assert.equal(m.verify(utf8("key"), utf8("datA"), tag), false);
  assert.equal(m.verify(utf8("kez"), utf8("data"), tag), false);
});

Deno.test("SEC1-3.2.1: refusals never echo key material in their messages", () => {
  const s = getSuite("p256");
  const n = p256.Point.CURVE().n;
  const bad = fromHex(n.toString(16).padStart(64, "0"));
  const peer = s.kex.generate(new SeededEntropy(3)).publicKey;
  try {
    s.kex.agree(bad, peer);
    assert.fail("accepted");
  } catch (e) {
    assert.ok(isDerlinkError(e) && e.code === "crypto/invalid-private-key");
    assert.ok(!e.message.toLowerCase().includes(toHex(bad).slice(0, 16)));
  }
  const x = getSuite("x25519-ed25519");
  const mine = x.kex.generate(new SeededEntropy(4));
  throwsCode(
    () => x.kex.agree(mine.privateKey, concat(new Uint8Array(31), Uint8Array.of(0x80))),
    "crypto/small-order-point",
  );
});
