/**
 * Option 1 for the scenario: the grid operator's access-control list for
 * the simulated fleet (core/acl format, PD-209), and the switch that makes
 * the in-memory router's receivers enforce it (PD-211's stanza policy).
 * DERs talk to the control centre and the key server only; the control
 * centre moderates each group's room, whose members are that group's DERs;
 * only the market operator publishes tariffs.
 *
 * @module
 */
import { aclStanzaPolicy, parseAcl } from "../core/acl/mod.ts";
import type { Acl } from "../core/acl/mod.ts";
import { groupName } from "./context.ts";
import type { MemoryNetwork } from "./memory_network.ts";
import type { NetworkSetup } from "./network.ts";
import type { StanzaPolicy } from "../state-machines/xmpp-stream/policy.ts";

/** The scenario's fixed accounts (simulation/scenario.ts): control centre, key server, market. */
export const FIXED = { cc: "dno", ks: "kdc", market: "market" } as const;
export const TARIFF_NODE = "tariffs/grid";

/** The ACL document for a scenario's accounts, `groupSize` DERs per room. */
export function scenarioAclDocument(
  setup: Pick<NetworkSetup, "domain" | "accounts">,
  groupSize: number,
) {
  const d = setup.domain, jid = (l: string) => `${l}@${d}`;
  const fixed = new Set<string>(Object.values(FIXED));
  const ders = setup.accounts.filter((a) => !fixed.has(a));
  const rooms: Record<string, { moderators: string[]; members: string[] }> = {};
  ders.forEach((a, i) => {
    const room = `${groupName(Math.floor(i / groupSize))}@rooms.${d}`;
    rooms[room] ??= { moderators: ["@operators"], members: [] };
    rooms[room].members.push(jid(a));
  });
  return {
    version: 1,
    domain: d,
    mucService: `rooms.${d}`,
    pubsubService: `pubsub.${d}`,
    groups: {
      ders: ders.map(jid),
      operators: [jid(FIXED.cc)],
      keyservers: [jid(FIXED.ks)],
      market: [jid(FIXED.market)],
    },
    addressing: [
      { from: ["@operators"], to: ["@ders", "@keyservers"], comment: "associations, key relay" },
      { from: ["@ders"], to: ["@operators", "@keyservers"], comment: "reports, registration" },
      { from: ["@keyservers"], to: ["@ders", "@operators"], comment: "key downloads, rekeys" },
    ],
    rooms,
    nodes: {
      [TARIFF_NODE]: { publishers: ["@market"], subscribers: ["@ders", "@operators"] },
    },
  };
}

export function scenarioAcl(
  setup: Pick<NetworkSetup, "domain" | "accounts">,
  groupSize: number,
): Acl {
  const r = parseAcl(scenarioAclDocument(setup, groupSize));
  if (!r.ok) throw r.error;
  return r.value;
}

/**
 * Makes every later connection of `net`'s router enforce `acl`. The router
 * reads its `receiver` settings for each new connection, and the memory
 * network passes a settings object of its own; this adds the policy to it
 * before any node connects. (A constructor option of MemoryNetwork would be
 * cleaner: asked for, see docs/options.md.)
 */
// spec: PD-236 DL-CMP-3
export function enforceAcl(net: MemoryNetwork, acl: Acl): void {
  const receiver = net.router.options.receiver as { stanzaPolicy?: StanzaPolicy } | undefined;
  if (!receiver) throw new Error("memory network without receiver settings: cannot add the ACL");
  if (net.router.all.length > 0) throw new Error("the ACL must be set before the first login");
  receiver.stanzaPolicy = aclStanzaPolicy(acl);
}
