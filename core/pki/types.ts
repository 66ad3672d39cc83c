/**
 * The contract between the PKI module and the protocol machines (A-profile,
 * group keying, tokens): what a machine hands to certificate validation and
 * what it gets back. Validation is pure: time, trust anchors and CRLs are
 * inputs, never read from a clock or the network.
 *
 * @module
 */
import type { Result } from "../errors.ts";
import type { SuiteId } from "../crypto/suite.ts";

/** A DER-encoded X.509 certificate. */
export type CertificateDer = Uint8Array;

/** What validation is asked to check. */
export interface ValidationPolicy {
  /** Trust anchors (DER), e.g. the grid operator's root CA. */
  readonly anchors: readonly CertificateDer[];
  /** Validation time, milliseconds since the epoch (an input, not the clock). */
  readonly now: number;
  /** DER-encoded CRLs from the anchors' issuers; a listed serial is refused. */
  readonly crls?: readonly Uint8Array[];
  /** When set, the end-entity's identity must be this JID (bare comparison). */
  readonly expectedJid?: string;
  /** Required extended key usage OIDs on the end entity, if any. */
  readonly requiredEku?: readonly string[];
  /** Suites whose signature key type the end entity may use; any when absent. */
  readonly allowedSuites?: readonly SuiteId[];
  /**
   * When true, every certificate of the path below the anchor needs a CRL of
   * its issuer among `crls` (pki/crl-missing otherwise). Default false: a
   * certificate is checked against the CRLs of its issuer that are supplied.
   */
  readonly requireCrl?: boolean;
}

/** What a successful validation proves about the peer. */
export interface PeerIdentity {
  /** JID from subjectAltName otherName id-on-xmppAddr (RFC 6120 §13.7.1.4), if present. */
  readonly jid?: string;
  /** Subject common name (IED / role name), if present. */
  readonly commonName?: string;
  /** Role names carried by the certificate, if the profile defines them. */
  readonly roles: readonly string[];
  /** The suite whose signature scheme matches the end-entity key. */
  readonly suite: SuiteId;
  /** The end-entity public key in the suite's encoding (65-byte SEC1 or 32-byte Ed25519). */
  readonly publicKey: Uint8Array;
  /** Serial number, hex. */
  readonly serial: string;
  /** The end-entity certificate as received. */
  readonly certificate: CertificateDer;
  /** Earliest notAfter along the path (ms since the epoch): the identity holds until then. */
  readonly validUntil?: number;
}

/** Validates `chain` (end entity first, then intermediates) under `policy`. */
export type ValidateChain = (
  chain: readonly CertificateDer[],
  policy: ValidationPolicy,
) => Result<PeerIdentity>;
