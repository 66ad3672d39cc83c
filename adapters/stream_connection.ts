/**
 * One connection to an XMPP server: a transport (TCP, then TLS) and an
 * initiator StreamDriver, with the machine's outputs carried out and nothing
 * decided here.
 *
 * Bytes from the transport go to the driver; each output is done in order:
 * `send-bytes` is written after everything written before, `start-tls`
 * upgrades the transport and answers with `tls-established` carrying the
 * server's certificate (after the pin check against the trust anchors),
 * `set-timer`/`clear-timer` become setTimeout calls that feed `tick` with the
 * clock's time, `closed` closes the transport once pending bytes are out.
 * Stanzas, errors and the end of the stream are passed to the caller.
 *
 * @module
 */
import { DerlinkError, type ErrorCode } from "../core/errors.ts";
import type { ErrorOutput } from "../core/machine.ts";
import type { XmlLimits } from "../core/xml.ts";
import { StreamDriver } from "../state-machines/xmpp-stream/driver.ts";
import {
  initiator,
  type InitiatorConfig,
  type InitiatorState,
  resumptionToken,
} from "../state-machines/xmpp-stream/initiator.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { ResumptionToken } from "../state-machines/xmpp-stream/sm.ts";
import type { StreamInput, StreamOutput, TimerName } from "../state-machines/xmpp-stream/types.ts";
import { AdapterError } from "./errors.ts";
import { checkPeerChain, parseAnchors, type TlsTrust } from "./tls_trust.ts";
import type { Connector, Endpoint, TlsInfo, Transport } from "./transport.ts";

/** How a connection ended. */
export interface ConnectionEnd {
  /** Both sides closed the stream in order. */
  readonly clean: boolean;
  /** Why it ended otherwise: the adapter's reason first (it is the cause), else the machine's. */
  readonly error?: DerlinkError;
  /** Whether the stream had reached the bound phase. */
  readonly wasEstablished: boolean;
  /** XEP-0198 state to resume the session on a new connection, when resumption was enabled. */
  readonly resumption?: ResumptionToken;
  /** RFC 6120 §4.9.3.19: where the server told us to reconnect. */
  readonly seeOtherHost?: string;
}

/** What the connection reports; every callback is optional. */
export interface ConnectionEvents {
  established?(jid: string, resumed: boolean): void;
  stanza?(element: Xel): void;
  /** Every error output of the machine, fatal or not, and the adapter's own failures. */
  error?(error: ErrorOutput): void;
  resumeFailed?(unacked: readonly Xel[]): void;
  closed?(end: ConnectionEnd): void;
}

export interface ConnectionOptions {
  /** The initiator's configuration (holds the password: never log it). */
  readonly machine: InitiatorConfig;
  readonly endpoint: Endpoint;
  readonly trust: TlsTrust;
  readonly connector: Connector;
  /** Milliseconds for `now` on every input and for timers. Default Date.now. */
  readonly clock?: () => number;
  readonly limits?: Partial<XmlLimits>;
  /** Verify every step against the machine's declared transitions (tests). */
  readonly checked?: boolean;
  readonly events?: ConnectionEvents;
}

export class StreamConnection {
  readonly driver: StreamDriver<InitiatorConfig, InitiatorState>;
  /** Settles when the stream has ended, however it ended. */
  readonly ended: Promise<ConnectionEnd>;
  #options: ConnectionOptions;
  #clock: () => number;
  #events: ConnectionEvents;
  #transport?: Transport;
  #writes: Promise<void> = Promise.resolve();
  #timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  /** Bytes that arrived while the TLS result was being checked. */
  #held: Uint8Array[] | undefined;
  #adapterError?: DerlinkError;
  #seeOtherHost?: string;
  #established = false;
  #done = false;
  #resolveEnded!: (end: ConnectionEnd) => void;
  #resolveOpen?: (jid: string) => void;
  #rejectOpen?: (e: DerlinkError) => void;

