/**
 * Keys and signature algorithms of certificates, mapped onto the crypto
 * suites: which SubjectPublicKeyInfo and which AlgorithmIdentifier each suite
 * uses, and signing / verifying through `Suite.sig` so brainpoolP256r1 and
 * deterministic ECDSA work (WebCrypto has neither).
 *
 * | suite            | subjectPublicKeyInfo                                 | signatureAlgorithm       |
 * |------------------|------------------------------------------------------|--------------------------|
 * | `p256`           | id-ecPublicKey, namedCurve secp256r1 (RFC 5480)      | ecdsa-with-SHA256 (RFC 5758) |
 * | `brainpool256`   | id-ecPublicKey, namedCurve brainpoolP256r1 (RFC 5639)| ecdsa-with-SHA256        |
 * | `x25519-ed25519` | id-Ed25519, no parameters (RFC 8410)                 | id-Ed25519, no parameters |
 *
 * @module
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { ECParameters, id_ecdsaWithSHA256, id_ecPublicKey, id_secp256r1 } from "@peculiar/asn1-ecc";
import type { EntropySource } from "../entropy.ts";
import { fail, isDerlinkError, ok, type Result } from "../errors.ts";
import { getSuite, type SuiteId } from "../crypto/suite.ts";
import { checkEd25519PublicKey } from "../crypto/curve25519.ts";
import { PkiError } from "./errors.ts";

/** Object identifiers of the algorithms derlink certificates use. */
export const ALGORITHM_OID = {
  ecPublicKey: id_ecPublicKey,
  secp256r1: id_secp256r1,
  brainpoolP256r1: "1.3.36.3.3.2.8.1.1.7",
  ed25519: "1.3.101.112",
  ecdsaWithSha256: id_ecdsaWithSHA256,
} as const;

/** A certificate key pair and the suite whose signature scheme it belongs to. */
export interface SigningKey {
  readonly suite: SuiteId;
  /** Secret: never logged, never put into an error detail. */
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A public key with its suite, as read from a certificate. */
export interface PublicKey {
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
}

const CURVE_OF: Partial<Record<SuiteId, string>> = {
  "p256": ALGORITHM_OID.secp256r1,
  "brainpool256": ALGORITHM_OID.brainpoolP256r1,
};

/** A fresh signing key for `suite`, reproducible from a seeded source. */
export function generateSigningKey(suite: SuiteId, entropy: EntropySource): SigningKey {
  const pair = getSuite(suite).sig.generate(entropy);
  return { suite, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** The SubjectPublicKeyInfo of `key`. */
export function spkiOf(key: PublicKey): SubjectPublicKeyInfo {
  const curve = CURVE_OF[key.suite];
  // spec: RFC5480-2.1.1 RFC8410-4
  const algorithm = curve
    ? new AlgorithmIdentifier({
      algorithm: ALGORITHM_OID.ecPublicKey,
      parameters: AsnConvert.serialize(new ECParameters({ namedCurve: curve })),
    })
    : new AlgorithmIdentifier({ algorithm: ALGORITHM_OID.ed25519 });
  return new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: bufferOf(key.publicKey) });
}

/** The signatureAlgorithm a key of `suite` signs with (parameters absent, as both RFCs require). */
export function signatureAlgorithmOf(suite: SuiteId): AlgorithmIdentifier {
  // spec: RFC5758-3.2 RFC8410-3
  return new AlgorithmIdentifier({
    algorithm: suite === "x25519-ed25519" ? ALGORITHM_OID.ed25519 : ALGORITHM_OID.ecdsaWithSha256,
  });
}

/** Reads and validates the key of a SubjectPublicKeyInfo. */
export function publicKeyOf(spki: SubjectPublicKeyInfo): Result<PublicKey> {
  const alg = spki.algorithm;
  let suite: SuiteId;
  if (alg.algorithm === ALGORITHM_OID.ed25519) {
    // spec: RFC8410-3
    if (alg.parameters !== undefined) {
      return fail(PkiError["unsupported-algorithm"], "Ed25519 key with parameters");
    }
    suite = "x25519-ed25519";
  } else if (alg.algorithm === ALGORITHM_OID.ecPublicKey) {
    // spec: RFC5480-2.1.1 PD-84
    const curve = namedCurveOf(alg.parameters);
    if (curve === ALGORITHM_OID.secp256r1) suite = "p256";
    else if (curve === ALGORITHM_OID.brainpoolP256r1) suite = "brainpool256";
    else return fail(PkiError["unsupported-algorithm"], `EC key on curve ${curve ?? "(none)"}`);
  } else {
    return fail(PkiError["unsupported-algorithm"], `key algorithm ${alg.algorithm}`);
  }
  const publicKey = new Uint8Array(spki.subjectPublicKey);
  const checked = checkKey(suite, publicKey);
  return checked.ok ? ok({ suite, publicKey }) : checked;
}

/** Signs `message` (the DER of a TBSCertificate or TBSCertList) with `key` through its suite. */
export function signWith(key: SigningKey, message: Uint8Array): Uint8Array {
  return getSuite(key.suite).sig.sign(key.privateKey, message);
}

/**
 * Verifies a certificate or CRL signature: the algorithm must be the one the
 * issuer's suite signs with, and the signature must verify. Never throws.
 * `badCode` is the code for a signature that does not verify.
 */
export function verifyWith(
  issuer: PublicKey,
  algorithm: AlgorithmIdentifier,
  message: Uint8Array,
  signature: Uint8Array,
  badCode: typeof PkiError["bad-signature"] | typeof PkiError["crl-bad-signature"],
): Result<true> {
  const expected = signatureAlgorithmOf(issuer.suite);
  // spec: RFC5758-3.2 RFC8410-3 PD-84
  if (algorithm.algorithm !== expected.algorithm || algorithm.parameters !== undefined) {
    return fail(
      PkiError["unsupported-algorithm"],
      `signature algorithm ${algorithm.algorithm} for a ${issuer.suite} issuer key`,
    );
  }
  const checked = getSuite(issuer.suite).sig.check(issuer.publicKey, message, signature);
  return checked.ok ? ok(true) : fail(badCode, checked.error.code);
}

/** The curve OID of encoded ECParameters, or undefined for anything but a namedCurve. */
function namedCurveOf(parameters: ArrayBuffer | null | undefined): string | undefined {
  if (!parameters) return undefined;
  try {
    return AsnConvert.parse(parameters, ECParameters).namedCurve;
  } catch {
    return undefined;
  }
}

function checkKey(suite: SuiteId, publicKey: Uint8Array): Result<true> {
  try {
    // The Weierstrass suites validate keys in their key agreement (SEC 1 §3.2.2); Ed25519 keys
    // get the strict RFC 8032 decoding checks of PD-14.
    if (suite === "x25519-ed25519") checkEd25519PublicKey(publicKey);
    else getSuite(suite).kex.checkPublicKey(publicKey);
    return ok(true);
  } catch (e) {
    return fail(PkiError["invalid-key"], isDerlinkError(e) ? e.code : "refused");
  }
}

/** A standalone ArrayBuffer holding exactly `bytes` (asn1-schema takes ArrayBuffers). */
export function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
