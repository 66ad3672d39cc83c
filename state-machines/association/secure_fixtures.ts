/**
 * A protected client/server pair on the A-profile's fixture PKI (the
 * control centre and DER 1 of state-machines/a-profile/fixtures.ts), for
 * tests and the simulation. Not part of the public API.
 *
 * @module
 */
import { localSigner } from "../a-profile/driver.ts";
import { initiatorConfig, responderConfig, testPki } from "../a-profile/fixtures.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { asAProfilePki, perMessagePki } from "../per-message/fixtures.ts";
import { SecurePair } from "./pair.ts";
import { perMessageSettings, type ProtectionForTest } from "./protection.ts";
import { CLIENT_JID, SERVER_JID, T0 } from "./testing.ts";
import type { ClientSettings, ServerSettings } from "./types.ts";

export interface SecurePairOptions {
  readonly client?: ClientSettings;
  readonly server?: ServerSettings;
  readonly suite?: SuiteId;
  readonly seed?: string;
  /** End-to-end protection of both endpoints (default "a-profile"; "none" test only). */
  readonly protection?: ProtectionForTest;
  /** TEST ONLY: needed with protection "none" (PD-247). */
  readonly insecurePlaintextForTestOnly?: boolean;
}

/** A control centre (client) and a DER (server), each with its A-profile session, at T0. */
export function securePair(options: SecurePairOptions = {}): SecurePair {
  const suite = options.suite ?? "x25519-ed25519";
  // Per-message encryption needs recipient certificates with keyAgreement (PD-228).
  const pki = options.protection === "per-message"
    ? asAProfilePki(perMessagePki(suite))
    : testPki(suite);
  const seed = options.seed ?? "association";
  return new SecurePair(
    {
      role: "client",
      peerJid: SERVER_JID,
      settings: options.client,
      aProfile: initiatorConfig(pki, `${seed} client`),
      signer: localSigner(pki.vpp.signer),
      protection: options.protection,
      insecurePlaintextForTestOnly: options.insecurePlaintextForTestOnly,
      perMessage: perMessageSettings(pki.vpp.signer, pki.der.chain),
    },
    {
      role: "server",
      peerJid: CLIENT_JID,
      settings: options.server,
      aProfile: responderConfig(pki, `${seed} server`),
      signer: localSigner(pki.der.signer),
      protection: options.protection,
      insecurePlaintextForTestOnly: options.insecurePlaintextForTestOnly,
      perMessage: perMessageSettings(pki.der.signer),
    },
    T0,
  );
}
