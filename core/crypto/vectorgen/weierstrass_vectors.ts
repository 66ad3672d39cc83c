/**
 * P-256 and brainpoolP256r1 vector files: ECDSA (RFC 6979 A.2.5), ECDH
 * (RFC 5903 §8.1, RFC 7027 A.1) and generator checks (RFC 5639 §3.4), with
 * negative cases built from them: DER encoding faults, out-of-range r and s,
 * modified inputs and invalid public keys.
 *
 * @module
 */
import { p256 } from "@noble/curves/nist.js";
import { brainpoolP256r1 } from "@noble/curves/misc.js";
import { ascii, beHex, bytes, flipBit, hex, type TestCase, VectorFileBuilder } from "./common.ts";

type Curve = typeof p256;

/** Minimal DER INTEGER body of a non-negative value (sign byte added when needed). */
function intBody(v: bigint): string {
  let h = v.toString(16);
  if (h.length % 2) h = "0" + h;
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = "00" + h;
  return h;
}
const len = (h: string) => (h.length / 2).toString(16).padStart(2, "0");
const tlv = (tag: string, body: string) => tag + len(body) + body;
const derSig = (r: bigint, s: bigint) => tlv("30", tlv("02", intBody(r)) + tlv("02", intBody(s)));

interface Base {
  readonly curve: Curve;
  readonly suite: string;
  readonly pub: string;
  readonly msg: string;
  readonly r: bigint;
  readonly s: bigint;
  readonly otherPub: string;
}

