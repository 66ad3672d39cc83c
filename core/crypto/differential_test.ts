/**
 * Differential properties: the noble and node providers must agree on
 * random inputs — shared secrets, signatures (each verifies the other's),
 * verdicts and codes on tampered signatures, AEAD, HKDF, HMAC and SHA-256.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ed25519, ED25519_TORSION_SUBGROUP } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concat, fromHex, toHex, utf8 } from "../bytes.ts";
import { SeededEntropy } from "../entropy.ts";
import { isDerlinkError } from "../errors.ts";
import { getSuite } from "./suite.ts";

const seed = fc.uint8Array({ minLength: 8, maxLength: 8 });
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

/** What an operation did: its bytes, or its error code. */
function outcome(f: () => Uint8Array): string {
  try {
    return toHex(f());
  } catch (e) {
    if (isDerlinkError(e)) return e.code;
    throw e;
  }
}

for (const id of ["p256", "x25519-ed25519"] as const) {
  const noble = getSuite(id, "noble"), node = getSuite(id, "node");

  Deno.test(`PD-17 ${id}: providers derive the same public keys and shared secrets`, () => {
    fc.assert(
      fc.property(seed, seed, (a, b) => {
        const ka = noble.kex.generate(new SeededEntropy(a));
        const kb = node.kex.generate(new SeededEntropy(b));
        assert.deepEqual(node.kex.publicFromPrivate(ka.privateKey), ka.publicKey);
        assert.deepEqual(noble.kex.publicFromPrivate(kb.privateKey), kb.publicKey);
        const z = noble.kex.agree(ka.privateKey, kb.publicKey);
        assert.deepEqual(node.kex.agree(ka.privateKey, kb.publicKey), z);
        assert.deepEqual(node.kex.agree(kb.privateKey, ka.publicKey), z);
      }),
      { numRuns: 25 },
    );
  });

  Deno.test(`PD-17 ${id}: each provider verifies the other's signatures`, () => {
    fc.assert(
      fc.property(seed, bytes(300), (s, msg) => {
        const k = noble.sig.generate(new SeededEntropy(s));
        const a = noble.sig.sign(k.privateKey, msg), b = node.sig.sign(k.privateKey, msg);
        if (id === "x25519-ed25519") assert.deepEqual(a, b); // RFC 8032 signing is deterministic
        assert.equal(node.sig.verify(k.publicKey, msg, a), true);
        assert.equal(noble.sig.verify(k.publicKey, msg, b), true);
      }),
      { numRuns: 25 },
    );
  });

  Deno.test(`PD-17 ${id}: providers give the same verdict and code on tampered signatures`, () => {
    const k = noble.sig.generate(new SeededEntropy(`tamper/${id}`));
    const msg = new TextEncoder().encode("tamper with me");
    const sig = noble.sig.sign(k.privateKey, msg);
    fc.assert(
      fc.property(
        fc.nat(sig.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (i, x, onMsg) => {
          const s2 = sig.slice(), m2 = msg.slice();
          if (onMsg) m2[i % m2.length] ^= x;
          else s2[i] ^= x;
          const a = noble.sig.check(k.publicKey, m2, s2), b = node.sig.check(k.publicKey, m2, s2);
          assert.equal(a.ok, false);
          assert.equal(b.ok, false);
          if (!a.ok && !b.ok) assert.equal(a.error.code, b.error.code);
        },
      ),
      { numRuns: 60 },
    );
  });

  Deno.test(`PD-17 ${id}: arbitrary peer keys get the same outcome from both providers`, () => {
    const mine = noble.kex.generate(new SeededEntropy(`peer/${id}`));
    const len = noble.kex.publicKeyLength;
    const peer = fc.oneof(
      fc.uint8Array({ minLength: len, maxLength: len }),
      fc.uint8Array({ minLength: len, maxLength: len }).map((b) => (b[0] = 4, b)),
      bytes(70),
    );
    fc.assert(
      fc.property(peer, (q) => {
        assert.equal(
          outcome(() => node.kex.agree(mine.privateKey, q)),
          outcome(() => noble.kex.agree(mine.privateKey, q)),
        );
      }),
      { numRuns: 60 },
    );
  });
}

const noble = getSuite("p256", "noble"), node = getSuite("p256", "node");

Deno.test("PD-17 PD-18: AES-GCM seals identically and each provider opens the other's output", () => {
  const key = fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
  );
  const nonce = fc.uint8Array({ minLength: 12, maxLength: 12 });
  fc.assert(
    fc.property(key, nonce, bytes(200), bytes(40), fc.nat(), (k, n, pt, aad, flip) => {
      const sealed = noble.aead.seal(k, n, pt, aad);
      assert.deepEqual(node.aead.seal(k, n, pt, aad), sealed);
      assert.deepEqual(node.aead.open(k, n, sealed, aad), pt);
      assert.deepEqual(noble.aead.open(k, n, sealed, aad), pt);
      const bad = sealed.slice();
      bad[flip % bad.length] ^= 1 << (flip % 8);
      assert.equal(outcome(() => node.aead.open(k, n, bad, aad)), "crypto/aead-auth-failed");
      assert.equal(outcome(() => noble.aead.open(k, n, bad, aad)), "crypto/aead-auth-failed");
    }),
    { numRuns: 150 },
  );
});

