/**
 * Interop: the market over a real Prosody (issue 6 item 4). Prosody's
 * pubsub component (the harness's `pubsub.<domain>`, the operator its only
 * admin) and disco (`disco_items` lists the key server beside the
 * components): the operator finds the MUC and pubsub services by disco,
 * creates and configures the whitelist node, whitelists 10 DERs; they
 * subscribe (an outsider is refused), receive and verify a signed tariff;
 * Prosody refuses a DER's publish with forbidden; a second tariff reaches
 * all; the operator reads a DER's capabilities by disco. Steps in
 * market_scenario.ts, shared with tests/router_market_test.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SeededEntropy } from "../../core/entropy.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import { luaString } from "../harness/prosody_config.ts";
import { startProsody } from "../harness/prosody.ts";
import { available } from "./muc_group_nodes.ts";
import { marketNames, runMarketScenario } from "./market_scenario.ts";
import { stopwatch } from "./muc_group_scenario.ts";

const N = 10;
const names = marketNames(N);
const password = (n: string) => `${n}-market-interop-secret`;

Deno.test({
  name:
    "market over Prosody: disco finds MUC and pubsub; signed tariffs reach 10 DERs; Prosody forbids a DER's publish (PAPER-MAP5 PAPER-MAP6 PAPER-AS4)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-MAP5 PAPER-MAP6 PAPER-AS4 PAPER-TA5 PD-157 PD-158 PD-159
    // spec: XEP0030-3.1 XEP0030-4.1 XEP0060-6.1 XEP0060-6.1.3.4 XEP0060-6.5 XEP0060-7.1 XEP0060-7.1.2.1 XEP0060-7.1.3.1 XEP0060-8.1.3 XEP0060-8.9.2
    const mark = stopwatch();
    const domain = "derlink.test";
    const server = await startProsody({
      domain,
      users: names.map((n) => ({ username: n, password: password(n) })),
      sharedRosterGroup: null,
      // The operator alone may create nodes (Prosody 0.12: service admins).
      pubsubAdmins: [`market@${domain}`],
      // The key server's full JID among the domain's disco items.
      extraHostLua: `  disco_items = { { ${luaString(`kdc@${domain}/ks`)}, ${
        luaString("derlink key server")
      } } }`,
    });
    const clients: XmppClient[] = [];
    try {
      mark("prosody up");
      const r = await runMarketScenario({
        n: N,
        domain: server.domain,
        mucDomain: server.mucDomain,
        pubsubDomain: server.pubsubDomain,
        serverName: "Prosody",
        mark,
        connect: async (accounts) => {
          for (const n of accounts) {
            const c = await XmppClient.connect({
              jid: `${n}@${server.domain}`,
              password: password(n),
              resource: n === "kdc" ? "ks" : "r1",
              entropy: new SeededEntropy(`market-interop/${n}/${Date.now()}`),
              server: { host: server.host, port: server.port },
              tls: { anchors: [server.caPem] },
              reconnect: false,
            });
            c.send(available());
            clients.push(c);
          }
          return clients;
        },
      });
      assert.equal(r.services.keyServer, `kdc@${domain}/ks`);
      assert.equal(r.derPublishRefusal, "forbidden");
      assert.deepEqual(r.derCapabilities.suites, ["p256", "x25519-ed25519"]);
      assert.deepEqual(r.logicalDevices, ["DER01PV", "DER01BAT"]);
    } catch (e) {
      console.log((await server.readLog()).split("\n").slice(-40).join("\n"));
      throw e;
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await server.stop();
    }
  },
});
