/**
 * The grid operator's example ACL used by the tests, the in-memory router
 * test and the Prosody interop test: DERs talk only to the control centre,
 * the control centre moderates the group room whose members are the listed
 * DERs, and only the market operator publishes to the tariff node.
 *
 * @module
 */

/** The example ACL document for `domain` (rooms.<domain>, pubsub.<domain>). */
export function gridAclDocument(domain: string) {
  return {
    version: 1,
    domain,
    mucService: `rooms.${domain}`,
    pubsubService: `pubsub.${domain}`,
    groups: {
      ders: [`der1@${domain}`, `der2@${domain}`],
      operators: [`cc@${domain}`],
      market: [`market@${domain}`],
    },
    addressing: [
      { from: ["@operators"], to: ["@ders"], comment: "control centre commands DERs" },
      { from: ["@ders"], to: ["@operators"], comment: "DERs report to the control centre" },
      { from: ["@market"], to: ["@operators"] },
    ],
    rooms: {
      [`group1@rooms.${domain}`]: { moderators: ["@operators"], members: ["@ders"] },
    },
    nodes: {
      tariff: { publishers: ["@market"], subscribers: ["@ders", "@operators"] },
    },
  };
}