/** Negative (and the two malleability-positive) signature cases around one valid signature. */
function signatureMutations(b: Base): TestCase[] {
  const { n } = b.curve.Point.CURVE();
  const { r, s } = b;
  const good = derSig(r, s);
  const rT = tlv("02", intBody(r)), sT = tlv("02", intBody(s));
  const enc = (comment: string, sig: string, extra: string[] = []): TestCase => ({
    comment,
    flags: ["InvalidDer", ...extra],
    spec: extra.includes("NonMinimalInteger") ? ["X690-8.3.2", "PD-12"] : ["X690-10.1", "PD-12"],
    msg: b.msg,
    sig,
    result: "invalid",
    error: "crypto/signature-encoding",
  });
  const range = (comment: string, sig: string): TestCase => ({
    comment,
    flags: ["RangeCheck"],
    spec: ["FIPS186-5-6.4.2"],
    msg: b.msg,
    sig,
    result: "invalid",
    error: "crypto/signature-out-of-range",
  });
  const mism = (comment: string, over: Record<string, string>): TestCase => ({
    comment,
    flags: ["Modified"],
    spec: ["FIPS186-5-6.4.2"],
    msg: b.msg,
    sig: good,
    ...over,
    result: "invalid",
    error: "crypto/signature-mismatch",
  });
  const key = (
    comment: string,
    publicKey: string,
    error: string,
    spec = ["SEC1-3.2.2"],
  ): TestCase => ({
    comment,
    flags: ["InvalidPublicKey"],
    spec,
    publicKey,
    msg: b.msg,
    sig: good,
    result: "invalid",
    error,
  });
  const body = rT + sT;
  const pubX = BigInt("0x" + b.pub.slice(2, 66)), pubY = BigInt("0x" + b.pub.slice(66));
  const { p } = b.curve.Point.CURVE();
  return [
    {
      comment: "s replaced by n - s (the other valid s for the same r)",
      flags: ["Malleable"],
      spec: ["PD-12"],
      msg: b.msg,
      sig: derSig(r, n - s),
      result: "valid",
    },
    enc("sequence length in long form (81 xx)", "3081" + len(body) + body, ["NonMinimalLength"]),
    enc("sequence length in long form (82 00 xx)", "308200" + len(body) + body, [
      "NonMinimalLength",
    ]),
    enc(
      "r length in long form",
      tlv("30", "0281" + len(intBody(r)) + intBody(r) + sT),
      ["NonMinimalLength"],
    ),
    enc("indefinite length", "3080" + body + "0000", ["IndefiniteLength"]),
    enc("one byte after the sequence", good + "00", ["TrailingBytes"]),
    enc("an extra INTEGER inside the sequence", tlv("30", body + "020100"), ["TrailingBytes"]),
    enc(
      "sequence length one too long",
      "30" + (body.length / 2 + 1).toString(16).padStart(2, "0") + body,
    ),
    enc(
      "sequence length one too short",
      "30" + (body.length / 2 - 1).toString(16).padStart(2, "0") + body,
    ),
    enc("r with an unneeded leading zero byte", tlv("30", tlv("02", "00" + intBody(r)) + sT), [
      "NonMinimalInteger",
    ]),
    enc("s with an unneeded leading zero byte", tlv("30", rT + tlv("02", "00" + intBody(s))), [
      "NonMinimalInteger",
    ]),
    enc(
      "r INTEGER with its top bit set (negative)",
      tlv("30", tlv("02", beHex(r | (1n << 255n), 32)) + sT),
    ),
    enc("SET tag instead of SEQUENCE", "31" + good.slice(2)),
    enc("BIT STRING tag instead of INTEGER", tlv("30", "03" + rT.slice(2) + sT)),
    enc("empty INTEGER for r", tlv("30", "0200" + sT)),
    enc("r only", tlv("30", rT)),
    enc("empty signature", ""),
    enc("raw r||s (IEEE P1363) instead of DER", beHex(r, 32) + beHex(s, 32)),
    enc("truncated by one byte", good.slice(0, -2)),
    range("r = 0", derSig(0n, s)),
    range("s = 0", derSig(r, 0n)),
    range("r = n", derSig(n, s)),
    range("s = n", derSig(r, n)),
    range("r = r + n (too large, same residue)", derSig(r + n, s)),
    range("s = s + n (too large, same residue)", derSig(r, s + n)),
    range("r = 2^256 - 1", derSig(2n ** 256n - 1n, s)),
    mism("message changed", { msg: flipBit(b.msg || "00", -1) }),
    mism("empty message", { msg: "" }),
    mism("last bit of r flipped", { sig: derSig(r ^ 1n, s) }),
    mism("last bit of s flipped", { sig: derSig(r, s ^ 1n) }),
    mism("r and s swapped", { sig: derSig(s, r) }),
    {
      ...key("another valid public key", b.otherPub, "crypto/signature-mismatch", [
        "FIPS186-5-6.4.2",
      ]),
      flags: ["Modified"],
    },
    key(
      "public key off the curve (y + 1)",
      "04" + beHex(pubX, 32) + beHex(pubY + 1n, 32),
      "crypto/point-not-on-curve",
    ),
    key(
      "public key compressed",
      (pubY & 1n ? "03" : "02") + beHex(pubX, 32),
      "crypto/invalid-point-encoding",
      ["SEC1-3.2.2", "PD-11"],
    ),
    key(
      "public key in hybrid form (06/07)",
      (pubY & 1n ? "07" : "06") + b.pub.slice(2),
      "crypto/invalid-point-encoding",
      ["SEC1-3.2.2", "PD-11"],
    ),
    key("public key is the point at infinity (00)", "00", "crypto/point-at-infinity"),
    key("public key without its 04 prefix", b.pub.slice(2), "crypto/invalid-key-length"),
    key(
      "public key x-coordinate equal to p",
      "04" + beHex(p, 32) + beHex(pubY, 32),
      "crypto/invalid-point-encoding",
    ),
  ];
}

// RFC 6979 A.2.5: P-256 key pair and the SHA-256 signatures of "sample" and "test".
const RFC6979 = {
  d: "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
  pub: "04" + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6" +
    "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
  sample: {
    r: 0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716n,
    s: 0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8n,
  },
  test: {
    r: 0xf1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367n,
    s: 0x019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083n,
  },
};

// RFC 5903 §8.1: 256-bit random ECP group (P-256).
const RFC5903 = {
  i: "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
  gi: "04" + "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180" +
    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
  r: "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
  gr: "04" + "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63" +
    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
  gir: "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de",
};

