/**
 * The PKI module's public API: certificate and CRL creation for every suite,
 * strict parsing, chain validation with identity extraction, and the
 * contract types the protocol machines use.
 *
 * @module
 */
export type { CertificateDer, PeerIdentity, ValidateChain, ValidationPolicy } from "./types.ts";
export { PkiError } from "./errors.ts";
export {
  ALGORITHM_OID,
  generateSigningKey,
  type PublicKey,
  type SigningKey,
} from "./algorithms.ts";
export { type DistinguishedName, NAME_OID, ROLE_URI_PREFIX } from "./names.ts";
export {
  assembleCertificate,
  buildTbsCertificate,
  type CertificateTemplate,
  createRootCa,
  EXTENDED_KEY_USAGE,
  type IssuedCertificate,
  issueEndEntity,
  issueIntermediateCa,
  type IssueOptions,
  type IssuerInfo,
  issuerOf,
  keyIdentifierOf,
  KeyUsageFlags,
  signCertificate,
} from "./certificate.ts";
export {
  assembleCrl,
  buildTbsCertList,
  createCrl,
  type CrlOptions,
  parseCrl,
  type ParsedCrl,
  type RevokedEntry,
  signCrl,
} from "./crl.ts";
export { type CertificateExtensions, parseCertificate, type ParsedCertificate } from "./parse.ts";
export {
  clearPkiMemo,
  DEFAULT_CERTIFICATE_MEMO_CAPACITY,
  MAX_PATH_CERTIFICATES,
  setPkiMemoCapacity,
  validateChain,
} from "./validate.ts";
export {
  createHierarchy,
  type Hierarchy,
  type HierarchyOptions,
  type PeerSpec,
} from "./hierarchy.ts";
export { certificatePem, crlPem, fromPem } from "./pem.ts";
