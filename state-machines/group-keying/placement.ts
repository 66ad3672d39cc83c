/**
 * Where the group key server sits (issue 9 item 3, paper §IV.B and §V,
 * PAPER-OPT5): one plain configuration value the simulation reads when it
 * composes the key server (PD-231).
 *
 * - `"separate-kdc"` (default, the paper's Fig. 7 KDC): the key server has
 *   its own identity (JID and certificate) that every member must accept
 *   as the source of group keys; whoever operates it holds every traffic
 *   key of the group.
 * - `"control-centre"`: the key server runs under the control centre's own
 *   identity (the VPP/DNO side, where the paper places key generation); the
 *   control centre's process takes the `<gdoi>` addressed to its JID, and no
 *   party beyond the control centre and the members ever holds a group key.
 *
 * Either way keys travel only inside end-to-end protected exchanges: the
 * GDOI-style registration (signed by both certificates, key download sealed
 * under an ephemeral ECDH key, PD-111) and rekeys wrapped under key
 * encryption keys and signed by the key server; PD-129 still chooses whether
 * rekeys go by direct message or through the room.
 *
 * @module
 */
import { defineErrorCodes, DerlinkError } from "../../core/errors.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import type { Signer } from "./key_server_types.ts";

export const PlacementError = defineErrorCodes("key-placement", {
  "invalid-placement": "the key server placement is not one of the defined options",
  "missing-kdc": "a separate key distribution centre was chosen but no identity was given for it",
});

export type KeyServerPlacement = "control-centre" | "separate-kdc";
export const KEY_SERVER_PLACEMENTS: readonly KeyServerPlacement[] = [
  "separate-kdc",
  "control-centre",
];
// spec: PD-231
export const DEFAULT_KEY_SERVER_PLACEMENT: KeyServerPlacement = "separate-kdc";

/** A certificate identity that can run the key server. */
export interface GroupIdentity {
  readonly jid: string;
  readonly chain: readonly CertificateDer[];
  readonly key: { readonly suite: SuiteId; readonly privateKey: Uint8Array };
}

export interface KeyServerComposition {
  readonly placement: KeyServerPlacement;
  /** The identity the key server machine runs under (its `jid`, `chain`, `sign`). */
  readonly keyServer: {
    readonly jid: string;
    readonly chain: readonly CertificateDer[];
    readonly sign: Signer;
  };
  /** What members (MemberConfig.keyServerJid) and rooms (room keyServerJid) name as key server. */
  readonly keyServerJid: string;
  /** True when the control centre's process hosts the key server (route `<gdoi>` to it there). */
  readonly hostedByControlCentre: boolean;
  /** Bare JIDs, besides the members, whose holders get every traffic key of the group. */
  readonly keyHolders: readonly string[];
  /** Identities a member must accept as the source of its group keys. */
  readonly membersTrust: readonly string[];
}

/** Composes the key server for `placement`. */
// spec: PD-231 PAPER-OPT5 PAPER-M5 PAPER-M6
export function placeKeyServer(
  placement: KeyServerPlacement,
  parties: { readonly controlCentre: GroupIdentity; readonly kdc?: GroupIdentity },
): KeyServerComposition {
  if (!KEY_SERVER_PLACEMENTS.includes(placement)) {
    throw new DerlinkError(PlacementError["invalid-placement"], String(placement));
  }
  const id = placement === "control-centre" ? parties.controlCentre : parties.kdc;
  if (!id) throw new DerlinkError(PlacementError["missing-kdc"], "no key server identity");
  const sig = getSuite(id.key.suite).sig;
  return {
    placement,
    keyServer: { jid: id.jid, chain: id.chain, sign: (m) => sig.sign(id.key.privateKey, m) },
    keyServerJid: id.jid,
    hostedByControlCentre: placement === "control-centre",
    keyHolders: [id.jid],
    membersTrust: [id.jid],
  };
}
