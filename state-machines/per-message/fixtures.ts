/**
 * Test and vector fixtures: a deterministic grid PKI per suite whose end
 * entities carry keyUsage digitalSignature + keyAgreement (their key signs
 * and is the ECDH-ES recipient key, PD-228), plus the certificates the
 * negative cases need (another peer, expired, revoked, foreign CA, no
 * keyAgreement), and channel configurations built on it. Never used by the
 * machine.
 *
 * @module
 */
import { SeededEntropy } from "../../core/entropy.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import {
  createRootCa,
  type IssuedCertificate,
  issueEndEntity,
  issueIntermediateCa,
  KeyUsageFlags,
} from "../../core/pki/certificate.ts";
import { createCrl } from "../../core/pki/crl.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { localSigner } from "../a-profile/driver.ts";
import type { Signer } from "../a-profile/driver.ts";
import { JIDS, T0, type TestPki } from "../a-profile/fixtures.ts";
import type { LocalSigner } from "../a-profile/types.ts";
import { localAgreement } from "./seal.ts";
import type { PerMessageConfig, PerMessagePolicy } from "./types.ts";

export { JIDS, T0 };
const DAY = 86_400_000;

/** Key usage of end entities whose key both signs and agrees. */
export const SIGN_AND_AGREE = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement;

export interface Credential {
  readonly jid: string;
  readonly chain: readonly CertificateDer[];
  readonly key: LocalSigner;
}

export interface PerMessagePki {
  readonly suite: SuiteId;
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly vpp: Credential;
  readonly der: Credential;
  /** A valid certificate of the same CA for another JID. */
  readonly mallory: Credential;
  /** The control centre's JID on a certificate that expired an hour before T0. */
  readonly expired: Credential;
  /** The control centre's JID on a certificate the issuing CA's CRL lists. */
  readonly revoked: Credential;
  /** The control centre's JID on a certificate that expires an hour after T0. */
  readonly expiring: Credential;
  /** The control centre's JID under another root CA. */
  readonly foreign: Credential;
  /** The DER's JID on a certificate without keyAgreement. */
  readonly signOnly: Credential;
}

const cache = new Map<SuiteId, PerMessagePki>();

/** The fixture PKI of `suite`; the same bytes on every run. */
export function perMessagePki(suite: SuiteId): PerMessagePki {
  const hit = cache.get(suite);
  if (hit) return hit;
  const e = new SeededEntropy(`per-message fixture pki ${suite}`);
  const subject = (commonName: string) => ({ commonName, organization: "derlink test grid" });
  const root = createRootCa(suite, {
    subject: subject("derlink grid operator root CA"),
    notBefore: T0 - DAY,
    notAfter: T0 + 3650 * DAY,
  }, e);
  const ca = issueIntermediateCa(root, {
    subject: subject("derlink DER issuing CA"),
    notBefore: T0 - DAY,
    notAfter: T0 + 3650 * DAY,
    pathLen: 0,
  }, e);
  const issue = (
    issuer: IssuedCertificate,
    cn: string,
    jid: string,
    o: { notAfter?: number; keyUsage?: number; serial?: Uint8Array } = {},
  ): Credential => {
    const c = issueEndEntity(issuer, {
      subject: subject(cn),
      jids: [jid],
      keyUsage: o.keyUsage ?? SIGN_AND_AGREE,
      serial: o.serial,
      notBefore: T0 - 30 * DAY,
      notAfter: o.notAfter ?? T0 + 365 * DAY,
    }, e);
    return { jid, chain: [c.der, issuer.der], key: { suite, privateKey: c.key.privateKey } };
  };
  const revokedSerial = new Uint8Array([0x5e, 0x71, 0xa1, 0x02]);
  const otherRoot = createRootCa(suite, {
    subject: subject("another operator root CA"),
    notBefore: T0 - DAY,
    notAfter: T0 + 3650 * DAY,
  }, e.fork("foreign"));
  const foreign = issue(otherRoot, "VPP control centre (other CA)", JIDS.vpp);
  const pki: PerMessagePki = {
    suite,
    anchors: [root.der],
    crls: [
      createCrl(root, { thisUpdate: T0 - DAY, nextUpdate: T0 + DAY, revoked: [] }),
      createCrl(ca, {
        thisUpdate: T0 - DAY,
        nextUpdate: T0 + DAY,
        revoked: [{ serial: revokedSerial, date: T0 - DAY }],
      }),
    ],
    vpp: issue(ca, "VPP control centre", JIDS.vpp),
    der: issue(ca, "DER 1", JIDS.der),
    mallory: issue(ca, "third party", JIDS.mallory),
    expired: issue(ca, "VPP control centre (expired)", JIDS.vpp, { notAfter: T0 - 3600_000 }),
    revoked: issue(ca, "VPP control centre (revoked)", JIDS.vpp, { serial: revokedSerial }),
    expiring: issue(ca, "VPP control centre (short-lived)", JIDS.vpp, { notAfter: T0 + 3600_000 }),
    foreign: { ...foreign, chain: [foreign.chain[0]] },
    signOnly: issue(ca, "DER 1 (sign only)", JIDS.der, {
      keyUsage: KeyUsageFlags.digitalSignature,
    }),
  };
  cache.set(suite, pki);
  return pki;
}

/** A channel configuration for `who` talking to `peer` on the fixture PKI. */
export function channelConfig(
  pki: PerMessagePki,
  who: Credential,
  peerJid: string,
  seed: string,
  o: { policy?: Partial<PerMessagePolicy>; peerChain?: readonly CertificateDer[] } = {},
): PerMessageConfig {
  return {
    localJid: who.jid,
    peerJid,
    chain: who.chain,
    signatureSuite: who.key.suite,
    agree: localAgreement(who.key),
    peerChain: o.peerChain,
    anchors: pki.anchors,
    crls: pki.crls,
    validateChain,
    entropy: new SeededEntropy(seed),
    policy: o.policy,
  };
}

/** The in-process signer of a credential. */
export const signerOf = (c: Credential): Signer => localSigner(c.key);

/** The fixture PKI in the A-profile fixtures' shape, so A-profile configurations can be built on it. */
export function asAProfilePki(p: PerMessagePki): TestPki {
  const c = (x: Credential) => ({ chain: x.chain, signer: x.key });
  return {
    suite: p.suite,
    anchors: p.anchors,
    crls: p.crls,
    vpp: c(p.vpp),
    der: c(p.der),
    mallory: c(p.mallory),
    revoked: c(p.revoked),
    expired: c(p.expired),
    foreign: c(p.foreign),
  };
}
