/**
 * A small XMPP client on top of StreamConnection: connect, send stanzas,
 * iq requests answered by a Promise, events for stanzas, presence and the
 * end of the session, reconnection with jittered backoff and XEP-0198
 * resumption. Later layers (A-profile over XMPP, MUC, association) use it.
 *
 * The stream machine decides everything on the wire; this file decides only
 * what the application asked for: when to try again after a loss (PD-101),
 * what to do with requests still open when a session is lost (PD-102), and
 * how an unhandled iq request is answered (PD-103).
 *
 * ```ts
 * const client = await XmppClient.connect({
 *   jid: "der1@derlink.test", password, entropy: systemEntropy,
 *   server: { host: "127.0.0.1", port: 5222 },
 *   tls: { anchors: [caPem] },
 * });
 * client.on("message", (m) => console.log(m.getChildText("body")));
 * const version = await client.iq(new Element("iq", { type: "get", to: "derlink.test" })
 *   .c("query", { xmlns: "jabber:iq:version" }).root());
 * await client.close();
 * ```
 *
 * @module
 */
import { Element } from "ltx";
import { toHex } from "../core/bytes.ts";
import type { EntropySource } from "../core/entropy.ts";
import { DerlinkError, type ErrorCode } from "../core/errors.ts";
import type { ErrorOutput } from "../core/machine.ts";
import type { XmlLimits } from "../core/xml.ts";
import type { InitiatorConfig } from "../state-machines/xmpp-stream/initiator.ts";
import { stanzaError, type Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { ResumptionToken } from "../state-machines/xmpp-stream/sm.ts";
import { backoffDelay, type BackoffPolicy, checkBackoff, DEFAULT_BACKOFF } from "./backoff.ts";
import { AdapterError } from "./errors.ts";
import { nodeConnector } from "./node_transport.ts";
import { type ConnectionEnd, StreamConnection } from "./stream_connection.ts";
import type { ClientCredential } from "./tls_trust.ts";
import type { Connector, Endpoint } from "./transport.ts";

/** Machine settings the client passes through unchanged. */
export type MachineOptions = Omit<
  InitiatorConfig,
  "jid" | "password" | "resource" | "entropy" | "resumeFrom" | "now"
>;

export interface ClientOptions {
  /** Our bare JID; its domain is the server's and the TLS name checked. */
  readonly jid: string;
  /** Secret: never logged. */
  readonly password?: string;
  readonly resource?: string;
  readonly server: Endpoint;
  readonly tls: {
    /** Trust anchors (PEM); the only roots the server certificate may chain to. */
    readonly anchors: readonly string[];
    /** Name the server certificate must carry. Default: the JID's domain (PD-104). */
    readonly serverName?: string;
    readonly clientCertificate?: ClientCredential;
  };
  /** Randomness for the machine (SCRAM nonces, ids) and the reconnect jitter. */
  readonly entropy: EntropySource;
  /** Default: node:net + node:tls (nodeConnector). */
  readonly connector?: Connector;
  readonly machine?: MachineOptions;
  /** Reconnect after a loss; false for never. Default DEFAULT_BACKOFF. */
  readonly reconnect?: BackoffPolicy | false;
  /** How long `iq()` waits for a response by default (ms). Default 30 s. */
  readonly iqTimeoutMs?: number;
  readonly clock?: () => number;
  readonly limits?: Partial<XmlLimits>;
  /** Check every machine step against its declared transitions (tests). */
  readonly checked?: boolean;
}

/** Events and what their listeners receive. */
export interface ClientEvents {
  established: { readonly jid: string; readonly resumed: boolean };
  /** Every stanza from the server (message, presence, iq). */
  stanza: Xel;
  message: Xel;
  presence: Xel;
  /** An iq get/set for us; answer it with `send`. Unanswered when nobody listens: see PD-103. */
  iq: Xel;
  /** Every error output of the machine and the adapter, fatal or not. */
  error: ErrorOutput;
  /** XEP-0198: resumption refused; these stanzas may not have arrived. */
  "resume-failed": readonly Xel[];
  /** The connection was lost; `resumable` when a resumption will be tried. */
  disconnected: ConnectionEnd;
  reconnecting: { readonly attempt: number; readonly delayMs: number };
  /** The client is done: closed by us, or it gave up. Nothing follows. */
  closed: ConnectionEnd;
}

type Listener<K extends keyof ClientEvents> = (value: ClientEvents[K]) => void;

interface PendingIq {
  resolve(x: Xel): void;
  reject(e: DerlinkError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Endings after which trying again can help (PD-101). */
const TRANSIENT: ReadonlySet<string> = new Set<ErrorCode>([
  AdapterError["connect-failed"],
  AdapterError["transport-error"],
  "xmpp/transport-closed",
  "xmpp/ping-timeout",
  "xmpp/connection-timeout",
  "xmpp/negotiation-timeout",
  "xmpp/system-shutdown",
  "xmpp/reset",
  "xmpp/see-other-host",
]);

/** True when the loss may be temporary: a clean close by the server, or a transient code. */
export function isTransientEnd(end: ConnectionEnd): boolean {
  // spec: PD-101
  return end.clean || (end.error !== undefined && TRANSIENT.has(end.error.code));
}

/** Parses a see-other-host location, `host`, `host:port` or `[v6]:port` (RFC 6120 §4.9.3.19). */
export function parseLocation(location: string, defaultPort: number): Endpoint | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:\[\]]+))(?::([0-9]{1,5}))?$/.exec(location.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2], port };
}

