/**
 * Mutants of the primitives the protocols stand on: crypto suites, X.509
 * path validation and CRLs, JIDs and the restricted XML reader (PD-170,
 * PD-171).
 *
 * @module
 */
import type { Mutant } from "./types.ts";

export const primitiveMutants: readonly Mutant[] = [
  // Crypto suites.
  {
    id: "crypto.gcm-any-nonce-length",
    file: "core/crypto/symmetric.ts",
    original: "  if (nonce.length !== 12) {",
    replacement: "  if (nonce.length < 8) {",
    breaks:
      "AES-GCM accepts nonces of any length from 8 bytes (the library's minimum), not only 12",
    spec: ["SP800-38D-5.2.1.1", "PD-18"],
    suites: ["crypto"],
  },
  {
    id: "crypto.hmac-truncated-tag-accepted",
    file: "core/crypto/symmetric.ts",
    original:
      "verify: (k, m, tag) => tag.length === HASH_BYTES && constantTimeEqual(compute(k, m), tag),",
    replacement:
      "verify: (k, m, tag) => constantTimeEqual(compute(k, m).subarray(0, tag.length), tag),",
    breaks: "HMAC verification accepts a tag truncated to any length, even empty",
    spec: ["RFC2104-2"],
    suites: ["crypto"],
  },
  {
    id: "crypto.ed25519-s-bound-2^253",
    file: "core/crypto/curve25519.ts",
    original: "  if (littleEndian(sig.subarray(32)) >= L) {",
    replacement: "  if (littleEndian(sig.subarray(32)) >= 1n << 253n) {",
    breaks: "Ed25519 S is bounded by 2^253 instead of the group order L (malleable signatures)",
    spec: ["RFC8032-5.1.7"],
    suites: ["crypto"],
  },
  {
    id: "crypto.ecdsa-r-s-upper-bound",
    file: "core/crypto/ecdsa_der.ts",
    original: "if (r < 1n || r >= n || s < 1n || s >= n) {",
    replacement: "if (r < 1n || s < 1n) {",
    breaks: "a DER ECDSA signature with r or s at or above the curve order is not refused as such",
    spec: ["FIPS186-5-6.4.2"],
    suites: ["crypto", "pki"],
  },
  // X.509 path validation and revocation.
  {
    id: "pki.expiry-in-seconds",
    file: "core/pki/validate.ts",
    original: "  if (now > cert.notAfter) {",
    replacement: "  if (now / 1000 > cert.notAfter) {",
    breaks:
      "the clock is compared in seconds with a notAfter in milliseconds: expired certificates pass",
    spec: ["RFC5280-4.1.2.5", "RFC5280-6.1.3"],
    suites: ["pki"],
  },
  {
    id: "pki.revocation-ignored",
    file: "core/pki/validate.ts",
    original: "    if (!status.ok) return status;",
    replacement: "    void status;",
    breaks: "the CRL check runs but its verdict is dropped: revoked certificates pass",
    spec: ["RFC5280-6.1.3", "PAPER-M7"],
    suites: ["pki"],
  },
  {
    id: "pki.stale-crl-accepted",
    file: "core/pki/revocation.ts",
    original: "    if (now > crl.nextUpdate) return fail(",
    replacement: "    if (now > crl.nextUpdate + crl.nextUpdate) return fail(",
    breaks: "a CRL past its nextUpdate is still trusted",
    spec: ["RFC5280-5.1.2.5", "PAPER-M7"],
    suites: ["pki"],
  },
  {
    id: "pki.chain-signature-ignored",
    file: "core/pki/validate.ts",
    original: "    if (!signed.ok) return signed;",
    replacement: "    void signed;",
    breaks: "the issuer's signature on a certificate in the path is not required to verify",
    spec: ["RFC5280-6.1.3", "PAPER-M2"],
    suites: ["pki"],
  },
  {
    id: "pki.ca-without-basic-constraints",
    file: "core/pki/validate.ts",
    original: "  if (!bc?.cA) return fail(",
    replacement: "  if (bc?.cA === false) return fail(",
    breaks: "an issuer without a basicConstraints extension is accepted as a CA",
    spec: ["RFC5280-4.2.1.9", "RFC5280-6.1.4"],
    suites: ["pki"],
  },
  {
    id: "pki.ca-without-key-usage",
    file: "core/pki/validate.ts",
    original: "  if (usage === undefined || !(usage & KeyUsageFlags.keyCertSign)) {",
    replacement: "  if (usage !== undefined && !(usage & KeyUsageFlags.keyCertSign)) {",
    breaks: "an issuer without a keyUsage extension may sign certificates",
    spec: ["RFC5280-4.2.1.3", "PD-80"],
    suites: ["pki"],
  },
  // JIDs (RFC 7622).
  {
    id: "jid.localpart-limit-in-characters",
    file: "core/jid_precis.ts",
    original:
      '  if (octets > MAX_PART_OCTETS) {\n    throw new DerlinkError(JidError["localpart-too-long"]',
    replacement:
      '  if (out.length > MAX_PART_OCTETS) {\n    throw new DerlinkError(JidError["localpart-too-long"]',
    breaks:
      "the 1023 limit counts UTF-16 units, not UTF-8 octets, so long non-ASCII localparts pass",
    spec: ["RFC7622-3.3.a"],
    suites: ["jid"],
  },
  {
    id: "jid.resourcepart-limit-skipped",
    file: "core/jid_precis.ts",
    original:
      '  if (octets > MAX_PART_OCTETS) {\n    throw new DerlinkError(JidError["resourcepart-too-long"]',
    replacement:
      '  if (octets > 8 * MAX_PART_OCTETS) {\n    throw new DerlinkError(JidError["resourcepart-too-long"]',
    breaks: "the resourcepart length limit is only the pre-preparation guard (8 × 1023 units)",
    spec: ["RFC7622-3.4.a"],
    suites: ["jid"],
  },
  {
    id: "jid.domainpart-limit-skipped",
    file: "core/jid_domain.ts",
    original: '  if (octets > MAX_PART_OCTETS) fail("domainpart-too-long"',
    replacement: '  if (octets > 8 * MAX_PART_OCTETS) fail("domainpart-too-long"',
    breaks: "a domainpart over 1023 octets is accepted",
    spec: ["RFC7622-3.2.a"],
    suites: ["jid"],
  },
  // Restricted XML reader (RFC 6120 §11).
  {
    id: "xml.depth-limit-off-by-one",
    file: "core/xml_tokenizer_tags.ts",
    original: "        if (this.#depth > this.#maxDepth) {",
    replacement: "        if (this.#depth > this.#maxDepth + 1) {",
    breaks: "the nesting limit counts from the stream root: one level more than allowed passes",
    spec: ["PD-20", "PD-25"],
    suites: ["xml", "xmpp-stream"],
  },
  {
    id: "xml.duplicate-attributes-unprefixed",
    file: "core/xml_namespaces.ts",
    original: 'if (names[j] === name && prefixes[j] === "") return duplicate(name);',
    replacement: 'if (names[j] === name && prefixes[j] === "") break;',
    breaks: "duplicate attributes are refused only when prefixed: a='1' a='2' passes (last wins)",
    spec: ["RFC6120-11.1"],
    suites: ["xml", "xmpp-stream"],
  },
];