// RFC 7027 Appendix A.1: brainpoolP256r1 key exchange.
const RFC7027 = {
  dA: "81db1ee100150ff2ea338d708271be38300cb54241d79950f77b063039804f1d",
  qA: "04" + "44106e913f92bc02a1705d9953a8414db95e1aaa49e81d9e85f929a8e3100be5" +
    "8ab4846f11caccb73ce49cbdd120f5a900a69fd32c272223f789ef10eb089bdc",
  dB: "55e40bc41e37e3e2ad25c3c6654511ffa8474a91a0032087593852d3e7d76bd3",
  qB: "04" + "8d2d688c6cf93e1160ad04cc4429117dc2c41825e1e9fca0addd34e6f1b39f7b" +
    "990c57520812be512641e47034832106bc7d3e8dd0e4c7f1136d7006547cec6a",
  z: "89afc39d41d3b327814b80940b042590f96556ec91e6ae7939bce31f3a18bf2b",
};

/** Generator and order checks through public-key derivation (private 1 gives G, n-1 gives -G). */
function generatorCases(curve: Curve, spec: string[]): TestCase[] {
  const { n, p, Gx, Gy } = curve.Point.CURVE();
  const pt = (x: bigint, y: bigint) => "04" + beHex(x, 32) + beHex(y, 32);
  const inv = (comment: string, priv: string, error: string, flags: string[]): TestCase => ({
    comment,
    flags,
    spec: ["SEC1-3.2.1"],
    private: priv,
    result: "invalid",
    error,
  });
  return [
    {
      comment: "private key 1 gives the generator",
      flags: ["Generator"],
      spec,
      private: beHex(1n, 32),
      public: pt(Gx, Gy),
      result: "valid",
    },
    {
      comment: "private key n - 1 gives the negated generator",
      flags: ["Generator"],
      spec,
      private: beHex(n - 1n, 32),
      public: pt(Gx, p - Gy),
      result: "valid",
    },
    inv("private key 0", beHex(0n, 32), "crypto/invalid-private-key", ["InvalidPrivateKey"]),
    inv("private key n", beHex(n, 32), "crypto/invalid-private-key", ["InvalidPrivateKey"]),
    inv("private key 2^256 - 1", beHex(2n ** 256n - 1n, 32), "crypto/invalid-private-key", [
      "InvalidPrivateKey",
    ]),
    inv("private key of 31 bytes", beHex(1n, 31), "crypto/invalid-key-length", ["WrongLength"]),
    inv("private key of 33 bytes", beHex(1n, 33), "crypto/invalid-key-length", ["WrongLength"]),
  ];
}

function ecdhNegatives(curve: Curve, priv: string, peer: string, otherCurveG: string): TestCase[] {
  const { n, p } = curve.Point.CURVE();
  const x = BigInt("0x" + peer.slice(2, 66)), y = BigInt("0x" + peer.slice(66));
  const c = (
    comment: string,
    flags: string[],
    spec: string[],
    d: string,
    q: string,
    error: string,
  ): TestCase => ({
    comment,
    flags,
    spec,
    private: d,
    public: q,
    result: "invalid",
    error,
  });
  const pv = ["SEC1-3.2.2"];
  return [
    c(
      "peer point off the curve (y + 1)",
      ["InvalidPublicKey"],
      pv,
      priv,
      "04" + beHex(x, 32) + beHex(y + 1n, 32),
      "crypto/point-not-on-curve",
    ),
    c(
      "peer point (0, 0)",
      ["InvalidPublicKey"],
      pv,
      priv,
      "04" + beHex(0n, 64),
      "crypto/point-not-on-curve",
    ),
    c(
      "a point of the other curve",
      ["InvalidPublicKey"],
      pv,
      priv,
      otherCurveG,
      "crypto/point-not-on-curve",
    ),
    c(
      "peer point at infinity (00)",
      ["InvalidPublicKey"],
      pv,
      priv,
      "00",
      "crypto/point-at-infinity",
    ),
    c(
      "peer point compressed",
      ["InvalidPublicKey"],
      [...pv, "PD-11"],
      priv,
      (y & 1n ? "03" : "02") + beHex(x, 32),
      "crypto/invalid-point-encoding",
    ),
    c(
      "peer point with prefix 05",
      ["InvalidPublicKey"],
      [...pv, "PD-11"],
      priv,
      "05" + peer.slice(2),
      "crypto/invalid-point-encoding",
    ),
    c(
      "peer y-coordinate equal to p",
      ["InvalidPublicKey"],
      pv,
      priv,
      "04" + beHex(x, 32) + beHex(p, 32),
      "crypto/invalid-point-encoding",
    ),
    c(
      "peer point of 64 bytes (no prefix)",
      ["WrongLength"],
      pv,
      priv,
      peer.slice(2),
      "crypto/invalid-key-length",
    ),
    c(
      "peer point with a trailing byte",
      ["WrongLength"],
      pv,
      priv,
      peer + "00",
      "crypto/invalid-key-length",
    ),
    c(
      "private key 0",
      ["InvalidPrivateKey"],
      ["SEC1-3.2.1"],
      beHex(0n, 32),
      peer,
      "crypto/invalid-private-key",
    ),
    c(
      "private key n",
      ["InvalidPrivateKey"],
      ["SEC1-3.2.1"],
      beHex(n, 32),
      peer,
      "crypto/invalid-private-key",
    ),
  ];
}