export class XmppClient {
  #options: ClientOptions;
  #policy: BackoffPolicy | false;
  #connection?: StreamConnection;
  #listeners = new Map<keyof ClientEvents, Set<(v: never) => void>>();
  #pending = new Map<string, PendingIq>();
  /** iq ids that timed out with no open stream: cancelled on the next one (PD-107). */
  #abandoned = new Set<string>();
  #idPrefix: string;
  #nextId = 1;
  #closing = false;
  #final = false;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #wakeRetry?: () => void;
  #jid?: string;

  private constructor(options: ClientOptions) {
    this.#options = options;
    this.#policy = options.reconnect === false
      ? false
      : checkBackoff(options.reconnect ?? DEFAULT_BACKOFF);
    this.#idPrefix = `c${toHex(options.entropy.bytes(4))}-`;
  }

  /** Connects and negotiates; resolves when bound, rejects with the typed reason otherwise. */
  static async connect(options: ClientOptions): Promise<XmppClient> {
    const client = new XmppClient(options);
    await client.#connect(options.server);
    return client;
  }

  /** The bound full JID (the latest one after a reconnect). */
  get jid(): string {
    return this.#jid ?? "";
  }

  /** The current connection (for tests and diagnostics). */
  get connection(): StreamConnection | undefined {
    return this.#connection;
  }

  get isClosed(): boolean {
    return this.#final;
  }

