/**
 * X25519 (RFC 7748) and Ed25519 (RFC 8032) vector files: the RFCs' own
 * examples, typed in, plus negative cases derived from them.
 *
 * @module
 */
import { ed25519, ED25519_TORSION_SUBGROUP } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import {
  ascii,
  bytes as bytesOf,
  flipBit,
  hex as hexOf,
  le32,
  leToBigInt,
  type TestCase,
  VectorFileBuilder,
} from "./common.ts";

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const ORDER8_A = 325606250916557431795983626356110631294008115727848805560023387167927233504n;
const ORDER8_B = 39382357235489614581723060781553021112529911719440698176882885853963445705823n;

// RFC 7748 §6.1 (Alice and Bob).
const ALICE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

export function x25519File(): VectorFileBuilder {
  const f = new VectorFileBuilder("x25519-rfc7748.json", {
    suite: "crypto.x25519",
    source:
      "RFC 7748 §5.2 (scalar multiplication and iterated examples) and §6.1 (Diffie-Hellman example); negative cases derived from them, small-order u-coordinates from RFC 7748 §6.1 and cr.yp.to/ecdh.html",
    notes: {
      "Rfc7748": "example printed in RFC 7748",
      "TopBitSet": "the peer's u has bit 255 set, which X25519 must ignore",
      "NonCanonicalU": "the peer's u is at least p; it must be reduced mod p and accepted",
      "SmallOrder": "the peer's u has small order; the output would be all zero",
      "WrongLength": "a key is not 32 bytes",
    },
  });
  const kat = (
    comment: string,
    priv: string,
    pub: string,
    shared: string,
    flags = ["Rfc7748"],
  ) => ({
    comment,
    flags,
    spec: ["RFC7748-5"],
    private: priv,
    public: pub,
    shared,
    result: "valid" as const,
  });
  f.group("crypto-kex", { suite: "x25519-ed25519" }, [
    kat(
      "RFC 7748 §5.2 first example",
      "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
      "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
      "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
    ),
    kat(
      "RFC 7748 §5.2 second example (u has its top bit set)",
      "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
      "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
      "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
      ["Rfc7748", "TopBitSet"],
    ),
    { ...kat("RFC 7748 §6.1 Alice's side", ALICE, BOB_PUB, SHARED), ownPublic: ALICE_PUB },
    { ...kat("RFC 7748 §6.1 Bob's side", BOB, ALICE_PUB, SHARED), ownPublic: BOB_PUB },
    kat("base point spelled as p + 9 gives Alice's public key", ALICE, le32(P + 9n), ALICE_PUB, [
      "NonCanonicalU",
    ]),
  ]);
  f.group("crypto-kex-iterated", { suite: "x25519-ed25519" }, [
    {
      comment: "RFC 7748 §5.2 after one iteration",
      flags: ["Rfc7748"],
      spec: ["RFC7748-5"],
      iterations: 1,
      output: "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
      result: "valid",
    },
    {
      comment: "RFC 7748 §5.2 after 1,000 iterations",
      flags: ["Rfc7748"],
      spec: ["RFC7748-5"],
      iterations: 1000,
      output: "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
      result: "valid",
    },
  ]);
  const smallOrder: [string, bigint][] = [
    ["u = 0", 0n],
    ["u = 1", 1n],
    ["u = p - 1 (order 2)", P - 1n],
    ["first point of order 8", ORDER8_A],
    ["second point of order 8", ORDER8_B],
    ["u = p, which reduces to 0", P],
    ["u = p + 1, which reduces to 1", P + 1n],
    ["u = 0 with bit 255 set", 2n ** 255n],
    ["u = 1 with bit 255 set", 2n ** 255n + 1n],
    ["first point of order 8 with bit 255 set", ORDER8_A + 2n ** 255n],
    ["u = p - 1 with bit 255 set", P - 1n + 2n ** 255n],
  ];
  const negatives: TestCase[] = smallOrder.map(([comment, u]) => ({
    comment: `small-order peer: ${comment}`,
    flags: ["SmallOrder"],
    spec: ["RFC7748-6.1", "PD-16"],
    private: ALICE,
    public: le32(u),
    result: "invalid",
    error: "crypto/small-order-point",
  }));
  const wrong = (comment: string, priv: string, pub: string): TestCase => ({
    comment,
    flags: ["WrongLength"],
    spec: ["RFC7748-5"],
    private: priv,
    public: pub,
    result: "invalid",
    error: "crypto/invalid-key-length",
  });
  negatives.push(
    wrong("peer key of 31 bytes", ALICE, BOB_PUB.slice(0, 62)),
    wrong("peer key of 33 bytes", ALICE, BOB_PUB + "00"),
    wrong("empty peer key", ALICE, ""),
    wrong("private key of 31 bytes", ALICE.slice(0, 62), BOB_PUB),
    wrong("private key of 33 bytes", ALICE + "00", BOB_PUB),
  );
  f.group("crypto-kex", { suite: "x25519-ed25519" }, negatives);
  return f;
}

