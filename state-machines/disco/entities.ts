/**
 * What derlink entities announce through service discovery, and what a
 * requester reads back from the answers: a DER's capabilities (association,
 * A-profile suites, group keying, tariffs, logical devices as items), the
 * key server and market operator, and the domain's services (MUC, pubsub,
 * key server) found from the domain's items and their info (PAPER-MAP5).
 *
 * @module
 */
import { isSuiteId, type SuiteId } from "../../core/crypto/suite.ts";
import type { DiscoEntity, DiscoNode } from "./responder.ts";
import type { DiscoInfo, DiscoItem } from "./stanzas.ts";
import {
  aProfileSuiteFeature,
  DERLINK_FEATURES as F,
  IDENTITY,
  logicalDeviceNode,
  suiteOfFeature,
} from "./namespaces.ts";

export interface LogicalDevice {
  /** The IEC 61850 logical device name, e.g. "DER1PV". */
  readonly name: string;
  readonly description?: string;
}

export interface DerDescription {
  /** The DER's full JID (items point back at it with a node). */
  readonly jid: string;
  /** Human-readable name, e.g. the IED name. */
  readonly name: string;
  /** A-profile suites the DER accepts. */
  readonly suites: readonly SuiteId[];
  readonly groupKeying?: boolean;
  readonly tariffs?: boolean;
  readonly logicalDevices?: readonly LogicalDevice[];
}

/** The disco entity of a DER (PD-155, PD-156). */
// spec: PD-155 PD-156 PAPER-MAP5
export function derEntity(d: DerDescription): DiscoEntity {
  const features: string[] = [F.association, F.aProfile, ...d.suites.map(aProfileSuiteFeature)];
  if (d.groupKeying) features.push(F.groupMember, F.groupKeying);
  if (d.tariffs) features.push(F.tariffs);
  const lds = d.logicalDevices ?? [];
  const nodes: Record<string, DiscoNode> = {};
  for (const ld of lds) {
    nodes[logicalDeviceNode(ld.name)] = {
      identities: [{ ...IDENTITY.logicalDevice, name: ld.description ?? ld.name }],
      features: [F.association],
      items: [],
    };
  }
  return {
    identities: [{ ...IDENTITY.bot, name: d.name }],
    features,
    items: lds.map((ld) => ({ jid: d.jid, node: logicalDeviceNode(ld.name), name: ld.name })),
    nodes,
  };
}

/** The key server's entity. */
export const keyServerEntity = (name = "derlink key server"): DiscoEntity => ({
  identities: [{ ...IDENTITY.bot, name }],
  features: [F.groupKeying, F.keyServer],
  items: [],
});

/** The market operator's entity; its node is an item on the pubsub service. */
export const marketEntity = (
  pubsubService: string,
  node: string,
  name = "derlink market operator",
): DiscoEntity => ({
  identities: [{ ...IDENTITY.bot, name }],
  features: [F.tariffs, F.tariffPublisher],
  items: [{ jid: pubsubService, node, name: "tariffs" }],
});

/** What a DER's disco#info says it can do. */
export interface DerCapabilities {
  readonly association: boolean;
  readonly aProfile: boolean;
  /** Known suites among the announced ones, in announcement order. */
  readonly suites: readonly SuiteId[];
  readonly groupKeying: boolean;
  readonly tariffs: boolean;
}

export function capabilitiesOf(info: DiscoInfo): DerCapabilities {
  const has = (f: string) => info.features.includes(f);
  const suites = info.features.map(suiteOfFeature)
    .filter((s): s is SuiteId => s !== undefined && isSuiteId(s));
  return {
    association: has(F.association),
    aProfile: has(F.aProfile),
    suites,
    groupKeying: has(F.groupMember) && has(F.groupKeying),
    tariffs: has(F.tariffs),
  };
}

/** Logical device names from a DER's disco#items. */
export const logicalDevicesOf = (items: readonly DiscoItem[]): string[] =>
  items.flatMap((i) =>
    i.node?.startsWith("urn:derlink:ld:") ? [i.node.slice("urn:derlink:ld:".length)] : []
  );

/** The domain's services, found from its items and their disco#info answers. */
export interface DomainServices {
  readonly muc?: string;
  readonly pubsub?: string;
  readonly keyServer?: string;
}

/**
 * Picks the MUC service (conference/text), the pubsub service
 * (pubsub/service) and the key server (key-server feature) among the
 * domain's items, given the info each item answered (by JID).
 */
// spec: PAPER-MAP5 XEP0030-4.1
export function servicesOf(
  items: readonly DiscoItem[],
  infos: ReadonlyMap<string, DiscoInfo>,
): DomainServices {
  const find = (pred: (i: DiscoInfo) => boolean) =>
    items.find((it) => it.node === undefined && infos.has(it.jid) && pred(infos.get(it.jid)!))
      ?.jid;
  const is = (c: string, t: string) => (i: DiscoInfo) =>
    i.identities.some((x) => x.category === c && x.type === t);
  const out: { muc?: string; pubsub?: string; keyServer?: string } = {};
  const muc = find(is(IDENTITY.muc.category, IDENTITY.muc.type));
  const pubsub = find(is(IDENTITY.pubsub.category, IDENTITY.pubsub.type));
  const keyServer = find((i) => i.features.includes(F.keyServer));
  if (muc) out.muc = muc;
  if (pubsub) out.pubsub = pubsub;
  if (keyServer) out.keyServer = keyServer;
  return out;
}
