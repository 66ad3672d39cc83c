/**
 * Refusals before any trust decision: certificates that are not DER or not
 * the profile's X.509 v3, algorithms and keys outside the suites, and trust
 * anchors that cannot be used.
 *
 * @module
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  Extension,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectPublicKeyInfo,
  Version,
} from "@peculiar/asn1-x509";
import { ECParameters } from "@peculiar/asn1-ecc";
import { concat, fromHex } from "../../bytes.ts";
import { ALGORITHM_OID, bufferOf, spkiOf } from "../algorithms.ts";
import { PkiError } from "../errors.ts";
import { longFormLength } from "./forge.ts";
import { EE_CN, EE_JID, type Fixture } from "./fixture.ts";

const ECDSA_SHA384 = "1.2.840.10045.4.3.3";
const SECP384R1 = "1.3.132.0.34";
const RSA = "1.2.840.113549.1.1.1";

export function structureCases(f: Fixture): void {
  const M = PkiError.malformed;
  const base = { issuer: f.int, subject: { commonName: EE_CN }, jids: [EE_JID] };
  const ee = f.objects.get("ee")!;

  f.mutate("ee-truncated", ee.subarray(0, ee.length - 1));
  f.invalid(M, {
    comment: "end entity truncated by one byte",
    spec: ["RFC5280-4.1"],
    chain: ["ee-truncated", "int"],
  });
  f.mutate("ee-trailing", concat(ee, new Uint8Array([0])));
  f.invalid(M, {
    comment: "a zero byte after the end entity",
    spec: ["RFC5280-4.1"],
    chain: ["ee-trailing", "int"],
  });
  f.mutate("ee-ber-length", longFormLength(ee));
  f.invalid(M, {
    comment: "outer length in long form one octet longer than needed (BER, not DER)",
    spec: ["RFC5280-4.1", "PD-82"],
    chain: ["ee-ber-length", "int"],
  });
  f.add("garbage", fromHex("0403010203"));
  f.invalid(M, {
    comment: "an OCTET STRING instead of a certificate",
    spec: ["RFC5280-4.1"],
    chain: ["garbage", "int"],
  });
  f.invalid(M, { comment: "empty chain", spec: ["RFC5280-6.1"], chain: [] });

  f.forge("ee-v1", { ...base, tbs: (t) => (t.version = Version.v1, t.extensions = undefined) });
  f.invalid(M, {
    comment: "X.509 v1 certificate",
    spec: ["RFC5280-4.1.2.1", "PD-80"],
    chain: ["ee-v1", "int"],
  });
  f.forge("ee-serial-21", {
    ...base,
    tbs: (t) => (t.serialNumber = bufferOf(new Uint8Array(21).fill(0x41))),
  });
  f.invalid(M, {
    comment: "serial number of 21 octets",
    spec: ["RFC5280-4.1.2.2"],
    chain: ["ee-serial-21", "int"],
  });
  f.forge("ee-outer-alg", {
    ...base,
    outerAlgorithm: new AlgorithmIdentifier({
      algorithm: f.suite === "x25519-ed25519"
        ? ALGORITHM_OID.ecdsaWithSha256
        : ALGORITHM_OID.ed25519,
    }),
  });
  f.invalid(M, {
    comment: "outer signatureAlgorithm differs from the signed one",
    spec: ["RFC5280-4.1.1.2"],
    chain: ["ee-outer-alg", "int"],
  });
  const dupKu = new Extension({
    extnID: id_ce_keyUsage,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(new KeyUsage(KeyUsageFlags.digitalSignature))),
  });
  f.forge("ee-dup-ext", { ...base, extraExtensions: [dupKu] });
  f.invalid(M, {
    comment: "keyUsage extension twice",
    spec: ["RFC5280-4.2"],
    chain: ["ee-dup-ext", "int"],
  });
  f.forge("ee-bc-not-der", {
    ...base,
    tbs: (t) => {
      const bc = t.extensions!.find((x) => x.extnID === id_ce_basicConstraints)!;
      // cA FALSE written out: the DEFAULT value must be omitted in DER.
      bc.extnValue = new OctetString(fromHex("3003010100"));
    },
  });
  f.invalid(M, {
    comment: "basicConstraints encodes the DEFAULT cA FALSE (not DER)",
    spec: ["RFC5280-4.1", "PD-82"],
    chain: ["ee-bc-not-der", "int"],
  });

  // Algorithms and keys outside the suites.
  const U = PkiError["unsupported-algorithm"];
  const withKey = (name: string, spki: SubjectPublicKeyInfo) =>
    f.forge(name, { ...base, tbs: (t) => (t.subjectPublicKeyInfo = spki) });
  withKey(
    "ee-p384-key",
    new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({
        algorithm: ALGORITHM_OID.ecPublicKey,
        parameters: AsnConvert.serialize(new ECParameters({ namedCurve: SECP384R1 })),
      }),
      subjectPublicKey: bufferOf(new Uint8Array(97).fill(4, 0, 1)),
    }),
  );
  f.invalid(U, {
    comment: "end-entity key on secp384r1",
    spec: ["RFC5480-2.1.1", "PD-84"],
    chain: ["ee-p384-key", "int"],
  });
  withKey(
    "ee-rsa-key",
    new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: RSA, parameters: null }),
      subjectPublicKey: bufferOf(fromHex("3006020100020103")),
    }),
  );
  f.invalid(U, { comment: "end-entity RSA key", spec: ["PD-84"], chain: ["ee-rsa-key", "int"] });
  f.forge("ee-sha384", {
    ...base,
    tbs: (t) => (t.signature = new AlgorithmIdentifier({ algorithm: ECDSA_SHA384 })),
  });
  f.invalid(U, {
    comment: "signed as ecdsa-with-SHA384 (inner and outer agree)",
    spec: ["RFC5758-3.2", "PD-84"],
    chain: ["ee-sha384", "int"],
  });
  f.forge("ee-alg-params", {
    ...base,
    tbs: (
      t,
    ) => (t.signature = new AlgorithmIdentifier({
      algorithm: t.signature.algorithm,
      parameters: null,
    })),
  });
  f.invalid(U, {
    comment: "signature algorithm with a NULL parameters field",
    spec: ["RFC5758-3.2", "RFC8410-3"],
    chain: ["ee-alg-params", "int"],
  });

  const K = PkiError["invalid-key"];
  const good = f.ee.key.publicKey;
  if (f.suite === "x25519-ed25519") {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    withKey(
      "ee-small-order",
      new SubjectPublicKeyInfo({
        algorithm: new AlgorithmIdentifier({ algorithm: ALGORITHM_OID.ed25519 }),
        subjectPublicKey: bufferOf(identity),
      }),
    );
    f.invalid(K, {
      comment: "Ed25519 key is the identity point (small order)",
      spec: ["RFC8410-4", "PD-84"],
      chain: ["ee-small-order", "int"],
    });
    withKey(
      "ee-key-31",
      new SubjectPublicKeyInfo({
        algorithm: new AlgorithmIdentifier({ algorithm: ALGORITHM_OID.ed25519 }),
        subjectPublicKey: bufferOf(good.subarray(0, 31)),
      }),
    );
    f.invalid(K, {
      comment: "Ed25519 key of 31 bytes",
      spec: ["RFC8410-4"],
      chain: ["ee-key-31", "int"],
    });
  } else {
    const offCurve = good.slice();
    offCurve[64] ^= 1;
    withKey("ee-off-curve", spkiOf({ suite: f.suite, publicKey: offCurve }));
    f.invalid(K, {
      comment: "EC key not on the curve",
      spec: ["RFC5480-2.1.1", "PD-84"],
      chain: ["ee-off-curve", "int"],
    });
    const compressed = concat(new Uint8Array([2 + (good[64] & 1)]), good.subarray(1, 33));
    withKey("ee-compressed", spkiOf({ suite: f.suite, publicKey: compressed }));
    f.invalid(K, {
      comment: "EC key in compressed form",
      spec: ["PD-84"],
      chain: ["ee-compressed", "int"],
    });
  }

  // Anchors that cannot be used.
  const A = PkiError["invalid-anchor"];
  f.invalid(A, {
    comment: "trust anchor list holds a non-certificate",
    spec: ["PAPER-M2"],
    anchors: ["root", "garbage"],
  });
  f.mutate("root-ber", longFormLength(f.objects.get("root")!));
  f.invalid(A, {
    comment: "trust anchor in BER",
    spec: ["PAPER-M2", "PD-82"],
    anchors: ["root-ber"],
  });
}
