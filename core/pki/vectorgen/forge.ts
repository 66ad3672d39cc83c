/**
 * Certificate and CRL forging for the PKI vectors and tests: the normal
 * issuing path of certificate.ts / crl.ts, with hooks to change the signed
 * structure before signing, sign with another key, or put a different
 * algorithm outside. Everything stays built by the ASN.1 schemas; byte-level
 * changes (BER lengths, trailing bytes) are applied to finished DER only.
 *
 * @module
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import type { AlgorithmIdentifier, TBSCertificate, TBSCertList } from "@peculiar/asn1-x509";
import { toHex } from "../../bytes.ts";
import type { SeededEntropy } from "../../entropy.ts";
import type { SuiteId } from "../../crypto/suite.ts";
import {
  generateSigningKey,
  signatureAlgorithmOf,
  type SigningKey,
  signWith,
} from "../algorithms.ts";
import {
  assembleCertificate,
  buildTbsCertificate,
  type CertificateTemplate,
  type IssuedCertificate,
  issuerOf,
} from "../certificate.ts";
import { assembleCrl, buildTbsCertList, type CrlOptions } from "../crl.ts";

/** What to forge: a template with defaults, plus the hooks. */
export interface ForgeSpec extends Partial<Omit<CertificateTemplate, "subjectKey" | "serial">> {
  /** Signing certificate; absent for a self-signed one. */
  readonly issuer?: IssuedCertificate;
  /** Suite of a fresh key (default the issuer's, or "p256" for a root). */
  readonly suite?: SuiteId;
  readonly key?: SigningKey;
  /** Changes the TBSCertificate after it is built (the signature field already set). */
  readonly tbs?: (tbs: TBSCertificate) => void;
  /** Signs with this key instead of the issuer's. */
  readonly signer?: SigningKey;
  /** Outer signatureAlgorithm, when it should differ from the signed one. */
  readonly outerAlgorithm?: AlgorithmIdentifier;
}

/** A forged certificate with the facts a vector states about it. */
export interface Forged extends IssuedCertificate {
  readonly serialHex: string;
}

/** Forges a certificate; fields left out get the end-entity defaults of the vectors. */
export function forge(spec: ForgeSpec, e: SeededEntropy, now: number): Forged {
  const suite = spec.suite ?? spec.key?.suite ?? spec.issuer?.key.suite ?? "p256";
  const key = spec.key ?? generateSigningKey(suite, e);
  const serial = e.bytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const template: CertificateTemplate = {
    subject: spec.subject ?? { commonName: "IED-1 inverter" },
    subjectKey: key,
    notBefore: spec.notBefore ?? now - 30 * DAY,
    notAfter: spec.notAfter ?? now + 365 * DAY,
    ca: spec.ca,
    keyUsage: spec.keyUsage,
    extendedKeyUsage: spec.extendedKeyUsage,
    jids: spec.jids,
    dnsNames: spec.dnsNames,
    roles: spec.roles,
    serial,
    extraExtensions: spec.extraExtensions,
  };
  const info = spec.issuer ? issuerOf(spec.issuer) : undefined;
  const tbs = buildTbsCertificate(
    template,
    e,
    info && spec.issuer ? { ...info, suite: spec.issuer.key.suite } : undefined,
  );
  const signer = spec.signer ?? spec.issuer?.key ?? key;
  tbs.signature = signatureAlgorithmOf(signer.suite);
  spec.tbs?.(tbs);
  const signature = signWith(signer, new Uint8Array(AsnConvert.serialize(tbs)));
  const der = assembleCertificate(tbs, spec.outerAlgorithm ?? tbs.signature, signature);
  return { der, key, serialHex: toHex(serial) };
}

/** Hooks for a forged CRL. */
export interface CrlForgeSpec {
  readonly tbs?: (tbs: TBSCertList) => void;
  readonly signer?: SigningKey;
  /** Outer signatureAlgorithm, when it should differ from the signed one. */
  readonly outerAlgorithm?: AlgorithmIdentifier;
}

/** Forges a CRL of `issuer`. */
export function forgeCrl(
  issuer: IssuedCertificate,
  options: CrlOptions,
  spec: CrlForgeSpec = {},
): Uint8Array {
  const tbs = buildTbsCertList(issuer, options);
  const signer = spec.signer ?? issuer.key;
  tbs.signature = signatureAlgorithmOf(signer.suite);
  spec.tbs?.(tbs);
  const signature = signWith(signer, new Uint8Array(AsnConvert.serialize(tbs)));
  return assembleCrl(tbs, spec.outerAlgorithm ?? tbs.signature, signature);
}

export const DAY = 86_400_000;

/** `der` with the outer SEQUENCE length re-encoded one octet longer than needed (valid BER, not DER). */
export function longFormLength(der: Uint8Array): Uint8Array {
  // A certificate of 256..65535 bytes starts 30 82 hh ll; 30 83 00 hh ll says the same in BER.
  if (der[0] !== 0x30 || der[1] !== 0x82) throw new Error("expected a two-octet length");
  const out = new Uint8Array(der.length + 1);
  out.set([0x30, 0x83, 0x00], 0);
  out.set(der.subarray(2), 3);
  return out;
}

/** `der` with one bit flipped at `index` (negative counts from the end). */
export function flipBit(der: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = der.slice();
  out[index < 0 ? out.length + index : index] ^= 1 << bit;
  return out;
}

/** `der` with the last byte of the first occurrence of `needle` flipped in bit 0. */
export function flipWithin(der: Uint8Array, needle: Uint8Array): Uint8Array {
  outer: for (let i = 0; i + needle.length <= der.length; i++) {
    for (let j = 0; j < needle.length; j++) if (der[i + j] !== needle[j]) continue outer;
    return flipBit(der, i + needle.length - 1);
  }
  throw new Error("needle not found");
}