const WEIERSTRASS_NOTES = {
  "Rfc6979": "deterministic signature printed in RFC 6979 A.2.5",
  "Malleable": "a second valid signature for the same message (n - s); accepted on purpose (PD-12)",
  "HighS": "s is above n/2; standard ECDSA accepts it",
  "InvalidDer": "the signature is not strict DER",
  "NonMinimalLength": "a DER length uses more bytes than needed",
  "IndefiniteLength": "BER indefinite length, not allowed in DER",
  "TrailingBytes": "bytes follow a complete DER structure",
  "NonMinimalInteger": "a DER INTEGER has an unneeded leading zero",
  "RangeCheck": "r or s is outside [1, n-1]",
  "Modified": "message, key or signature was changed after signing",
  "InvalidPublicKey": "the public key is not a valid point in the accepted encoding",
  "InvalidPrivateKey": "the private scalar is outside [1, n-1]",
  "WrongLength": "a key has the wrong length",
  "Generator": "public key derivation from a private key of 1 or n-1",
  "Generated": "signature computed for this file with RFC 6979 (no published brainpool example)",
};

export function p256File(): VectorFileBuilder {
  const f = new VectorFileBuilder("p256-rfc6979-rfc5903.json", {
    suite: "crypto.p256",
    source:
      "RFC 6979 A.2.5 (ECDSA P-256 with SHA-256, messages 'sample' and 'test'); RFC 5903 §8.1 (ECDH P-256); negative cases derived from them",
    notes: WEIERSTRASS_NOTES,
  });
  const sig = (comment: string, msg: string, r: bigint, s: bigint, flags: string[]): TestCase => ({
    comment,
    flags,
    spec: ["RFC6979-3.2", "FIPS186-5-6.4.1", "FIPS186-5-6.4.2", "PD-13"],
    msg,
    sig: derSig(r, s),
    result: "valid",
  });
  f.group("crypto-signature", { suite: "p256", publicKey: RFC6979.pub, privateKey: RFC6979.d }, [
    sig("RFC 6979 A.2.5 'sample' (high s)", ascii("sample"), RFC6979.sample.r, RFC6979.sample.s, [
      "Rfc6979",
      "HighS",
    ]),
    sig("RFC 6979 A.2.5 'test'", ascii("test"), RFC6979.test.r, RFC6979.test.s, ["Rfc6979"]),
  ]);
  f.group(
    "crypto-signature",
    { suite: "p256", publicKey: RFC6979.pub },
    signatureMutations({
      curve: p256,
      suite: "p256",
      pub: RFC6979.pub,
      msg: ascii("test"),
      ...RFC6979.test,
      otherPub: RFC5903.gi,
    }),
  );
  f.group("crypto-kex", { suite: "p256" }, [
    {
      comment: "RFC 5903 §8.1 initiator",
      flags: ["Rfc5903"],
      spec: ["SEC1-3.3.1"],
      private: RFC5903.i,
      public: RFC5903.gr,
      shared: RFC5903.gir,
      ownPublic: RFC5903.gi,
      result: "valid",
    },
    {
      comment: "RFC 5903 §8.1 responder",
      flags: ["Rfc5903"],
      spec: ["SEC1-3.3.1"],
      private: RFC5903.r,
      public: RFC5903.gi,
      shared: RFC5903.gir,
      ownPublic: RFC5903.gr,
      result: "valid",
    },
  ]);
  f.group("crypto-kex", { suite: "p256" }, ecdhNegatives(p256, RFC5903.i, RFC5903.gr, RFC7027.qA));
  f.group(
    "crypto-public-key",
    { suite: "p256", scheme: "kex" },
    generatorCases(p256, ["SEC1-3.2.1"]),
  );
  return f;
}

