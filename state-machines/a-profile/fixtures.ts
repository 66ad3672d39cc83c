/**
 * Test and vector fixtures: a deterministic grid PKI per suite (root CA,
 * issuing CA, a control centre, a DER and a third party, plus a revoked, an
 * expired and a foreign-CA certificate), and machine configurations built
 * on it. Used by tests, the vector generator, the exploration and the bench;
 * never by the machines.
 *
 * @module
 */
import { SeededEntropy } from "../../core/entropy.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { createCrl } from "../../core/pki/crl.ts";
import { createHierarchy } from "../../core/pki/hierarchy.ts";
import { type IssuedCertificate, issueEndEntity } from "../../core/pki/certificate.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import type { AProfilePolicy, InitiatorConfig, LocalSigner, ResponderConfig } from "./types.ts";

/** The time every fixture is issued at and every scenario starts at: 2025-01-15 12:00 UTC. */
export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const DAY = 86_400_000;

export const JIDS = {
  /** The control centre (IEC 61850 client, initiator). */
  vpp: "vpp@grid.example",
  /** A DER (IEC 61850 server, responder). */
  der: "der1@grid.example",
  /** A third party with a valid certificate of the same CA. */
  mallory: "mallory@grid.example",
} as const;

/** A certificate chain with the key that signs for it. */
export interface Credential {
  readonly chain: readonly CertificateDer[];
  readonly signer: LocalSigner;
}

export interface TestPki {
  readonly suite: SuiteId;
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly vpp: Credential;
  readonly der: Credential;
  readonly mallory: Credential;
  /** The control centre's JID on a certificate the issuing CA's CRL lists. */
  readonly revoked: Credential;
  /** The control centre's JID on a certificate that expired an hour before T0. */
  readonly expired: Credential;
  /** The DER's JID on a certificate of another root CA. */
  readonly foreign: Credential;
}

const credential = (chain: readonly CertificateDer[], c: IssuedCertificate): Credential => ({
  chain,
  signer: { suite: c.key.suite, privateKey: c.key.privateKey },
});

const cache = new Map<SuiteId, TestPki>();

/** The fixture PKI of `suite`; the same bytes on every run. */
export function testPki(suite: SuiteId): TestPki {
  const hit = cache.get(suite);
  if (hit) return hit;
  const entropy = new SeededEntropy(`a-profile fixture pki ${suite}`);
  const h = createHierarchy({
    suite,
    now: T0,
    peers: [
      { commonName: "VPP control centre", jid: JIDS.vpp },
      { commonName: "DER 1", jid: JIDS.der },
      { commonName: "third party", jid: JIDS.mallory },
    ],
  }, entropy);
  const issuer = h.intermediate!;
  const subject = (cn: string) => ({ commonName: cn, organization: "derlink test grid" });
  const revokedSerial = new Uint8Array([0x5e, 0x71, 0xa1, 0x01]);
  const revoked = issueEndEntity(issuer, {
    subject: subject("VPP control centre (revoked key)"),
    jids: [JIDS.vpp],
    serial: revokedSerial,
    notBefore: T0 - DAY,
    notAfter: T0 + 365 * DAY,
  }, entropy);
  const expired = issueEndEntity(issuer, {
    subject: subject("VPP control centre (expired)"),
    jids: [JIDS.vpp],
    notBefore: T0 - 30 * DAY,
    notAfter: T0 - 3600_000,
  }, entropy);
  const other = createHierarchy({
    suite,
    now: T0,
    peers: [{ commonName: "DER 1 (other CA)", jid: JIDS.der }],
  }, entropy.fork("foreign"));
  const crls = [
    h.crls[0],
    createCrl(issuer, {
      thisUpdate: T0 - DAY,
      nextUpdate: T0 + DAY,
      revoked: [{ serial: revokedSerial, date: T0 - DAY }],
    }),
  ];
  const pki: TestPki = {
    suite,
    anchors: [h.root.der],
    crls,
    vpp: credential(h.chains[0], h.peers[0]),
    der: credential(h.chains[1], h.peers[1]),
    mallory: credential(h.chains[2], h.peers[2]),
    revoked: credential([revoked.der, issuer.der], revoked),
    expired: credential([expired.der, issuer.der], expired),
    foreign: credential(other.chains[0], other.peers[0]),
  };
  cache.set(suite, pki);
  return pki;
}

/** Initiator (control centre) configuration on the fixture PKI. */
export function initiatorConfig(
  pki: TestPki,
  seed: string,
  policy: Partial<AProfilePolicy> = {},
  who: Credential = pki.vpp,
): InitiatorConfig {
  return {
    localJid: JIDS.vpp,
    peerJid: JIDS.der,
    chain: who.chain,
    signatureSuite: who.signer.suite,
    anchors: pki.anchors,
    crls: pki.crls,
    validateChain,
    entropy: new SeededEntropy(seed),
    policy: { suites: [pki.suite], ...policy },
  };
}

/** Responder (DER) configuration on the fixture PKI. */
export function responderConfig(
  pki: TestPki,
  seed: string,
  policy: Partial<AProfilePolicy> = {},
  who: Credential = pki.der,
): ResponderConfig {
  return {
    localJid: JIDS.der,
    chain: who.chain,
    signatureSuite: who.signer.suite,
    anchors: pki.anchors,
    crls: pki.crls,
    validateChain,
    entropy: new SeededEntropy(seed),
    policy: { suites: [pki.suite], ...policy },
  };
}
