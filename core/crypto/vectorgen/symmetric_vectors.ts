/**
 * SHA-256, HMAC-SHA-256, HKDF-SHA-256 and AES-GCM vector files, typed in
 * from FIPS 180-2 Appendix B, RFC 4231 §4, RFC 5869 Appendix A and the GCM
 * specification's test cases (McGrew and Viega, "The Galois/Counter Mode of
 * Operation", Appendix B), with AES-GCM negative cases derived from them.
 *
 * @module
 */
import { ascii, flipBit, type TestCase, VectorFileBuilder } from "./common.ts";

const rep = (byte: string, n: number) => byte.repeat(n);
const range = (from: number, to: number) => {
  let s = "";
  for (let i = from; i <= to; i++) s += i.toString(16).padStart(2, "0");
  return s;
};

export function sha256File(): VectorFileBuilder {
  const f = new VectorFileBuilder("sha256-fips180.json", {
    suite: "crypto.sha256",
    source: "FIPS 180-2 Appendix B.1 and B.2 (SHA-256 examples)",
    notes: { "Fips180": "example printed in FIPS 180-2 Appendix B" },
  });
  f.group("crypto-hash", {}, [
    {
      comment: "FIPS 180-2 B.1: 'abc'",
      flags: ["Fips180"],
      spec: ["FIPS180-4-6.2"],
      msg: ascii("abc"),
      digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      result: "valid",
    },
    {
      comment: "FIPS 180-2 B.2: two-block message",
      flags: ["Fips180"],
      spec: ["FIPS180-4-6.2"],
      msg: ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      result: "valid",
    },
  ]);
  return f;
}

