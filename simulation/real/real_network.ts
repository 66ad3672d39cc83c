/**
 * The simulation's `Network` over a real XMPP server: every `connect` is a
 * real login through derlink's adapter (XmppClient: TCP, STARTTLS with the
 * server chain checked against the given anchors only, SCRAM, resource
 * binding), every `send` goes on that stream, and `cut` destroys the socket
 * without closing the stream (what a network failure looks like to the
 * server). Logins run a bounded number at a time (each costs the client a
 * TLS handshake and a PBKDF2, and Prosody is single-threaded). Time is a
 * {@link WallClock}; bytes are the stream's XML as written and read (TLS
 * records not included), counted by wrapping the connector.
 *
 * @module
 */
import type { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import { nodeConnector } from "../../adapters/node_transport.ts";
import type { Connector, Endpoint, Transport } from "../../adapters/transport.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { Link, LinkEvents, LinkOptions, Network, TrafficCounters } from "../network.ts";
import { IqIdMux } from "./iq_mux.ts";
import { WallClock } from "./wall_clock.ts";

/** How to reach a server, once it is there. */
export interface ServerAccess {
  /** Where the server listens (STARTTLS port, or `directTls`). */
  readonly endpoint: Endpoint;
  /** PEM trust anchors of the server's TLS certificate (nothing else is trusted). */
  readonly anchors: readonly string[];
  /** Stops what was started for this network (a private server), after every link closed. */
  readonly stop?: () => Promise<void>;
  /** The server's process, when this network started it. */
  readonly pid?: number;
  /** The server's log so far, when this network started it. */
  readonly logs?: () => Promise<string>;
}

export interface RealNetworkOptions {
  /** The server, or a promise of it (logins wait; a rejection refuses them). */
  readonly server: ServerAccess | Promise<ServerAccess>;
  readonly domain: string;
  readonly mucDomain?: string;
  readonly pubsubDomain?: string;
  /** The password of an account (secret: never logged). */
  readonly password: (account: string) => string;
  /**
   * Delegated logins (Option 2, PD-246): the login token `account` (bare JID)
   * presents at scenario time `now`, by OAUTHBEARER instead of its password.
   */
  readonly bearerToken?: (account: string, now: number) => string;
  /** Seeds each login's entropy (SCRAM nonces, ids). */
  readonly seed: string;
  readonly clock?: WallClock;
  /** Logins in flight at once. Default 8. */
  readonly loginConcurrency?: number;
  /** iq requests one stream may have in flight (default the machine's 256; a control centre needs more). */
  readonly maxPendingIq?: number;
  /** SCRAM iteration bounds the clients accept (default the machine's). */
  readonly scramIterations?: { readonly min: number; readonly max: number };
  /**
   * Give every iq request a stream-unique id on the way out and restore it on
   * the response (PD-215), so nodes that run one association per peer over
   * one login need not. Default true.
   */
  readonly uniqueIqIds?: boolean;
  /** Runs after every link is closed (e.g. stop the server this network started). */
  readonly onClose?: () => Promise<void>;
}

/** A counting semaphore for logins. */
class Gate {
  #free: number;
  #waiting: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  async take(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((r) => this.#waiting.push(r));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

export class RealNetwork implements Network {
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly clock: WallClock;
  readonly traffic: TrafficCounters = {
    stanzasSent: 0,
    stanzasDelivered: 0,
    bytesUp: 0,
    bytesDown: 0,
    logins: 0,
  };
  readonly links: RealLink[] = [];
  readonly #o: RealNetworkOptions;
  readonly #gate: Gate;
  readonly #server: Promise<ServerAccess>;
  readonly connector: Connector;
  readonly #logins = new Set<Promise<void>>();
  #n = 0;

  constructor(o: RealNetworkOptions) {
    this.#o = o;
    this.domain = o.domain;
    this.mucDomain = o.mucDomain ?? `rooms.${o.domain}`;
    this.pubsubDomain = o.pubsubDomain ?? `pubsub.${o.domain}`;
    this.clock = o.clock ?? new WallClock();
    this.#gate = new Gate(o.loginConcurrency ?? 8);
    this.#server = Promise.resolve(o.server);
    this.#server.catch(() => {}); // seen by each login and by close()
    this.connector = countingConnector(nodeConnector, this.traffic);
  }

  connect(account: string, resource: string, events: LinkEvents, options?: LinkOptions): RealLink {
    this.traffic.logins++;
    const link = new RealLink(this, account, resource, events, this.#o.uniqueIqIds ?? true);
    link.bearerToken = options?.bearerToken;
    this.links.push(link);
    const login = this.#login(link, this.#n++);
    this.#logins.add(login);
    void login.finally(() => this.#logins.delete(login));
    return link;
  }

  async #login(link: RealLink, n: number): Promise<void> {
    let server: ServerAccess;
    try {
      server = await this.#server;
    } catch (e) {
      return link.refused(`no server: ${(e as Error).message}`);
    }
    const release = await this.#gate.take();
    const o = this.#o;
    const started = performance.now();
    const jid = `${link.account}@${o.domain}`;
    // spec: PD-246 PAPER-OPT2
    const token = link.bearerToken ?? o.bearerToken?.(jid, this.clock.now);
    try {
      const client = await XmppClient.connect({
        jid,
        ...(token === undefined ? { password: o.password(link.account) } : {}),
        resource: link.resource,
        entropy: new SeededEntropy(`${o.seed}/real/${link.account}/${n}`),
        server: server.endpoint,
        tls: { anchors: [...server.anchors], serverName: o.domain },
        connector: this.connector,
        reconnect: false,
        machine: {
          ...(token === undefined ? {} : { mechanisms: ["OAUTHBEARER"], bearerToken: token }),
          ...(o.maxPendingIq === undefined ? {} : { maxPendingIq: o.maxPendingIq }),
          ...(o.scramIterations === undefined ? {} : {
            scramPolicy: {
              minIterations: o.scramIterations.min,
              maxIterations: o.scramIterations.max,
            },
          }),
        },
      });
      link.attach(client, performance.now() - started);
    } catch (e) {
      link.refused((e as { code?: string }).code ?? String(e));
    } finally {
      release();
    }
  }

  /** The server, once it is there. */
  get server(): Promise<ServerAccess> {
    return this.#server;
  }

  /** Resolves once scenario time has reached `until` (deliveries happen as they come). */
  runUntil(until: number): Promise<void> {
    return this.clock.sleepUntil(until);
  }

  /** Closes every live link in order (stream close), then runs `onClose`. */
  async close(): Promise<void> {
    for (const l of this.links) l.closing();
    await Promise.all([...this.#logins]);
    await Promise.all(this.links.map((l) => l.close()));
    this.clock.cancelAll();
    try {
      await (await this.#server.catch(() => undefined))?.stop?.();
    } finally {
      await this.#o.onClose?.();
    }
  }
}

/** One login on the real server. */
export class RealLink implements Link {
  readonly account: string;
  readonly resource: string;
  /** Wall ms from the start of the login (after waiting for the gate) to bound. */
  loginMs?: number;
  /** Sends that found no bound stream (before binding, after the end). */
  dropped = 0;
  /** A login token to present instead of the network's (attacks, Option 2). */
  bearerToken?: string;
  #client?: XmppClient;
  readonly #net: RealNetwork;
  readonly #events: LinkEvents;
  readonly #mux?: IqIdMux;
  /** No more sends: closing, cut or ended. */
  #done = false;
  #reported = false;

  constructor(
    net: RealNetwork,
    account: string,
    resource: string,
    events: LinkEvents,
    uniqueIqIds: boolean,
  ) {
    this.#net = net;
    if (uniqueIqIds) this.#mux = new IqIdMux("l");
    this.account = account;
    this.resource = resource;
    this.#events = events;
  }

  get jid(): string | undefined {
    return this.#client?.jid || undefined;
  }

  get client(): XmppClient | undefined {
    return this.#client;
  }

  /** Called by the network once the login is bound. */
  attach(client: XmppClient, loginMs: number): void {
    this.#client = client;
    this.loginMs = loginMs;
    // With a listener the client leaves iq requests to us (no automatic service-unavailable).
    client.on("iq", () => {});
    client.on("error", (e) => this.#events.error?.(e.code));
    client.on("stanza", (el) => {
      if (this.#reported) return; // the run is over
      this.#net.traffic.stanzasDelivered++;
      this.#events.stanza(this.#mux ? this.#mux.inbound(el) : el);
    });
    client.on("closed", (end) => this.#end(end.clean ? "closed" : end.error?.code ?? "lost"));
    if (this.#done) return void client.close(); // the run ended while logging in
    this.#events.established(client.jid);
  }

  refused(reason: string): void {
    this.#end(`login failed: ${reason}`);
  }

  send(stanza: Xel | Element): void {
    const c = this.#client;
    if (this.#done || !c) {
      this.dropped++;
      return;
    }
    try {
      c.send((this.#mux ? this.#mux.outbound(stanza) : stanza) as Xel);
      this.#net.traffic.stanzasSent++;
    } catch (e) {
      this.dropped++;
      this.#events.error?.((e as { code?: string }).code ?? "adapter/send-failed");
    }
  }

  cut(): void {
    this.#client?.dropConnection();
  }

  /**
   * The run is over: sends stop and the node hears nothing more (not the
   * presence of others leaving, not its own close), as with the in-memory
   * network; a login still in flight is closed when bound.
   */
  closing(): void {
    this.#done = true;
    this.#reported = true;
  }

  /** Orderly stream close (the end of a run). */
  async close(): Promise<void> {
    this.#done = true;
    const c = this.#client;
    if (c && !c.isClosed) await c.close().catch(() => {});
  }

  #end(reason: string): void {
    this.#done = true;
    if (this.#reported) return;
    this.#reported = true;
    this.#events.closed(reason);
  }
}

/** The connector with every byte counted (below TLS: what crosses the socket). */
export function countingConnector(inner: Connector, traffic: TrafficCounters): Connector {
  return async (endpoint, trust, handlers) => {
    const t: Transport = await inner(endpoint, trust, {
      onData: (b) => {
        traffic.bytesDown += b.length;
        handlers.onData(b);
      },
      onClose: (e) => handlers.onClose(e),
    });
    return {
      get tls() {
        return t.tls;
      },
      write: (b) => {
        traffic.bytesUp += b.length;
        return t.write(b);
      },
      holdReads: () => t.holdReads(),
      startTls: () => t.startTls(),
      end: () => t.end(),
      abort: () => t.abort(),
    };
  };
}
