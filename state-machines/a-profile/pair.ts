/**
 * An initiator and a responder wired back to back in memory, with the
 * default signer on each side: every element one side sends is delivered to
 * the other at once (as the XMPP server would, with the sender's JID as
 * `from`). Used by tests and the bench; deployments use an XMPP adapter.
 *
 * @module
 */
import type { Machine, Phased } from "../../core/machine.ts";
import { driveStep, type Signer } from "./driver.ts";
import { initiator, type InitiatorState } from "./initiator.ts";
import { responder, type ResponderState } from "./responder.ts";
import type { AProfileInput, AProfileOutput, InitiatorConfig, ResponderConfig } from "./types.ts";
import type { XmlElement } from "./xml.ts";

export type Side = "initiator" | "responder";

/** Everything one side output, in order. */
export interface Delivery {
  readonly initiator: AProfileOutput[];
  readonly responder: AProfileOutput[];
  /** Every element sent, in order, with its sender. */
  readonly wire: { readonly from: Side; readonly element: XmlElement }[];
}

export class Pair {
  i: InitiatorState;
  r: ResponderState;
  readonly #signers: Record<Side, Signer>;
  readonly #jids: Record<Side, string>;

  constructor(
    iConfig: InitiatorConfig,
    rConfig: ResponderConfig,
    iSigner: Signer,
    rSigner: Signer,
  ) {
    this.i = initiator.init(iConfig);
    this.r = responder.init(rConfig);
    this.#signers = { initiator: iSigner, responder: rSigner };
    this.#jids = { initiator: iConfig.localJid, responder: rConfig.localJid };
  }

  /** Gives `input` to `side` and delivers everything sent until both are quiet. */
  run(side: Side, input: AProfileInput, now: number = input.now ?? 0): Delivery {
    const d: Delivery = { initiator: [], responder: [], wire: [] };
    const queue: [Side, AProfileInput][] = [[side, input]];
    while (queue.length > 0) {
      const [who, inp] = queue.shift()!;
      const out = this.#step(who, inp);
      d[who].push(...out);
      for (const o of out) {
        if (o.type !== "send") continue;
        d.wire.push({ from: who, element: o.element });
        const to: Side = who === "initiator" ? "responder" : "initiator";
        queue.push([to, { type: "receive", element: o.element, from: this.#jids[who], now }]);
      }
    }
    return d;
  }

  #step(side: Side, input: AProfileInput): AProfileOutput[] {
    if (side === "initiator") {
      const r = driveStep(
        initiator as Machine<InitiatorConfig, InitiatorState, AProfileInput, AProfileOutput>,
        this.i,
        input,
        this.#signers.initiator,
      );
      this.i = r.state;
      return r.out;
    }
    const r = driveStep(
      responder as Machine<ResponderConfig, ResponderState, AProfileInput, AProfileOutput>,
      this.r,
      input,
      this.#signers.responder,
    );
    this.r = r.state;
    return r.out;
  }

  /** Runs the handshake; returns what happened. */
  handshake(now: number): Delivery {
    return this.run("initiator", { type: "start", now });
  }

  phases(): [string, string] {
    return [(this.i as Phased).phase, (this.r as Phased).phase];
  }
}
