/**
 * Certificate creation for every suite, synchronous and deterministic: the
 * TBSCertificate is built with the @peculiar ASN.1 schemas, its DER is
 * signed through the issuer key's crypto suite (so brainpoolP256r1 and
 * deterministic ECDSA work), and the certificate is assembled from the
 * three parts. Keys and serial numbers come from the injected entropy source,
 * so a seed replays every certificate byte for byte.
 *
 * The profile (PD-80): X.509 v3; critical basicConstraints and keyUsage on
 * every certificate; subjectKeyIdentifier by RFC 7093 method 1 (SHA-256
 * truncated to 160 bits); authorityKeyIdentifier from the issuer's key
 * identifier on every certificate that is not self-signed; the JID as
 * id-on-xmppAddr in subjectAltName; roles as in PD-81; 16-byte positive
 * serials; the subject's common name is the IED or role name.
 *
 * @module
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  type AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectDirectoryAttributes,
  id_ce_subjectKeyIdentifier,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  type Name,
  SubjectAlternativeName,
  SubjectDirectoryAttributes,
  SubjectKeyIdentifier,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import type { EntropySource } from "../entropy.ts";
import { CoreError, DerlinkError } from "../errors.ts";
import { getSuite, type SuiteId } from "../crypto/suite.ts";
import {
  bufferOf,
  generateSigningKey,
  type PublicKey,
  signatureAlgorithmOf,
  type SigningKey,
  signWith,
  spkiOf,
} from "./algorithms.ts";
import { type DistinguishedName, nameOf, roleAttribute, xmppAddrName } from "./names.ts";
import { parseCertificate } from "./parse.ts";
import type { CertificateDer } from "./types.ts";

export { KeyUsageFlags } from "@peculiar/asn1-x509";

/** Extended key usage OIDs derlink names (RFC 5280 §4.2.1.12). */
export const EXTENDED_KEY_USAGE = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

/** Everything a certificate says about its subject. */
export interface CertificateTemplate {
  readonly subject: DistinguishedName;
  readonly subjectKey: PublicKey;
  /** Validity, milliseconds since the epoch (whole seconds are kept). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** Present for a CA certificate; `pathLen` limits the intermediates below it. */
  readonly ca?: { readonly pathLen?: number };
  /** KeyUsageFlags; default keyCertSign | cRLSign for a CA, digitalSignature otherwise. */
  readonly keyUsage?: number;
  readonly extendedKeyUsage?: readonly string[];
  /** XMPP addresses for subjectAltName id-on-xmppAddr (RFC 6120 §13.7.1.4). */
  readonly jids?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** Role names (PD-81), e.g. "OPERATOR". */
  readonly roles?: readonly string[];
  /** Serial number bytes; default 16 bytes from the entropy source. */
  readonly serial?: Uint8Array;
  /** Further extensions, appended as given (tests use this for unknown critical ones). */
  readonly extraExtensions?: readonly Extension[];
}

/** Who signs: the issuer's Name, key identifier and signing key. */
export interface IssuerInfo {
  readonly name: Name;
  readonly keyId: Uint8Array;
  readonly key: SigningKey;
}

/** A certificate with the key pair it certifies. */
export interface IssuedCertificate {
  readonly der: CertificateDer;
  /** Secret part included: keep it in memory or the run's temp dir only. */
  readonly key: SigningKey;
}

/** Options of the convenience issuers. */
export interface IssueOptions extends Omit<CertificateTemplate, "subjectKey" | "ca"> {
  /** Suite of the new key; default the issuer's. */
  readonly suite?: SuiteId;
  /** An existing key to certify instead of a fresh one. */
  readonly key?: SigningKey;
}

/** Key identifier of RFC 7093 §2 method 1: SHA-256 of the key bits, leftmost 160 bits. */
export function keyIdentifierOf(key: PublicKey): Uint8Array {
  // spec: RFC5280-4.2.1.2 PD-80
  return getSuite(key.suite).hash.digest(key.publicKey).slice(0, 20);
}

/** The issuer data of an existing certificate and its key. */
export function issuerOf(issued: IssuedCertificate): IssuerInfo {
  const parsed = parseCertificate(issued.der);
  if (!parsed.ok) throw parsed.error;
  return {
    name: parsed.value.subjectName,
    keyId: parsed.value.extensions.subjectKeyId ?? keyIdentifierOf(parsed.value.key),
    key: issued.key,
  };
}

/** Builds the TBSCertificate of `template` as `issuer` will sign it (self-signed when absent). */
export function buildTbsCertificate(
  template: CertificateTemplate,
  entropy: EntropySource,
  issuer?: Omit<IssuerInfo, "key"> & { readonly suite: SuiteId },
): TBSCertificate {
  checkTemplate(template);
  const subject = nameOf(template.subject);
  // spec: RFC5280-4.1.2.2 PD-80
  const serial = template.serial ?? positiveSerial(entropy);
  const extensions = extensionsOf(template, issuer?.keyId);
  // spec: RFC5280-4.1.2.1 RFC5280-4.1.2.5 PD-80
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: bufferOf(serial),
    signature: signatureAlgorithmOf(issuer?.suite ?? template.subjectKey.suite),
    issuer: issuer?.name ?? subject,
    validity: new Validity({
      notBefore: new Date(template.notBefore),
      notAfter: new Date(template.notAfter),
    }),
    subject,
    subjectPublicKeyInfo: spkiOf(template.subjectKey),
    extensions: new Extensions(extensions),
  });
}

