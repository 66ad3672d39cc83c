/**
 * An in-memory server for adapter tests: each connection is a receiver
 * StreamDriver (the server side of the stream machine) behind a Connector,
 * so StreamConnection and XmppClient run unchanged without sockets. TLS is
 * simulated: `startTls` tells the receiver TLS is up and hands the client
 * the chain the test chose. Sessions the server kept resumable when a link
 * dropped are offered to the next connection (XEP-0198).
 *
 * Deliveries are asynchronous (one microtask each way) and in order, like a
 * network that never reorders. A simulation may schedule them itself
 * (`defer`, e.g. on its own queue in virtual time) and connect synchronously
 * (`connectNow`).
 *
 * @module
 */
import { DerlinkError } from "../core/errors.ts";
import { StreamDriver } from "../state-machines/xmpp-stream/driver.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import {
  receiver,
  type ReceiverConfig,
  receiverResumptionToken,
  type ReceiverState,
} from "../state-machines/xmpp-stream/receiver.ts";
import type { ResumptionToken } from "../state-machines/xmpp-stream/sm.ts";
import type { StreamInput, StreamOutput } from "../state-machines/xmpp-stream/types.ts";
import { AdapterError } from "./errors.ts";
import { clientIdentities, presentedChain } from "./client_certs.ts";
import type { Connector, Endpoint, TlsInfo, Transport, TransportHandlers } from "./transport.ts";

export interface MemoryServerOptions {
  /** The receiver's configuration for each new connection, given the resumable sessions. */
  readonly config: (resumable: Readonly<Record<string, ResumptionToken>>) => ReceiverConfig;
  /** The chain the client is shown after the simulated handshake (DER, end entity first). */
  readonly chain: readonly Uint8Array[];
  /** The first this-many connection attempts fail with adapter/connect-failed. */
  readonly failConnects?: number;
  /** Bytes the client writes are lost (the connection hangs). */
  readonly blackhole?: boolean;
  /** Sees every output of every link's receiver, in order (a router routes stanzas with it). */
  readonly onOutput?: (link: MemoryLink, output: StreamOutput) => void;
  /** Told once when a link is cut, after its receiver saw the transport close. */
  readonly onDrop?: (link: MemoryLink) => void;
  /** The time given to the receiver with each delivery (virtual time); default none. */
  readonly clock?: () => number;
  /** Schedules each delivery (default queueMicrotask); deliveries keep their order. */
  readonly defer?: (task: () => void) => void;
  /** Keep each link's stanzas, outputs and client text (default true; false for large runs). */
  readonly record?: boolean;
  /**
   * The CA certificates (DER) whose client certificates the server accepts for
   * SASL EXTERNAL; none (default): a presented client certificate is ignored.
   */
  readonly clientAnchors?: readonly Uint8Array[];
}

/** A connection made synchronously (connectNow): TLS completes when asked, without waiting. */
export interface MemoryConnection {
  readonly link: MemoryLink;
  readonly transport: Transport;
  /** STARTTLS done at once; throws adapter/tls-failed when the server did not ask for it. */
  startTlsNow(): TlsInfo;
}

/** One connection as the server sees it. */
export class MemoryLink {
  readonly server: StreamDriver<ReceiverConfig, ReceiverState>;
  /** Stanzas the server received from the client, in order. */
  readonly stanzas: Xel[] = [];
  readonly outputs: StreamOutput[] = [];
  /** Everything the client wrote, as text. */
  clientText = "";
  closed = false;
  #handlers: TransportHandlers;
  #wantsTls = false;
  #owner: MemoryServer;

  constructor(owner: MemoryServer, config: ReceiverConfig, handlers: TransportHandlers) {
    this.#owner = owner;
    this.server = new StreamDriver(receiver, config, { checked: true });
    this.#handlers = handlers;
  }

  /** Gives the server side an input (send a stanza, close with a condition...). */
  serverInput(input: StreamInput): void {
    this.#apply(this.server.input(input));
  }

