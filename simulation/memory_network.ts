/**
 * The in-memory network: adapters/memory-router.ts (the project's receiver
 * machine per connection, routing, presence, MUC, pubsub, disco) with its
 * deliveries on the simulation's virtual clock instead of one microtask per
 * hop, and a synchronous client per login: the project's initiator stream
 * machine behind a StreamDriver, doing exactly what StreamConnection does
 * (bytes both ways, STARTTLS with the server chain checked against the
 * anchors, timers) but driven by the clock, so a whole fleet runs in one
 * deterministic FIFO pump. Every login really negotiates TLS (simulated by
 * the router), SCRAM-SHA-256 — or, under a credential plan with login
 * certificates (PD-254), SASL EXTERNAL with the client certificate the
 * router validates (PD-255) — and resource binding.
 *
 * @module
 */
import type { Element } from "ltx";
import { SeededEntropy } from "../core/entropy.ts";
import type { LoginCertificates, XmppServerPki } from "./pki.ts";
import { MemoryRouter, type RouterAttachment } from "../adapters/memory-router.ts";
import { checkPeerChain } from "../adapters/tls_trust.ts";
import { StreamDriver } from "../state-machines/xmpp-stream/driver.ts";
import {
  initiator,
  type InitiatorConfig,
  type InitiatorState,
} from "../state-machines/xmpp-stream/initiator.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { StreamOutput, TimerName } from "../state-machines/xmpp-stream/types.ts";
import { VirtualClock } from "./clock.ts";
import type {
  Link,
  LinkEvents,
  LinkOptions,
  Network,
  NetworkSetup,
  TrafficCounters,
} from "./network.ts";

/** A fixture password per account (not a secret: the simulation's accounts are made up). */
export const passwordOf = (seed: string, account: string) => `sim-${seed}-${account}`;

export class MemoryNetwork implements Network {
  readonly clock: VirtualClock;
  readonly router: MemoryRouter;
  readonly traffic: TrafficCounters = {
    stanzasSent: 0,
    stanzasDelivered: 0,
    bytesUp: 0,
    bytesDown: 0,
    logins: 0,
  };
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly #setup: NetworkSetup;
  readonly #tls: XmppServerPki;
  /** Client certificates, when the accounts log in with them instead of passwords. */
  readonly logins?: LoginCertificates;
  /** Delegated logins (Option 2, PD-242): the login token an account presents at `now`. */
  bearerTokens?: (account: string, now: number) => string;
  #logins = 0;

  constructor(setup: NetworkSetup, tls: XmppServerPki, logins?: LoginCertificates) {
    this.#setup = setup;
    this.#tls = tls;
    this.logins = logins;
    this.clock = new VirtualClock(setup.start);
    // spec: PD-254 PD-255 DL-CRED-2
    const password = (a: string) => logins?.chains[a] ? null : passwordOf(setup.seed, a);
    this.router = new MemoryRouter({
      domain: setup.domain,
      users: Object.fromEntries(setup.accounts.map((a) => [a, password(a)])),
      entropy: new SeededEntropy(`${setup.seed}/router`),
      chain: tls.chain,
      rosterGroups: setup.rosterGroups,
      scramIterations: setup.scramIterations,
      pubsubAdmins: setup.pubsubAdmins.map((l) => `${l}@${setup.domain}`),
      discoItems: setup.discoItems,
      now: setup.start,
      defer: this.clock.defer,
      keepTraffic: false,
      receiver: { decoyIterations: setup.scramIterations },
      ...(logins ? { clientAnchors: logins.anchors } : {}),
    });
    this.domain = this.router.domain;
    this.mucDomain = this.router.mucDomain;
    this.pubsubDomain = this.router.pubsubDomain;
  }