/** Signs the DER of `tbs` with `key` through its suite and assembles the certificate. */
export function signCertificate(tbs: TBSCertificate, key: SigningKey): CertificateDer {
  const algorithm = signatureAlgorithmOf(key.suite);
  tbs.signature = algorithm;
  const signature = signWith(key, new Uint8Array(AsnConvert.serialize(tbs)));
  return assembleCertificate(tbs, algorithm, signature);
}

/** A certificate from its three parts, as given (vector generation uses mismatched parts). */
export function assembleCertificate(
  tbs: TBSCertificate,
  signatureAlgorithm: AlgorithmIdentifier,
  signature: Uint8Array,
): CertificateDer {
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm,
    signatureValue: bufferOf(signature),
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

/** A self-signed root CA with a fresh key of `suite` (or `options.key`). */
export function createRootCa(
  suite: SuiteId,
  options: Omit<IssueOptions, "suite"> & { readonly pathLen?: number },
  entropy: EntropySource,
): IssuedCertificate {
  const key = options.key ?? generateSigningKey(suite, entropy);
  const template = { ...options, subjectKey: key, ca: { pathLen: options.pathLen } };
  const tbs = buildTbsCertificate(template, entropy);
  return { der: signCertificate(tbs, key), key };
}

/** An intermediate CA certificate signed by `issuer`. */
export function issueIntermediateCa(
  issuer: IssuedCertificate,
  options: IssueOptions & { readonly pathLen?: number },
  entropy: EntropySource,
): IssuedCertificate {
  return issueWith(issuer, { ...options, ca: { pathLen: options.pathLen } }, entropy);
}

/** An end-entity certificate (an IED, a control centre, a key server) signed by `issuer`. */
export function issueEndEntity(
  issuer: IssuedCertificate,
  options: IssueOptions,
  entropy: EntropySource,
): IssuedCertificate {
  return issueWith(issuer, options, entropy);
}

function issueWith(
  issuer: IssuedCertificate,
  options: IssueOptions & { readonly ca?: { readonly pathLen?: number } },
  entropy: EntropySource,
): IssuedCertificate {
  const info = issuerOf(issuer);
  const key = options.key ?? generateSigningKey(options.suite ?? issuer.key.suite, entropy);
  const tbs = buildTbsCertificate({ ...options, subjectKey: key }, entropy, {
    ...info,
    suite: issuer.key.suite,
  });
  return { der: signCertificate(tbs, issuer.key), key };
}

function extensionsOf(template: CertificateTemplate, authorityKeyId?: Uint8Array): Extension[] {
  const isCa = template.ca !== undefined;
  const ext = (extnID: string, critical: boolean, value: unknown) =>
    new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
  // spec: RFC5280-4.2.1.9 RFC5280-4.2.1.3 PD-80
  const out = [
    ext(
      id_ce_basicConstraints,
      true,
      new BasicConstraints(isCa ? { cA: true, pathLenConstraint: template.ca?.pathLen } : {}),
    ),
    ext(
      id_ce_keyUsage,
      true,
      new KeyUsage(
        template.keyUsage ??
          (isCa
            ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign
            : KeyUsageFlags.digitalSignature),
      ),
    ),
  ];
  if (template.extendedKeyUsage?.length) {
    out.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([...template.extendedKeyUsage])));
  }
  // spec: RFC5280-4.2.1.2
  out.push(
    ext(
      id_ce_subjectKeyIdentifier,
      false,
      new SubjectKeyIdentifier(keyIdentifierOf(template.subjectKey)),
    ),
  );
  // spec: RFC5280-4.2.1.1
  if (authorityKeyId) {
    out.push(
      ext(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(authorityKeyId) }),
      ),
    );
  }
  const names = [
    ...(template.jids ?? []).map(xmppAddrName),
    ...(template.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })),
  ];
  // spec: RFC5280-4.2.1.6 RFC6120-13.7.1.4
  if (names.length > 0) {
    out.push(ext(id_ce_subjectAltName, false, new SubjectAlternativeName(names)));
  }
  if (template.roles?.length) {
    // spec: PD-81
    out.push(
      ext(
        id_ce_subjectDirectoryAttributes,
        false,
        new SubjectDirectoryAttributes([roleAttribute(template.roles)]),
      ),
    );
  }
  return [...out, ...(template.extraExtensions ?? [])];
}

/** A positive 128-bit serial whose first octet needs no sign padding (RFC 5280 §4.1.2.2). */
function positiveSerial(entropy: EntropySource): Uint8Array {
  const bytes = entropy.bytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes;
}

const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkTemplate(t: CertificateTemplate): void {
  const bad = (what: string) => {
    throw new DerlinkError(CoreError["invalid-argument"], what);
  };
  if (t.subject.commonName.length === 0) bad("empty common name");
  if (!Number.isFinite(t.notBefore) || !Number.isFinite(t.notAfter)) bad("validity not a time");
  if (t.notAfter < t.notBefore) bad("notAfter before notBefore");
  const pathLen = t.ca?.pathLen;
  if (pathLen !== undefined && !(Number.isInteger(pathLen) && pathLen >= 0)) bad("pathLen");
  for (const role of t.roles ?? []) if (!ROLE_NAME.test(role)) bad(`role name ${role}`);
}
