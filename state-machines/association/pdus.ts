/**
 * The MMS PDUs an association exchanges, as data: initiate, confirmed
 * request/response/error, reject, unconfirmed reports and command
 * terminations, conclude and abort. The service bodies are the abstract
 * model of services.ts; this file adds the envelope MMS puts around them.
 * The XER encoding of each PDU is in xer_encode.ts / xer_decode.ts and
 * docs/mms-xer.md.
 *
 * @module
 */
import type { CommandTermination, Report, ServiceRequest, ServiceResponse } from "./services.ts";

/** Confirmed services an initiate can negotiate. */
export const CONFIRMED_SERVICES = [
  "get-name-list",
  "read",
  "write",
  "select",
  "select-with-value",
  "operate",
  "cancel",
] as const;
/** Unconfirmed services (server to client, carried in message stanzas). */
export const UNCONFIRMED_SERVICES = ["information-report", "command-termination"] as const;
export const SERVICE_NAMES = [...CONFIRMED_SERVICES, ...UNCONFIRMED_SERVICES] as const;
export type ConfirmedService = typeof CONFIRMED_SERVICES[number];
export type ServiceName = typeof SERVICE_NAMES[number];

/** The parameters an initiate negotiates (in the spirit of MMS Initiate, PD-143). */
export interface InitiateParameters {
  /** Profile version; 1. */
  readonly version: number;
  /** Largest XER PDU either side sends, in UTF-8 bytes. */
  readonly maxPduSize: number;
  /** Most confirmed requests the client may have outstanding at once. */
  readonly maxOutstanding: number;
  /** Deepest nesting of structures and arrays in MmsData. */
  readonly maxNesting: number;
  /** Services supported (request) or agreed (response), in SERVICE_NAMES order. */
  readonly services: readonly ServiceName[];
}

/** Why an initiate was refused. */
export const INITIATE_ERRORS = ["version-incompatible", "over-limit", "other"] as const;
export type InitiateErrorCode = typeof INITIATE_ERRORS[number];

/** Service errors a server answers a whole confirmed request with. */
export const SERVICE_ERRORS = [
  "object-access-denied",
  "object-non-existent",
  "temporarily-unavailable",
  "parameter-invalid",
  "other",
] as const;
export type ServiceErrorCode = typeof SERVICE_ERRORS[number];

/** Why a PDU was rejected (MMS Reject, protocol errors). */
export const REJECT_REASONS = [
  "unrecognized-service",
  "service-not-negotiated",
  "duplicate-invoke-id",
  "max-outstanding-exceeded",
  "pdu-too-large",
  "malformed",
  "unexpected-pdu",
] as const;
export type RejectReason = typeof REJECT_REASONS[number];

/** Why a side aborts (carried in the abort PDU). */
export const ABORT_REASONS = ["user", "protocol-error", "timeout"] as const;
export type AbortReason = typeof ABORT_REASONS[number];

/** One MMS PDU. */
export type MmsPdu =
  | { readonly kind: "initiate-request"; readonly params: InitiateParameters }
  | { readonly kind: "initiate-response"; readonly params: InitiateParameters }
  | { readonly kind: "initiate-error"; readonly code: InitiateErrorCode }
  | {
    readonly kind: "confirmed-request";
    readonly invokeId: number;
    readonly request: ServiceRequest;
  }
  | {
    readonly kind: "confirmed-response";
    readonly invokeId: number;
    readonly response: ServiceResponse;
  }
  | { readonly kind: "confirmed-error"; readonly invokeId: number; readonly code: ServiceErrorCode }
  | { readonly kind: "reject"; readonly invokeId?: number; readonly reason: RejectReason }
  | { readonly kind: "information-report"; readonly report: Report }
  | { readonly kind: "command-termination"; readonly termination: CommandTermination }
  | { readonly kind: "conclude-request" }
  | { readonly kind: "conclude-response" }
  | { readonly kind: "conclude-error" }
  | { readonly kind: "abort"; readonly reason: AbortReason };

export type PduKind = MmsPdu["kind"];
export const PDU_KINDS: readonly PduKind[] = [
  "initiate-request",
  "initiate-response",
  "initiate-error",
  "confirmed-request",
  "confirmed-response",
  "confirmed-error",
  "reject",
  "information-report",
  "command-termination",
  "conclude-request",
  "conclude-response",
  "conclude-error",
  "abort",
];

/** Largest invoke id: MMS Unsigned32. */
export const MAX_INVOKE_ID = 0xffff_ffff;

/** How a PDU travels in XMPP (paper §II.C, PD-140). */
export type Carriage =
  | { readonly kind: "iq"; readonly type: "set" | "result"; readonly id: string }
  | { readonly kind: "message" };

/**
 * The stanza kind each PDU maps to (PAPER-MAP1, PAPER-MAP2): requests in an
 * iq set, their answers in the iq result, unconfirmed PDUs and abort in a
 * message.
 */
// spec: PAPER-MAP1 PAPER-MAP2 PD-140
export function carriageKind(kind: PduKind): "iq-set" | "iq-result" | "message" {
  switch (kind) {
    case "initiate-request":
    case "confirmed-request":
    case "conclude-request":
      return "iq-set";
    case "initiate-response":
    case "initiate-error":
    case "confirmed-response":
    case "confirmed-error":
    case "reject":
    case "conclude-response":
    case "conclude-error":
      return "iq-result";
    case "information-report":
    case "command-termination":
    case "abort":
      return "message";
  }
}

/** The text form of a carriage, for vectors and logs: `iq-set:<id>`, `iq-result:<id>`, `message`. */
export const carriageText = (c: Carriage): string =>
  c.kind === "message" ? "message" : `iq-${c.type}:${c.id}`;
