/**
 * Certificate and CRL creation: deterministic bytes from a seed, the
 * profile's fields (PD-80, PD-81), the encodings RFC 5480 / RFC 8410 / RFC
 * 6120 fix byte for byte, argument checks, and PEM round trips.
 */
import assert from "node:assert/strict";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, CertificateList, GeneralName, GeneralNames } from "@peculiar/asn1-x509";
import { fromHex, toHex } from "../bytes.ts";
import { SeededEntropy } from "../entropy.ts";
import { getSuite } from "../crypto/suite.ts";
import {
  createRootCa,
  EXTENDED_KEY_USAGE,
  issueEndEntity,
  issueIntermediateCa,
  keyIdentifierOf,
  KeyUsageFlags,
} from "./certificate.ts";
import { createCrl, parseCrl } from "./crl.ts";
import { createHierarchy } from "./hierarchy.ts";
import { roleAttribute, xmppAddrName } from "./names.ts";
import { parseCertificate } from "./parse.ts";
import { certificatePem, crlPem, fromPem } from "./pem.ts";
import { RoleSyntax } from "./role_syntax.ts";
import { PKI_SUITES } from "./vectorgen/fixture.ts";

const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;

/** SubjectPublicKeyInfo prefixes (everything before the key bits), from RFC 5480 and RFC 8410. */
const SPKI_PREFIX = {
  "p256": "3059301306072a8648ce3d020106082a8648ce3d030107034200",
  "brainpool256": "305a301406072a8648ce3d020106092b2403030208010107034200",
  "x25519-ed25519": "302a300506032b6570032100",
} as const;
/** signatureAlgorithm encodings: ecdsa-with-SHA256 (RFC 5758 §3.2), id-Ed25519 (RFC 8410 §3). */
const SIG_ALG = {
  "p256": "300a06082a8648ce3d040302",
  "brainpool256": "300a06082a8648ce3d040302",
  "x25519-ed25519": "300506032b6570",
} as const;

const hierarchyOf = (suite: (typeof PKI_SUITES)[number], seed: string) =>
  createHierarchy({
    suite,
    now: NOW,
    peers: [{ commonName: "IED-4 CHP", jid: "ied4@grid.example", roles: ["OPERATOR", "VIEWER"] }],
  }, new SeededEntropy(seed));

for (const suite of PKI_SUITES) {
  Deno.test(`pki: ${suite} hierarchy replays byte for byte from its seed (PD-80 PD-13)`, () => {
    const a = hierarchyOf(suite, "replay"), b = hierarchyOf(suite, "replay");
    assert.deepEqual(
      [a.root.der, a.intermediate!.der, a.peers[0].der, ...a.crls],
      [b.root.der, b.intermediate!.der, b.peers[0].der, ...b.crls],
    );
    const c = hierarchyOf(suite, "other seed");
    assert.notDeepEqual(c.peers[0].der, a.peers[0].der);
  });

  Deno.test(`pki: ${suite} certificates carry the profile's fields (PD-80 RFC5280-4.2.1.2 RFC5480-2.1.1 RFC8410-4)`, () => {
    const h = hierarchyOf(suite, "fields");
    const cert = AsnConvert.parse(h.peers[0].der, Certificate);
    const tbs = cert.tbsCertificate;
    assert.equal(tbs.version, 2);
    assert.equal(tbs.serialNumber.byteLength, 16);
    assert.equal(new Uint8Array(tbs.serialNumber)[0] & 0xc0, 0x40);
    assert.equal(
      toHex(new Uint8Array(AsnConvert.serialize(cert.signatureAlgorithm))),
      SIG_ALG[suite],
    );
    const spki = toHex(new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)));
    assert.equal(spki, SPKI_PREFIX[suite] + toHex(h.peers[0].key.publicKey));

    const ee = parseCertificate(h.peers[0].der);
    const int = parseCertificate(h.intermediate!.der);
    const root = parseCertificate(h.root.der);
    assert.ok(ee.ok && int.ok && root.ok);
    const x = ee.value.extensions;
    assert.deepEqual(x.basicConstraints, { cA: false, pathLen: undefined });
    assert.equal(x.keyUsage, KeyUsageFlags.digitalSignature);
    assert.deepEqual(x.xmppAddrs, ["ied4@grid.example"]);
    assert.deepEqual(x.roles, ["OPERATOR", "VIEWER"]);
    assert.equal(ee.value.commonName, "IED-4 CHP");
    const sha = getSuite(suite).hash.digest(h.peers[0].key.publicKey);
    assert.deepEqual(x.subjectKeyId, sha.slice(0, 20));
    assert.deepEqual(x.authorityKeyId, int.value.extensions.subjectKeyId);
    assert.deepEqual(int.value.extensions.authorityKeyId, root.value.extensions.subjectKeyId);
    assert.equal(root.value.extensions.authorityKeyId, undefined);
    assert.deepEqual(int.value.extensions.basicConstraints, { cA: true, pathLen: 0 });
    assert.equal(int.value.extensions.keyUsage, KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign);
    assert.deepEqual(root.value.issuer, root.value.subject);
    assert.deepEqual(ee.value.issuer, int.value.subject);
    // basicConstraints and keyUsage are critical, the others are not.
    const critical = Object.fromEntries(
      (tbs.extensions ?? []).map((e) => [e.extnID, e.critical]),
    );
    assert.deepEqual(critical, {
      "2.5.29.19": true,
      "2.5.29.15": true,
      "2.5.29.14": false,
      "2.5.29.35": false,
      "2.5.29.17": false,
      "2.5.29.9": false,
    });
  });
}

