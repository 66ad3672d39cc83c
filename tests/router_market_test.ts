/**
 * The market scenario of tests/interop/market_test.ts over the in-memory
 * router (issue 6 item 4): disco of the domain's services, the operator's
 * whitelist node, 20 DERs subscribing, a signed tariff received and
 * verified by all 20, a DER's publish refused with forbidden, a second
 * tariff, a DER's capabilities through disco. The steps are in
 * tests/interop/market_scenario.ts, shared with the Prosody test.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { XmppClient } from "../adapters/xmpp_client.ts";
import { connectTo, testRouter } from "../adapters/memory-router/testing.ts";
import { available } from "./interop/muc_group_nodes.ts";
import { marketNames, runMarketScenario } from "./interop/market_scenario.ts";
import { stopwatch } from "./interop/muc_group_scenario.ts";

const N = 20;

Deno.test({
  name:
    "router market: 20 DERs receive and verify signed tariffs; a DER's publish is forbidden; operator restart; disco finds the services (PAPER-MAP5 PAPER-MAP6 PAPER-AS4 PD-133)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-MAP5 PAPER-MAP6 PAPER-AS4 PAPER-TA5 PD-133 PD-157 PD-158 PD-159
    // spec: XEP0030-3.1 XEP0030-4.1 XEP0060-6.1 XEP0060-6.1.3.4 XEP0060-6.5 XEP0060-7.1 XEP0060-7.1.2.1 XEP0060-7.1.3.1 XEP0060-8.1.3 XEP0060-8.9.2
    const mark = stopwatch();
    const names = marketNames(N);
    const router = await testRouter(names, {
      rosterGroups: null,
      pubsubAdmins: ["market@example.net"],
      discoItems: [{ jid: "kdc@example.net/ks", name: "derlink key server" }],
    });
    assert.equal(router.domain, "example.net");
    const clients: XmppClient[] = [];
    try {
      const r = await runMarketScenario({
        n: N,
        domain: router.domain,
        mucDomain: router.mucDomain,
        pubsubDomain: router.pubsubDomain,
        serverName: "the router",
        mark,
        connect: async (accounts) => {
          for (const n of accounts) {
            const { client } = await connectTo(router, n, n === "kdc" ? "ks" : "r1");
            client.send(available());
            clients.push(client);
          }
          return clients;
        },
      });
      assert.equal(r.services.keyServer, "kdc@example.net/ks");
      assert.equal(r.ders.length, N);
      assert.equal(r.derPublishRefusal, "forbidden");
      assert.deepEqual(r.derCapabilities.suites, ["p256", "x25519-ed25519"]);
      assert.deepEqual(r.logicalDevices, ["DER01PV", "DER01BAT"]);
      // The server kept the three signed tariffs, not the DER's item.
      const items = router.pubsub.nodes.get("tariffs/grid-east")?.items;
      assert.deepEqual([...(items?.keys() ?? [])], ["t-1", "t-2", "t-3"]);
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
    }
  },
});
