/**
 * What the scenario needs from the network it runs on, so the transport is
 * pluggable: the in-memory router in virtual time (memory_network.ts) now,
 * a real XMPP server later (a fleet driver implementing the same
 * interface, see docs/simulation.md). The scenario's nodes only ever see
 * `Network` and `Link`: they log in, send stanzas, hear stanzas, and may be
 * cut off; time and timers come from `clock`.
 *
 * @module
 */
import type { Element } from "ltx";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { GridOperator } from "./operator.ts";
import type { SimAccess } from "./options.ts";
import type { Acl } from "../core/acl/types.ts";

/** What a node hears from its XMPP session. */
export interface LinkEvents {
  /** Bound: stanzas may flow. */
  established(jid: string): void;
  /** A stanza the server delivered (it stamped `from`). */
  stanza(stanza: Xel): void;
  /** The session is over (cut, closed, or refused before binding). */
  closed(reason: string): void;
  /** An error the stream reported (e.g. a stanza it refused to send), by code. */
  error?(code: string): void;
}

/** What a login may ask of its stream. */
export interface LinkOptions {
  /** iq requests in flight at once (default the stream machine's 256; a control centre needs more). */
  readonly maxPendingIq?: number;
  /** Delegated logins (Option 2): present this login token instead of a fresh one (attacks). */
  readonly bearerToken?: string;
}

/** One client session (an XMPP login). */
export interface Link {
  readonly account: string;
  /** The bound full JID, once established. */
  readonly jid: string | undefined;
  send(stanza: Xel | Element): void;
  /** The network fails under this session (no orderly close). */
  cut(): void;
}

/** Time and timers the nodes use (virtual in memory, the wall clock on a real server). */
export interface Clock {
  readonly now: number;
  at(time: number, fire: () => void): { cancel(): void };
}

/** Traffic counters of the network, for the summary (deterministic in memory). */
export interface TrafficCounters {
  /** Stanzas handed to the network by clients, and delivered to clients. */
  stanzasSent: number;
  stanzasDelivered: number;
  /** Bytes written by clients and by the server. */
  bytesUp: number;
  bytesDown: number;
  logins: number;
}

export interface Network {
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly clock: Clock;
  readonly traffic: TrafficCounters;
  /** Starts a login of `account` (its password is the network's business). */
  connect(account: string, resource: string, events: LinkEvents, options?: LinkOptions): Link;
  /** Runs every delivery and timer up to `until`, then time stands at `until`. */
  runUntil(until: number): Promise<void>;
  close(): Promise<void>;
}

/** What a network needs to know to be built for a scenario. */
export interface NetworkSetup {
  readonly domain: string;
  /** Account localparts, in a fixed order. */
  readonly accounts: readonly string[];
  /** Localparts allowed to create pubsub nodes (the market operator). */
  readonly pubsubAdmins: readonly string[];
  /** Shared roster groups: name → localparts (who sees whose presence). */
  readonly rosterGroups: Readonly<Record<string, readonly string[]>>;
  /** Extra items of the domain's disco#items (the key server). */
  readonly discoItems: readonly { readonly jid: string; readonly name?: string }[];
  readonly start: number;
  readonly seed: string;
  /** SCRAM-SHA-256 iteration count of every account and the clients' minimum. */
  readonly scramIterations: number;
  /** The grid operator's token service, under access options 2 and 3 (PD-243). */
  readonly operator?: GridOperator;
  /** The access-control option the server takes part in (simulation/access.ts); absent: none. */
  readonly access?: SimAccess;
  /** The grid operator's ACL of the run, under options 1 and 2 (enforced, or deciding logins). */
  readonly acl?: Acl;
}