Deno.test("pki: xmppAddr is an otherName with a UTF8String, byte for byte (RFC6120-13.7.1.4)", () => {
  const der = toHex(new Uint8Array(AsnConvert.serialize(xmppAddrName("a@b"))));
  // [0] { OID 1.3.6.1.5.5.7.8.5, [0] EXPLICIT UTF8String "a@b" }
  assert.equal(der, "a01106082b06010505070805a0050c03614062");
  const nonAscii = xmppAddrName("jürgen@grid.example");
  assert.equal(nonAscii.otherName?.typeId, "1.3.6.1.5.5.7.8.5");
});

Deno.test("pki: RoleSyntax tags roleName explicitly, byte for byte (RFC5755-4.4.5 PD-81)", () => {
  const attr = roleAttribute(["SECADM"]);
  assert.equal(attr.type, "2.5.4.72");
  // SEQUENCE { [1] { [6] IA5String "urn:derlink:role:SECADM" } }
  const uri = "urn:derlink:role:SECADM";
  const hexUri = toHex(new TextEncoder().encode(uri));
  assert.equal(uri.length, 0x17);
  assert.equal(toHex(new Uint8Array(attr.values[0])), `301ba1198617${hexUri}`);
  const back = AsnConvert.parse(attr.values[0], RoleSyntax);
  assert.equal(back.roleName.uniformResourceIdentifier, uri);
  const withAuthority = new RoleSyntax({
    roleAuthority: new GeneralNames([new GeneralName({ dNSName: "x" })]),
    roleName: new GeneralName({ uniformResourceIdentifier: "urn:a" }),
  });
  assert.equal(
    toHex(new Uint8Array(AsnConvert.serialize(withAuthority))),
    "300ea003820178a107860575726e3a61",
  );
});

Deno.test("pki: validity uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC5280-4.1.2.5)", () => {
  const e = new SeededEntropy("times");
  const root = createRootCa("x25519-ed25519", {
    subject: { commonName: "Long-lived root" },
    notBefore: Date.UTC(2049, 11, 31, 23, 59, 59),
    notAfter: Date.UTC(2050, 0, 1),
  }, e);
  const hex = toHex(root.der);
  assert.ok(hex.includes("170d3439313233313233353935395a"), "UTCTime 491231235959Z");
  assert.ok(hex.includes("180f32303530303130313030303030305a"), "GeneralizedTime 20500101000000Z");
  const parsed = parseCertificate(root.der);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.notAfter, Date.UTC(2050, 0, 1));
});

