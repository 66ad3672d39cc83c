/**
 * Strict parsing of X.509 v3 certificates with the @peculiar ASN.1 schemas:
 * the certificate, and every extension derlink processes, must be DER (the
 * bytes must re-encode to themselves), the version must be v3, the inner and
 * outer signature algorithms must agree, no extension may appear twice, and
 * the key must belong to a suite. What validation needs is lifted into a
 * plain {@link ParsedCertificate}; nothing here judges trust.
 *
 * @module
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  type AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  type Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectDirectoryAttributes,
  id_ce_subjectKeyIdentifier,
  KeyUsage,
  type Name,
  SubjectAlternativeName,
  SubjectDirectoryAttributes,
  SubjectKeyIdentifier,
  Version,
} from "@peculiar/asn1-x509";
import { constantTimeEqual, toHex } from "../bytes.ts";
import { fail, ok, type Result } from "../errors.ts";
import { type PublicKey, publicKeyOf } from "./algorithms.ts";
import { PkiError } from "./errors.ts";
import { commonNameOf, nameDer, rolesOf, xmppAddrsOf } from "./names.ts";
import type { CertificateDer } from "./types.ts";

/** The extensions derlink processes, decoded; others are only listed when critical. */
export interface CertificateExtensions {
  readonly basicConstraints?: { readonly cA: boolean; readonly pathLen?: number };
  /** KeyUsage bits as asn1-x509's KeyUsageFlags (digitalSignature = 1, keyCertSign = 32, ...). */
  readonly keyUsage?: number;
  readonly extendedKeyUsage?: readonly string[];
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly xmppAddrs: readonly string[];
  readonly dnsNames: readonly string[];
  readonly roles: readonly string[];
  /** OIDs of critical extensions derlink does not process. */
  readonly unknownCritical: readonly string[];
}

/** A certificate lifted out of its DER. */
export interface ParsedCertificate {
  readonly der: CertificateDer;
  /** The signed bytes exactly as received. */
  readonly tbsDer: Uint8Array;
  readonly serial: Uint8Array;
  readonly serialHex: string;
  /** DER of the issuer and subject Names (compared as bytes, PD-82). */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly subjectName: Name;
  readonly commonName?: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly key: PublicKey;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly extensions: CertificateExtensions;
}

/** Extension OIDs derlink processes; a critical one outside this set is refused. */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_subjectAltName,
  id_ce_subjectDirectoryAttributes,
]);

/** Largest serial number RFC 5280 §4.1.2.2 asks users to handle. */
const MAX_SERIAL_BYTES = 20;

/** Parses `der`; malformed, unsupported-algorithm or invalid-key on refusal. Never throws. */
export function parseCertificate(der: CertificateDer): Result<ParsedCertificate> {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (e) {
    return fail(PkiError.malformed, `not an X.509 certificate (${(e as Error).message})`);
  }
  try {
    return lift(der, cert);
  } catch (e) {
    return fail(PkiError.malformed, (e as Error).message);
  }
}

function lift(der: Uint8Array, cert: Certificate): Result<ParsedCertificate> {
  // spec: RFC5280-4.1 PD-82
  if (!isDer(der, AsnConvert.serialize(cert))) return fail(PkiError.malformed, "not DER");
  const tbs = cert.tbsCertificate;
  // spec: RFC5280-4.1.2.1
  if (tbs.version !== Version.v3) return fail(PkiError.malformed, `version ${tbs.version + 1}`);
  // spec: RFC5280-4.1.1.2
  if (!sameAlgorithm(tbs.signature, cert.signatureAlgorithm)) {
    return fail(PkiError.malformed, "signature and signatureAlgorithm differ");
  }
  const serial = new Uint8Array(tbs.serialNumber);
  // spec: RFC5280-4.1.2.2
  if (serial.length === 0 || serial.length > MAX_SERIAL_BYTES) {
    return fail(PkiError.malformed, `serial number of ${serial.length} bytes`);
  }
  const extensions = liftExtensions(tbs.extensions ?? []);
  if (!extensions.ok) return extensions;
  const key = publicKeyOf(tbs.subjectPublicKeyInfo);
  if (!key.ok) return key;
  return ok({
    der,
    tbsDer: new Uint8Array(cert.tbsCertificateRaw!),
    serial,
    serialHex: toHex(serial),
    issuer: nameDer(tbs.issuer),
    subject: nameDer(tbs.subject),
    subjectName: tbs.subject,
    commonName: commonNameOf(tbs.subject),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    key: key.value,
    signatureAlgorithm: cert.signatureAlgorithm,
    signature: new Uint8Array(cert.signatureValue),
    extensions: extensions.value,
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function liftExtensions(list: readonly Extension[]): Result<CertificateExtensions> {
  const unknownCritical: string[] = [];
  const out: Mutable<CertificateExtensions> = {
    xmppAddrs: [],
    dnsNames: [],
    roles: [],
    unknownCritical,
  };
  const seen = new Set<string>();
  for (const ext of list) {
    // spec: RFC5280-4.2
    if (seen.has(ext.extnID)) return fail(PkiError.malformed, `extension ${ext.extnID} twice`);
    seen.add(ext.extnID);
    const value = ext.extnValue.buffer;
    switch (ext.extnID) {
      case id_ce_basicConstraints: {
        const bc = decode(value, BasicConstraints);
        out.basicConstraints = { cA: bc.cA, pathLen: bc.pathLenConstraint };
        break;
      }
      case id_ce_keyUsage:
        out.keyUsage = decode(value, KeyUsage).toNumber();
        break;
      case id_ce_extKeyUsage:
        out.extendedKeyUsage = [...decode(value, ExtendedKeyUsage)];
        break;
      case id_ce_subjectKeyIdentifier:
        out.subjectKeyId = new Uint8Array(decode(value, SubjectKeyIdentifier).buffer);
        break;
      case id_ce_authorityKeyIdentifier: {
        const id = decode(value, AuthorityKeyIdentifier).keyIdentifier;
        if (id) out.authorityKeyId = new Uint8Array(id.buffer);
        break;
      }
      case id_ce_subjectAltName: {
        const names = decode(value, SubjectAlternativeName);
        out.xmppAddrs = xmppAddrsOf(names);
        out.dnsNames = Array.from(names).flatMap((n) => n.dNSName !== undefined ? [n.dNSName] : []);
        break;
      }
      case id_ce_subjectDirectoryAttributes:
        out.roles = rolesOf(decode(value, SubjectDirectoryAttributes));
        break;
      default:
        // spec: RFC5280-4.2
        if (ext.critical) unknownCritical.push(ext.extnID);
    }
  }
  return ok(out);
}

/** Parses an extension value and insists that it is DER; throws (caught by the caller) if not. */
function decode<T>(value: ArrayBuffer, type: new () => T): T {
  const parsed = AsnConvert.parse(value, type);
  if (!isDer(new Uint8Array(value), AsnConvert.serialize(parsed))) {
    throw new Error(`extension value is not DER (${type.name})`);
  }
  return parsed;
}

/** True when re-encoding what was parsed from `received` gives `received` back. */
function isDer(received: Uint8Array, reencoded: ArrayBuffer): boolean {
  const again = new Uint8Array(reencoded);
  return again.length === received.length && constantTimeEqual(again, received);
}

function sameAlgorithm(a: AlgorithmIdentifier, b: AlgorithmIdentifier): boolean {
  return isDer(new Uint8Array(AsnConvert.serialize(a)), AsnConvert.serialize(b));
}
