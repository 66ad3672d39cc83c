/**
 * A deterministic in-memory XMPP server for simulations and tests — never a
 * deployment server. Each client connection is the project's receiver
 * machine (through MemoryServer's links, the same code the adapter tests
 * use), so clients really negotiate: simulated STARTTLS, SCRAM, bind. On
 * top, this file routes what the receivers hand out: message, iq and
 * presence between accounts (routing.ts, presence.ts), a small XEP-0045
 * service at `rooms.<domain>` (memory-router/muc.ts), a small XEP-0060
 * service at `pubsub.<domain>` (memory-router/pubsub.ts), and service
 * discovery of the domain and both services (memory-router/disco.ts).
 *
 * Determinism: the router has no timers and reads no clock. Time is what
 * `advance(now)` last said and is given to every receiver input; receiver
 * timers are remembered and fired by `advance` (kept in time order, so an
 * advance costs the timers due, not the sessions). Entropy comes from the
 * injected source, drawn in connection order. Stanzas are routed from one
 * FIFO queue, so the same inputs in the same order give the same bytes.
 * Everything each connection wrote and was sent is kept in `log` (unless
 * `keepTraffic` is false, for large simulations). A simulation can schedule
 * the deliveries itself (`defer`) and connect synchronously (`attach`).
 *
 * ```ts
 * const router = new MemoryRouter({ domain: "derlink.test", users: { der1: "pw" },
 *   entropy: new SeededEntropy("sim"), chain });
 * const c = await XmppClient.connect({ ..., connector: router.connector });
 * ```
 *
 * @module
 */
import type { EntropySource } from "../core/entropy.ts";
import { SeededEntropy } from "../core/entropy.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { ReceiverConfig } from "../state-machines/xmpp-stream/receiver.ts";
import { scramCredentialsFromPassword } from "../state-machines/xmpp-stream/sasl/mod.ts";
import type { ReceiverAccount } from "../state-machines/xmpp-stream/sasl_server.ts";
import type { StreamOutput } from "../state-machines/xmpp-stream/types.ts";
import { address, type RouterCore, type Session, SessionTable } from "./memory-router/core.ts";
import { TrafficLog } from "./memory-router/log.ts";
import { MucService } from "./memory-router/muc.ts";
import { PubsubService } from "./memory-router/pubsub.ts";
import { domainEntity } from "./memory-router/disco.ts";
import type { DiscoEntity } from "../state-machines/disco/responder.ts";
import type { DiscoItem } from "../state-machines/disco/stanzas.ts";
import { onSessionEnd } from "./memory-router/presence.ts";
import { routeFromSession, routeToAccount } from "./memory-router/routing.ts";
import { type MemoryConnection, type MemoryLink, MemoryServer } from "./memory_transport.ts";
import type { Connector, Endpoint, TlsInfo, Transport, TransportHandlers } from "./transport.ts";
import type { TlsTrust } from "./tls_trust.ts";

export { TrafficLog } from "./memory-router/log.ts";
export type { Session } from "./memory-router/core.ts";

export interface RouterOptions {
  readonly domain: string;
  /**
   * Accounts: localpart → password (test fixtures, not secrets); null: an
   * account that logs in by client certificate only (SASL EXTERNAL, PD-255).
   */
  readonly users: Readonly<Record<string, string | null>>;
  /** All randomness: account salts, then one child seed per connection, in order. */
  readonly entropy: EntropySource;
  /** The certificate chain clients are shown after the simulated TLS handshake. */
  readonly chain: readonly Uint8Array[];
  /**
   * Shared roster groups: name → localparts. Members of a group see each
   * other's presence. Default: one group "derlink" with every account; null
   * for none (PD-136).
   */
  readonly rosterGroups?: Readonly<Record<string, readonly string[]>> | null;
  /** SCRAM-SHA-256 iteration count of every account (default 4096). */
  readonly scramIterations?: number;
  /** Default `rooms.<domain>`. */
  readonly mucDomain?: string;
  /** Default `pubsub.<domain>`. */
  readonly pubsubDomain?: string;
  /** Bare JIDs that may create pubsub nodes and own every node (Prosody's admins). Default none. */
  readonly pubsubAdmins?: readonly string[];
  /** Extra items of the domain's disco#items (e.g. the key server), after the two services. */
  readonly discoItems?: readonly DiscoItem[];
  /** Virtual time at the start (ms). Default 0. */
  readonly now?: number;
  /** Extra receiver settings for every connection (stream management, ping...). */
  readonly receiver?: Partial<ReceiverConfig>;
  /** Schedules each delivery between a client and its receiver (default queueMicrotask). */
  readonly defer?: (task: () => void) => void;
  /** Keep every byte in `log` and each link's record (default true); false keeps only the sessions' JIDs. */
  readonly keepTraffic?: boolean;
  /**
   * CA certificates (DER) whose client certificates log in by SASL EXTERNAL
   * (RFC 6120 §6.3.4, XEP-0178); none (default): client certificates are ignored.
   */
  readonly clientAnchors?: readonly Uint8Array[];
  /**
   * Told every error code a connection's receiver reports (a refused login,
   * a stanza the policy refused...), with its session: the server's side of
   * a refusal, which the client may see only as `not-authorized`.
   */
  readonly onError?: (session: Session, code: string) => void;
}

