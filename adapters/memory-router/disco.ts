/**
 * What the in-memory router answers to service discovery (XEP-0030; PD-133):
 * the domain (server/im, its services and configured extra items such as
 * the key server) and the MUC service (conference/text, hidden rooms so no
 * items). The pubsub service describes itself (pubsub.ts). Answers come
 * from the disco responder (state-machines/disco/).
 *
 * @module
 */
import type { DiscoEntity } from "../../state-machines/disco/responder.ts";
import { IDENTITY } from "../../state-machines/disco/namespaces.ts";
import type { DiscoItem } from "../../state-machines/disco/stanzas.ts";
import { MUC_NS } from "../../state-machines/muc/stanzas.ts";

const PING_NS = "urn:xmpp:ping";
const ROSTER_NS = "jabber:iq:roster";

/** The domain's entity: its MUC and pubsub services, then `extra` items. */
// spec: XEP0030-4.1 PAPER-MAP5 PD-133
export function domainEntity(
  muc: string,
  pubsub: string,
  extra: readonly DiscoItem[],
): DiscoEntity {
  return {
    identities: [{ ...IDENTITY.server, name: "derlink memory router" }],
    features: [PING_NS, ROSTER_NS],
    items: [{ jid: muc, name: "rooms" }, { jid: pubsub, name: "market" }, ...extra],
  };
}

/** The MUC service's entity (its rooms are hidden: no items). */
// spec: XEP0030-3.1 PD-133
export const mucServiceEntity: DiscoEntity = {
  identities: [{ ...IDENTITY.muc, name: "derlink rooms" }],
  features: [MUC_NS.muc],
  items: [],
};