export function hmacFile(): VectorFileBuilder {
  const f = new VectorFileBuilder("hmac-sha256-rfc4231.json", {
    suite: "crypto.hmac-sha256",
    source: "RFC 4231 §4.2-§4.8 (HMAC-SHA-256 test cases 1-7)",
    notes: {
      "Rfc4231": "example printed in RFC 4231",
      "Truncated": "only the first bytes of the tag are given (RFC 4231 test case 5)",
    },
  });
  const tc = (
    n: number,
    key: string,
    msg: string,
    tag: string,
    flags: string[] = [],
  ): TestCase => ({
    comment: `RFC 4231 test case ${n}`,
    flags: ["Rfc4231", ...flags],
    spec: ["RFC2104-2"],
    key,
    msg,
    tag,
    result: "valid",
  });
  const big = rep("aa", 131);
  f.group("crypto-hmac", {}, [
    tc(
      1,
      rep("0b", 20),
      ascii("Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ),
    tc(
      2,
      ascii("Jefe"),
      ascii("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    tc(
      3,
      rep("aa", 20),
      rep("dd", 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    ),
    tc(
      4,
      range(1, 25),
      rep("cd", 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    ),
    tc(5, rep("0c", 20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b", [
      "Truncated",
    ]),
    tc(
      6,
      big,
      ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ),
    tc(
      7,
      big,
      ascii(
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
      ),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ),
  ]);
  return f;
}

export function hkdfFile(): VectorFileBuilder {
  const f = new VectorFileBuilder("hkdf-sha256-rfc5869.json", {
    suite: "crypto.hkdf-sha256",
    source:
      "RFC 5869 Appendix A.1-A.3 (HKDF with SHA-256); negative cases for the output length bound of §2.3",
    notes: {
      "Rfc5869": "example printed in RFC 5869 Appendix A",
      "EmptySalt": "salt and info are empty (A.3)",
      "OutputLength": "the requested output length is outside 1..255*32",
    },
  });
  const spec = ["RFC5869-2.2", "RFC5869-2.3"];
  f.group("crypto-hkdf", {}, [
    {
      comment: "RFC 5869 A.1: basic case",
      flags: ["Rfc5869"],
      spec,
      ikm: rep("0b", 22),
      salt: range(0x00, 0x0c),
      info: range(0xf0, 0xf9),
      size: 42,
      prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
      okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
      result: "valid",
    },
    {
      comment: "RFC 5869 A.2: longer inputs and outputs",
      flags: ["Rfc5869"],
      spec,
      ikm: range(0x00, 0x4f),
      salt: range(0x60, 0xaf),
      info: range(0xb0, 0xff),
      size: 82,
      prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
      okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c" +
        "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71" +
        "cc30c58179ec3e87c14c01d5c1f3434f1d87",
      result: "valid",
    },
    {
      comment: "RFC 5869 A.3: zero-length salt and info",
      flags: ["Rfc5869", "EmptySalt"],
      spec,
      ikm: rep("0b", 22),
      salt: "",
      info: "",
      size: 42,
      prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
      okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
      result: "valid",
    },
    {
      comment: "largest output, 255 * 32 bytes, is allowed",
      flags: ["OutputLength"],
      spec: ["RFC5869-2.3"],
      ikm: rep("0b", 22),
      salt: "",
      info: "",
      size: 8160,
      result: "valid",
    },
    {
      comment: "output of 255 * 32 + 1 bytes",
      flags: ["OutputLength"],
      spec: ["RFC5869-2.3"],
      ikm: rep("0b", 22),
      salt: "",
      info: "",
      size: 8161,
      result: "invalid",
      error: "crypto/invalid-length",
    },
    {
      comment: "output of zero bytes",
      flags: ["OutputLength"],
      spec: ["RFC5869-2.3"],
      ikm: rep("0b", 22),
      salt: "",
      info: "",
      size: 0,
      result: "invalid",
      error: "crypto/invalid-length",
    },
  ]);
  return f;
}

// GCM specification test cases: the 60-byte plaintext of cases 4 and 16 is the first 60 of these 64.
const P64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const P60 = P64.slice(0, 120);
const K128 = "feffe9928665731c6d6a8f9467308308";
const K256 = K128 + K128;
const IV = "cafebabefacedbaddecaf888";
const AAD = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
const C3 = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" +
  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
const C15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" +
  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

interface Gcm {
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
}

const CASES: [number, Gcm][] = [
  [1, {
    key: rep("00", 16),
    iv: rep("00", 12),
    aad: "",
    msg: "",
    ct: "",
    tag: "58e2fccefa7e3061367f1d57a4e7455a",
  }],
  [2, {
    key: rep("00", 16),
    iv: rep("00", 12),
    aad: "",
    msg: rep("00", 16),
    ct: "0388dace60b6a392f328c2b971b2fe78",
    tag: "ab6e47d42cec13bdf53a67b21257bddf",
  }],
  [3, { key: K128, iv: IV, aad: "", msg: P64, ct: C3, tag: "4d5c2af327cd64a62cf35abd2ba6fab4" }],
  [4, {
    key: K128,
    iv: IV,
    aad: AAD,
    msg: P60,
    ct: C3.slice(0, 120),
    tag: "5bc94fbc3221a5db94fae95ae7121a47",
  }],
  [13, {
    key: rep("00", 32),
    iv: rep("00", 12),
    aad: "",
    msg: "",
    ct: "",
    tag: "530f8afbc74536b9a963b4f1c4cb738b",
  }],
  [14, {
    key: rep("00", 32),
    iv: rep("00", 12),
    aad: "",
    msg: rep("00", 16),
    ct: "cea7403d4d606b6e074ec5d3baf39d18",
    tag: "d0d1c8a799996bf0265b98b5d48ab919",
  }],
  [15, { key: K256, iv: IV, aad: "", msg: P64, ct: C15, tag: "b094dac5d93471bdec1a502270e3cc6c" }],
  [16, {
    key: K256,
    iv: IV,
    aad: AAD,
    msg: P60,
    ct: C15.slice(0, 120),
    tag: "76fc6ece0f4e1768cddf8853bb2d551b",
  }],
];

function mutations(base: Gcm, label: string): TestCase[] {
  const auth = (comment: string, over: Partial<Gcm>, flags: string[]): TestCase => ({
    comment: `${label}: ${comment}`,
    flags,
    spec: ["SP800-38D-7.2"],
    ...base,
    ...over,
    result: "invalid",
    error: "crypto/aead-auth-failed",
  });
  const size = (comment: string, over: Partial<Gcm>, error: string, spec: string[]): TestCase => ({
    comment: `${label}: ${comment}`,
    flags: ["WrongLength"],
    spec,
    ...base,
    ...over,
    result: "invalid",
    error,
  });
  return [
    auth("first tag bit flipped", { tag: flipBit(base.tag, 0) }, ["ModifiedTag"]),
    auth("last tag bit flipped", { tag: flipBit(base.tag, -1, 7) }, ["ModifiedTag"]),
    auth("tag truncated to 12 bytes", { tag: base.tag.slice(0, 24) }, ["TruncatedTag"]),
    auth("tag truncated to 8 bytes", { tag: base.tag.slice(0, 16) }, ["TruncatedTag"]),
    auth("tag all zero", { tag: rep("00", 16) }, ["ModifiedTag"]),
    auth("ciphertext bit flipped", { ct: flipBit(base.ct, 3) }, ["ModifiedCiphertext"]),
    auth("ciphertext one byte shorter", { ct: base.ct.slice(0, -2) }, ["ModifiedCiphertext"]),
    auth("associated data changed", { aad: flipBit(base.aad, 0, 7) }, ["ModifiedAad"]),
    auth("associated data left out", { aad: "" }, ["ModifiedAad"]),
    auth("key bit flipped", { key: flipBit(base.key, 0) }, ["WrongKey"]),
    auth("nonce bit flipped", { iv: flipBit(base.iv, 11) }, ["ModifiedNonce"]),
    auth("ciphertext and tag shorter than a tag", { ct: "", tag: base.tag.slice(0, 30) }, [
      "TruncatedTag",
    ]),
    size("8-byte nonce", { iv: base.iv.slice(0, 16) }, "crypto/invalid-nonce-length", [
      "SP800-38D-5.2.1.1",
      "PD-18",
    ]),
    size("16-byte nonce", { iv: base.iv + "00000000" }, "crypto/invalid-nonce-length", [
      "SP800-38D-5.2.1.1",
      "PD-18",
    ]),
    size("empty nonce", { iv: "" }, "crypto/invalid-nonce-length", ["SP800-38D-5.2.1.1", "PD-18"]),
  ];
}

export function aesGcmFile(): VectorFileBuilder {
  const f = new VectorFileBuilder("aes-gcm-mcgrew-viega.json", {
    suite: "crypto.aes-gcm",
    source:
      "D. McGrew and J. Viega, The Galois/Counter Mode of Operation (GCM), Appendix B, test cases 1-4 (AES-128) and 13-16 (AES-256), 96-bit IVs; negative cases derived from cases 4 and 16",
    notes: {
      "GcmSpec": "example printed in the GCM specification",
      "ModifiedTag": "the tag was changed",
      "TruncatedTag": "the tag is shorter than 16 bytes",
      "ModifiedCiphertext": "the ciphertext was changed",
      "ModifiedAad": "the associated data was changed",
      "ModifiedNonce": "the nonce was changed",
      "WrongKey": "the key differs from the sealing key",
      "WrongLength": "a key or nonce length the profile refuses",
    },
  });
  f.group(
    "crypto-aead",
    {},
    CASES.map(([n, c]) => ({
      comment: `GCM specification test case ${n} (AES-${c.key.length * 4})`,
      flags: ["GcmSpec"],
      spec: ["SP800-38D-7.1", "SP800-38D-7.2"],
      ...c,
      result: "valid" as const,
    })),
  );
  const c4 = CASES[3][1], c16 = CASES[7][1];
  f.group("crypto-aead", {}, [
    ...mutations(c4, "case 4"),
    ...mutations(c16, "case 16"),
    {
      comment: "AES-192 key (24 bytes) is not offered",
      flags: ["WrongLength"],
      spec: ["PD-18"],
      ...c16,
      key: c16.key.slice(0, 48),
      result: "invalid",
      error: "crypto/invalid-key-length",
    },
    {
      comment: "key of 15 bytes",
      flags: ["WrongLength"],
      spec: ["PD-18"],
      ...c4,
      key: c4.key.slice(0, 30),
      result: "invalid",
      error: "crypto/invalid-key-length",
    },
    {
      comment: "empty key",
      flags: ["WrongLength"],
      spec: ["PD-18"],
      ...c4,
      key: "",
      result: "invalid",
      error: "crypto/invalid-key-length",
    },
  ]);
  return f;
}
