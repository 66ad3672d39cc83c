/**
 * Interop: group-protected multicast over a real Prosody MUC room (issue 5,
 * "Must show"). One key server, one publisher and 50 members on loopback:
 * the publisher creates a moderated, members-only room, grants and invites
 * the members; everyone registers with the key server (unicast); a
 * group-protected command reaches all 50; one member is evicted by an LKH
 * rekey published through the room; the next command is read by 49 and
 * refused by the evicted one; the room refuses a groupchat message from a
 * member without voice; and nothing Prosody stored or forwarded contains a
 * group key (PAPER-TA5). The steps are in muc_group_scenario.ts, shared with
 * the in-memory router test.
 *
 * @module
 */
import assert from "node:assert/strict";
import { toHex } from "../../core/bytes.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import { startProsody } from "../harness/prosody.ts";
import { available } from "./muc_group_nodes.ts";
import { assertNoKeyIn, groupNames, runGroupScenario, stopwatch } from "./muc_group_scenario.ts";

const N = 50;
const names = groupNames(N);

/** Runs `f` over `items` with at most `limit` at a time. */
async function bounded<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

/** Every file under `dir`, as text (binary files decoded leniently). */
async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) { for (const [k, v] of await readTree(p)) out.set(k, v); }
    else if (e.isFile) out.set(p, new TextDecoder().decode(await Deno.readFile(p)));
  }
  return out;
}

Deno.test({
  name:
    "MUC group: 50 members over Prosody; eviction; no voice; server never sees keys (PAPER-MAP4 PAPER-M4 PAPER-M6 PAPER-OPT6 PAPER-TA5)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-MAP4 PAPER-M4 PAPER-M6 PAPER-OPT6 PAPER-TA5 PD-132 XEP0045-7.4 XEP0045-9.4
    const mark = stopwatch();
    const users = names.map((n) => ({ username: n, password: `${n}-muc-interop-secret` }));
    const server = await startProsody({ users, sharedRosterGroup: null });
    const clients: XmppClient[] = [];
    try {
      mark("prosody up");
      const { kdc, nodes } = await runGroupScenario({
        n: N,
        domain: server.domain,
        mucDomain: server.mucDomain,
        serverName: "Prosody",
        mark,
        connect: (accounts, now) =>
          bounded(accounts, 8, async (n) => {
            const c = await XmppClient.connect({
              jid: `${n}@${server.domain}`,
              password: `${n}-muc-interop-secret`,
              entropy: new SeededEntropy(`muc-interop/${n}/${now}`),
              server: { host: server.host, port: server.port },
              tls: { anchors: [server.caPem] },
              reconnect: false,
            });
            clients.push(c);
            c.send(available());
            return c;
          }),
      });

      // Nothing stored or forwarded holds a key.
      const stored = await readTree(server.dir);
      const forwarded = [...nodes.flatMap((x) => x.received), ...kdc.received];
      const haystack = assertNoKeyIn(
        [...stored.values(), ...forwarded],
        kdc.secrets,
        20,
        "Prosody",
      );
      // The search does find keys where they are: the test's own memory.
      const [someKey] = kdc.secrets.values();
      assert.ok((haystack + toHex(someKey)).includes(toHex(someKey)));
      mark(
        `searched ${stored.size} stored files and ${forwarded.length} stanzas for ${kdc.secrets.size} keys: none found`,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await server.stop();
    }
  },
});
