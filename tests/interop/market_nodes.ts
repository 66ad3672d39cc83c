/**
 * Wiring for the market scenario: the market operator (an XMPP client, the
 * publisher machine, a disco requester) and a DER (a client, the subscriber
 * machine, the disco responder for its own entity), connected the way an
 * application would connect them. The machines decide; this file moves
 * stanzas, arms their timers and records what happened for the test.
 *
 * @module
 */
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import { discoRequester } from "../../state-machines/disco/requester.ts";
import { answerDisco, type DiscoEntity } from "../../state-machines/disco/responder.ts";
import type { DiscoInfo, DiscoItem, DiscoKind } from "../../state-machines/disco/stanzas.ts";
import type { RequesterOutput, RequesterState } from "../../state-machines/disco/types.ts";
import { publisher } from "../../state-machines/pubsub/publisher.ts";
import { subscriber } from "../../state-machines/pubsub/subscriber.ts";
import type { Tariff } from "../../state-machines/pubsub/tariff.ts";
import type {
  PublisherConfig,
  PublisherInput,
  PublisherOutput,
  PublisherState,
  SubscriberConfig,
  SubscriberInput,
  SubscriberOutput,
  SubscriberState,
} from "../../state-machines/pubsub/types.ts";
import { stanzaError } from "../../state-machines/xmpp-stream/messages.ts";

/** Resolves when `test` holds, re-checked by `wake()`. */
class Waiters {
  #list: (() => void)[] = [];
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => test() ? resolve() : this.#list.push(check);
      this.#list.push(check);
    });
  }
  wake(): void {
    const w = this.#list;
    this.#list = [];
    for (const f of w) f();
  }
}

/** The disco requester machine behind promises: one per client. */
export class DiscoClient {
  #state: RequesterState = discoRequester.init({ idPrefix: "disco", timeoutMs: 5000 });
  #waiting = new Map<string, (o: RequesterOutput) => void>();
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(readonly client: XmppClient, readonly clock: () => number) {
    client.on("stanza", (s) => {
      if (s.name === "iq" && s.attrs.id?.startsWith("disco-")) {
        this.#step({ type: "stanza", stanza: s });
      }
    });
  }

  info(to: string, node?: string): Promise<DiscoInfo> {
    return this.#ask("info", to, node).then((o) => (o as unknown as { info: DiscoInfo }).info);
  }

  items(to: string, node?: string): Promise<DiscoItem[]> {
    return this.#ask("items", to, node).then((
      o,
    ) => [...(o as unknown as { items: DiscoItem[] }).items]);
  }

  #ask(kind: DiscoKind, to: string, node?: string): Promise<RequesterOutput> {
    const id = `disco-${this.#state.nextId}`;
    return new Promise((resolve, reject) => {
      this.#waiting.set(
        id,
        (o) => o.type === "failed" ? reject(new Error(`${o.code} from ${to}`)) : resolve(o),
      );
      this.#step({ type: "query", kind, to, ...(node ? { node } : {}), now: this.clock() });
    });
  }

  #step(input: Parameters<typeof discoRequester.step>[1]): void {
    const r = discoRequester.step(this.#state, input);
    this.#state = r.state;
    for (const o of r.out) {
      if (o.type === "send") this.client.send(o.stanza);
      if (o.type === "set-timer") {
        this.#timers.set(
          o.name,
          setTimeout(() => this.#step({ type: "tick", now: this.clock() + 5000 }), 5000),
        );
      }
      if (o.type === "clear-timer" || o.type === "failed") {
        const id = o.type === "failed" ? o.id : o.name;
        clearTimeout(this.#timers.get(id));
        this.#timers.delete(id);
      }
      if (o.type === "info" || o.type === "items" || o.type === "failed") {
        this.#waiting.get(o.id)?.(o);
        this.#waiting.delete(o.id);
      }
    }
  }
}

/** The market operator: publisher machine plus discovery. */
export class MarketNode {
  state: PublisherState;
  readonly out: PublisherOutput[] = [];
  readonly disco: DiscoClient;
  readonly #w = new Waiters();

  constructor(readonly client: XmppClient, config: PublisherConfig, readonly clock: () => number) {
    this.state = publisher.init(config);
    this.disco = new DiscoClient(client, clock);
    client.on("stanza", (s) => {
      if (s.name === "iq" && s.attrs.id?.startsWith(`${config.idPrefix ?? "ps"}-`)) {
        this.step({ type: "stanza", stanza: s });
      }
    });
  }

  step(input: PublisherInput): void {
    const r = publisher.step(this.state, input);
    this.state = r.state;
    this.out.push(...r.out);
    for (const o of r.out) if (o.type === "send") this.client.send(o.stanza);
    this.#w.wake();
  }

  until(test: () => boolean): Promise<void> {
    return this.#w.until(test);
  }

  events(type: string) {
    return this.out.flatMap((o) => o.type === "event" && o.event.type === type ? [o.event] : []);
  }

  errors(): ErrorOutput[] {
    return this.out.filter((o): o is ErrorOutput => o.type === "error");
  }
}

/** A DER: subscriber machine, and the disco responder for its own entity. */
export class DerNode {
  state: SubscriberState;
  readonly out: SubscriberOutput[] = [];
  readonly received: string[] = [];
  readonly #w = new Waiters();

  constructor(
    readonly client: XmppClient,
    config: SubscriberConfig,
    readonly entity: DiscoEntity,
    readonly clock: () => number,
  ) {
    this.state = subscriber.init(config);
    client.on("stanza", (s) => {
      this.received.push(s.toString());
      if (s.name === "message" || (s.name === "iq" && s.attrs.id?.startsWith("sub-"))) {
        this.step({ type: "stanza", stanza: s, now: clock() });
      }
    });
    // Requests to the DER: disco is answered from its entity, the rest refused (RFC 6120 §8.4).
    client.on(
      "iq",
      (iq) =>
        client.send(answerDisco(entity, iq) ?? stanzaError(iq, "cancel", "service-unavailable")),
    );
  }

  step(input: SubscriberInput): void {
    const r = subscriber.step(this.state, input);
    this.state = r.state;
    this.out.push(...r.out);
    for (const o of r.out) if (o.type === "send") this.client.send(o.stanza);
    this.#w.wake();
  }

  until(test: () => boolean): Promise<void> {
    return this.#w.until(test);
  }

  tariffs(): Tariff[] {
    return this.out.flatMap((o) => o.type === "tariff" ? [o.tariff] : []);
  }

  errors(): string[] {
    return this.out.flatMap((o) => o.type === "error" ? [o.code] : []);
  }
}