  fromClient(bytes: Uint8Array): void {
    if (this.#owner.options.record !== false) this.clientText += new TextDecoder().decode(bytes);
    if (this.#owner.options.blackhole) return;
    this.#owner.defer(() =>
      !this.closed && this.#apply(this.server.receive(bytes, this.#owner.options.clock?.()))
    );
  }

  /** TLS is up; `peerIdentities`: the XMPP addresses of a validated client certificate. */
  tlsUp(peerIdentities?: readonly string[]): boolean {
    if (!this.#wantsTls || this.closed) return false;
    this.#wantsTls = false;
    this.#apply(
      this.server.input(
        peerIdentities === undefined
          ? { type: "tls-established" }
          : { type: "tls-established", peerIdentities },
      ),
    );
    return true;
  }

  /** Cuts the link: both sides see the transport close. */
  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.#apply(this.server.input({ type: "transport-closed" }));
    const token = receiverResumptionToken(this.server.state);
    if (token) this.#owner.resumable[token.id] = token;
    this.#owner.options.onDrop?.(this);
    this.#owner.defer(() => this.#handlers.onClose());
  }

  #apply(out: readonly StreamOutput[]): void {
    const record = this.#owner.options.record !== false;
    for (const o of out) {
      if (record) this.outputs.push(o);
      this.#owner.options.onOutput?.(this, o);
      if (o.type === "send-bytes") {
        const data = o.data;
        this.#owner.defer(() => !this.closed && this.#handlers.onData(data));
      } else if (o.type === "start-tls") this.#wantsTls = true;
      else if (o.type === "stanza" && record) this.stanzas.push(o.element);
      else if (o.type === "closed") this.#owner.defer(() => this.drop());
    }
  }
}

export class MemoryServer {
  readonly options: MemoryServerOptions;
  readonly links: MemoryLink[] = [];
  /** XEP-0198 sessions kept from dropped links, by resumption id. */
  readonly resumable: Record<string, ResumptionToken> = {};
  attempts = 0;
  /** Connection attempts up to this number fail (adapter/connect-failed). */
  failUntil: number;
  readonly defer: (task: () => void) => void;

  constructor(options: MemoryServerOptions) {
    this.options = options;
    this.failUntil = options.failConnects ?? 0;
    this.defer = options.defer ?? queueMicrotask;
  }

  get last(): MemoryLink | undefined {
    return this.links.at(-1);
  }

  /** Every endpoint a connection was attempted to. */
  readonly endpoints: Endpoint[] = [];

  readonly connector: Connector = (endpoint, trust, handlers) => {
    try {
      return Promise.resolve(this.connectNow(endpoint, trust, handlers).transport);
    } catch (e) {
      return Promise.reject(e);
    }
  };

  /**
   * The connector's work without a Promise; throws adapter/connect-failed the same way.
   * `clientChain`: the client certificate chain (DER) the simulated handshake presents,
   * instead of `trust.clientCertificate` (a simulation need not hold its keys as PEM).
   */
  connectNow(
    endpoint: Endpoint,
    trust: Parameters<Connector>[1],
    handlers: TransportHandlers,
    clientChain?: readonly Uint8Array[],
  ): MemoryConnection {
    this.attempts++;
    this.endpoints.push(endpoint);
    if (this.attempts <= this.failUntil) {
      throw new DerlinkError(AdapterError["connect-failed"], "refused (memory)");
    }
    const link = new MemoryLink(this, this.options.config({ ...this.resumable }), handlers);
    this.links.push(link);
    const chain = this.options.chain;
    const presented = clientChain ?? presentedChain(trust.clientCertificate);
    let tls: TlsInfo | undefined;
    const startTlsNow = (): TlsInfo => {
      // spec: PD-255 DL-CRED-1 XEP0178-3
      const ids = presented && this.options.clientAnchors
        ? clientIdentities(presented, this.options.clientAnchors, this.options.clock?.())
        : undefined;
      if (!link.tlsUp(ids)) throw new DerlinkError(AdapterError["tls-failed"], "server not ready");
      tls = {
        peerChain: chain,
        anchorsOnly: true,
        clientCertificateSent: presented !== undefined,
      };
      return tls;
    };
    const transport: Transport = {
      get tls() {
        return tls;
      },
      write: (bytes) => {
        if (link.closed) {
          return Promise.reject(new DerlinkError(AdapterError["transport-error"], "closed"));
        }
        link.fromClient(bytes);
        return Promise.resolve();
      },
      holdReads: () => {},
      startTls: async () => {
        await Promise.resolve();
        return startTlsNow();
      },
      end: () => link.drop(),
      abort: () => link.drop(),
    };
    return { link, transport, startTlsNow };
  }
}
