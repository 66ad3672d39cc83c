/**
 * The MUC group scenario of tests/interop/muc_group_test.ts run over the
 * in-memory router instead of Prosody (issue 5 item 3): key server,
 * publisher and 20 members; moderated members-only room; unicast
 * registration; a command to all; an LKH eviction rekey through the room;
 * the next command read by the rest and refused by the evicted member; the
 * room refuses a voiceless groupchat; and nothing the router stored or
 * forwarded contains any traffic key or KEK (PAPER-TA5, PD-139). The steps
 * are in tests/interop/muc_group_scenario.ts, shared with the Prosody test.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { XmppClient } from "../adapters/xmpp_client.ts";
import { connectTo, testRouter } from "../adapters/memory-router/testing.ts";
import { available } from "./interop/muc_group_nodes.ts";
import {
  assertNoKeyIn,
  groupNames,
  runGroupScenario,
  stopwatch,
} from "./interop/muc_group_scenario.ts";

const N = 20;
const names = groupNames(N);

Deno.test({
  name:
    "router MUC group: 20 members in memory; eviction; no voice; the router never sees keys (PAPER-TA5 PAPER-M6 PD-139 DL-ROUTER-7 DL-ROUTER-10)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-TA5 PAPER-M6 PAPER-M4 PAPER-MAP4 PD-139 DL-ROUTER-7 DL-ROUTER-8 DL-ROUTER-9 DL-ROUTER-10 DL-ROUTER-11
    // spec: XEP0045-5.1.2 XEP0045-7.2.4 XEP0045-10.1.1 XEP0045-10.1.3 XEP0045-9.4 XEP0045-7.4 XEP0045-7.8.2
    const mark = stopwatch();
    const router = await testRouter(names, { rosterGroups: null });
    const clients: XmppClient[] = [];
    try {
      const { kdc } = await runGroupScenario({
        n: N,
        domain: router.domain,
        mucDomain: router.mucDomain,
        serverName: "the router",
        mark,
        connect: async (accounts) => {
          const connected: XmppClient[] = [];
          for (const n of accounts) {
            const { client } = await connectTo(router, n, "r1");
            clients.push(client);
            client.send(available());
            connected.push(client);
          }
          return connected;
        },
      });

      // Nothing the router stored or forwarded holds a key.
      const haystack = assertNoKeyIn(router.everything(), kdc.secrets, 10, "the router");
      // The search does find what is there: the SPDU bytes the room forwarded.
      assert.ok(haystack.includes("urn:derlink:group:0"));
      mark(
        `searched ${router.log.sessions.length} sessions (${haystack.length} chars) for ${kdc.secrets.size} keys: none found`,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
    }
  },
});
