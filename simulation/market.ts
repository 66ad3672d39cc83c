/**
 * The market operator node: one XMPP login and the publisher machine of
 * state-machines/pubsub. It creates the tariff node with every DER on its
 * whitelist, then publishes signed tariffs (PAPER-AS4): the first as soon
 * as the node is ready (DERs fetch it when they subscribe, PD-159), the
 * next ones as updates the scenario asks for.
 *
 * @module
 */
import { Element } from "ltx";
import { publisher } from "../state-machines/pubsub/publisher.ts";
import type { PublisherInput, PublisherState } from "../state-machines/pubsub/types.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { signerOf, type SimContext } from "./context.ts";
import type { Link } from "./network.ts";

const SLOT_S = 900;
const SLOTS = 96;
/** DERs whitelisted in the node's creation request (one stanza: it must stay under 256 KiB). */
const FIRST_WHITELIST = 2_000;
/** Grants of the rest in flight at once (the stream allows 256 iq requests in flight). */
const GRANTS_IN_FLIGHT = 100;

export class MarketNode {
  link?: Link;
  state: PublisherState;
  published = 0;
  #waiting: number[] = [];
  /** DERs still to whitelist one by one, and grants in flight. */
  #toGrant: string[];
  #granting = 0;
  readonly #ctx: SimContext;

  constructor(ctx: SimContext, subscribers: readonly string[]) {
    this.#ctx = ctx;
    this.#toGrant = subscribers.slice(FIRST_WHITELIST);
    this.state = publisher.init({
      jid: ctx.at.market,
      service: ctx.at.pubsub,
      node: ctx.at.node,
      subscribers: subscribers.slice(0, FIRST_WHITELIST),
      sign: signerOf(ctx, ctx.grid.market),
      chain: ctx.grid.market.chain,
      idPrefix: "ps",
    });
  }

  login(): void {
    this.link = this.#ctx.net.connect(this.#ctx.at.market.split("@")[0], "mo", {
      established: () => {
        this.link!.send(new Element("presence") as unknown as Xel);
        this.#step({ type: "start" });
      },
      stanza: (s) => {
        if (s.attrs.from === this.#ctx.at.pubsub) this.#step({ type: "stanza", stanza: s });
      },
      closed: () => {},
      error: (code) => this.#ctx.metrics.error(code),
    });
  }

  /** The node exists and every DER is on its whitelist. */
  get ready(): boolean {
    return this.state.phase === "ready" && this.#toGrant.length === 0 && this.#granting === 0;
  }

  /** Whitelists the DERs that did not fit in the creation request, a few at a time. */
  // spec: XEP0060-8.9.2 PD-159
  #grantMore(): void {
    while (this.#granting < GRANTS_IN_FLIGHT && this.#toGrant.length > 0) {
      this.#granting++;
      this.#step({ type: "grant", jid: this.#toGrant.shift()! });
    }
  }

  /** Signs and publishes the day's tariff: 96 quarter-hour prices (µEUR/kWh) from now. */
  // spec: PAPER-AS4 PAPER-MAP6 DL-SIM-6
  publish(round: number): void {
    // Over a real server the node may still be in the making: publish once it is ready.
    if (!this.ready) {
      this.#waiting.push(round);
      return;
    }
    const now = this.#ctx.clock.now;
    const prices = Array.from({ length: SLOTS }, (_, i) => {
      // A day curve with a midday dip (PV surplus), shifted a little each round.
      const x = Math.cos(((i + round * 3) / SLOTS) * 2 * Math.PI);
      return Math.round((0.2 + 0.1 * x) * 1_000_000);
    });
    this.#step({
      type: "publish",
      tariff: { validFrom: now, slotSeconds: SLOT_S, currency: "EUR", prices },
      now,
    });
  }

  #step(input: PublisherInput): void {
    const ctx = this.#ctx;
    const r = publisher.step(this.state, input);
    this.state = r.state;
    for (const o of r.out) {
      if (o.type === "send") this.link?.send(o.stanza);
      else if (o.type === "error") ctx.metrics.error(o.code);
      else if (o.type === "event") {
        if (o.event.type === "granted") this.#granting--;
        if (o.event.type === "ready" || o.event.type === "granted") this.#grantMore();
        if (this.ready && this.#waiting.length > 0) {
          const rounds = this.#waiting;
          this.#waiting = [];
          for (const round of rounds) this.publish(round);
        }
        if (o.event.type === "published") {
          this.published++;
          ctx.metrics.add("tariffsPublished");
          ctx.metrics.event(ctx.clock.now, "tariff", ctx.at.node, `${o.event.seq}`);
        }
      }
    }
  }
}
