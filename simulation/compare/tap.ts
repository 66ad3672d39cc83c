/**
 * The server's view and the attacker's hands, as a decorator around any
 * simulation `Network`: every stanza a client hands to the server and every
 * stanza the server delivers passes through here, so this is exactly what a
 * curious XMPP server operator sees (TLS is hop-to-hop: the server reads
 * stanzas in clear). The same place lets a compromised server act: deliver
 * a forged or replayed stanza to a client as if routed (`inject`), and log
 * in with a stolen account password (`connect` like any node).
 *
 * It also charges CPU time to the node whose callback is running (a DER, the
 * control centre, the key server, the market), so the comparison can show
 * cost at both ends; timers inherit the node that armed them. Time spent
 * outside every callback (the router, the client streams) is nobody's here.
 *
 * @module
 */
import type { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { Clock, Link, LinkEvents, LinkOptions, Network, TrafficCounters } from "../network.ts";

/** One stanza as the server saw it. */
export interface Seen {
  /** Virtual time. */
  readonly t: number;
  /** "up": a client handed it to the server; "down": the server delivered it. */
  readonly dir: "up" | "down";
  /** The client's account (localpart). */
  readonly account: string;
  readonly stanza: Xel;
}

/** Who a callback runs for: the role of the account (der, dno, kdc, market) or the scenario. */
export type Actor = string;

export const actorOf = (account: string): Actor => account.startsWith("der") ? "der" : account;

interface Frame {
  readonly actor: Actor;
  readonly start: number;
  child: number;
}

export class TappedNetwork implements Network {
  /** Every stanza seen, when kept (small runs; large ones only `watch`). */
  readonly seen: Seen[] = [];
  /** CPU (ms, wall time inside callbacks) by actor and by the phase `phaseOf` names. */
  readonly cpu = new Map<string, number>();
  readonly clock: Clock;
  /** Wall time from each login's start to its session being bound, ms, in order. */
  readonly loginMs: number[] = [];
  /** Accounts whose session the scenario cut (the DERs that dropped out), in order. */
  readonly cuts: string[] = [];
  /** Called for every stanza seen, before it goes on (attacks watch here). */
  watch?: (s: Seen) => void;
  readonly #inner: Network;
  readonly #links = new Map<string, { events: LinkEvents; link: Link }[]>();
  readonly #stack: Frame[] = [];
  readonly #phaseOf: (t: number) => string;

  readonly #keep: boolean;

  constructor(inner: Network, phaseOf: (t: number) => string = () => "run", keep = true) {
    this.#inner = inner;
    this.#keep = keep;
    this.#phaseOf = phaseOf;
    const clock = inner.clock;
    this.clock = {
      get now() {
        return clock.now;
      },
      at: (time, fire) => {
        const actor = this.#stack.at(-1)?.actor ?? "scenario";
        return clock.at(time, () => this.run(actor, fire));
      },
    };
  }

  get domain(): string {
    return this.#inner.domain;
  }
  get mucDomain(): string {
    return this.#inner.mucDomain;
  }
  get pubsubDomain(): string {
    return this.#inner.pubsubDomain;
  }
  get traffic(): TrafficCounters {
    return this.#inner.traffic;
  }

  /** Runs `fn` charged to `actor` (nested callbacks are charged to their own actor). */
  run<T>(actor: Actor, fn: () => T): T {
    const f: Frame = { actor, start: performance.now(), child: 0 };
    this.#stack.push(f);
    try {
      return fn();
    } finally {
      this.#stack.pop();
      const spent = performance.now() - f.start;
      const key = `${actor}|${this.#phaseOf(this.#inner.clock.now)}`;
      this.cpu.set(key, (this.cpu.get(key) ?? 0) + spent - f.child);
      const parent = this.#stack.at(-1);
      if (parent) parent.child += spent;
    }
  }

  connect(account: string, resource: string, events: LinkEvents, options?: LinkOptions): Link {
    const actor = actorOf(account);
    const entry = { events, link: undefined as unknown as Link };
    const started = performance.now();
    const wrapped: LinkEvents = {
      established: (jid) => {
        this.loginMs.push(performance.now() - started);
        this.run(actor, () => events.established(jid));
      },
      stanza: (stanza) => {
        this.#see({ t: this.#inner.clock.now, dir: "down", account, stanza });
        this.run(actor, () => events.stanza(stanza));
      },
      closed: (reason) => this.run(actor, () => events.closed(reason)),
      error: (code) => this.run(actor, () => events.error?.(code)),
    };
    const inner = this.#inner.connect(account, resource, wrapped, options);
    const link: Link = {
      account,
      get jid() {
        return inner.jid;
      },
      send: (stanza: Xel | Element) => {
        this.#see({ t: this.#inner.clock.now, dir: "up", account, stanza: stanza as Xel });
        inner.send(stanza);
      },
      cut: () => {
        this.cuts.push(account);
        inner.cut();
      },
    };
    entry.link = link;
    const list = this.#links.get(account) ?? [];
    list.push(entry);
    this.#links.set(account, list);
    return link;
  }

  /**
   * The server delivers `stanza` to the newest session of `account` as if it
   * had routed it (a compromised server: forged or replayed). Returns false
   * when the account has no session.
   */
  inject(account: string, stanza: Xel): boolean {
    const e = this.#links.get(account)?.at(-1);
    if (!e || e.link.jid === undefined) return false;
    this.#see({ t: this.#inner.clock.now, dir: "down", account, stanza });
    this.run(actorOf(account), () => e.events.stanza(stanza));
    return true;
  }

  runUntil(until: number): Promise<void> {
    return this.#inner.runUntil(until);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #see(s: Seen): void {
    if (this.#keep) this.seen.push(s);
    this.watch?.(s);
  }
}
