/**
 * Certificate revocation lists (RFC 5280 §5): creation, signed through the
 * issuer key's suite like certificates, and strict parsing for validation.
 *
 * Profile (PD-83): v2 CRLs with nextUpdate, authorityKeyIdentifier and
 * cRLNumber; entries may carry a reasonCode or invalidityDate. Delta CRLs,
 * indirect CRLs and issuing distribution points are not processed: such
 * extensions are critical, so a CRL carrying one is refused.
 *
 * @module
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  type AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CertificateList,
  CRLNumber,
  CRLReason,
  type CRLReasons,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_invalidityDate,
  KeyIdentifier,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
} from "@peculiar/asn1-x509";
import { constantTimeEqual, fromHex, toHex } from "../bytes.ts";
import { fail, ok, type Result } from "../errors.ts";
import { bufferOf, signatureAlgorithmOf, type SigningKey, signWith } from "./algorithms.ts";
import { type IssuedCertificate, issuerOf } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { nameDer } from "./names.ts";

/** One revoked certificate. */
export interface RevokedEntry {
  /** Serial number, hex (as in PeerIdentity.serial) or bytes. */
  readonly serial: string | Uint8Array;
  /** Revocation date, milliseconds since the epoch. */
  readonly date: number;
  readonly reason?: CRLReasons;
}

/** What a CRL says. */
export interface CrlOptions {
  /** Issue time, milliseconds since the epoch. */
  readonly thisUpdate: number;
  /** Next issue; omitted only to build a non-conforming CRL for tests. */
  readonly nextUpdate?: number;
  readonly revoked?: readonly RevokedEntry[];
  /** Monotonic CRL number (RFC 5280 §5.2.3). Default 1. */
  readonly crlNumber?: number;
  readonly extraExtensions?: readonly Extension[];
}

/** A CRL lifted out of its DER. */
export interface ParsedCrl {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly thisUpdate: number;
  readonly nextUpdate: number;
  /** Revoked serial numbers, hex. */
  readonly revoked: ReadonlySet<string>;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  /** OIDs of critical CRL or entry extensions derlink does not process. */
  readonly unknownCritical: readonly string[];
}

const KNOWN_CRL_EXTENSIONS = new Set([id_ce_authorityKeyIdentifier, id_ce_cRLNumber]);
const KNOWN_ENTRY_EXTENSIONS = new Set([id_ce_cRLReasons, id_ce_invalidityDate]);

const ext = (extnID: string, value: unknown) =>
  new Extension({ extnID, extnValue: new OctetString(AsnConvert.serialize(value)) });

/** Builds the TBSCertList of a CRL issued by `issuer`. */
export function buildTbsCertList(issuer: IssuedCertificate, options: CrlOptions): TBSCertList {
  const info = issuerOf(issuer);
  // spec: RFC5280-5.1.2.1 RFC5280-5.1.2.4 RFC5280-5.1.2.5 PD-83
  return new TBSCertList({
    version: Version.v2,
    signature: signatureAlgorithmOf(issuer.key.suite),
    issuer: info.name,
    thisUpdate: new Time(new Date(options.thisUpdate)),
    nextUpdate: options.nextUpdate === undefined
      ? undefined
      : new Time(new Date(options.nextUpdate)),
    revokedCertificates: options.revoked?.length
      ? options.revoked.map((entry) =>
        new RevokedCertificate({
          userCertificate: bufferOf(
            typeof entry.serial === "string" ? fromHex(entry.serial) : entry.serial,
          ),
          revocationDate: new Time(new Date(entry.date)),
          crlEntryExtensions: entry.reason === undefined
            ? undefined
            : [ext(id_ce_cRLReasons, new CRLReason(entry.reason))],
        })
      )
      : undefined,
    // spec: RFC5280-5.2.1 RFC5280-5.2.3
    crlExtensions: [
      ext(
        id_ce_authorityKeyIdentifier,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(info.keyId) }),
      ),
      ext(id_ce_cRLNumber, new CRLNumber(options.crlNumber ?? 1)),
      ...(options.extraExtensions ?? []),
    ],
  });
}

