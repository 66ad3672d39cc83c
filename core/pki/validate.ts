/**
 * Certificate path validation (RFC 5280 §6, the subset derlink's trust model
 * needs), pure and synchronous: time, anchors and CRLs come from the policy.
 *
 * Theory of operation. A chain longer than MAX_PATH_CERTIFICATES is refused
 * (path-too-long). Everything is parsed first (chain: malformed /
 * unsupported-algorithm / invalid-key; anchors: invalid-anchor; CRLs:
 * crl-malformed). The path is then built from the end entity upwards: each
 * certificate's issuer is the first trust anchor, else the first unused
 * intermediate, whose subject equals its issuer name (as DER bytes) and whose
 * subjectKeyIdentifier equals its authorityKeyIdentifier when both exist
 * (untrusted when none is found; each chain certificate is used once, so the
 * path never exceeds the chain).
 * The anchor is checked as a CA (validity, cA, keyCertSign, pathLen, critical
 * extensions); then each certificate from the anchor's child down to the end
 * entity: signature with its issuer's key through the crypto suite, validity
 * at `now`, critical extensions, revocation, and CA constraints for
 * intermediates. Last come the end entity's own rules: keyUsage
 * digitalSignature, required extended key usages, allowed suites and the
 * expected JID. The first failure is the answer (PD-82), so a chain and a
 * policy always give the same code.
 *
 * @module
 */
import { KeyUsageFlags } from "@peculiar/asn1-x509";
import { constantTimeEqual, toHex } from "../bytes.ts";
import { CoreError, fail, ok, type Result } from "../errors.ts";
import { verifyWith } from "./algorithms.ts";
import { Memo, VerdictMemo } from "./memo.ts";
import { parseCrl, type ParsedCrl } from "./crl.ts";
import { PkiError } from "./errors.ts";
import { identityOf } from "./identity.ts";
import { clearParseMemo, parseCertificate, type ParsedCertificate } from "./parse.ts";
import { checkRevocation, crlSignatureChecks, issuerTag } from "./revocation.ts";
import type { CertificateDer, PeerIdentity, ValidateChain, ValidationPolicy } from "./types.ts";

/** Most certificates a path may hold below its anchor: the end entity and seven intermediates. */
export const MAX_PATH_CERTIFICATES = 8;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && constantTimeEqual(a, b);

/** Validates `chain` (end entity first, then intermediates in any order) under `policy`. */
export const validateChain: ValidateChain = (chain, policy) => {
  try {
    return validate(chain, policy);
  } catch (e) {
    // Parsing guards every library call; this is the last net that keeps the function total.
    return fail(PkiError.malformed, `unexpected: ${(e as Error).message}`);
  }
};

function validate(
  chain: readonly CertificateDer[],
  policy: ValidationPolicy,
): Result<PeerIdentity> {
  if (!Number.isFinite(policy.now)) return fail(CoreError["invalid-argument"], "policy.now");
  if (chain.length === 0) return fail(PkiError.malformed, "empty chain");
  // spec: PD-82
  if (chain.length > MAX_PATH_CERTIFICATES) {
    return fail(PkiError["path-too-long"], `${chain.length} certificates`);
  }
  const certs: ParsedCertificate[] = [];
  for (const der of chain) {
    const parsed = parseMemo(der);
    if (!parsed.ok) return parsed;
    certs.push(parsed.value);
  }
  const anchors: ParsedCertificate[] = [];
  for (const der of policy.anchors) {
    const parsed = parseMemo(der);
    if (!parsed.ok) return fail(PkiError["invalid-anchor"], parsed.error.message);
    anchors.push(parsed.value);
  }
  const crls: ParsedCrl[] = [];
  for (const der of policy.crls ?? []) {
    const parsed = parseCrlMemo(der);
    if (!parsed.ok) return parsed;
    crls.push(parsed.value);
  }
  const built = buildPath(certs, anchors);
  if (!built.ok) return built;
  const { path, anchor } = built.value;
  const now = policy.now;

  // spec: PD-82 PAPER-M2
  const anchorOk = checkCa(anchor, path.length - 1, now);
  if (!anchorOk.ok) return anchorOk;
  let validUntil = anchor.notAfter;
  for (let i = path.length - 1; i >= 0; i--) {
    const cert = path[i];
    const issuer = i === path.length - 1 ? anchor : path[i + 1];
    // spec: RFC5280-6.1.3 PAPER-M2
    const signed = verifyMemo(cert, issuer);
    if (!signed.ok) return signed;
    const current = checkValidity(cert, now);
    if (!current.ok) return current;
    validUntil = Math.min(validUntil, cert.notAfter);
    const critical = checkCritical(cert);
    if (!critical.ok) return critical;
    // spec: RFC5280-6.1.3 PAPER-M7
    const status = checkRevocation(cert, issuer, crls, now, policy.requireCrl === true);
    if (!status.ok) return status;
    if (i > 0) {
      const ca = checkCa(cert, i - 1, now);
      if (!ca.ok) return ca;
    }
  }
  return checkEndEntity(path[0], policy, validUntil);
}

interface BuiltPath {
  /** End entity first, then the intermediates up to the anchor's child. */
  readonly path: readonly ParsedCertificate[];
  readonly anchor: ParsedCertificate;
}