  connect(account: string, resource: string, events: LinkEvents, options?: LinkOptions): Link {
    this.traffic.logins++;
    return new MemoryClient(this, account, resource, events, this.#logins++, options);
  }

  runUntil(until: number): Promise<void> {
    this.clock.run(until, (now) => this.router.advance(now));
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** For the clients: what they need to log in. */
  // spec: PD-191
  loginConfig(
    account: string,
    resource: string,
    n: number,
    options: LinkOptions = {},
  ): InitiatorConfig {
    const s = this.#setup;
    // spec: PD-254 DL-CRED-4
    const byCertificate = this.logins?.chains[account] !== undefined;
    // spec: PD-242
    const bearer = options.bearerToken ??
      this.bearerTokens?.(`${account}@${s.domain}`, this.clock.now);
    return {
      jid: `${account}@${s.domain}`,
      ...(bearer !== undefined
        ? { bearerToken: bearer }
        : byCertificate
        ? { clientCertificate: true }
        : { password: passwordOf(s.seed, account) }),
      resource,
      entropy: new SeededEntropy(`${s.seed}/xmpp/${account}/${n}`),
      scramPolicy: { minIterations: s.scramIterations, maxIterations: s.scramIterations },
      ...(options.maxPendingIq === undefined ? {} : { maxPendingIq: options.maxPendingIq }),
      now: this.clock.now,
    };
  }

  get anchors(): readonly Uint8Array[] {
    return this.#tls.anchors;
  }
}

/** One login, driven synchronously by the clock's deliveries. */
class MemoryClient implements Link {
  readonly account: string;
  jid: string | undefined;
  readonly #net: MemoryNetwork;
  readonly #events: LinkEvents;
  readonly #driver: StreamDriver<InitiatorConfig, InitiatorState>;
  readonly #att: RouterAttachment;
  readonly #timers = new Map<TimerName, { cancel(): void }>();
  #done = false;

  constructor(
    net: MemoryNetwork,
    account: string,
    resource: string,
    events: LinkEvents,
    n: number,
    options?: LinkOptions,
  ) {
    this.account = account;
    this.#net = net;
    this.#events = events;
    this.#driver = new StreamDriver(initiator, net.loginConfig(account, resource, n, options));
    this.#att = net.router.attach({ host: "memory", port: 5222 }, {
      anchors: [],
      serverName: net.domain,
    }, {
      onData: (bytes) => this.#receive(bytes),
      onClose: () => this.#input({ type: "transport-closed", now: net.clock.now }),
    }, net.logins?.chains[account]);
    this.#input({ type: "start", now: net.clock.now });
  }

  send(stanza: Xel | Element): void {
    if (this.#done) return;
    this.#net.traffic.stanzasSent++;
    this.#input({ type: "send", stanza: stanza as Xel, now: this.#net.clock.now });
  }

  cut(): void {
    this.#att.transport.abort();
  }

  #receive(bytes: Uint8Array): void {
    if (this.#done) return;
    this.#net.traffic.bytesDown += bytes.length;
    this.#apply(this.#driver.receive(bytes, this.#net.clock.now));
  }

  #input(input: Parameters<StreamDriver<InitiatorConfig, InitiatorState>["input"]>[0]): void {
    if (this.#done) return;
    this.#apply(this.#driver.input(input));
  }

  #apply(out: readonly StreamOutput[]): void {
    for (const o of out) {
      switch (o.type) {
        case "send-bytes":
          if (this.#att.session.link.closed) break;
          this.#net.traffic.bytesUp += o.data.length;
          void this.#att.transport.write(o.data);
          break;
        case "start-tls":
          this.#startTls();
          break;
        case "established":
          this.jid = o.jid;
          this.#events.established(o.jid);
          break;
        case "stanza":
          this.#net.traffic.stanzasDelivered++;
          this.#events.stanza(o.element);
          break;
        case "set-timer":
          this.#timers.get(o.name)?.cancel();
          this.#timers.set(
            o.name,
            this.#net.clock.at(o.at, () => {
              this.#timers.delete(o.name);
              this.#input({ type: "tick", now: this.#net.clock.now });
            }),
          );
          break;
        case "clear-timer":
          this.#timers.get(o.name)?.cancel();
          this.#timers.delete(o.name);
          break;
        case "closed":
          this.#finish(o.clean ? "closed" : "lost");
          break;
        case "error":
          this.#events.error?.(o.code);
          break;
      }
    }
  }

  /** STARTTLS: the router completes it at once; the server chain must verify (PAPER-R1). */
  // spec: PAPER-R1 DL-ADAPTER-3
  #startTls(): void {
    const info = this.#att.startTlsNow();
    const now = this.#net.clock.now;
    const check = checkPeerChain(info.peerChain, this.#net.anchors, new Date(now));
    if (!check.ok) {
      this.cut();
      return;
    }
    this.#input({ type: "tls-established", peerCertificate: info.peerChain[0], now });
  }

  #finish(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
    if (!this.#att.session.link.closed) this.#att.transport.end();
    this.#events.closed(reason);
  }
}
