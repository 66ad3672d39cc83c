/**
 * Namespaces of service discovery (XEP-0030) and the feature vars derlink
 * entities announce (PD-155), with the identities they use (PD-156).
 *
 * A feature var is a URI an entity lists in its disco#info answer to say
 * "I speak this". derlink's vars are the namespaces of the payloads the
 * feature exchanges, so an entity that announces one can be sent them.
 *
 * @module
 */
import type { SuiteId } from "../../core/crypto/suite.ts";
import { NS as A_PROFILE_NS } from "../a-profile/xml.ts";
import { GDOI_NS, GROUP_NS } from "../group-keying/xml.ts";

export const DISCO_NS = {
  info: "http://jabber.org/protocol/disco#info",
  items: "http://jabber.org/protocol/disco#items",
} as const;

/** Namespace of the market's signed tariff payloads (state-machines/pubsub/). */
export const TARIFF_NS = "urn:derlink:tariff:0";

/** derlink's feature vars (PD-155). */
// spec: PD-155
export const DERLINK_FEATURES = {
  /** Serves (or opens) an IEC 61850-8-2-style association over XMPP. */
  association: "urn:derlink:association:0",
  /** Speaks the 62351-4-style end-to-end A-profile handshake and protected PDUs. */
  aProfile: A_PROFILE_NS,
  /** Member of group-protected multicast (receives `<spdu>` in a room). */
  groupMember: GROUP_NS,
  /** Takes part in GDOI-style group keying (`<gdoi>` messages). */
  groupKeying: GDOI_NS,
  /** The domain's key server (GCKS): registration requests go to it. */
  keyServer: `${GDOI_NS}#key-server`,
  /** Accepts signed market tariffs (subscribes to the market's node). */
  tariffs: TARIFF_NS,
  /** Publishes signed market tariffs (the market operator). */
  tariffPublisher: `${TARIFF_NS}#publisher`,
} as const;

/** The feature var announcing one A-profile suite, e.g. `urn:derlink:a-profile:0#suite-p256`. */
export const aProfileSuiteFeature = (suite: SuiteId): string => `${A_PROFILE_NS}#suite-${suite}`;

/** Reads the suite back from a feature var, or undefined. */
export function suiteOfFeature(feature: string): string | undefined {
  const prefix = `${A_PROFILE_NS}#suite-`;
  return feature.startsWith(prefix) ? feature.slice(prefix.length) : undefined;
}

/** Identities (XEP-0030 registry category/type) derlink uses (PD-156). */
// spec: PD-156
export const IDENTITY = {
  server: { category: "server", type: "im" },
  muc: { category: "conference", type: "text" },
  pubsub: { category: "pubsub", type: "service" },
  /** A DER, the key server and the market operator: automated clients. */
  bot: { category: "client", type: "bot" },
  /** A logical device of a DER, answered as an info node of the DER. */
  logicalDevice: { category: "hierarchy", type: "leaf" },
} as const;

/** The disco node naming a DER's logical device (PD-156). */
export const logicalDeviceNode = (ld: string): string => `urn:derlink:ld:${ld}`;
