/**
 * Public API of the IEC 61850-8-2-style association (docs/association.md):
 * the client and server role machines, the multicast association, the
 * protected endpoint that composes a role with an A-profile session and the
 * in-memory pair of two endpoints, the MMS PDU types and their XER codec
 * (docs/mms-xer.md). The shared service model is services.ts.
 *
 * @module
 */
export * from "./services.ts";
export { AssociationError, type AssociationErrorCode } from "./errors.ts";
export {
  ABORT_REASONS,
  type AbortReason,
  type Carriage,
  carriageKind,
  CONFIRMED_SERVICES,
  type ConfirmedService,
  INITIATE_ERRORS,
  type InitiateErrorCode,
  type InitiateParameters,
  MAX_INVOKE_ID,
  type MmsPdu,
  type PduKind as MmsPduKind,
  REJECT_REASONS,
  type RejectReason,
  SERVICE_ERRORS,
  SERVICE_NAMES,
  type ServiceErrorCode,
  type ServiceName,
  UNCONFIRMED_SERVICES,
} from "./pdus.ts";
export type {
  Answer,
  AssociationEvent,
  AssociationOutput,
  ClientConfig,
  ClientInput,
  ClientSettings,
  CommonSettings,
  ControlModel,
  PingSettings,
  ServerConfig,
  ServerInput,
  ServerSettings,
} from "./types.ts";
export {
  associationClient,
  CLIENT_PHASES,
  CLIENT_TRANSITIONS,
  type ClientPhase,
  type ClientState,
} from "./client.ts";
export {
  associationServer,
  SERVER_PHASES,
  SERVER_TRANSITIONS,
  type ServerPhase,
  type ServerState,
} from "./server.ts";
export {
  MULTICAST_PHASES,
  MULTICAST_TRANSITIONS,
  multicastAssociation,
  type MulticastConfig,
  type MulticastEvent,
  type MulticastInput,
  type MulticastOutput,
  type MulticastPhase,
  type MulticastState,
} from "./multicast.ts";
export { DEFAULT_PROPOSAL, INITIATE_BOUNDS } from "./settings.ts";
export {
  type EndpointConfig,
  type EndpointInput,
  type EndpointOutput,
  SecureAssociation,
} from "./endpoint.ts";
export { type PairInput, type PairRun, type PairSide, SecurePair } from "./pair.ts";
export {
  type PerMessageSettings,
  perMessageSettings,
  type Protection,
  PROTECTIONS as E2E_PROTECTIONS,
} from "./protection.ts";
export { presenceStanza } from "./carrier.ts";
export {
  decodePdu as decodeMmsXer,
  decodePduElement as decodeMmsXerElement,
  encodePdu as encodeMmsXer,
  encodePduElement as encodeMmsXerElement,
  MMS_XER_NS,
  pduText as mmsXerText,
} from "./xer.ts";
export { DEFAULT_XER_LIMITS, type XerLimits } from "./xer_limits.ts";