  private constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#events = options.events ?? {};
    this.driver = new StreamDriver(
      initiator,
      { ...options.machine, now: options.machine.now ?? this.#clock() },
      { limits: options.limits, checked: options.checked },
    );
    this.ended = new Promise((r) => this.#resolveEnded = r);
  }

  /**
   * Connects, negotiates and resolves once the stream is bound (resolved
   * with the connection); rejects with the reason when it ends before.
   */
  static async open(options: ConnectionOptions): Promise<StreamConnection> {
    const c = new StreamConnection(options);
    await c.#open();
    return c;
  }

  /** The bound full JID, once established. */
  get jid(): string | undefined {
    return this.driver.state.session?.jid;
  }

  get isOpen(): boolean {
    return !this.#done;
  }

  async #open(): Promise<void> {
    const bound = new Promise<string>((resolve, reject) => {
      this.#resolveOpen = resolve;
      this.#rejectOpen = reject;
    });
    bound.catch(() => {}); // the rejection is rethrown by the awaits below
    // spec: DL-ADAPTER-2
    const anchors = parseAnchors(this.#options.trust.anchors);
    try {
      this.#transport = await this.#options.connector(
        this.#options.endpoint,
        this.#options.trust,
        {
          onData: (bytes) => this.#receive(bytes),
          onClose: (error) => this.#transportClosed(error),
        },
      );
    } catch (e) {
      const error = e instanceof DerlinkError
        ? e
        : new DerlinkError(AdapterError["connect-failed"], String(e));
      this.#end({ clean: false, error, wasEstablished: false });
      throw error;
    }
    const direct = this.#transport.tls;
    if (direct) {
      // spec: DL-ADAPTER-10 DL-ADAPTER-3
      // XEP-0368: TLS is up before the first byte of XML.
      this.#held = [];
      if (!this.#verified(direct, anchors)) return void await bound;
      const out = this.driver.input(this.#tlsInput(direct));
      // A machine without XEP-0368 support refuses TLS before start; stop instead of going on in clear.
      if (out.some((o) => o.type === "error")) {
        this.#adapterError = new DerlinkError(
          AdapterError.unsupported,
          "the initiator refused tls-established before start (direct TLS)",
        );
        this.#transport.abort();
        return void await bound;
      }
      this.#apply(out);
      this.#input({ type: "start", now: this.#clock() });
      this.#release();
    } else {
      this.#input({ type: "start", now: this.#clock() });
    }
    await bound;
  }

  /** Sends a stanza; returns the error outputs of that step (empty when it was sent). */
  send(stanza: Xel): ErrorOutput[] {
    if (this.#done) return [{ type: "error", code: AdapterError["not-connected"], detail: "" }];
    const out = this.#input({ type: "send", stanza, now: this.#clock() });
    return out.filter((o): o is ErrorOutput => o.type === "error");
  }

  /**
   * Abandons iq request `id` (the caller's timeout): the machine frees its
   * slot and refuses a late response (PD-107). False when the stream is over.
   */
  cancelIq(id: string): boolean {
    if (this.#done) return false;
    this.#input({ type: "cancel-iq", id, now: this.#clock() });
    return true;
  }

  /** Orderly close (the machine sends `</stream:stream>` and waits for the server's). */
  close(): Promise<ConnectionEnd> {
    if (!this.#done) this.#input({ type: "close", now: this.#clock() });
    return this.ended;
  }

  /** Cuts the transport without closing the stream: what a network failure looks like. */
  abort(): void {
    this.#transport?.abort();
  }

  #input(input: StreamInput): readonly StreamOutput[] {
    if (this.#done) return [];
    const out = this.driver.input(input);
    this.#apply(out);
    return out;
  }

  #receive(bytes: Uint8Array): void {
    if (this.#done) return;
    if (this.#held) {
      this.#held.push(bytes);
      return;
    }
    // spec: DL-ADAPTER-1
    this.#apply(this.driver.receive(bytes, this.#clock()));
  }

  #release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const b of held) this.#receive(b);
  }

  #transportClosed(error?: DerlinkError): void {
    this.#adapterError ??= error;
    if (!this.#done) this.#input({ type: "transport-closed", now: this.#clock() });
  }

  // spec: DL-ADAPTER-1 DL-ADAPTER-8
  #apply(out: readonly StreamOutput[]): void {
    const errors: ErrorOutput[] = [];
    for (const o of out) {
      switch (o.type) {
        case "send-bytes":
          this.#write(o.data);
          break;
        case "start-tls":
          this.#startTls();
          break;
        case "new-stream":
          // The driver has reset its reader already.
          break;
        case "established":
          this.#established = true;
          this.#events.established?.(o.jid, o.resumed);
          this.#resolveOpen?.(o.jid);
          break;
        case "stanza":
          this.#events.stanza?.(o.element);
          break;
        case "resume-failed":
          this.#events.resumeFailed?.(o.unacked);
          break;
        case "see-other-host":
          this.#seeOtherHost = o.location;
          break;
        case "set-timer":
          this.#setTimer(o.name, o.at);
          break;
        case "clear-timer":
          this.#clearTimer(o.name);
          break;
        case "error":
          errors.push(o);
          this.#events.error?.(o);
          break;
        case "closed":
          this.#closed(o.clean, errors[0]);
          break;
      }
    }
  }

  #write(data: Uint8Array): void {
    const t = this.#transport;
    if (!t) return;
    this.#writes = this.#writes.then(() => t.write(data)).catch((e) => this.#failTransport(e));
  }

  #startTls(): void {
    const t = this.#transport;
    if (!t) return;
    t.holdReads();
    this.#writes = this.#writes.then(async () => {
      const info = await t.startTls();
      this.#held = [];
      const anchors = parseAnchors(this.#options.trust.anchors);
      if (!this.#verified(info, anchors)) return;
      this.#input(this.#tlsInput(info));
      this.#release();
    }).catch((e) => this.#failTransport(e));
  }

  /** The pin check; on failure the transport is cut and the reason kept. */
  #verified(info: TlsInfo, anchors: ReturnType<typeof parseAnchors>): boolean {
    // spec: DL-ADAPTER-3 PD-100
    if (!info.anchorsOnly && info.peerChain.length === 0) return true; // Deno stack, opted in
    const r = checkPeerChain(info.peerChain, anchors, new Date(this.#clock()));
    if (r.ok) return true;
    this.#adapterError ??= r.error;
    this.#events.error?.({ type: "error", code: r.error.code, detail: r.error.detail });
    this.#transport?.abort();
    return false;
  }

  #tlsInput(info: TlsInfo): StreamInput {
    // spec: PAPER-R1
    return {
      type: "tls-established",
      peerCertificate: info.peerChain[0],
      now: this.#clock(),
    };
  }

  #failTransport(e: unknown): void {
    this.#adapterError ??= e instanceof DerlinkError
      ? e
      : new DerlinkError(AdapterError["transport-error"], String(e));
    this.#transport?.abort();
  }