export function brainpoolFile(): VectorFileBuilder {
  const f = new VectorFileBuilder("brainpoolp256r1-rfc7027.json", {
    suite: "crypto.brainpool256",
    source:
      "RFC 7027 Appendix A.1 (brainpoolP256r1 key exchange); RFC 5639 §3.4 (curve parameters, checked through the generator); signatures computed with RFC 6979 for this file; negative cases derived from them",
    notes: { ...WEIERSTRASS_NOTES, "Rfc7027": "example printed in RFC 7027 Appendix A.1" },
  });
  f.group("crypto-kex", { suite: "brainpool256" }, [
    {
      comment: "RFC 7027 A.1, A's side",
      flags: ["Rfc7027"],
      spec: ["SEC1-3.3.1", "RFC5639-3.4"],
      private: RFC7027.dA,
      public: RFC7027.qB,
      shared: RFC7027.z,
      ownPublic: RFC7027.qA,
      result: "valid",
    },
    {
      comment: "RFC 7027 A.1, B's side",
      flags: ["Rfc7027"],
      spec: ["SEC1-3.3.1", "RFC5639-3.4"],
      private: RFC7027.dB,
      public: RFC7027.qA,
      shared: RFC7027.z,
      ownPublic: RFC7027.qB,
      result: "valid",
    },
  ]);
  const pG = p256.Point.BASE.toBytes(false);
  f.group(
    "crypto-kex",
    { suite: "brainpool256" },
    ecdhNegatives(brainpoolP256r1, RFC7027.dA, RFC7027.qB, hex(pG)),
  );
  f.group(
    "crypto-public-key",
    { suite: "brainpool256", scheme: "sig" },
    generatorCases(brainpoolP256r1, ["SEC1-3.2.1", "RFC5639-3.4"]),
  );
  // No published brainpoolP256r1 ECDSA example with SHA-256 exists in an RFC; this one is RFC 6979.
  const msg = ascii("sample");
  const compact = brainpoolP256r1.sign(bytes(msg), bytes(RFC7027.dA), {
    lowS: false,
    extraEntropy: false,
  });
  const r = BigInt("0x" + hex(compact.subarray(0, 32))),
    s = BigInt("0x" + hex(compact.subarray(32)));
  f.group("crypto-signature", {
    suite: "brainpool256",
    publicKey: RFC7027.qA,
    privateKey: RFC7027.dA,
  }, [
    {
      comment: "RFC 6979 signature of 'sample' with RFC 7027's key A",
      flags: ["Generated"],
      spec: ["RFC6979-3.2", "PD-13"],
      msg,
      sig: derSig(r, s),
      result: "valid",
    },
  ]);
  f.group(
    "crypto-signature",
    { suite: "brainpool256", publicKey: RFC7027.qA },
    signatureMutations({
      curve: brainpoolP256r1,
      suite: "brainpool256",
      pub: RFC7027.qA,
      msg,
      r,
      s,
      otherPub: RFC7027.qB,
    }),
  );
  return f;
}
