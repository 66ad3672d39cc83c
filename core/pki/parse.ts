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
  Name,
  SubjectAlternativeName,
  SubjectDirectoryAttributes,
  SubjectKeyIdentifier,
  Version,
} from "@peculiar/asn1-x509";
import { constantTimeEqual, toHex } from "../bytes.ts";
import { fail, ok, type Result } from "../errors.ts";
import { type PublicKey, publicKeyOf } from "./algorithms.ts";
import { PkiError } from "./errors.ts";
import { bytesOf, childrenOf, spanAt } from "./der_spans.ts";
import { Memo } from "./memo.ts";
import { commonNameOf, rolesOf, xmppAddrsOf } from "./names.ts";
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
  // One private copy: every byte field of the result is a view into it, so the caller keeps its array.
  const own = der.slice();
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(own, Certificate);
  } catch (e) {
    return fail(PkiError.malformed, `not an X.509 certificate (${(e as Error).message})`);
  }
  try {
    return lift(own, cert);
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
  // The bytes are DER now, so their parts are sliced out rather than serialised again
  // (der_spans.ts). A v3 TBSCertificate: version, serial, signature, issuer, validity, subject, ...
  const [tbsSpan, outerAlgorithm, signatureValue] = childrenOf(der, spanAt(der, 0));
  const fields = childrenOf(der, tbsSpan);
  // spec: RFC5280-4.1.1.2
  if (!same(bytesOf(der, fields[2]), bytesOf(der, outerAlgorithm))) {
    return fail(PkiError.malformed, "signature and signatureAlgorithm differ");
  }
  const serial = der.subarray(fields[1].body, fields[1].end);
  // spec: RFC5280-4.1.2.2
  if (serial.length === 0 || serial.length > MAX_SERIAL_BYTES) {
    return fail(PkiError.malformed, `serial number of ${serial.length} bytes`);
  }
  const extensions = liftExtensions(tbs.extensions ?? []);
  if (!extensions.ok) return extensions;
  const key = publicKeyOf(tbs.subjectPublicKeyInfo);
  if (!key.ok) return key;
  const lifted: Omit<ParsedCertificate, "subjectName"> = {
    der,
    tbsDer: bytesOf(der, tbsSpan),
    serial,
    serialHex: toHex(serial),
    issuer: bytesOf(der, fields[3]),
    subject: bytesOf(der, fields[5]),
    commonName: commonNameOf(tbs.subject),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    key: key.value,
    signatureAlgorithm: cert.signatureAlgorithm,
    // BIT STRING contents after the unused-bits octet.
    signature: der.subarray(signatureValue.body + 1, signatureValue.end),
    extensions: extensions.value,
  };
  return ok(Object.assign(Object.create(LIFTED), lifted));
}

/**
 * Prototype of every parsed certificate: the subject Name is parsed from its
 * DER when asked for. Memo tables keep many certificates and seldom need the
 * Name; an own getter would also cost every certificate a closure.
 */
const LIFTED = {
  get subjectName(): Name {
    return AsnConvert.parse((this as unknown as ParsedCertificate).subject, Name);
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function liftExtensions(list: readonly Extension[]): Result<CertificateExtensions> {
  const unknownCritical: string[] = [];
  const out: Mutable<CertificateExtensions> = {
    xmppAddrs: NONE,
    dnsNames: NONE,
    roles: NONE,
    unknownCritical: NONE,
  };
  const seen = new Set<string>();
  for (const ext of list) {
    // spec: RFC5280-4.2
    if (seen.has(ext.extnID)) return fail(PkiError.malformed, `extension ${ext.extnID} twice`);
    seen.add(ext.extnID);
    const value = ext.extnValue.buffer;
    switch (ext.extnID) {
      case id_ce_basicConstraints:
        out.basicConstraints = shared(ext.extnID, value, () => {
          const bc = decode(value, BasicConstraints);
          return Object.freeze({ cA: bc.cA, pathLen: bc.pathLenConstraint });
        });
        break;
      case id_ce_keyUsage:
        out.keyUsage = shared(ext.extnID, value, () => decode(value, KeyUsage).toNumber());
        break;
      case id_ce_extKeyUsage:
        out.extendedKeyUsage = shared(
          ext.extnID,
          value,
          () => Object.freeze([...decode(value, ExtendedKeyUsage)]),
        );
        break;
      case id_ce_subjectKeyIdentifier:
        out.subjectKeyId = new Uint8Array(decode(value, SubjectKeyIdentifier).buffer);
        break;
      case id_ce_authorityKeyIdentifier: {
        const id = shared(ext.extnID, value, () => {
          const keyId = decode(value, AuthorityKeyIdentifier).keyIdentifier;
          return keyId ? new Uint8Array(keyId.buffer) : undefined;
        });
        // A copy: the remembered bytes are shared by every certificate of the issuer.
        if (id) out.authorityKeyId = id.slice();
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
  if (unknownCritical.length > 0) out.unknownCritical = unknownCritical;
  // Empty lists are shared: memo tables keep many certificates, most with several empty lists.
  for (const list of ["xmppAddrs", "dnsNames", "roles"] as const) {
    if (out[list].length === 0) out[list] = NONE;
  }
  return ok(out);
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Lifted values of the extensions that certificates of one issuer repeat
 * (basicConstraints, keyUsage, extendedKeyUsage, authorityKeyIdentifier), by
 * OID and DER, refusals included: a fleet's certificates differ in subject,
 * key and names, not in these. Pure and keyed by content (see memo.ts).
 */
const sharedExtensions = new Memo<{ readonly value: unknown } | { readonly error: string }>(64);

/** Empties the extension memo (clearPkiMemo calls it, so a cold parse is really cold). */
export function clearParseMemo(): void {
  sharedExtensions.clear();
}

function shared<T>(oid: string, value: ArrayBuffer, lift: () => T): T {
  const entry = sharedExtensions.get(`${oid}:${toHex(new Uint8Array(value))}`, () => {
    try {
      return { value: lift() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  if ("error" in entry) throw new Error(entry.error);
  return entry.value as T;
}

/** Parses an extension value and insists that it is DER; throws (caught by the caller) if not. */
function decode<T>(value: ArrayBuffer, type: new () => T): T {
  const parsed = AsnConvert.parse(value, type);
  if (!isDer(new Uint8Array(value), AsnConvert.serialize(parsed))) {
    throw new Error(`extension value is not DER (${type.name})`);
  }
  return parsed;
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && constantTimeEqual(a, b);

/** True when re-encoding what was parsed from `received` gives `received` back. */
function isDer(received: Uint8Array, reencoded: ArrayBuffer): boolean {
  return same(new Uint8Array(reencoded), received);
}
