/**
 * An initiator and a receiver wired together in memory, each behind its own
 * StreamDriver, with TLS simulated: when both sides have asked for it, each
 * gets `tls-established` with the same (made-up) channel binding; with
 * `directTls` both get it before the client starts (XEP-0368). Bytes
 * travel in order and can be re-chunked arbitrarily on the way. Used by the
 * transcript tests, the property tests and the vector generator; not an
 * adapter (no sockets, no real TLS).
 *
 * @module
 */
import { concat, fromUtf8 } from "../../core/bytes.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { XmlLimits } from "../../core/xml.ts";
import { StreamDriver } from "./driver.ts";
import { initiator, type InitiatorConfig, type InitiatorState } from "./initiator.ts";
import type { Xel } from "./messages.ts";
import { receiver, type ReceiverConfig, type ReceiverState } from "./receiver.ts";
import type { ChannelBinding, StreamInput, StreamOutput } from "./types.ts";

export interface PairOptions {
  readonly client: InitiatorConfig;
  readonly server: ReceiverConfig;
  /** Splits each delivery into chunks (default: one chunk). */
  readonly chunk?: (bytes: Uint8Array) => Uint8Array[];
  /** What the simulated TLS gives both sides. */
  readonly tls?: {
    readonly channelBinding?: ChannelBinding;
    readonly clientIdentities?: readonly string[];
  };
  readonly checked?: boolean;
  readonly limits?: Partial<XmlLimits>;
  /** XEP-0368: TLS is up before the first byte of XML (no STARTTLS). */
  readonly directTls?: boolean;
}

/** What one side did. */
export interface Side<S extends { phase: string }> {
  readonly driver: StreamDriver<unknown, S>;
  readonly outputs: StreamOutput[];
  readonly stanzas: Xel[];
  readonly errors: ErrorOutput[];
  established?: string;
  closed: boolean;
  wantsTls: boolean;
}

/** One entry of the wire transcript. */
export type WireEvent =
  | { readonly dir: "c2s" | "s2c"; readonly text: string }
  | { readonly dir: "tls" }
  /** An input given to one side by the test (start, send, tick, close...). */
  | { readonly dir: "client-input" | "server-input"; readonly input: StreamInput };

export class Pair {
  readonly client: Side<InitiatorState>;
  readonly server: Side<ReceiverState>;
  readonly wire: WireEvent[] = [];
  #toServer: Uint8Array[] = [];
  #toClient: Uint8Array[] = [];
  #options: PairOptions;

  constructor(options: PairOptions) {
    this.#options = options;
    const driverOptions = { checked: options.checked ?? true, limits: options.limits };
    const side = <S extends { phase: string }>(driver: StreamDriver<unknown, S>): Side<S> => ({
      driver,
      outputs: [],
      stanzas: [],
      errors: [],
      closed: false,
      wantsTls: false,
    });
    this.client = side(
      new StreamDriver(initiator, options.client, driverOptions) as StreamDriver<
        unknown,
        InitiatorState
      >,
    );
    this.server = side(
      new StreamDriver(receiver, options.server, driverOptions) as StreamDriver<
        unknown,
        ReceiverState
      >,
    );
  }

  /** Opens the stream and runs the negotiation as far as it goes. */
  start(): this {
    if (this.#options.directTls) this.#tlsUp();
    this.clientInput({ type: "start" });
    return this;
  }

  clientInput(input: StreamInput): this {
    this.wire.push({ dir: "client-input", input });
    this.#handle("client", this.client.driver.input(input));
    this.pump();
    return this;
  }

  serverInput(input: StreamInput): this {
    this.wire.push({ dir: "server-input", input });
    this.#handle("server", this.server.driver.input(input));
    this.pump();
    return this;
  }

  /** Delivers bytes in flight and completes simulated TLS until nothing moves. */
  pump(): void {
    const chunk = this.#options.chunk ?? ((b: Uint8Array) => [b]);
    for (let guard = 0; guard < 100_000; guard++) {
      if (this.#toServer.length) {
        const data = concat(...this.#toServer);
        this.#toServer = [];
        for (const c of chunk(data)) this.#handle("server", this.server.driver.receive(c));
        continue;
      }
      if (this.#toClient.length) {
        const data = concat(...this.#toClient);
        this.#toClient = [];
        for (const c of chunk(data)) this.#handle("client", this.client.driver.receive(c));
        continue;
      }
      if (this.client.wantsTls && this.server.wantsTls) {
        this.client.wantsTls = this.server.wantsTls = false;
        this.#tlsUp();
        continue;
      }
      return;
    }
    throw new Error("pair: no quiescence after 100000 deliveries");
  }

  /** The simulated TLS handshake completes on both ends. */
  #tlsUp(): void {
    this.wire.push({ dir: "tls" });
    const tls = this.#options.tls ?? {};
    this.#handle(
      "server",
      this.server.driver.input({
        type: "tls-established",
        channelBinding: tls.channelBinding,
        peerIdentities: tls.clientIdentities,
      }),
    );
    this.#handle(
      "client",
      this.client.driver.input({ type: "tls-established", channelBinding: tls.channelBinding }),
    );
  }

  #handle(who: "client" | "server", out: readonly StreamOutput[]): void {
    const side = who === "client" ? this.client : this.server;
    for (const o of out) {
      (side.outputs as StreamOutput[]).push(o);
      switch (o.type) {
        case "send-bytes":
          (who === "client" ? this.#toServer : this.#toClient).push(o.data);
          this.wire.push({ dir: who === "client" ? "c2s" : "s2c", text: fromUtf8(o.data) });
          break;
        case "start-tls":
          side.wantsTls = true;
          break;
        case "stanza":
          side.stanzas.push(o.element);
          break;
        case "established":
          side.established = o.jid;
          break;
        case "error":
          side.errors.push(o);
          break;
        case "closed":
          side.closed = true;
          break;
      }
    }
  }
}
