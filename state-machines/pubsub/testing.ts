/**
 * Test fixtures for the market: a grid PKI with the market operator, a DER
 * and a second (rogue) operator, an unrelated CA, signers, a tariff and
 * pubsub stanzas as a service would send them. Deterministic (fixed seeds);
 * used by the unit tests, the vector generator and the router/interop
 * tests. Not part of the public API.
 *
 * @module
 */
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { createHierarchy, type Hierarchy, validateChain } from "../../core/pki/mod.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { signTariff, type TariffSigner } from "./envelope.ts";
import { PUBSUB_NS } from "./stanzas.ts";
import type { Tariff } from "./tariff.ts";
import type { TariffPolicy } from "./verify.ts";

export const DOMAIN = "derlink.test";
export const SERVICE = `pubsub.${DOMAIN}`;
export const NODE = "tariffs/grid-east";
export const MARKET = `market@${DOMAIN}`;
export const ROGUE = `rogue@${DOMAIN}`;
export const DER1 = `der1@${DOMAIN}`;
export const DER1_FULL = `${DER1}/ied`;
export const MARKET_ROLE = "MARKETOP";
/** The time the fixture PKI is issued at, and "now" of the tests. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
export const HOUR = 3_600_000;

export interface MarketFixture {
  readonly suite: SuiteId;
  /** The operator's bare JID in this fixture's domain. */
  readonly market: string;
  readonly grid: Hierarchy;
  /** A CA nobody trusts, with an operator certificate for the same JID. */
  readonly foreign: Hierarchy;
  readonly signer: (peer: "market" | "rogue" | "der" | "foreign") => TariffSigner;
  readonly chainOf: (peer: "market" | "rogue" | "der" | "foreign") => readonly Uint8Array[];
  readonly policy: TariffPolicy;
}

const cache = new Map<string, MarketFixture>();

/**
 * The fixture PKI for `suite` with JIDs in `domain` (built once per suite,
 * domain and process). The default domain's seeds make the vectors.
 */
export function marketFixture(suite: SuiteId = "p256", domain = DOMAIN): MarketFixture {
  const key = `${suite}/${domain}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const at = (local: string) => `${local}@${domain}`;
  const market = at("market");
  const seed = domain === DOMAIN ? suite : `${suite}/${domain}`;
  const grid = createHierarchy({
    suite,
    now: NOW,
    peers: [
      { commonName: "market operator", jid: market, roles: [MARKET_ROLE] },
      { commonName: "rogue operator", jid: at("rogue"), roles: [MARKET_ROLE] },
      { commonName: "DER1 inverter", jid: at("der1") },
    ],
  }, new SeededEntropy(`market-fixture/${seed}`));
  const foreign = createHierarchy({
    suite,
    now: NOW,
    peers: [{ commonName: "market operator", jid: market, roles: [MARKET_ROLE] }],
  }, new SeededEntropy(`market-fixture/foreign/${seed}`));
  const entity = (peer: "market" | "rogue" | "der" | "foreign") =>
    peer === "foreign"
      ? { h: foreign, i: 0 }
      : { h: grid, i: { market: 0, rogue: 1, der: 2 }[peer] };
  const f: MarketFixture = {
    suite,
    market,
    grid,
    foreign,
    signer: (peer) => {
      const { h, i } = entity(peer);
      const key = h.peers[i].key.privateKey;
      return (m) => getSuite(suite).sig.sign(key, m);
    },
    chainOf: (peer) => {
      const { h, i } = entity(peer);
      return h.chains[i];
    },
    policy: {
      market,
      node: NODE,
      anchors: grid.policy.anchors,
      crls: grid.crls,
      validateChain,
      requiredRole: MARKET_ROLE,
    },
  };
  cache.set(key, f);
  return f;
}

/** A day-ahead tariff: 24 hourly prices from the next hour. */
export function sampleTariff(over: Partial<Tariff> = {}): Tariff {
  const seq = over.seq ?? 1;
  return {
    market: MARKET,
    node: NODE,
    id: `t-${seq}`,
    seq,
    issuedAt: NOW,
    validFrom: NOW + HOUR,
    slotSeconds: 3600,
    currency: "EUR",
    prices: Array.from(
      { length: 24 },
      (_, h) => 180_000 + 15_000 * Math.round(10 * Math.sin(h / 4)),
    ),
    ...over,
  };
}

/** A signed envelope from `peer` (default the market). */
export function signed(
  t: Tariff = sampleTariff(),
  peer: "market" | "rogue" | "der" | "foreign" = "market",
  suite: SuiteId = "p256",
): Uint8Array {
  const f = marketFixture(suite);
  return signTariff(t, f.signer(peer), f.chainOf(peer));
}

/** A pubsub event notification from `from` carrying `payload` as item `id`. */
export function notification(payload: Xel | string, id: string, from = SERVICE, node = NODE): Xel {
  const item = new Element("item", { id });
  if (typeof payload === "string") item.t(payload);
  else item.cnode(payload as unknown as Element);
  return new Element("message", { from, to: DER1_FULL, type: "headline" })
    .c("event", { xmlns: `${PUBSUB_NS}#event` }).c("items", { node }).cnode(item)
    .root() as unknown as Xel;
}
