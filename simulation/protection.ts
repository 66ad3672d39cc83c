/**
 * The scenario's end-to-end protection switch as each node's association
 * endpoint takes it (PD-249): nothing for the A-profile (the default, so the
 * default run is unchanged); for per-message, the certificate key's ECDH
 * and, where this side speaks first (the control centre), the peer's chain
 * from the operator's inventory; for "none" (test only), the plaintext
 * layer with its flag passed through, which the association refuses
 * without it (PD-247).
 *
 * Group commands in the room are not switched by per-message: the
 * per-message mode is the two-party alternative of §III.B.1 (PD-226), and
 * a group of DERs keeps its group key either way. Only "none" sends them in
 * clear (plaintext_group.ts).
 *
 * @module
 */
import type { CertificateDer } from "../core/pki/types.ts";
import {
  type PerMessageSettings,
  perMessageSettings,
  type ProtectionForTest,
} from "../state-machines/association/protection.ts";
import type { SimContext } from "./context.ts";
import type { Identity } from "./pki.ts";

export interface EndpointProtection {
  readonly protection?: ProtectionForTest;
  readonly perMessage?: PerMessageSettings;
  readonly insecurePlaintextForTestOnly?: boolean;
}

/** The protection fields of an endpoint's configuration for identity `id`. */
// spec: PD-249 PD-247 PD-232
export function endpointProtection(
  ctx: SimContext,
  id: Identity,
  peerChain?: readonly CertificateDer[],
): EndpointProtection {
  switch (ctx.protection) {
    case "a-profile":
      return {};
    case "per-message":
      return { protection: "per-message", perMessage: perMessageSettings(id.signer, peerChain) };
    case "none":
      return {
        protection: "none",
        insecurePlaintextForTestOnly: ctx.insecurePlaintextForTestOnly,
      };
  }
}

/** Whether group commands go under the group key (every protection but the test-only "none"). */
export const groupKeyed = (ctx: SimContext): boolean => ctx.protection !== "none";
