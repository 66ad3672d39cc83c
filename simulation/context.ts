/**
 * What every node of the scenario shares: the network and its clock, the
 * grid PKI, the well-known addresses, the key distribution path, the
 * metrics, and small helpers to build machine configurations from an
 * identity. One object, built once per run by the scenario.
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import { getSuite } from "../core/crypto/suite.ts";
import { validateChain } from "../core/pki/validate.ts";
import type { Metrics } from "./metrics.ts";
import type { Clock, Network } from "./network.ts";
import type { GridPki, Identity } from "./pki.ts";
import type { SimProtection } from "./options.ts";
import type { GridOperator } from "./operator.ts";

/** How rekeys reach the members (PD-129): (a) unicast from the key server, (b) through the room. */
export type KeyPath = "unicast" | "room";

export interface Addresses {
  /** Control centre (grid operator, DNO): bare and the full JID its session binds. */
  readonly cc: string;
  readonly ccFull: string;
  readonly ks: string;
  readonly ksFull: string;
  readonly market: string;
  readonly marketFull: string;
  /** The pubsub service and the tariff node. */
  readonly pubsub: string;
  readonly node: string;
}

export interface SimContext {
  readonly net: Network;
  readonly clock: Clock;
  readonly grid: GridPki;
  readonly at: Addresses;
  readonly seed: string;
  readonly keyPath: KeyPath;
  readonly metrics: Metrics;
  /** Stream of the group commands in every group's policy. */
  readonly stream: "commands";
  /** The key servers' join batch window, ms (PD-267, PD-268); absent or 0: a rekey per join. */
  readonly joinBatchMs?: number;
  /** End-to-end protection (PD-247, PD-249); "none" only with the test flag below. */
  readonly protection: SimProtection;
  /** TEST ONLY: set with protection "none" (the association refuses "none" without it). */
  readonly insecurePlaintextForTestOnly: boolean;
  /** Option 3: the operator whose access tokens the control centre presents and DERs check. */
  readonly tokens?: GridOperator;
}

/** A deterministic entropy source for one component of one entity. */
export const entropyFor = (ctx: SimContext, what: string) =>
  new SeededEntropy(`${ctx.seed}/${what}`);

/** Signs with an identity's key through the suite's default provider. */
export function signerOf(_ctx: SimContext, id: Identity): (m: Uint8Array) => Uint8Array {
  const sig = getSuite(id.signer.suite).sig;
  return (m) => sig.sign(id.signer.privateKey, m);
}

/** The chain-validation settings every machine of the grid uses. */
export const trustOf = (ctx: SimContext) => ({
  anchors: ctx.grid.anchors,
  crls: ctx.grid.crls,
  validateChain,
});

/** The room of a group. */
export const roomOf = (ctx: SimContext, group: string) => `${group}@${ctx.net.mucDomain}`;

/** Name of group `g` (0-based). */
export const groupName = (g: number) => `feeder-${String(g + 1).padStart(3, "0")}`;

/**
 * One pending timer per owner: a machine that asks for a tick at `at` gets
 * one at the earliest time asked (an early tick is harmless: the machine
 * asks again), so a fleet does not pile up timers.
 */
export class Alarm {
  #at = Infinity;
  #handle?: { cancel(): void };
  constructor(readonly clock: Clock, readonly fire: () => void) {}

  arm(at: number): void {
    if (at >= this.#at) return;
    this.#handle?.cancel();
    this.#at = at;
    this.#handle = this.clock.at(at, () => {
      this.#at = Infinity;
      this.#handle = undefined;
      this.fire();
    });
  }
}