  // spec: DL-ADAPTER-5
  #setTimer(name: TimerName, at: number): void {
    this.#clearTimer(name);
    const delay = Math.max(0, at - this.#clock());
    this.#timers.set(
      name,
      setTimeout(() => {
        this.#timers.delete(name);
        this.#input({ type: "tick", now: Math.max(this.#clock(), at) });
      }, delay),
    );
  }

  #clearTimer(name: TimerName): void {
    const id = this.#timers.get(name);
    if (id !== undefined) clearTimeout(id);
    this.#timers.delete(name);
  }

  #closed(clean: boolean, error?: ErrorOutput): void {
    const t = this.#transport;
    // spec: DL-ADAPTER-8
    this.#writes = this.#writes.then(() => t?.end()).catch(() => t?.abort());
    // spec: DL-ADAPTER-9
    // The adapter's reason (TLS refused, pin check failed, socket error) is the
    // cause; the machine's transport-closed is only its consequence.
    const reason = this.#adapterError ??
      (error ? new DerlinkError(error.code as ErrorCode, error.detail) : undefined);
    this.#end({
      clean,
      error: clean ? undefined : reason ??
        new DerlinkError(AdapterError["transport-error"], "stream ended"),
      wasEstablished: this.#established,
      resumption: resumptionToken(this.driver.state),
      seeOtherHost: this.#seeOtherHost,
    });
  }

  #end(end: ConnectionEnd): void {
    if (this.#done) return;
    this.#done = true;
    for (const name of [...this.#timers.keys()]) this.#clearTimer(name);
    this.#events.closed?.(end);
    this.#resolveEnded(end);
    if (!end.wasEstablished) {
      this.#rejectOpen?.(
        end.error ?? new DerlinkError(AdapterError["connect-failed"], "closed before bound"),
      );
    }
  }
}
