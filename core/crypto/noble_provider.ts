/**
 * The reference provider: @noble/curves, @noble/hashes and @noble/ciphers.
 *
 * It implements every suite, including brainpoolP256r1 (which no native
 * provider in Deno has), and signs ECDSA deterministically (RFC 6979), so
 * vectors and transcripts generated with it replay byte for byte.
 *
 * @module
 */
import { p256 } from "@noble/curves/nist.js";
import { brainpoolP256r1 } from "@noble/curves/misc.js";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { expand, extract, hkdf } from "@noble/hashes/hkdf.js";
import { gcm } from "@noble/ciphers/aes.js";
import type { KexPrimitives, Provider, SignaturePrimitives } from "./primitives.ts";

type Ecdsa = typeof p256;

const littleEndian = (b: Uint8Array): bigint => {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
};

/**
 * RFC 8032 §5.1.7 with the cofactorless equation [S]B = R + [k]A, which the
 * RFC allows in place of the cofactored one. noble's own verify is cofactored
 * and so accepts signatures whose A or R carries a torsion component, which
 * node:crypto refuses; checking the exact equation here makes every provider
 * give the same verdict. Decoding is strict (canonical encodings only).
 */
function ed25519VerifyCofactorless(a: Uint8Array, m: Uint8Array, sig: Uint8Array): boolean {
  const { Point } = ed25519;
  let A, R;
  try {
    A = Point.fromBytes(a, false);
    R = Point.fromBytes(sig.subarray(0, 32), false);
  } catch {
    return false;
  }
  const s = littleEndian(sig.subarray(32));
  if (s >= Point.Fn.ORDER) return false;
  const k = Point.Fn.create(
    littleEndian(sha512(new Uint8Array([...sig.subarray(0, 32), ...a, ...m]))),
  );
  return Point.BASE.multiplyUnsafe(s).equals(R.add(A.multiplyUnsafe(k)));
}

function weierstrassKex(curve: Ecdsa): KexPrimitives {
  return {
    publicFromPrivate: (d) => curve.getPublicKey(d, false),
    // SEC 1 §3.3.1: the shared secret is the x-coordinate of d·Q.
    agree: (d, q) => curve.getSharedSecret(d, q, true).subarray(1),
  };
}

function ecdsa(curve: Ecdsa): SignaturePrimitives {
  return {
    deterministic: true,
    publicFromPrivate: (d) => curve.getPublicKey(d, false),
    // spec: RFC6979-3.2 PD-13
    // extraEntropy false: k comes from RFC 6979 alone. lowS false: the signature is not
    // normalised, so it equals RFC 6979's and OpenSSL's for the same k.
    sign: (d, m) => curve.sign(m, d, { lowS: false, extraEntropy: false, format: "compact" }),
    // spec: PD-12
    verify: (q, m, sig) => curve.verify(sig, m, q, { lowS: false, format: "compact" }),
  };
}

/** The noble provider. */
export const nobleProvider: Provider = {
  id: "noble",
  kex: {
    p256: weierstrassKex(p256),
    brainpoolP256r1: weierstrassKex(brainpoolP256r1),
    x25519: {
      publicFromPrivate: (k) => x25519.getPublicKey(k),
      // scalarMult, not getSharedSecret: the all-zero check is the suite layer's, so
      // every provider reports it with the same code.
      agree: (k, u) => x25519.scalarMult(k, u),
    },
  },
  sig: {
    "ecdsa-p256-sha256": ecdsa(p256),
    "ecdsa-brainpoolP256r1-sha256": ecdsa(brainpoolP256r1),
    ed25519: {
      deterministic: true,
      publicFromPrivate: (seed) => ed25519.getPublicKey(seed),
      sign: (seed, m) => ed25519.sign(m, seed),
      // spec: RFC8032-5.1.7 PD-14
      // Strict decoding (noble's zip215: false rules) and the exact, cofactorless equation.
      verify: ed25519VerifyCofactorless,
    },
  },
  symmetric: {
    sha256: (m) => sha256(m),
    hmacSha256: (k, m) => hmac(sha256, k, m),
    hkdf: (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
    hkdfExtract: (salt, ikm) => extract(sha256, ikm, salt),
    hkdfExpand: (prk, info, length) => expand(sha256, prk, info, length),
    gcmSeal: (key, nonce, pt, aad) => gcm(key, nonce, aad).encrypt(pt),
    gcmOpen: (key, nonce, sealed, aad) => {
      try {
        return gcm(key, nonce, aad).decrypt(sealed);
      } catch {
        return null;
      }
    },
  },
};