Deno.test("pki: explicit extended key usage, DNS names, suites mixed along the chain", () => {
  const e = new SeededEntropy("mixed");
  const root = createRootCa("brainpool256", {
    subject: { commonName: "Root" },
    notBefore: NOW - DAY,
    notAfter: NOW + 10 * DAY,
    pathLen: 1,
  }, e);
  const int = issueIntermediateCa(root, {
    suite: "p256",
    subject: { commonName: "Issuing" },
    notBefore: NOW - DAY,
    notAfter: NOW + 10 * DAY,
  }, e);
  const ee = issueEndEntity(int, {
    suite: "x25519-ed25519",
    subject: { commonName: "KDC", organization: "VPP" },
    dnsNames: ["kdc.grid.example"],
    extendedKeyUsage: [EXTENDED_KEY_USAGE.serverAuth],
    notBefore: NOW - DAY,
    notAfter: NOW + DAY,
  }, e);
  const p = parseCertificate(ee.der);
  assert.ok(p.ok);
  assert.deepEqual(p.value.extensions.dnsNames, ["kdc.grid.example"]);
  assert.deepEqual(p.value.extensions.extendedKeyUsage, [EXTENDED_KEY_USAGE.serverAuth]);
  assert.equal(p.value.key.suite, "x25519-ed25519");
  assert.equal(
    toHex(new Uint8Array(AsnConvert.serialize(p.value.signatureAlgorithm))),
    SIG_ALG.p256,
  );
  assert.deepEqual(p.value.extensions.authorityKeyId, keyIdentifierOf(int.key));
});

Deno.test("pki: template arguments outside the profile are refused with core/invalid-argument", () => {
  const e = new SeededEntropy("args");
  const base = { notBefore: NOW, notAfter: NOW + DAY };
  const cases = [
    () => createRootCa("p256", { ...base, subject: { commonName: "" } }, e),
    () => createRootCa("p256", { ...base, subject: { commonName: "R" }, notAfter: NOW - 1 }, e),
    () => createRootCa("p256", { ...base, subject: { commonName: "R" }, pathLen: -1 }, e),
    () => createRootCa("p256", { ...base, subject: { commonName: "R" }, roles: ["has space"] }, e),
    () => createRootCa("p256", { ...base, subject: { commonName: "R" }, notBefore: NaN }, e),
  ];
  for (const f of cases) assert.throws(f, /core\/invalid-argument/);
});

Deno.test("pki: CRLs carry version 2, AKI, cRLNumber and the revoked serials (RFC5280-5.2.1 RFC5280-5.2.3)", () => {
  const h = hierarchyOf("p256", "crl");
  const serial = "4a0102030405060708090a0b0c0d0e0f";
  const crl = createCrl(h.intermediate!, {
    thisUpdate: NOW,
    nextUpdate: NOW + DAY,
    crlNumber: 42,
    revoked: [{ serial, date: NOW - DAY, reason: 1 }, { serial: fromHex("01"), date: NOW }],
  });
  const list = AsnConvert.parse(crl, CertificateList);
  assert.equal(list.tbsCertList.version, 1);
  const ids = (list.tbsCertList.crlExtensions ?? []).map((x) => x.extnID);
  assert.deepEqual(ids, ["2.5.29.35", "2.5.29.20"]);
  const parsed = parseCrl(crl);
  assert.ok(parsed.ok);
  assert.deepEqual([...parsed.value.revoked], [serial, "01"]);
  assert.equal(parsed.value.nextUpdate, NOW + DAY);
  const int = parseCertificate(h.intermediate!.der);
  assert.ok(int.ok);
  assert.deepEqual(parsed.value.authorityKeyId, int.value.extensions.subjectKeyId);
  assert.deepEqual(parsed.value.issuer, int.value.subject);
});

Deno.test("pki: PEM round trip of certificates and CRLs", () => {
  const h = hierarchyOf("x25519-ed25519", "pem");
  const text = certificatePem(h.peers[0].der, h.intermediate!.der);
  assert.match(text, /^-----BEGIN CERTIFICATE-----\n/);
  assert.deepEqual(fromPem(text), [h.peers[0].der, h.intermediate!.der]);
  const crls = crlPem(...h.crls);
  assert.equal(crls.match(/BEGIN X509 CRL/g)?.length, 2);
  assert.deepEqual(fromPem(crls), [...h.crls]);
});
