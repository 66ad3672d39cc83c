/**
 * Revocation by CRL (PD-83, PAPER-M7): revoked end entities and
 * intermediates, CRLs missing when required, CRLs that are malformed,
 * badly signed, out of date or carry critical extensions derlink does not
 * process, and CRLs that do not concern the chain.
 *
 * @module
 */
import { OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  Extension,
  id_ce_deltaCRLIndicator,
  id_ce_issuingDistributionPoint,
  KeyUsageFlags,
  Version,
} from "@peculiar/asn1-x509";
import { concat, fromHex } from "../../bytes.ts";
import { ALGORITHM_OID, generateSigningKey } from "../algorithms.ts";
import { PkiError } from "../errors.ts";
import { DAY, flipBit, flipWithin, forgeCrl } from "./forge.ts";
import { EE_CN, EE_JID, type Fixture, NOW, ORG, UNRELATED_SERIAL } from "./fixture.ts";

export function revocationCases(f: Fixture): void {
  const R = ["RFC5280-6.3.3", "PAPER-M7", "PD-83"];
  const ee = { subject: { commonName: EE_CN }, jids: [EE_JID], roles: ["OPERATOR"] };

  f.add("crl-int-revokes-ee", f.crl(f.int, [f.ee.serialHex]));
  f.invalid(PkiError.revoked, {
    comment: "end entity listed on the intermediate's CRL",
    spec: R,
    crls: ["crl-root", "crl-int-revokes-ee"],
  });
  f.invalid(PkiError.revoked, {
    comment: "end entity revoked; the CRL is supplied although not required",
    spec: R,
    crls: ["crl-int-revokes-ee"],
    requireCrl: false,
  });
  f.add("crl-root-revokes-int", f.crl(f.root, [f.int.serialHex]));
  f.invalid(PkiError.revoked, {
    comment: "intermediate listed on the root's CRL",
    spec: R,
    crls: ["crl-root-revokes-int", "crl-int"],
  });
  f.add("crl-root-with-ee-serial", f.crl(f.root, [f.ee.serialHex]));
  f.valid({
    comment: "end entity's serial listed on the root's CRL, which does not cover it",
    spec: R,
    crls: ["crl-root-with-ee-serial", "crl-int"],
  });
  f.add(
    "crl-int-2",
    forgeCrl(f.int, { thisUpdate: NOW - 2 * DAY, nextUpdate: NOW + 5 * DAY, crlNumber: 2 }),
  );
  f.valid({
    comment: "two CRLs from the intermediate, neither listing the end entity",
    spec: R,
    crls: ["crl-root", "crl-int", "crl-int-2"],
  });

  const missing = PkiError["crl-missing"];
  f.invalid(missing, { comment: "CRLs required, none supplied", spec: ["PD-83"], crls: [] });
  f.invalid(missing, {
    comment: "CRLs required, the root's missing (the intermediate is unchecked)",
    spec: ["PD-83"],
    crls: ["crl-int"],
  });

  const malformed = PkiError["crl-malformed"];
  f.add("crl-garbage", fromHex("300100"));
  f.invalid(malformed, {
    comment: "CRL list holds a non-CRL",
    spec: ["RFC5280-5.1"],
    crls: ["crl-root", "crl-int", "crl-garbage"],
  });
  f.add(
    "crl-v1",
    forgeCrl(f.int, { thisUpdate: NOW - DAY, nextUpdate: NOW + DAY }, {
      tbs: (t) => (t.version = undefined, t.crlExtensions = undefined),
    }),
  );
  f.invalid(malformed, {
    comment: "v1 CRL",
    spec: ["RFC5280-5.1.2.1", "PD-83"],
    crls: ["crl-root", "crl-v1"],
  });
  f.add("crl-no-next-update", forgeCrl(f.int, { thisUpdate: NOW - DAY }));
  f.invalid(malformed, {
    comment: "CRL without nextUpdate",
    spec: ["RFC5280-5.1.2.5", "PD-83"],
    crls: ["crl-root", "crl-no-next-update"],
  });
  f.mutate("crl-trailing", concat(f.objects.get("crl-int")!, new Uint8Array([0])));
  f.invalid(malformed, {
    comment: "a zero byte after the CRL",
    spec: ["RFC5280-5.1"],
    crls: ["crl-root", "crl-trailing"],
  });
  f.add(
    "crl-v3",
    forgeCrl(f.int, { thisUpdate: NOW - DAY, nextUpdate: NOW + DAY }, {
      tbs: (t) => (t.version = Version.v3),
    }),
  );
  f.invalid(malformed, {
    comment: "CRL claiming version 3",
    spec: ["RFC5280-5.1.2.1"],
    crls: ["crl-root", "crl-v3"],
  });

  f.add(
    "crl-outer-alg",
    f.crl(f.int, [], {
      outerAlgorithm: new AlgorithmIdentifier({
        algorithm: f.suite === "x25519-ed25519"
          ? ALGORITHM_OID.ecdsaWithSha256
          : ALGORITHM_OID.ed25519,
      }),
    }),
  );
  f.invalid(malformed, {
    comment: "CRL's outer signatureAlgorithm differs from the signed one",
    spec: ["RFC5280-5.1.1.2"],
    crls: ["crl-root", "crl-outer-alg"],
  });

  const bad = PkiError["crl-bad-signature"];
  f.add("crl-impostor", f.crl(f.int, [], { signer: generateSigningKey(f.suite, f.e) }));
  f.invalid(bad, {
    comment: "intermediate's CRL signed by another key",
    spec: ["RFC5280-6.3.3"],
    crls: ["crl-root", "crl-impostor"],
  });
  f.mutate("crl-flipped", flipBit(f.objects.get("crl-int")!, -1));
  f.invalid(bad, {
    comment: "CRL signature with its last bit flipped",
    spec: ["RFC5280-6.3.3"],
    crls: ["crl-root", "crl-flipped"],
  });
  f.mutate("crl-tbs-flipped", flipWithin(f.objects.get("crl-int")!, fromHex(UNRELATED_SERIAL)));
  f.invalid(bad, {
    comment: "a bit of a listed serial flipped after signing",
    spec: ["RFC5280-6.3.3"],
    crls: ["crl-root", "crl-tbs-flipped"],
  });

  f.add("crl-expired", forgeCrl(f.int, { thisUpdate: NOW - 3 * DAY, nextUpdate: NOW - DAY }));
  f.invalid(PkiError["crl-expired"], {
    comment: "intermediate's CRL past nextUpdate",
    spec: ["RFC5280-5.1.2.5", "PAPER-M7"],
    crls: ["crl-root", "crl-expired"],
  });
  f.invalid(PkiError["crl-expired"], {
    comment: "validation one second after the CRLs' nextUpdate",
    spec: ["RFC5280-5.1.2.5"],
    now: NOW + DAY + 1000,
  });
  f.add("crl-future", forgeCrl(f.int, { thisUpdate: NOW + DAY, nextUpdate: NOW + 2 * DAY }));
  f.invalid(PkiError["crl-not-yet-valid"], {
    comment: "intermediate's CRL issued tomorrow",
    spec: ["RFC5280-5.1.2.4"],
    crls: ["crl-root", "crl-future"],
  });

  const U = PkiError["unknown-critical-extension"];
  f.add(
    "crl-idp",
    f.crl(f.int, [], {
      tbs: (t) =>
        t.crlExtensions!.push(
          new Extension({
            extnID: id_ce_issuingDistributionPoint,
            critical: true,
            extnValue: new OctetString(fromHex("3000")),
          }),
        ),
    }),
  );
  f.invalid(U, {
    comment: "CRL with a critical issuingDistributionPoint",
    spec: ["RFC5280-5.2", "PD-83"],
    crls: ["crl-root", "crl-idp"],
  });
  f.add(
    "crl-delta",
    f.crl(f.int, [], {
      tbs: (t) =>
        t.crlExtensions!.push(
          new Extension({
            extnID: id_ce_deltaCRLIndicator,
            critical: true,
            extnValue: new OctetString(fromHex("020101")),
          }),
        ),
    }),
  );
  f.invalid(U, {
    comment: "delta CRL",
    spec: ["RFC5280-5.2", "PD-83"],
    crls: ["crl-root", "crl-delta"],
  });
  f.add(
    "crl-entry-critical",
    f.crl(f.int, [], {
      tbs: (
        t,
      ) => (t.revokedCertificates![0].crlEntryExtensions = [
        new Extension({
          extnID: "1.3.6.1.4.1.55555.1.2",
          critical: true,
          extnValue: new OctetString(fromHex("0500")),
        }),
      ]),
    }),
  );
  f.invalid(U, {
    comment: "CRL entry with a critical private extension",
    spec: ["RFC5280-5.3"],
    crls: ["crl-root", "crl-entry-critical"],
  });

  const noCrlSign = f.forge("int-no-crlsign", {
    issuer: f.root,
    subject: { commonName: "Issuing CA without cRLSign", organization: ORG },
    ca: {},
    keyUsage: KeyUsageFlags.keyCertSign,
  });
  f.forge("ee-under-no-crlsign", { issuer: noCrlSign, ...ee });
  f.add("crl-of-no-crlsign", f.crl(noCrlSign));
  f.invalid(PkiError["key-usage"], {
    comment: "CRL from an issuer without cRLSign",
    spec: ["RFC5280-4.2.1.3", "PD-83"],
    chain: ["ee-under-no-crlsign", "int-no-crlsign"],
    crls: ["crl-root", "crl-of-no-crlsign"],
  });
  f.invalid(PkiError["crl-missing"], {
    comment: "issuer without cRLSign and no CRL from it, CRLs required",
    spec: ["PD-83"],
    chain: ["ee-under-no-crlsign", "int-no-crlsign"],
    crls: ["crl-root"],
  });
}
