/**
 * Configuration, state, inputs and outputs of the market's two XEP-0060
 * client machines: the publisher (market operator) and the subscriber (DER).
 *
 * @module
 */
import type { ErrorOutput } from "../../core/machine.ts";
import type { PersistentMap } from "../../core/persistent_map.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import type { TariffSigner } from "./envelope.ts";
import type { Tariff } from "./tariff.ts";
import type { TariffPolicy } from "./verify.ts";

/** What the operator decides of a tariff; the machine adds market, node, seq, issuedAt (and id). */
export interface TariffDraft {
  readonly validFrom: number;
  readonly slotSeconds: number;
  readonly currency: string;
  readonly prices: readonly number[];
  /** Default `t-<seq>`. */
  readonly id?: string;
}

export interface PublisherConfig {
  /** The operator's bare JID (its certificate carries it). */
  readonly jid: string;
  /** The pubsub service, e.g. `pubsub.derlink.test`. */
  readonly service: string;
  readonly node: string;
  /** Bare JIDs of the DERs allowed to subscribe (the whitelist). */
  readonly subscribers: readonly string[];
  readonly sign: TariffSigner;
  /** The operator's certificate chain, end entity first. */
  readonly chain: readonly CertificateDer[];
  /** Sequence number of the first tariff (default 1); continue a persisted count with it. */
  readonly firstSeq?: number;
  readonly idPrefix?: string;
}

export const PUBLISHER_PHASES = [
  "idle",
  "creating",
  "configuring",
  "whitelisting",
  "ready",
  "failed",
] as const;
export type PublisherPhase = typeof PUBLISHER_PHASES[number];

export type PublisherPending =
  | { readonly kind: "create" | "configure" | "whitelist" }
  | { readonly kind: "grant" | "revoke"; readonly jid: string }
  | { readonly kind: "publish"; readonly id: string; readonly seq: number }
  | { readonly kind: "retract"; readonly id: string };

export interface PublisherState {
  readonly phase: PublisherPhase;
  readonly config: PublisherConfig;
  // spec: PD-271
  /** Requests in flight by id (one per DER while the whitelist is granted: a persistent map). */
  readonly pending: PersistentMap<PublisherPending>;
  readonly nextId: number;
  /** The sequence number the next tariff gets. */
  readonly nextSeq: number;
  /** Bare JIDs on the node's whitelist, as far as the service confirmed (a persistent set). */
  readonly whitelist: PersistentMap<true>;
}

export type PublisherInput =
  /** Create (or, if it exists, reconfigure) the node and whitelist the subscribers. */
  | { readonly type: "start" }
  | { readonly type: "stanza"; readonly stanza: Xel }
  /** Sign and publish a tariff; `now` becomes its issuedAt. */
  | { readonly type: "publish"; readonly tariff: TariffDraft; readonly now: number }
  | { readonly type: "grant"; readonly jid: string }
  | { readonly type: "revoke"; readonly jid: string }
  | { readonly type: "retract"; readonly id: string };

export type PublisherEvent =
  | { readonly type: "created" }
  | { readonly type: "configured" }
  | { readonly type: "whitelisted"; readonly jids: readonly string[] }
  | { readonly type: "ready" }
  | { readonly type: "published"; readonly id: string; readonly seq: number }
  | { readonly type: "granted"; readonly jid: string }
  | { readonly type: "revoked"; readonly jid: string }
  | { readonly type: "retracted"; readonly id: string };

export type PublisherOutput =
  | { readonly type: "send"; readonly stanza: Xel }
  | { readonly type: "event"; readonly event: PublisherEvent }
  | ErrorOutput;

export interface SubscriberConfig extends TariffPolicy {
  /** The JID we subscribe (our bound full JID, or our bare JID). */
  readonly jid: string;
  readonly service: string;
  /** Highest sequence number accepted before (persisted across restarts; default 0). */
  readonly lastSeq?: number;
  readonly idPrefix?: string;
}

export const SUBSCRIBER_PHASES = [
  "idle",
  "subscribing",
  "fetching",
  "subscribed",
  "failed",
] as const;
export type SubscriberPhase = typeof SUBSCRIBER_PHASES[number];

export interface SubscriberState {
  readonly phase: SubscriberPhase;
  readonly config: SubscriberConfig;
  readonly pending: Readonly<Record<string, "subscribe" | "items" | "unsubscribe">>;
  readonly nextId: number;
  readonly lastSeq: number;
  /** The newest accepted tariff still in force. */
  readonly current?: Tariff;
}

export type SubscriberInput =
  | { readonly type: "subscribe" }
  | { readonly type: "unsubscribe" }
  /** A stanza the client received, at `now` (tariffs are checked against it). */
  | { readonly type: "stanza"; readonly stanza: Xel; readonly now: number }
  /** Time passed: the current tariff may have expired. */
  | { readonly type: "tick"; readonly now: number };

export type SubscriberEvent =
  | { readonly type: "subscribed" }
  | { readonly type: "unsubscribed" }
  | { readonly type: "retracted"; readonly id: string }
  | { readonly type: "tariff-expired"; readonly id: string };

export type SubscriberOutput =
  | { readonly type: "send"; readonly stanza: Xel }
  | { readonly type: "event"; readonly event: SubscriberEvent }
  /** A tariff that passed every check (verify.ts): signed by the operator, for our node, new. */
  | { readonly type: "tariff"; readonly tariff: Tariff }
  | ErrorOutput;