// RFC 8032 §7.1.
const ED = [
  {
    name: "TEST 1 (empty message)",
    sk: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    pk: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    msg: "",
    sig: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    name: "TEST 2 (one byte)",
    sk: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    pk: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    msg: "72",
    sig: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    name: "TEST 3 (two bytes)",
    sk: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    pk: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    msg: "af82",
    sig: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac" +
      "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
  {
    name: "TEST SHA(abc) (the message is SHA-512 of 'abc')",
    sk: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    pk: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    msg: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    sig: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589" +
      "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
  },
];

/** A canonical y below p for which no x exists: RFC 8032 §5.1.3 decoding fails. */
function undecodableY(): string {
  for (let y = 2n;; y++) {
    const enc = le32(y);
    try {
      ed25519.Point.fromBytes(Uint8Array.from(enc.match(/../g)!.map((b) => parseInt(b, 16))));
    } catch {
      return enc;
    }
  }
}

const withS = (sig: string, s: bigint) => sig.slice(0, 64) + le32(s);

/**
 * Signatures that satisfy the cofactored equation [8][S]B = [8]R + [8][k]A
 * but not the exact one, because A or R carries a component of order 8.
 * Built from fixed scalars with noble's point arithmetic.
 */
function mixedOrderSignatures(): {
  comment: string;
  publicKey: string;
  msg: string;
  sig: string;
}[] {
  const { Point } = ed25519;
  const T = Point.fromBytes(bytesOf(ED25519_TORSION_SUBGROUP[1]));
  const a = 0x0123456789abcdefn * 0xfedcba9876543210n % L, r = 0x1111222233334444n * 0x5555n % L;
  const out = [];
  for (const [where, torsionOnA] of [["public key", true], ["R", false]] as const) {
    for (let i = 0;; i++) {
      const A = torsionOnA ? Point.BASE.multiply(a).add(T) : Point.BASE.multiply(a);
      const R = torsionOnA ? Point.BASE.multiply(r) : Point.BASE.multiply(r).add(T);
      const msg = bytesOf(ascii(`mixed order ${i}`));
      const hk = sha512(new Uint8Array([...R.toBytes(), ...A.toBytes(), ...msg]));
      const k = leToBigInt(hexOf(hk)) % L;
      if (k % 8n === 0n) continue; // then k·T vanishes and even the exact equation holds
      out.push({
        comment: `${where} has a component of order 8: cofactored check passes, exact check fails`,
        publicKey: hexOf(A.toBytes()),
        msg: hexOf(msg),
        sig: hexOf(R.toBytes()) + le32((r + k * a) % L),
      });
      break;
    }
  }
  return out;
}

export function ed25519File(): VectorFileBuilder {
  const f = new VectorFileBuilder("ed25519-rfc8032.json", {
    suite: "crypto.ed25519",
    source:
      "RFC 8032 §7.1 (TEST 1, 2, 3 and SHA(abc)); negative cases derived from TEST 2 and TEST 3 by the rules of RFC 8032 §5.1.3 and §5.1.7",
    notes: {
      "Rfc8032": "example printed in RFC 8032 §7.1",
      "SignatureMalleability": "S is not reduced below L; strict verification refuses it",
      "NonCanonicalEncoding": "a point is encoded with y >= p or a sign bit for x = 0",
      "SmallOrderKey": "the public key lies in the torsion subgroup",
      "InvalidPoint": "the encoding does not decode to a curve point",
      "Modified": "message, key or signature was changed after signing",
      "WrongLength": "a key or signature has the wrong length",
      "MixedOrder":
        "A or R has a torsion component; only the cofactored equation holds, and derlink checks the exact one",
    },
  });
  for (const v of ED) {
    f.group("crypto-signature", { suite: "x25519-ed25519", publicKey: v.pk, privateKey: v.sk }, [{
      comment: `RFC 8032 §7.1 ${v.name}`,
      flags: ["Rfc8032"],
      spec: ["RFC8032-5.1.6", "RFC8032-5.1.7"],
      msg: v.msg,
      sig: v.sig,
      result: "valid",
    }]);
  }
  const t2 = ED[1], t3 = ED[2];
  const s3 = leToBigInt(t3.sig.slice(64));
  const bad = (
    comment: string,
    flags: string[],
    spec: string[],
    error: string,
    over: Record<string, string>,
  ) =>
    ({
      comment,
      flags,
      spec,
      msg: t3.msg,
      sig: t3.sig,
      ...over,
      result: "invalid",
      error,
    }) as TestCase;
  const mismatch = "crypto/signature-mismatch";
  const P_ENC = le32(P);
  f.group("crypto-signature", { suite: "x25519-ed25519", publicKey: t3.pk }, [
    bad(
      "S + L (same S modulo L)",
      ["SignatureMalleability"],
      ["RFC8032-5.1.7", "PD-14"],
      "crypto/signature-out-of-range",
      { sig: withS(t3.sig, s3 + L) },
    ),
    bad(
      "S = L",
      ["SignatureMalleability"],
      ["RFC8032-5.1.7", "PD-14"],
      "crypto/signature-out-of-range",
      { sig: withS(t3.sig, L) },
    ),
    bad(
      "S + 2^255 (top bit set)",
      ["SignatureMalleability"],
      ["RFC8032-5.1.7", "PD-14"],
      "crypto/signature-out-of-range",
      { sig: withS(t3.sig, s3 + 2n ** 255n) },
    ),
    bad(
      "S = 2^256 - 1",
      ["SignatureMalleability"],
      ["RFC8032-5.1.7"],
      "crypto/signature-out-of-range",
      { sig: withS(t3.sig, 2n ** 256n - 1n) },
    ),
    bad(
      "R spelled with y = p",
      ["NonCanonicalEncoding"],
      ["RFC8032-5.1.3", "PD-14"],
      "crypto/signature-encoding",
      { sig: P_ENC + t3.sig.slice(64) },
    ),
    bad(
      "R = (0, 1) with the sign bit set",
      ["NonCanonicalEncoding"],
      ["RFC8032-5.1.3", "PD-14"],
      "crypto/signature-encoding",
      { sig: le32(1n + 2n ** 255n) + t3.sig.slice(64) },
    ),
    bad("R does not decode", ["InvalidPoint"], ["RFC8032-5.1.3"], "crypto/signature-encoding", {
      sig: undecodableY() + t3.sig.slice(64),
    }),
    bad("last bit of S flipped", ["Modified"], ["RFC8032-5.1.7"], mismatch, {
      sig: flipBit(t3.sig, 32),
    }),
    bad("message byte changed", ["Modified"], ["RFC8032-5.1.7"], mismatch, { msg: "af83" }),
    bad("message one byte longer", ["Modified"], ["RFC8032-5.1.7"], mismatch, { msg: "af8200" }),
    bad("empty message", ["Modified"], ["RFC8032-5.1.7"], mismatch, { msg: "" }),
    bad("TEST 2's signature on TEST 3's message", ["Modified"], ["RFC8032-5.1.7"], mismatch, {
      sig: t2.sig,
    }),
    bad("signature of 63 bytes", ["WrongLength"], ["RFC8032-5.1.7"], "crypto/signature-encoding", {
      sig: t3.sig.slice(0, 126),
    }),
    bad("signature of 65 bytes", ["WrongLength"], ["RFC8032-5.1.7"], "crypto/signature-encoding", {
      sig: t3.sig + "00",
    }),
    bad("empty signature", ["WrongLength"], ["RFC8032-5.1.7"], "crypto/signature-encoding", {
      sig: "",
    }),
  ]);
  const keyCase = (
    comment: string,
    flags: string[],
    spec: string[],
    error: string,
    publicKey: string,
  ): TestCase => ({
    comment,
    flags,
    spec,
    publicKey,
    msg: t3.msg,
    sig: t3.sig,
    result: "invalid",
    error,
  });
  f.group("crypto-signature", { suite: "x25519-ed25519", publicKey: t3.pk }, [
    keyCase("TEST 2's public key", ["Modified"], ["RFC8032-5.1.7"], mismatch, t2.pk),
    keyCase(
      "public key with one bit flipped",
      ["Modified"],
      ["RFC8032-5.1.7"],
      mismatch,
      flipBit(t3.pk, 0, 1),
    ),
    keyCase(
      "public key is the identity",
      ["SmallOrderKey"],
      ["PD-14"],
      "crypto/small-order-point",
      le32(1n),
    ),
    keyCase(
      "public key of order 8",
      ["SmallOrderKey"],
      ["PD-14"],
      "crypto/small-order-point",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    ),
    keyCase(
      "public key of order 4",
      ["SmallOrderKey"],
      ["PD-14"],
      "crypto/small-order-point",
      le32(2n ** 255n),
    ),
    keyCase(
      "public key spelled with y = p",
      ["NonCanonicalEncoding"],
      ["RFC8032-5.1.3", "PD-14"],
      "crypto/invalid-point-encoding",
      P_ENC,
    ),
    keyCase(
      "public key spelled with y = p + 1",
      ["NonCanonicalEncoding"],
      ["RFC8032-5.1.3", "PD-14"],
      "crypto/invalid-point-encoding",
      le32(P + 1n),
    ),
    keyCase(
      "identity with the sign bit set",
      ["NonCanonicalEncoding"],
      ["RFC8032-5.1.3", "PD-14"],
      "crypto/invalid-point-encoding",
      le32(1n + 2n ** 255n),
    ),
    keyCase(
      "public key does not decode",
      ["InvalidPoint"],
      ["RFC8032-5.1.3"],
      "crypto/point-not-on-curve",
      undecodableY(),
    ),
    keyCase(
      "public key of 31 bytes",
      ["WrongLength"],
      ["RFC8032-5.1.7"],
      "crypto/invalid-key-length",
      t3.pk.slice(0, 62),
    ),
    keyCase(
      "public key of 33 bytes",
      ["WrongLength"],
      ["RFC8032-5.1.7"],
      "crypto/invalid-key-length",
      t3.pk + "00",
    ),
  ]);
  f.group(
    "crypto-signature",
    { suite: "x25519-ed25519", publicKey: t3.pk },
    mixedOrderSignatures().map((m) => ({
      ...m,
      flags: ["MixedOrder"],
      spec: ["RFC8032-5.1.7", "PD-14"],
      result: "invalid" as const,
      error: mismatch,
    })),
  );
  f.group("crypto-public-key", { suite: "x25519-ed25519", scheme: "sig" }, [
    {
      comment: "private key of 31 bytes",
      flags: ["WrongLength"],
      spec: ["RFC8032-5.1.5"],
      private: t3.sk.slice(0, 62),
      result: "invalid",
      error: "crypto/invalid-key-length",
    },
  ]);
  return f;
}