function buildPath(
  certs: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
): Result<BuiltPath> {
  const path = [certs[0]];
  const used = new Set<number>([0]);
  // spec: RFC5280-6.1 RFC5280-4.2.1.1 PD-82
  // spec-exception: RFC5280-7.1 names match as DER bytes, without string preparation (PD-82)
  const issues = (issuer: ParsedCertificate, child: ParsedCertificate) =>
    same(issuer.subject, child.issuer) &&
    (!child.extensions.authorityKeyId || !issuer.extensions.subjectKeyId ||
      same(child.extensions.authorityKeyId, issuer.extensions.subjectKeyId));
  for (;;) {
    const child = path[path.length - 1];
    const anchor = anchors.find((a) => issues(a, child));
    if (anchor) return ok({ path, anchor });
    const next = certs.findIndex((c, i) => !used.has(i) && issues(c, child));
    if (next < 0) {
      return fail(PkiError.untrusted, `no issuer for ${child.commonName ?? child.serialHex}`);
    }
    used.add(next);
    path.push(certs[next]);
  }
}

function checkValidity(cert: ParsedCertificate, now: number): Result<true> {
  // spec: RFC5280-4.1.2.5 RFC5280-6.1.3
  if (now < cert.notBefore) {
    return fail(PkiError["not-yet-valid"], `${cert.commonName ?? cert.serialHex} not yet valid`);
  }
  if (now > cert.notAfter) {
    return fail(PkiError.expired, `${cert.commonName ?? cert.serialHex} expired`);
  }
  return ok(true);
}

function checkCritical(cert: ParsedCertificate): Result<true> {
  // spec: RFC5280-4.2 RFC5280-6.1.4
  const unknown = cert.extensions.unknownCritical;
  return unknown.length === 0
    ? ok(true)
    : fail(PkiError["unknown-critical-extension"], unknown.join(" "));
}

/** CA rules for an issuer with `below` intermediates under it in the path. */
function checkCa(ca: ParsedCertificate, below: number, now: number): Result<true> {
  const current = checkValidity(ca, now);
  if (!current.ok) return current;
  const critical = checkCritical(ca);
  if (!critical.ok) return critical;
  const bc = ca.extensions.basicConstraints;
  // spec: RFC5280-4.2.1.9 RFC5280-6.1.4
  if (!bc?.cA) return fail(PkiError["not-a-ca"], ca.commonName ?? ca.serialHex);
  const usage = ca.extensions.keyUsage;
  // spec: RFC5280-4.2.1.3 RFC5280-6.1.4 PD-80
  if (usage === undefined || !(usage & KeyUsageFlags.keyCertSign)) {
    return fail(PkiError["key-usage"], "issuer lacks keyCertSign");
  }
  // spec: RFC5280-4.2.1.9 RFC5280-6.1.4
  if (bc.pathLen !== undefined && below > bc.pathLen) {
    return fail(PkiError["path-too-long"], `pathLen ${bc.pathLen}, ${below} below`);
  }
  return ok(true);
}

function checkEndEntity(
  ee: ParsedCertificate,
  policy: ValidationPolicy,
  validUntil: number,
): Result<PeerIdentity> {
  const usage = ee.extensions.keyUsage;
  // spec: RFC5280-4.2.1.3 PD-80
  if (usage === undefined || !(usage & KeyUsageFlags.digitalSignature)) {
    return fail(PkiError["key-usage"], "end entity lacks digitalSignature");
  }
  const eku = ee.extensions.extendedKeyUsage ?? [];
  // spec: RFC5280-4.2.1.12
  for (const want of policy.requiredEku ?? []) {
    if (!eku.includes(want)) return fail(PkiError["extended-key-usage"], `missing ${want}`);
  }
  // spec: PD-84
  if (policy.allowedSuites && !policy.allowedSuites.includes(ee.key.suite)) {
    return fail(PkiError["disallowed-suite"], ee.key.suite);
  }
  return identityOf(ee, policy.expectedJid, validUntil);
}

/** Certificates the parse memo holds unless its owner says otherwise. */
export const DEFAULT_CERTIFICATE_MEMO_CAPACITY = 512;

const parsedCertificates = new Memo<Result<ParsedCertificate>>(DEFAULT_CERTIFICATE_MEMO_CAPACITY);
const parsedCrls = new Memo<Result<ParsedCrl>>(64);
const signatureChecks = new VerdictMemo<Result<true>>();

/**
 * Sets how many parsed certificates validation remembers (least recently
 * used first out; signature verdicts go with their certificate). A process
 * that validates a known population again and again (a simulation's fleet)
 * sizes it to that population, so each certificate is parsed and verified
 * once; the table stays bounded by what the caller chose.
 */
// spec: PD-261
export function setPkiMemoCapacity(certificates: number): void {
  parsedCertificates.resize(certificates);
}

/** Empties validation's memo tables (benchmarks use it to measure the cold path). */
export function clearPkiMemo(): void {
  parsedCertificates.clear();
  parsedCrls.clear();
  signatureChecks.clear();
  crlSignatureChecks.clear();
  clearParseMemo();
}

function parseMemo(der: Uint8Array): Result<ParsedCertificate> {
  return parsedCertificates.get(toHex(der), () => parseCertificate(der));
}

function parseCrlMemo(der: Uint8Array): Result<ParsedCrl> {
  return parsedCrls.get(toHex(der), () => parseCrl(der.slice()));
}

function verifyMemo(cert: ParsedCertificate, issuer: ParsedCertificate): Result<true> {
  // spec: PD-261
  return signatureChecks.get(cert, issuerTag(issuer), () =>
    verifyWith(
      issuer.key,
      cert.signatureAlgorithm,
      cert.tbsDer,
      cert.signature,
      PkiError["bad-signature"],
    ));
}
