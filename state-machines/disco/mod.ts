/**
 * Public API of service discovery (XEP-0030): the requester machine, the
 * responder function, derlink's feature vars and identities, and the
 * entity descriptions of DERs, the key server and the market operator.
 *
 * @module
 */
export { discoRequester, REQUESTER_TRANSITIONS } from "./requester.ts";
export {
  REQUESTER_PHASES,
  type RequesterConfig,
  type RequesterInput,
  type RequesterOutput,
  type RequesterState,
} from "./types.ts";
export { answerDisco, type DiscoEntity, type DiscoNode, isDiscoRequest } from "./responder.ts";
export {
  capabilitiesOf,
  type DerCapabilities,
  type DerDescription,
  derEntity,
  type DomainServices,
  keyServerEntity,
  type LogicalDevice,
  logicalDevicesOf,
  marketEntity,
  servicesOf,
} from "./entities.ts";
export {
  aProfileSuiteFeature,
  DERLINK_FEATURES,
  DISCO_NS,
  IDENTITY,
  logicalDeviceNode,
  TARIFF_NS,
} from "./namespaces.ts";
export {
  DEFAULT_DISCO_LIMITS,
  type DiscoInfo,
  type DiscoItem,
  type DiscoKind,
  type DiscoLimits,
  discoQuery,
  type Identity,
  readInfo,
  readItems,
} from "./stanzas.ts";
export { DiscoError, type DiscoErrorCode } from "./errors.ts";
