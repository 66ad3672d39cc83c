/**
 * A whole test hierarchy in one call: a grid operator's root CA, optionally
 * an intermediate CA, end-entity certificates for named peers (an IED, a
 * control centre, a key server...) and a current CRL from every CA, all
 * deterministic from the entropy source. Protocol tests and vector
 * generators use it to get realistic chains for any suite.
 *
 * @module
 */
import type { EntropySource } from "../entropy.ts";
import type { SuiteId } from "../crypto/suite.ts";
import {
  createRootCa,
  type IssuedCertificate,
  issueEndEntity,
  issueIntermediateCa,
} from "./certificate.ts";
import { createCrl, type RevokedEntry } from "./crl.ts";
import type { CertificateDer, ValidationPolicy } from "./types.ts";

const DAY = 86_400_000;

/** One end entity of the hierarchy. */
export interface PeerSpec {
  /** Subject common name: the IED or role name. */
  readonly commonName: string;
  readonly jid?: string;
  readonly roles?: readonly string[];
  readonly extendedKeyUsage?: readonly string[];
  /** KeyUsageFlags; default digitalSignature (certificate.ts). */
  readonly keyUsage?: number;
  /** Key suite; default the hierarchy's. */
  readonly suite?: SuiteId;
}

export interface HierarchyOptions {
  readonly suite: SuiteId;
  /** Time the hierarchy is issued at (ms); certificates start one day earlier. */
  readonly now: number;
  readonly peers: readonly PeerSpec[];
  /** Put an intermediate CA between root and end entities. Default true. */
  readonly intermediate?: boolean;
  /** End-entity validity in days from `now`. Default 365; CAs get ten times as long. */
  readonly validityDays?: number;
  /** Serials (hex) the issuing CA's CRL lists. */
  readonly revoked?: readonly string[];
}

export interface Hierarchy {
  readonly root: IssuedCertificate;
  readonly intermediate?: IssuedCertificate;
  /** The end entities, in the order of `peers`. */
  readonly peers: readonly IssuedCertificate[];
  /** Each peer's chain as a protocol sends it: end entity, then the intermediate if any. */
  readonly chains: readonly (readonly CertificateDer[])[];
  /** A CRL from the root and one from the intermediate, valid for a day after `now`. */
  readonly crls: readonly Uint8Array[];
  /** A policy that accepts every peer at `now` (anchors = the root, CRLs required). */
  readonly policy: ValidationPolicy;
}

/** Builds a hierarchy; the same options and seed give the same bytes. */
export function createHierarchy(options: HierarchyOptions, entropy: EntropySource): Hierarchy {
  const start = options.now - DAY;
  const eeDays = options.validityDays ?? 365;
  const caEnd = options.now + 10 * eeDays * DAY;
  const root = createRootCa(options.suite, {
    subject: { commonName: "derlink grid operator root CA", organization: "derlink test grid" },
    notBefore: start,
    notAfter: caEnd,
  }, entropy);
  const intermediate = options.intermediate === false ? undefined : issueIntermediateCa(root, {
    subject: { commonName: "derlink DER issuing CA", organization: "derlink test grid" },
    notBefore: start,
    notAfter: caEnd,
    pathLen: 0,
  }, entropy);
  const issuer = intermediate ?? root;
  const peers = options.peers.map((peer) =>
    issueEndEntity(issuer, {
      subject: { commonName: peer.commonName, organization: "derlink test grid" },
      suite: peer.suite,
      jids: peer.jid === undefined ? undefined : [peer.jid],
      roles: peer.roles,
      extendedKeyUsage: peer.extendedKeyUsage,
      keyUsage: peer.keyUsage,
      notBefore: start,
      notAfter: options.now + eeDays * DAY,
    }, entropy)
  );
  const revoked: RevokedEntry[] = (options.revoked ?? []).map((serial) => ({
    serial,
    date: start,
  }));
  const crlTimes = { thisUpdate: start, nextUpdate: options.now + DAY };
  const crls = [createCrl(root, { ...crlTimes, revoked: intermediate ? [] : revoked })];
  if (intermediate) crls.push(createCrl(intermediate, { ...crlTimes, revoked }));
  return {
    root,
    intermediate,
    peers,
    chains: peers.map((p) => intermediate ? [p.der, intermediate.der] : [p.der]),
    crls,
    policy: { anchors: [root.der], now: options.now, crls, requireCrl: true },
  };
}
