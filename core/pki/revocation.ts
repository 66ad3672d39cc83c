/**
 * Revocation by CRL (RFC 5280 §6.3, reduced to what PD-83 allows): a
 * certificate is checked against every supplied CRL of its issuer — same
 * issuer name and, when both are present, authorityKeyIdentifier equal to the
 * issuer's subjectKeyIdentifier. Each such CRL must be signed by the issuer
 * (which needs cRLSign), be current at the validation time and carry no
 * critical extension derlink does not process; a serial listed on any of
 * them is refused.
 *
 * @module
 */
import { constantTimeEqual, toHex } from "../bytes.ts";
import { VerdictMemo } from "./memo.ts";
import { fail, ok, type Result } from "../errors.ts";
import { KeyUsageFlags } from "@peculiar/asn1-x509";
import { verifyWith } from "./algorithms.ts";
import type { ParsedCrl } from "./crl.ts";
import { PkiError } from "./errors.ts";
import type { ParsedCertificate } from "./parse.ts";

/** Memo of CRL signature checks, per memoised CRL and issuer key (see memo.ts). */
export const crlSignatureChecks: VerdictMemo<Result<true>> = new VerdictMemo();

/** What a signature verdict depends on besides the signed object: the issuer's suite and key. */
export const issuerTag = (issuer: ParsedCertificate): string =>
  `${issuer.key.suite}/${toHex(issuer.key.publicKey)}`;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && constantTimeEqual(a, b);

/** True when `crl` claims to come from `issuer`. */
export function isCrlOf(crl: ParsedCrl, issuer: ParsedCertificate): boolean {
  const ski = issuer.extensions.subjectKeyId;
  return same(crl.issuer, issuer.subject) &&
    (!crl.authorityKeyId || !ski || same(crl.authorityKeyId, ski));
}

/**
 * Checks `cert` (issued by `issuer`) against `crls` at `now`.
 * `required`: refuse with crl-missing when no CRL of the issuer is present.
 */
export function checkRevocation(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: readonly ParsedCrl[],
  now: number,
  required: boolean,
): Result<true> {
  const mine = crls.filter((crl) => isCrlOf(crl, issuer));
  // spec: PD-83
  if (mine.length === 0) {
    return required
      ? fail(PkiError["crl-missing"], `no CRL for serial ${cert.serialHex}`)
      : ok(true);
  }
  for (const crl of mine) {
    // spec: RFC5280-4.2.1.3 RFC5280-6.3.3
    if (
      issuer.extensions.keyUsage === undefined ||
      !(issuer.extensions.keyUsage & KeyUsageFlags.cRLSign)
    ) {
      return fail(PkiError["key-usage"], "CRL issuer lacks cRLSign");
    }
    // spec: RFC5280-6.3.3 PD-261
    const signed = crlSignatureChecks.get(
      crl,
      issuerTag(issuer),
      () =>
        verifyWith(
          issuer.key,
          crl.signatureAlgorithm,
          crl.tbsDer,
          crl.signature,
          PkiError["crl-bad-signature"],
        ),
    );
    if (!signed.ok) {
      return signed.error.code === PkiError["unsupported-algorithm"]
        ? fail(PkiError["crl-bad-signature"], signed.error.detail)
        : signed;
    }
    // spec: RFC5280-5.2
    if (crl.unknownCritical.length > 0) {
      return fail(PkiError["unknown-critical-extension"], `CRL ${crl.unknownCritical.join(" ")}`);
    }
    // spec: RFC5280-5.1.2.4 PAPER-M7
    if (now < crl.thisUpdate) return fail(PkiError["crl-not-yet-valid"], "thisUpdate after now");
    // spec: RFC5280-5.1.2.5 PAPER-M7
    if (now > crl.nextUpdate) return fail(PkiError["crl-expired"], "nextUpdate before now");
    // spec: RFC5280-6.3.3 PAPER-M7
    if (crl.revoked.has(cert.serialHex)) {
      return fail(PkiError.revoked, `serial ${cert.serialHex}`);
    }
  }
  return ok(true);
}