/** A CRL signed by `issuer` through its suite. */
export function createCrl(issuer: IssuedCertificate, options: CrlOptions): Uint8Array {
  return signCrl(buildTbsCertList(issuer, options), issuer.key);
}

/** Signs the DER of `tbs` with `key` and assembles the CertificateList. */
export function signCrl(tbs: TBSCertList, key: SigningKey): Uint8Array {
  const algorithm = signatureAlgorithmOf(key.suite);
  tbs.signature = algorithm;
  const signature = signWith(key, new Uint8Array(AsnConvert.serialize(tbs)));
  return assembleCrl(tbs, algorithm, signature);
}

/** A CertificateList from its three parts, as given. */
export function assembleCrl(
  tbs: TBSCertList,
  signatureAlgorithm: AlgorithmIdentifier,
  signature: Uint8Array,
): Uint8Array {
  const list = new CertificateList({
    tbsCertList: tbs,
    signatureAlgorithm,
    signature: bufferOf(signature),
  });
  return new Uint8Array(AsnConvert.serialize(list));
}

/** Parses a CRL strictly; `pki/crl-malformed` on refusal. Never throws. */
export function parseCrl(der: Uint8Array): Result<ParsedCrl> {
  try {
    return liftCrl(der, AsnConvert.parse(der, CertificateList));
  } catch (e) {
    return fail(PkiError["crl-malformed"], (e as Error).message);
  }
}

function liftCrl(der: Uint8Array, list: CertificateList): Result<ParsedCrl> {
  const again = new Uint8Array(AsnConvert.serialize(list));
  // spec: RFC5280-5.1 PD-82
  if (again.length !== der.length || !constantTimeEqual(again, der)) {
    return fail(PkiError["crl-malformed"], "not DER");
  }
  const tbs = list.tbsCertList;
  // spec: RFC5280-5.1.2.1 PD-83
  if (tbs.version !== Version.v2) return fail(PkiError["crl-malformed"], "not a v2 CRL");
  // spec: RFC5280-5.1.1.2
  const inner = new Uint8Array(AsnConvert.serialize(tbs.signature));
  const outer = new Uint8Array(AsnConvert.serialize(list.signatureAlgorithm));
  if (inner.length !== outer.length || !constantTimeEqual(inner, outer)) {
    return fail(PkiError["crl-malformed"], "signature and signatureAlgorithm differ");
  }
  // spec: RFC5280-5.1.2.5 PD-83
  if (!tbs.nextUpdate) return fail(PkiError["crl-malformed"], "no nextUpdate");
  const unknownCritical: string[] = [];
  let authorityKeyId: Uint8Array | undefined;
  const seen = new Set<string>();
  for (const e of tbs.crlExtensions ?? []) {
    if (seen.has(e.extnID)) return fail(PkiError["crl-malformed"], `extension ${e.extnID} twice`);
    seen.add(e.extnID);
    if (e.extnID === id_ce_authorityKeyIdentifier) {
      const id = AsnConvert.parse(e.extnValue.buffer, AuthorityKeyIdentifier).keyIdentifier;
      if (id) authorityKeyId = new Uint8Array(id.buffer);
    }
    // spec: RFC5280-5.2
    if (e.critical && !KNOWN_CRL_EXTENSIONS.has(e.extnID)) unknownCritical.push(e.extnID);
  }
  const revoked = new Set<string>();
  for (const entry of tbs.revokedCertificates ?? []) {
    revoked.add(toHex(new Uint8Array(entry.userCertificate)));
    for (const e of entry.crlEntryExtensions ?? []) {
      // spec: RFC5280-5.3
      if (e.critical && !KNOWN_ENTRY_EXTENSIONS.has(e.extnID)) unknownCritical.push(e.extnID);
    }
  }
  return ok({
    der,
    tbsDer: new Uint8Array(list.tbsCertListRaw!),
    issuer: nameDer(tbs.issuer),
    authorityKeyId,
    thisUpdate: tbs.thisUpdate.getTime().getTime(),
    nextUpdate: tbs.nextUpdate.getTime().getTime(),
    revoked,
    signatureAlgorithm: list.signatureAlgorithm,
    signature: new Uint8Array(list.signature),
    unknownCritical,
  });
}
