/**
 * Refusals of the path itself: no way to a trust anchor, signatures that do
 * not verify, certificates outside their validity, issuers that are not CAs
 * or lack keyCertSign, path length limits, key usage, and critical
 * extensions derlink does not process.
 *
 * @module
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  Extension,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  KeyUsageFlags,
  NameConstraints,
} from "@peculiar/asn1-x509";
import { generateSigningKey } from "../algorithms.ts";
import { EXTENDED_KEY_USAGE } from "../certificate.ts";
import { PkiError } from "../errors.ts";
import { MAX_PATH_CERTIFICATES } from "../validate.ts";
import { DAY, flipBit } from "./forge.ts";
import { EE_CN, EE_JID, type Fixture, NOW, ORG } from "./fixture.ts";

/** A private-arc OID no verifier processes. */
const UNKNOWN_OID = "1.3.6.1.4.1.55555.1.1";

export function pathCases(f: Fixture): void {
  const ee = { subject: { commonName: EE_CN }, jids: [EE_JID], roles: ["OPERATOR"] };
  const intSpec = { subject: { commonName: "DER issuing CA", organization: ORG }, ca: {} };

  // No path to the anchor.
  const T = PkiError.untrusted;
  f.invalid(T, {
    comment: "intermediate missing from the chain",
    spec: ["RFC5280-6.1"],
    chain: ["ee"],
  });
  const otherRoot = f.forge("other-root", {
    suite: f.suite,
    subject: { commonName: "Grid operator root CA", organization: ORG },
    ca: {},
  });
  f.invalid(T, {
    comment: "chain of another root with the same name (key identifiers differ)",
    spec: ["RFC5280-6.1", "RFC5280-4.2.1.1"],
    anchors: ["other-root"],
  });
  f.forge("ee-self-signed", { ...ee, suite: f.suite });
  f.invalid(T, {
    comment: "self-signed end entity",
    spec: ["RFC5280-6.1"],
    chain: ["ee-self-signed"],
  });
  const otherInt = f.forge("other-int", { issuer: otherRoot, ...intSpec });
  f.forge("ee-of-other", { issuer: otherInt, ...ee });
  f.invalid(T, {
    comment: "whole chain from a root that is not an anchor",
    spec: ["RFC5280-6.1", "PAPER-M2"],
    chain: ["ee-of-other", "other-int"],
  });

  // Signatures.
  const B = PkiError["bad-signature"];
  const impostor = generateSigningKey(f.suite, f.e);
  f.forge("ee-impostor", { issuer: f.int, ...ee, signer: impostor });
  f.invalid(B, {
    comment: "end entity names the intermediate as issuer but is signed by another key",
    spec: ["RFC5280-6.1.3", "PAPER-M2"],
    chain: ["ee-impostor", "int"],
  });
  f.mutate("ee-sig-flipped", flipBit(f.objects.get("ee")!, -1));
  f.invalid(B, {
    comment: "end-entity signature with its last bit flipped",
    spec: ["RFC5280-6.1.3"],
    chain: ["ee-sig-flipped", "int"],
  });
  f.mutate("int-sig-flipped", flipBit(f.objects.get("int")!, -1));
  f.invalid(B, {
    comment: "intermediate signature with its last bit flipped",
    spec: ["RFC5280-6.1.3"],
    chain: ["ee", "int-sig-flipped"],
  });
  f.mutate("ee-tbs-flipped", flipBit(f.objects.get("ee")!, 20, 3));
  f.invalid(B, {
    comment: "a bit of the end entity's serial number flipped after signing",
    spec: ["RFC5280-6.1.3"],
    chain: ["ee-tbs-flipped", "int"],
  });

  // Validity.
  const X = PkiError.expired, Y = PkiError["not-yet-valid"];
  const noCrl = { crls: [], requireCrl: false };
  f.invalid(X, {
    comment: "one second after the end entity's notAfter (no CRLs)",
    spec: ["RFC5280-4.1.2.5"],
    now: NOW + 365 * DAY + 1000,
    ...noCrl,
  });
  f.invalid(Y, {
    comment: "one second before the end entity's notBefore (no CRLs)",
    spec: ["RFC5280-4.1.2.5"],
    now: NOW - 30 * DAY - 1000,
    ...noCrl,
  });
  const expiredInt = f.forge("int-expired", {
    issuer: f.root,
    ...intSpec,
    notBefore: NOW - 400 * DAY,
    notAfter: NOW - DAY,
  });
  f.forge("ee-under-expired-int", { issuer: expiredInt, ...ee });
  f.invalid(X, {
    comment: "intermediate expired, end entity current",
    spec: ["RFC5280-6.1.3"],
    chain: ["ee-under-expired-int", "int-expired"],
    crls: [],
    requireCrl: false,
  });
  f.forge("root-expired", {
    suite: f.suite,
    key: f.root.key,
    subject: { commonName: "Grid operator root CA", organization: ORG },
    ca: {},
    notBefore: NOW - 3650 * DAY,
    notAfter: NOW - DAY,
  });
  f.invalid(X, {
    comment: "trust anchor itself expired",
    spec: ["PD-82"],
    anchors: ["root-expired"],
  });
  f.forge("ee-future", { issuer: f.int, ...ee, notBefore: NOW + DAY, notAfter: NOW + 400 * DAY });
  f.invalid(Y, {
    comment: "end entity valid from tomorrow",
    spec: ["RFC5280-4.1.2.5"],
    chain: ["ee-future", "int"],
  });

  // CA constraints.
  const C = PkiError["not-a-ca"];
  const notCa = f.forge("int-not-ca", {
    issuer: f.root,
    subject: { commonName: "DER issuing CA", organization: ORG },
    keyUsage: KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
  });
  f.forge("ee-under-not-ca", { issuer: notCa, ...ee });
  f.invalid(C, {
    comment: "intermediate with cA FALSE",
    spec: ["RFC5280-4.2.1.9", "RFC5280-6.1.4"],
    chain: ["ee-under-not-ca", "int-not-ca"],
    crls: [],
    requireCrl: false,
  });
  const noBc = f.forge("int-no-bc", {
    issuer: f.root,
    ...intSpec,
    subject: { commonName: "Issuing CA without basicConstraints", organization: ORG },
    tbs: (
      t,
    ) => (t.extensions = t.extensions!.filter((x) => x.extnID !== id_ce_basicConstraints) as never),
  });
  f.forge("ee-under-no-bc", { issuer: noBc, ...ee });
  f.invalid(C, {
    comment: "intermediate without basicConstraints",
    spec: ["RFC5280-4.2.1.9"],
    chain: ["ee-under-no-bc", "int-no-bc"],
    crls: [],
    requireCrl: false,
  });
  const eeOfRoot = f.forge("ee-of-root", { issuer: f.root, ...ee });
  f.forge("ee-by-ee", {
    issuer: eeOfRoot,
    subject: { commonName: "Sub-device" },
    jids: ["sub@grid.example"],
  });
  f.invalid(C, {
    comment: "end entity used as an issuer",
    spec: ["RFC5280-6.1.4"],
    chain: ["ee-by-ee", "ee-of-root"],
    expectedJid: "sub@grid.example",
  });

  // Path length.
  const P = PkiError["path-too-long"];
  const int2 = f.forge("int2-under-int", {
    issuer: f.int,
    ...intSpec,
    subject: { commonName: "Second-level CA", organization: ORG },
  });
  f.forge("ee-under-int2", { issuer: int2, ...ee });
  f.invalid(P, {
    comment: "second intermediate below one with pathLenConstraint 0",
    spec: ["RFC5280-4.2.1.9", "RFC5280-6.1.4"],
    chain: ["ee-under-int2", "int2-under-int", "int"],
    crls: [],
    requireCrl: false,
  });
  f.forge("root-pathlen-0", {
    suite: f.suite,
    key: f.root.key,
    subject: { commonName: "Grid operator root CA", organization: ORG },
    ca: { pathLen: 0 },
  });
  f.invalid(P, {
    comment: "anchor with pathLenConstraint 0 above an intermediate",
    spec: ["RFC5280-4.2.1.9", "PD-82"],
    anchors: ["root-pathlen-0"],
  });
  f.invalid(P, {
    comment: `chain of ${MAX_PATH_CERTIFICATES + 1} certificates`,
    spec: ["PD-82"],
    chain: ["ee", ...Array.from({ length: MAX_PATH_CERTIFICATES }, () => "int")],
  });

  // Key usage and extended key usage.
  const K = PkiError["key-usage"];
  f.forge("ee-no-digsig", { issuer: f.int, ...ee, keyUsage: KeyUsageFlags.keyAgreement });
  f.invalid(K, {
    comment: "end entity with keyUsage keyAgreement only",
    spec: ["RFC5280-4.2.1.3", "PD-80"],
    chain: ["ee-no-digsig", "int"],
  });
  f.forge("ee-no-ku", {
    issuer: f.int,
    ...ee,
    tbs: (t) => (t.extensions = t.extensions!.filter((x) => x.extnID !== id_ce_keyUsage) as never),
  });
  f.invalid(K, {
    comment: "end entity without keyUsage",
    spec: ["PD-80"],
    chain: ["ee-no-ku", "int"],
  });
  const noSign = f.forge("int-no-certsign", {
    issuer: f.root,
    ...intSpec,
    keyUsage: KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature,
  });
  f.forge("ee-under-no-certsign", { issuer: noSign, ...ee });
  f.invalid(K, {
    comment: "intermediate without keyCertSign",
    spec: ["RFC5280-4.2.1.3", "RFC5280-6.1.4"],
    chain: ["ee-under-no-certsign", "int-no-certsign"],
    crls: [],
    requireCrl: false,
  });
  const noKu = f.forge("int-no-ku", {
    issuer: f.root,
    ...intSpec,
    subject: { commonName: "Issuing CA without keyUsage", organization: ORG },
    tbs: (t) => (t.extensions = t.extensions!.filter((x) => x.extnID !== id_ce_keyUsage) as never),
  });
  f.forge("ee-under-no-ku", { issuer: noKu, ...ee });
  f.invalid(K, {
    comment: "intermediate without a keyUsage extension",
    spec: ["RFC5280-4.2.1.3", "PD-80"],
    chain: ["ee-under-no-ku", "int-no-ku"],
    crls: [],
    requireCrl: false,
  });
  const E = PkiError["extended-key-usage"];
  f.invalid(E, {
    comment: "policy requires serverAuth, end entity has clientAuth",
    spec: ["RFC5280-4.2.1.12"],
    requiredEku: [EXTENDED_KEY_USAGE.serverAuth],
  });
  f.forge("ee-no-eku", { issuer: f.int, ...ee });
  f.invalid(E, {
    comment: "policy requires clientAuth, end entity has no extendedKeyUsage",
    spec: ["RFC5280-4.2.1.12"],
    chain: ["ee-no-eku", "int"],
    requiredEku: [EXTENDED_KEY_USAGE.clientAuth],
  });

  // Critical extensions derlink does not process.
  const U = PkiError["unknown-critical-extension"];
  const unknown = new Extension({
    extnID: UNKNOWN_OID,
    critical: true,
    extnValue: new OctetString(new Uint8Array([5, 0])),
  });
  f.forge("ee-unknown-critical", { issuer: f.int, ...ee, extraExtensions: [unknown] });
  f.invalid(U, {
    comment: "end entity with a critical private extension",
    spec: ["RFC5280-4.2", "RFC5280-6.1.4"],
    chain: ["ee-unknown-critical", "int"],
  });
  const nonCritical = f.forge("ee-unknown-noncritical", {
    issuer: f.int,
    ...ee,
    extraExtensions: [
      new Extension({ extnID: UNKNOWN_OID, extnValue: new OctetString(new Uint8Array([5, 0])) }),
    ],
  });
  f.valid({
    comment: "end entity with a non-critical private extension (ignored)",
    spec: ["RFC5280-4.2"],
    chain: ["ee-unknown-noncritical", "int"],
  }, nonCritical);
  const nc = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees([
      new GeneralSubtree({ base: new GeneralName({ dNSName: "grid.example" }) }),
    ]),
  });
  const ncInt = f.forge("int-name-constraints", {
    issuer: f.root,
    ...intSpec,
    subject: { commonName: "Constrained CA", organization: ORG },
    extraExtensions: [
      new Extension({
        extnID: id_ce_nameConstraints,
        critical: true,
        extnValue: new OctetString(AsnConvert.serialize(nc)),
      }),
    ],
  });
  f.forge("ee-under-nc", { issuer: ncInt, ...ee });
  f.invalid(U, {
    comment: "intermediate with critical nameConstraints (not processed)",
    spec: ["RFC5280-4.2", "RFC5280-6.1.4"],
    chain: ["ee-under-nc", "int-name-constraints"],
    crls: [],
    requireCrl: false,
  });
  f.forge("root-unknown-critical", {
    suite: f.suite,
    key: f.root.key,
    subject: { commonName: "Grid operator root CA", organization: ORG },
    ca: {},
    extraExtensions: [unknown],
  });
  f.invalid(U, {
    comment: "trust anchor with a critical private extension",
    spec: ["RFC5280-4.2", "PD-82"],
    anchors: ["root-unknown-critical"],
  });
}
