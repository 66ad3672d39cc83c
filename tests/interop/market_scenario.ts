/**
 * The market scenario shared by tests/interop/market_test.ts (real Prosody)
 * and tests/router_market_test.ts (in-memory router), issue 6 item 4: the
 * market operator discovers the domain's services (disco#items of the
 * domain, disco#info of each: MUC, pubsub, key server), creates and
 * configures the tariff node (whitelist, publishers only) and whitelists
 * `n` DERs; each DER subscribes and fetches the tariff in force (none yet);
 * a DER not on the whitelist is refused; the operator publishes a signed
 * tariff, which every DER receives and verifies end to end; a DER's own
 * publish is refused by the server (forbidden) and reaches nobody; a
 * second tariff reaches everyone; a restarted operator finds its node
 * (conflict), reconfigures it and continues the numbering; and the
 * operator reads a DER's capabilities and logical devices through disco. The callers carry the
 * spec tags; this file runs the steps and asserts what they check.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import { isDerlinkError } from "../../core/errors.ts";
import {
  capabilitiesOf,
  type DerCapabilities,
  derEntity,
  type DomainServices,
  keyServerEntity,
  logicalDevicesOf,
  servicesOf,
} from "../../state-machines/disco/entities.ts";
import { answerDisco } from "../../state-machines/disco/responder.ts";
import type { DiscoInfo, DiscoItem } from "../../state-machines/disco/stanzas.ts";
import { tariffElement } from "../../state-machines/pubsub/envelope.ts";
import { publishIq } from "../../state-machines/pubsub/stanzas.ts";
import {
  HOUR,
  MARKET_ROLE,
  marketFixture,
  NOW,
  sampleTariff,
  signed,
} from "../../state-machines/pubsub/testing.ts";
import type { TariffDraft } from "../../state-machines/pubsub/types.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { within } from "./adapter_helpers.ts";
import { DerNode, MarketNode } from "./market_nodes.ts";

export const NODE = "tariffs/grid-east";

/** The accounts: market operator, key server, an outsider DER, then der01..der`n`. */
export function marketNames(n: number): string[] {
  return [
    "market",
    "kdc",
    "outsider",
    ...Array.from({ length: n }, (_, i) => `der${String(i + 1).padStart(2, "0")}`),
  ];
}

export interface MarketScenarioOptions {
  n: number;
  domain: string;
  mucDomain: string;
  pubsubDomain: string;
  serverName: string;
  /** Connects `name/resource` for every name, in order (the key server with resource "ks"). */
  connect: (names: readonly string[]) => Promise<XmppClient[]>;
  mark: (what: string) => void;
}

export interface MarketScenarioResult {
  readonly market: MarketNode;
  readonly ders: readonly DerNode[];
  readonly services: DomainServices;
  readonly domainItems: readonly DiscoItem[];
  readonly derCapabilities: DerCapabilities;
  readonly logicalDevices: readonly string[];
  /** The stanza error condition the server gave the DER's publish. */
  readonly derPublishRefusal: string;
}

const draft = (seq: number): TariffDraft => ({
  validFrom: NOW + seq * HOUR,
  slotSeconds: 900,
  currency: "EUR",
  prices: Array.from({ length: 96 }, (_, i) => 150_000 + 1000 * ((i * 7 + seq) % 40) - 20_000),
});