Deno.test("PD-17 RFC5869-2.2 RFC2104-2: HKDF, HMAC and SHA-256 agree across providers", () => {
  fc.assert(
    fc.property(
      bytes(200),
      bytes(80),
      bytes(80),
      fc.integer({ min: 1, max: 600 }),
      (ikm, salt, info, len) => {
        assert.deepEqual(node.kdf.hkdf(ikm, salt, info, len), noble.kdf.hkdf(ikm, salt, info, len));
        assert.deepEqual(node.kdf.extract(salt, ikm), noble.kdf.extract(salt, ikm));
        assert.deepEqual(node.mac.mac(salt, ikm), noble.mac.mac(salt, ikm));
        assert.deepEqual(node.hash.digest(ikm), noble.hash.digest(ikm));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("PD-14: a torsion component in A or R fails on both providers (exact equation)", () => {
  const { Point } = ed25519;
  const L = Point.Fn.ORDER;
  const noble = getSuite("x25519-ed25519", "noble"), node = getSuite("x25519-ed25519", "node");
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: L - 1n }),
      fc.bigInt({ min: 1n, max: L - 1n }),
      fc.integer({ min: 1, max: 7 }),
      fc.boolean(),
      (a, r, t, onKey) => {
        const T = Point.fromBytes(fromHex(ED25519_TORSION_SUBGROUP[t]));
        const A = onKey ? Point.BASE.multiply(a).add(T) : Point.BASE.multiply(a);
        const R = onKey ? Point.BASE.multiply(r) : Point.BASE.multiply(r).add(T);
        const msg = utf8("torsion");
        const hk = sha512(concat(R.toBytes(), A.toBytes(), msg));
        let kk = 0n;
        for (let i = hk.length - 1; i >= 0; i--) kk = (kk << 8n) | BigInt(hk[i]);
        const S = (r + (kk % L) * a) % L;
        const sEnc = new Uint8Array(32);
        for (let i = 0; i < 32; i++) sEnc[i] = Number((S >> BigInt(8 * i)) & 0xffn);
        const sig = concat(R.toBytes(), sEnc);
        // With the torsion on A the exact equation is off by k·T, which vanishes for some k.
        const exactHolds = onKey && T.multiplyUnsafe(kk % L).is0();
        assert.equal(noble.sig.verify(A.toBytes(), msg, sig), exactHolds);
        assert.equal(node.sig.verify(A.toBytes(), msg, sig), exactHolds);
      },
    ),
    { numRuns: 20 },
  );
});
