/**
 * The grid PKI of a fleet run: a root and issuing CA and one certificate
 * per entity carrying its JID (the control centre and every DER), used by
 * the A-profile end to end (PAPER-R4a). Deterministic from the seed. The
 * {@link Identity} shape is the simulation's (simulation/pki.ts), so a
 * scenario's provisioned identities can be handed to the fleet nodes as
 * they are.
 *
 * @module
 */
import { SeededEntropy } from "../../core/entropy.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { createHierarchy } from "../../core/pki/hierarchy.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { CertificateDer, ValidateChain } from "../../core/pki/types.ts";
import type { LocalSigner } from "../../state-machines/a-profile/types.ts";

/** One entity's certificate chain and signing key. */
export interface Identity {
  /** Bare JID the certificate names. */
  readonly jid: string;
  readonly chain: readonly CertificateDer[];
  readonly signer: LocalSigner;
}

/** What every A-profile end needs to check a peer's chain. */
export interface Trust {
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly validateChain: ValidateChain;
}

export interface FleetPki {
  readonly suite: SuiteId;
  readonly trust: Trust;
  readonly cc: Identity;
  readonly ders: readonly Identity[];
}

export interface FleetPkiOptions {
  readonly domain: string;
  /** Localparts of the control centre and the DERs. */
  readonly cc: string;
  readonly ders: readonly string[];
  readonly seed: string;
  /** Issue time, ms (certificates start a day earlier). Default now. */
  readonly now?: number;
  readonly suite?: SuiteId;
}

/** Issues every certificate of the fleet. */
export function issueFleetPki(o: FleetPkiOptions): FleetPki {
  const suite = o.suite ?? "x25519-ed25519";
  const names = [o.cc, ...o.ders];
  const jid = (l: string) => `${l}@${o.domain}`;
  const h = createHierarchy({
    suite,
    now: o.now ?? Date.now(),
    peers: names.map((n) => ({ commonName: n, jid: jid(n) })),
  }, new SeededEntropy(`${o.seed}/fleet-pki`));
  const ids: Identity[] = names.map((n, i) => ({
    jid: jid(n),
    chain: h.chains[i],
    signer: { suite: h.peers[i].key.suite, privateKey: h.peers[i].key.privateKey },
  }));
  return {
    suite,
    trust: { anchors: h.policy.anchors, crls: h.crls, validateChain },
    cc: ids[0],
    ders: ids.slice(1),
  };
}