/** A synchronous connection to the router (`attach`), for simulations that pump deliveries. */
export interface RouterAttachment {
  readonly session: Session;
  readonly transport: Transport;
  /** STARTTLS done at once (the receiver must have asked for it). */
  startTlsNow(): TlsInfo;
}

export class MemoryRouter implements RouterCore {
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly sessions = new SessionTable();
  readonly accounts: ReadonlySet<string>;
  readonly log = new TrafficLog();
  readonly muc: MucService;
  readonly pubsub: PubsubService;
  /** Every connection, in connection order. */
  readonly all: Session[] = [];
  #now: number;
  #server: MemoryServer;
  #byLink = new Map<MemoryLink, Session>();
  #groups = new Map<string, string[]>();
  #contacts = new Map<string, string[]>();
  #queue: (() => void)[] = [];
  #draining = false;
  #timers = new Map<Session, Map<string, number>>();
  /** Every armed timer as [at, session, name], earliest first (stale entries skipped). */
  #due: [number, Session, string][] = [];
  #keep: boolean;

  constructor(readonly options: RouterOptions) {
    this.domain = options.domain;
    this.mucDomain = options.mucDomain ?? `rooms.${options.domain}`;
    this.pubsubDomain = options.pubsubDomain ?? `pubsub.${options.domain}`;
    this.#now = options.now ?? 0;
    this.#keep = options.keepTraffic !== false;
    const names = Object.keys(options.users).sort();
    this.accounts = new Set(names);
    const users: Record<string, ReceiverAccount> = {};
    const iterations = options.scramIterations ?? 4096;
    for (const n of names) {
      const password = options.users[n];
      // spec: PD-255 DL-CRED-2
      if (password === null) {
        users[n] = {};
        continue;
      }
      const r = scramCredentialsFromPassword(
        "SHA-256",
        password,
        options.entropy.bytes(16),
        iterations,
      );
      if (!r.ok) throw r.error;
      users[n] = { scram: { "SHA-256": r.value } };
    }
    this.#rosters(options.rosterGroups === undefined ? { derlink: names } : options.rosterGroups);
    this.muc = new MucService(this);
    this.pubsub = new PubsubService(this, new Set(options.pubsubAdmins ?? []));
    this.#server = new MemoryServer({
      chain: options.chain,
      config: () => ({
        domain: this.domain,
        users,
        scramHashes: ["SHA-256"],
        ...options.receiver,
        entropy: new SeededEntropy(options.entropy.bytes(32)),
        now: this.#now,
      }),
      clock: () => this.#now,
      onOutput: (link, o) => this.#onOutput(link, o),
      onDrop: (link) => this.#onDrop(link),
      defer: options.defer,
      record: options.keepTraffic !== false,
      clientAnchors: options.clientAnchors,
    });
  }

  get now(): number {
    return this.#now;
  }

  /** Connects clients (XmppClient's `connector` option) to this router. */
  readonly connector: Connector = async (endpoint, trust, handlers) => {
    const transport = this.#server.connector(endpoint, trust, handlers);
    const s = this.#open(this.#server.last as MemoryLink);
    return this.#logged(s, await transport);
  };

  /**
   * The connector's work done synchronously: the session and its transport;
   * `clientChain`: a client certificate chain (DER) the simulated TLS presents.
   */
  attach(
    endpoint: Endpoint,
    trust: TlsTrust,
    handlers: TransportHandlers,
    clientChain?: readonly Uint8Array[],
  ): RouterAttachment {
    const c: MemoryConnection = this.#server.connectNow(endpoint, trust, handlers, clientChain);
    const session = this.#open(c.link);
    return { session, transport: this.#logged(session, c.transport), startTlsNow: c.startTlsNow };
  }

  #open(link: MemoryLink): Session {
    const s: Session = {
      id: this.all.length,
      link,
      traffic: this.log.open(),
      available: false,
      priority: 0,
      ended: false,
    };
    this.all.push(s);
    this.#byLink.set(link, s);
    return s;
  }

  #logged(s: Session, t: Transport): Transport {
    return {
      get tls() {
        return t.tls;
      },
      write: (bytes) => {
        // spec: DL-ROUTER-7
        if (this.#keep) this.log.received(s.traffic, bytes);
        return t.write(bytes);
      },
      holdReads: t.holdReads,
      startTls: t.startTls,
      end: t.end,
      abort: t.abort,
    };
  }

  /**
   * Moves virtual time to `now` (never backwards) and fires every receiver
   * timer due by then, in connection order.
   */
  // spec: PD-137 DL-ROUTER-12
  advance(now: number): void {
    if (now < this.#now) return;
    this.#now = now;
    const fire = new Set<Session>();
    while (this.#due.length > 0 && this.#due[0][0] <= now) {
      const [at, s, name] = popDue(this.#due);
      if (this.#timers.get(s)?.get(name) === at && !s.ended) fire.add(s);
    }
    for (const s of [...fire].sort((a, b) => a.id - b.id)) {
      const timers = this.#timers.get(s);
      if (!timers || s.ended) continue;
      for (const [name, at] of timers) if (at <= now) timers.delete(name);
      s.link.serverInput({ type: "tick", now });
    }
  }

  /** Cuts one session's transport, as a network failure would. */
  cut(jid: string): void {
    this.sessions.byFull.get(jid)?.link.drop();
  }

  /** What the router keeps between stanzas (presence, rooms), as text for searches. */
  stored(): string {
    return JSON.stringify({
      presence: this.all.map((s) => ({
        jid: s.jid,
        available: s.available,
        priority: s.priority,
        presence: s.presence?.toString(),
      })),
      rooms: this.muc.snapshot(),
      pubsub: this.pubsub.snapshot(),
    });
  }

  /** Everything stored and forwarded, for leak searches (PAPER-TA5). */
  // spec: PD-139 DL-ROUTER-7
  everything(): string[] {
    return [...this.log.texts(), this.stored()];
  }

  domainDisco(): DiscoEntity {
    return domainEntity(this.mucDomain, this.pubsubDomain, this.options.discoItems ?? []);
  }

  contactsOf(bare: string): readonly string[] {
    return this.#contacts.get(bare) ?? [];
  }

  groupsOf(bare: string): readonly string[] {
    return this.#groups.get(bare) ?? [];
  }

  deliver(to: Session, stanza: Xel): void {
    if (to.ended || to.link.closed) return;
    // spec: DL-ROUTER-6
    to.link.serverInput({ type: "send", stanza, now: this.#now });
  }

  route(stanza: Xel): void {
    this.#enqueue(() => this.#routeServerStanza(stanza));
  }

  #rosters(groups: Readonly<Record<string, readonly string[]>> | null): void {
    const members = new Map<string, Set<string>>();
    for (const [name, locals] of Object.entries(groups ?? {})) {
      const bares = locals.map((l) => `${l}@${this.domain}`);
      for (const b of bares) {
        // Appended in place: the operator's account is in every DER's group (O(N), not O(N²)).
        const names = this.#groups.get(b);
        if (names) names.push(name);
        else this.#groups.set(b, [name]);
        const set = members.get(b) ?? new Set();
        for (const o of bares) if (o !== b) set.add(o);
        members.set(b, set);
      }
    }
    for (const [b, set] of members) this.#contacts.set(b, [...set].sort());
  }

  #onOutput(link: MemoryLink, o: StreamOutput): void {
    const s = this.#byLink.get(link);
    if (!s) return;
    switch (o.type) {
      case "send-bytes":
        if (this.#keep) this.log.sent(s.traffic, o.data);
        break;
      case "established": {
        const old = this.sessions.byFull.get(o.jid);
        // spec: RFC6120-7.7.2.2
        if (old && old !== s) {
          this.#end(old);
          old.link.serverInput({ type: "close", condition: "conflict", now: this.#now });
        }
        this.sessions.bind(s, o.jid);
        s.traffic.jid = s.jid;
        break;
      }
      case "stanza":
        this.#enqueue(() => routeFromSession(this, this.muc, s, o.element, this.pubsub));
        break;
      case "set-timer":
        this.#timers.set(s, (this.#timers.get(s) ?? new Map()).set(o.name, o.at));
        pushDue(this.#due, [o.at, s, o.name]);
        break;
      case "clear-timer":
        this.#timers.get(s)?.delete(o.name);
        break;
      case "closed":
        this.#end(s);
        break;
      case "error":
        // spec: PD-242
        this.options.onError?.(s, o.code);
        break;
    }
  }

  #onDrop(link: MemoryLink): void {
    const s = this.#byLink.get(link);
    if (s) this.#end(s);
  }

  /** A session is over: contacts see it go, rooms remove it (DL-ROUTER-5). */
  #end(s: Session): void {
    if (s.ended) return;
    s.ended = true;
    this.#enqueue(() => {
      onSessionEnd(this, s);
      if (s.jid) this.muc.sessionGone(s.jid);
      this.sessions.unbind(s);
      this.#timers.delete(s);
    });
  }

  #enqueue(task: () => void): void {
    this.#queue.push(task);
    this.#drain();
  }

  /** Runs queued routing tasks in arrival order; re-entrant calls only enqueue. */
  // spec: DL-ROUTER-12
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) this.#queue[i]();
    } finally {
      this.#queue = [];
      this.#draining = false;
    }
  }

  /** A stanza the server made (MUC fan-out, bounces): to an account or the MUC service. */
  #routeServerStanza(el: Xel): void {
    const a = address(el.attrs.to);
    if (!a || a.domain !== this.domain || a.local === undefined) return;
    routeToAccount(this, el, a);
  }
}

type Due = [number, Session, string];
const before = (a: Due, b: Due) => a[0] < b[0] || (a[0] === b[0] && a[1].id < b[1].id);

/** Binary min-heap on (time, session id). */
function pushDue(heap: Due[], d: Due): void {
  let i = heap.push(d) - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]];
    i = p;
  }
}

function popDue(heap: Due[]): Due {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}
