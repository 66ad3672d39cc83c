import assert from "node:assert/strict";
import fc from "fast-check";
import { checkEd25519PublicKey, checkEd25519Signature, checkX25519Peer, L } from "./curve25519.ts";
import { isDerlinkError } from "../errors.ts";

const P = 2n ** 255n - 19n;
const le = (n: bigint, width = 32) => {
  const out = new Uint8Array(width);
  for (let i = 0; i < width; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
};
const code = (f: () => void): string => {
  try {
    f();
    return "ok";
  } catch (e) {
    assert.ok(isDerlinkError(e));
    return e.code;
  }
};
const BASE_R = le(9n); // a canonical R encoding (y = 9)

// spec: RFC8032-5.1.7
Deno.test("RFC8032-5.1.7 S is read little-endian: refused exactly when S >= L", () => {
  const sig = (s: bigint) => {
    const out = new Uint8Array(64);
    out.set(BASE_R);
    out.set(le(s), 32);
    return out;
  };
  assert.equal(code(() => checkEd25519Signature(sig(L - 1n))), "ok");
  assert.equal(code(() => checkEd25519Signature(sig(L))), "crypto/signature-out-of-range");
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (s) => {
    const want = s >= L ? "crypto/signature-out-of-range" : "ok";
    assert.equal(code(() => checkEd25519Signature(sig(s))), want);
  }));
});

// spec: RFC8032-5.1.3 RFC7748-6.1
Deno.test("RFC8032-5.1.3 RFC7748-6.1 y and u are read little-endian with the top bit masked", () => {
  assert.equal(code(() => checkEd25519PublicKey(le(P))), "crypto/invalid-point-encoding");
  assert.equal(code(() => checkEd25519PublicKey(le(P - 1n - 2n ** 200n))), "ok");
  // u = p + 1 reduces to 1, a small-order point; the masked top bit does not hide it.
  assert.equal(code(() => checkX25519Peer(le(P + 1n))), "crypto/small-order-point");
  assert.equal(code(() => checkX25519Peer(le(1n + 2n ** 255n))), "crypto/small-order-point");
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 255n - 1n }), (y) => {
    const want = y >= P ? "crypto/invalid-point-encoding" : "ok";
    const got = code(() => checkEd25519PublicKey(le(y)));
    // A canonical y may still be a torsion point; only the range decision is compared.
    if (got !== "crypto/small-order-point") assert.equal(got, want);
  }));
});
