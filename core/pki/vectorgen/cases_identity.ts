/**
 * Identity and policy refusals: the certificate is not for the expected JID
 * (RFC 6120 §13.7.1.4, PD-84), or its key belongs to a suite the policy does
 * not allow.
 *
 * @module
 */
import { AsnConvert, AsnIA5StringConverter, OctetString } from "@peculiar/asn1-schema";
import {
  Extension,
  GeneralName,
  id_ce_subjectAltName,
  OtherName,
  SubjectAlternativeName,
} from "@peculiar/asn1-x509";
import type { SuiteId } from "../../crypto/suite.ts";
import { NAME_OID } from "../names.ts";
import { PkiError } from "../errors.ts";
import { EE_CN, EE_JID, type Fixture } from "./fixture.ts";

const ALL: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

export function identityCases(f: Fixture): void {
  const W = PkiError["wrong-identity"];
  const J = ["RFC6120-13.7.1.4", "PD-84"];
  f.invalid(W, { comment: "another JID expected", spec: J, expectedJid: "ied2@grid.example" });
  f.invalid(W, {
    comment: "same localpart, another domain",
    spec: J,
    expectedJid: "ied1@grid.example.org",
  });
  f.invalid(W, {
    comment: "domain JID expected, certificate names a user",
    spec: J,
    expectedJid: "grid.example",
  });
  f.invalid(W, { comment: "expected JID does not parse", spec: J, expectedJid: "@grid.example" });
  f.forge("ee-no-san", { issuer: f.int, subject: { commonName: EE_CN } });
  f.invalid(W, {
    comment: "JID expected, certificate has no subjectAltName",
    spec: J,
    chain: ["ee-no-san", "int"],
  });
  f.forge("ee-jid-in-cn", { issuer: f.int, subject: { commonName: EE_JID } });
  f.invalid(W, {
    comment: "the JID is only the common name",
    spec: J,
    chain: ["ee-jid-in-cn", "int"],
  });
  f.forge("ee-jid-in-dns", {
    issuer: f.int,
    subject: { commonName: EE_CN },
    dnsNames: ["grid.example"],
  });
  f.invalid(W, {
    comment: "domain JID expected, only a dNSName carries it",
    spec: J,
    chain: ["ee-jid-in-dns", "int"],
    expectedJid: "grid.example",
  });
  const ia5 = new SubjectAlternativeName([
    new GeneralName({
      otherName: new OtherName({
        typeId: NAME_OID.xmppAddr,
        value: AsnConvert.serialize(AsnIA5StringConverter.toASN(EE_JID)),
      }),
    }),
  ]);
  f.forge("ee-xmppaddr-ia5", {
    issuer: f.int,
    subject: { commonName: EE_CN },
    extraExtensions: [
      new Extension({
        extnID: id_ce_subjectAltName,
        extnValue: new OctetString(AsnConvert.serialize(ia5)),
      }),
    ],
  });
  f.invalid(W, {
    comment: "xmppAddr value is an IA5String, not a UTF8String",
    spec: J,
    chain: ["ee-xmppaddr-ia5", "int"],
  });

  const D = PkiError["disallowed-suite"];
  const others = ALL.filter((s) => s !== f.suite);
  f.invalid(D, {
    comment: `end-entity suite ${f.suite} not among ${others.join(", ")}`,
    spec: ["PD-84"],
    allowedSuites: others,
  });
  f.invalid(D, { comment: "no suite allowed at all", spec: ["PD-84"], allowedSuites: [] });
}