  on<K extends keyof ClientEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, set = new Set());
    set.add(listener as (v: never) => void);
    return () => set!.delete(listener as (v: never) => void);
  }

  /** Resolves with the next `event` (for tests and simple flows). */
  once<K extends keyof ClientEvents>(
    event: K,
    filter: (v: ClientEvents[K]) => boolean = () => true,
  ): Promise<ClientEvents[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (v) => {
        if (!filter(v)) return;
        off();
        resolve(v);
      });
    });
  }

  #emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]): void {
    for (const l of [...(this.#listeners.get(event) ?? [])]) (l as Listener<K>)(value);
  }

  #hasListeners(event: keyof ClientEvents): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Sends a stanza; throws the machine's or the adapter's code when it was not sent. */
  send(stanza: Xel): void {
    const c = this.#connection;
    if (this.#final) throw new DerlinkError(AdapterError["client-closed"]);
    if (!c || !c.isOpen || !c.jid) {
      throw new DerlinkError(AdapterError["not-connected"], "not bound (reconnecting?)");
    }
    const errors = c.send(stanza);
    if (errors.length > 0) throw new DerlinkError(errors[0].code, errors[0].detail);
  }

  /**
   * Sends an iq get/set and resolves with the result; rejects with
   * `adapter/iq-error` (the stanza error condition in the detail) for
   * type='error', `adapter/iq-timeout`, or the reason the session was lost.
   */
  iq(request: Xel, options: { timeoutMs?: number } = {}): Promise<Xel> {
    const type = request.attrs.type;
    if (request.name !== "iq" || (type !== "get" && type !== "set")) {
      return Promise.reject(
        new DerlinkError(AdapterError["invalid-config"], "iq() takes an iq get or set"),
      );
    }
    const id = request.attrs.id ?? `${this.#idPrefix}${this.#nextId++}`;
    if (this.#pending.has(id)) {
      return Promise.reject(
        new DerlinkError(AdapterError["invalid-config"], "an iq with this id is in flight"),
      );
    }
    request.attrs.id = id;
    return new Promise<Xel>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#options.iqTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        // spec: PD-107
        if (!this.#connection?.cancelIq(id)) this.#abandoned.add(id);
        reject(new DerlinkError(AdapterError["iq-timeout"], `no response in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.send(request);
      } catch (e) {
        this.#settle(id, undefined, e as DerlinkError);
      }
    });
  }

  /** Closes the stream in order and stops reconnecting. Resolves once closed. */
  async close(): Promise<ConnectionEnd> {
    this.#closing = true;
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#wakeRetry?.();
    }
    const c = this.#connection;
    const end = c && c.isOpen
      ? await c.close()
      : { clean: true, wasEstablished: false } satisfies ConnectionEnd;
    this.#finish(end);
    return end;
  }

  /** Cuts the TCP connection without closing the stream (a network loss; tests). */
  dropConnection(): void {
    this.#connection?.abort();
  }

  #settle(id: string, response?: Xel, error?: DerlinkError): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(response!);
  }

  #rejectAllPending(error: DerlinkError): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, undefined, error);
  }

  #machineConfig(resumeFrom?: ResumptionToken): InitiatorConfig {
    const o = this.#options;
    return {
      ...o.machine,
      jid: o.jid,
      password: o.password,
      resource: o.resource,
      entropy: o.entropy,
      clientCertificate: o.machine?.clientCertificate ?? o.tls.clientCertificate !== undefined,
      ...(resumeFrom ? { resumeFrom } : {}),
    };
  }

  async #connect(endpoint: Endpoint, resumeFrom?: ResumptionToken): Promise<void> {
    const o = this.#options;
    // spec: PD-104
    const serverName = o.tls.serverName ?? o.jid.slice(o.jid.lastIndexOf("@") + 1).split("/")[0];
    const connection = await StreamConnection.open({
      machine: this.#machineConfig(resumeFrom),
      endpoint,
      trust: { anchors: o.tls.anchors, serverName, clientCertificate: o.tls.clientCertificate },
      connector: o.connector ?? nodeConnector,
      clock: o.clock,
      limits: o.limits,
      checked: o.checked,
      events: {
        established: (jid, resumed) => {
          this.#jid = jid;
          if (!resumed) this.#rejectAllPending(lost());
          this.#emit("established", { jid, resumed });
        },
        stanza: (el) => this.#onStanza(el),
        error: (e) => this.#emit("error", e),
        resumeFailed: (unacked) => this.#emit("resume-failed", unacked),
        closed: (end) => {
          if (end.wasEstablished) void this.#onLoss(end, endpoint);
        },
      },
    });
    this.#connection = connection;
    // spec: PD-107
    // Requests that timed out while no stream was open leave the resumed session too.
    for (const id of this.#abandoned) connection.cancelIq(id);
    this.#abandoned.clear();
    // close() was called while this connection was being made.
    if (this.#closing) await connection.close();
  }

  #onStanza(el: Xel): void {
    this.#emit("stanza", el);
    const type = el.attrs.type;
    if (el.name === "message") return this.#emit("message", el);
    if (el.name === "presence") return this.#emit("presence", el);
    if (el.name !== "iq") return;
    if ((type === "result" || type === "error") && el.attrs.id !== undefined) {
      const error = type === "error" ? iqError(el) : undefined;
      return this.#settle(el.attrs.id, el, error);
    }
    if (this.#hasListeners("iq")) return this.#emit("iq", el);
    // spec: DL-ADAPTER-11 PD-103
    try {
      this.send(stanzaError(el, "cancel", "service-unavailable"));
    } catch {
      // The connection is going away; the request dies with it.
    }
  }

  async #onLoss(end: ConnectionEnd, endpoint: Endpoint): Promise<void> {
    if (this.#closing || this.#final) return this.#finish(end);
    this.#emit("disconnected", end);
    // spec: PD-102
    if (!end.resumption) this.#rejectAllPending(lost(end.error));
    // spec: DL-ADAPTER-6 PD-101
    if (this.#policy === false || this.#policy.maxAttempts === 0 || !isTransientEnd(end)) {
      this.#rejectAllPending(lost(end.error));
      return this.#finish(end);
    }
    const redirect = end.seeOtherHost ? parseLocation(end.seeOtherHost, endpoint.port) : undefined;
    const target = redirect ? { ...endpoint, ...redirect } : endpoint;
    let last: ConnectionEnd = end;
    for (let attempt = 0; attempt < this.#policy.maxAttempts; attempt++) {
      const delayMs = redirect && attempt === 0
        ? 0
        : backoffDelay(attempt, this.#policy, this.#options.entropy);
      this.#emit("reconnecting", { attempt, delayMs });
      await new Promise<void>((r) => {
        this.#wakeRetry = r;
        this.#retryTimer = setTimeout(r, delayMs);
      });
      this.#retryTimer = undefined;
      if (this.#closing) return this.#finish(last);
      try {
        // spec: DL-ADAPTER-7
        await this.#connect(target, end.resumption);
        return;
      } catch (e) {
        const error = e as DerlinkError;
        last = { clean: false, error, wasEstablished: false };
        if (!isTransientEnd(last)) break;
      }
    }
    this.#rejectAllPending(lost(last.error));
    this.#finish({
      ...last,
      error: new DerlinkError(
        AdapterError["reconnect-exhausted"],
        `last: ${last.error?.code ?? "clean close"}`,
      ),
    });
  }

  #finish(end: ConnectionEnd): void {
    if (this.#final) return;
    this.#final = true;
    this.#rejectAllPending(new DerlinkError(AdapterError["client-closed"]));
    this.#emit("closed", end);
  }
}

const lost = (cause?: DerlinkError) =>
  new DerlinkError(AdapterError["connection-lost"], cause ? cause.code : "");

/** `adapter/iq-error` with the stanza error condition as detail. */
function iqError(el: Xel): DerlinkError {
  const err = el.children.find((c): c is Xel => typeof c === "object" && c.name === "error");
  const cond = err?.children.find((c): c is Xel => typeof c === "object" && c.name !== "text");
  const e = new DerlinkError(AdapterError["iq-error"], cond?.name ?? "no condition");
  return Object.assign(e, { stanza: el });
}

/** Builds a chat message (convenience for callers and tests). */
export function message(to: string, body: string, id?: string): Xel {
  return new Element("message", { to, type: "chat", id }).c("body").t(body).root() as Xel;
}