export async function runMarketScenario(o: MarketScenarioOptions): Promise<MarketScenarioResult> {
  const { mark, domain } = o;
  const names = marketNames(o.n);
  const jid = (n: string) => `${n}@${domain}`;
  // Virtual time: the fixture PKI is issued at NOW; the machines only see this clock.
  let tick = 0;
  const clock = () => NOW + tick++;
  const f = marketFixture("p256", domain);
  mark("certificates");
  const clients = await o.connect(names);
  mark(`${clients.length} clients connected`);
  const [marketClient, kdcClient, outsiderClient, ...derClients] = clients;

  // The key server answers disco with its entity.
  kdcClient.on("iq", (iq) => {
    const a = answerDisco(keyServerEntity(), iq);
    if (a) kdcClient.send(a);
  });
  const market = new MarketNode(marketClient, {
    jid: jid("market"),
    service: o.pubsubDomain,
    node: NODE,
    subscribers: names.slice(3).map(jid),
    sign: f.signer("market"),
    chain: f.chainOf("market"),
  }, clock);

  // 1. Discovery of the domain's services.
  const domainItems = await within(market.disco.items(domain), 5000, "domain items");
  const infos = new Map<string, DiscoInfo>();
  for (const item of domainItems) {
    if (item.node !== undefined) continue;
    infos.set(item.jid, await within(market.disco.info(item.jid), 5000, `info of ${item.jid}`));
  }
  const services = servicesOf(domainItems, infos);
  assert.equal(services.muc, o.mucDomain, `${o.serverName}: MUC service found`);
  assert.equal(services.pubsub, o.pubsubDomain, `${o.serverName}: pubsub service found`);
  mark(
    `disco: ${domainItems.length} domain items, MUC ${services.muc}, pubsub ${services.pubsub}, key server ${services.keyServer}`,
  );

  // 2. The node.
  market.step({ type: "start" });
  await within(
    market.until(() => market.state.phase === "ready" || market.state.phase === "failed"),
    10_000,
    "node ready",
  );
  assert.equal(market.state.phase, "ready", JSON.stringify(market.errors()));
  mark(`node ${NODE} created, ${market.state.whitelist.size} DERs whitelisted`);

  // 3. Subscriptions.
  const policy = { ...f.policy, requiredRole: MARKET_ROLE };
  const derNode = (client: XmppClient, name: string) =>
    new DerNode(
      client,
      { ...policy, jid: client.jid, service: o.pubsubDomain },
      derEntity({
        jid: client.jid,
        name: `${name} inverter`,
        suites: ["p256", "x25519-ed25519"],
        groupKeying: true,
        tariffs: true,
        logicalDevices: [{ name: `${name.toUpperCase()}PV` }, { name: `${name.toUpperCase()}BAT` }],
      }),
      clock,
    );
  const ders = derClients.map((c, i) => derNode(c, names[3 + i]));
  const outsider = derNode(outsiderClient, "outsider");
  for (const d of [...ders, outsider]) d.step({ type: "subscribe" });
  const settled = (d: DerNode) => d.state.phase === "subscribed" || d.state.phase === "failed";
  await within(
    Promise.all([...ders, outsider].map((d) => d.until(() => settled(d)))),
    20_000,
    "subscriptions",
  );
  assert.deepEqual(ders.filter((d) => d.state.phase !== "subscribed").map((d) => d.errors()), []);
  assert.equal(outsider.state.phase, "failed");
  assert.deepEqual(outsider.errors(), ["pubsub/subscribe-refused"]);
  const refusal = outsider.out.find((x) => x.type === "error");
  mark(
    `${ders.length} DERs subscribed; the outsider refused: ${
      refusal?.type === "error" ? refusal.detail : ""
    }`,
  );

  // 4. A signed tariff reaches every DER.
  market.step({ type: "publish", tariff: draft(1), now: clock() });
  await within(
    Promise.all(ders.map((d) => d.until(() => d.tariffs().length >= 1))),
    20_000,
    "tariff 1",
  );
  for (const d of ders) {
    assert.deepEqual(d.tariffs().map((t) => [t.seq, t.market, t.prices.length]), [[
      1,
      jid("market"),
      96,
    ]]);
    assert.deepEqual(d.errors(), []);
  }
  assert.equal(market.events("published").length, 1);
  mark(`tariff 1 received and verified by ${ders.length} DERs`);

  // 5. A DER may not publish: the server refuses, nobody receives it.
  const forged = signed(
    sampleTariff({ seq: 99, market: jid("market"), node: NODE, id: "t-99" }),
    "der",
    "p256",
  );
  let derPublishRefusal = "";
  try {
    await ders[0].client.iq(
      publishIq(o.pubsubDomain, "der-pub", NODE, "t-99", tariffElement(forged) as unknown as Xel),
      { timeoutMs: 5000 },
    );
  } catch (e) {
    if (!isDerlinkError(e, "adapter/iq-error")) throw e;
    derPublishRefusal = e.detail;
  }
  assert.match(derPublishRefusal, /forbidden/, `${o.serverName} refuses a DER's publish`);
  mark(`a DER's publish refused by ${o.serverName}: ${derPublishRefusal}`);

  // 6. The next tariff reaches everyone, and nothing from the DER did.
  market.step({ type: "publish", tariff: draft(2), now: clock() });
  await within(
    Promise.all(ders.map((d) => d.until(() => d.tariffs().length >= 2))),
    20_000,
    "tariff 2",
  );
  for (const d of ders) {
    assert.deepEqual(d.tariffs().map((t) => t.seq), [1, 2]);
    assert.deepEqual(d.errors(), []);
    assert.ok(!d.received.some((s) => s.includes('id="t-99"') || s.includes("id='t-99'")));
  }
  mark(`tariff 2 received by ${ders.length} DERs; the DER's item reached nobody`);

  // 7. The operator restarts: the node exists (conflict), is reconfigured and whitelisted
  // again, and numbering continues where it stopped (persisted by the application).
  const restarted = new MarketNode(marketClient, {
    ...market.state.config,
    firstSeq: market.state.nextSeq,
    idPrefix: "ps2",
  }, clock);
  restarted.step({ type: "start" });
  await within(
    restarted.until(() => restarted.state.phase === "ready" || restarted.state.phase === "failed"),
    10_000,
    "restart",
  );
  assert.equal(restarted.state.phase, "ready", JSON.stringify(restarted.errors()));
  assert.equal(restarted.events("configured").length, 1, "the existing node was reconfigured");
  restarted.step({ type: "publish", tariff: draft(3), now: clock() });
  await within(
    Promise.all(ders.map((d) => d.until(() => d.tariffs().length >= 3))),
    20_000,
    "tariff 3",
  );
  for (const d of ders) assert.deepEqual(d.tariffs().map((t) => t.seq), [1, 2, 3]);
  mark(
    `operator restarted: node reconfigured after conflict, tariff 3 received by ${ders.length} DERs`,
  );

  // 8. The operator reads a DER's capabilities and logical devices.
  const der1 = ders[0].client.jid;
  const derCapabilities = capabilitiesOf(await within(market.disco.info(der1), 5000, "DER info"));
  const logicalDevices = logicalDevicesOf(
    await within(market.disco.items(der1), 5000, "DER items"),
  );
  mark(
    `disco of ${der1}: suites ${derCapabilities.suites.join(",")}, devices ${
      logicalDevices.join(",")
    }`,
  );
  return {
    market,
    ders,
    services,
    domainItems,
    derCapabilities,
    logicalDevices,
    derPublishRefusal,
  };
}
