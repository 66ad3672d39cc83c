/**
 * Configuration, inputs, outputs and events of the two-party association
 * machines (client.ts, server.ts). The machines speak plaintext MMS XER
 * bytes: a `send` output is a PDU for the composition layer to protect with
 * the A-profile session and carry in the stanza its `carriage` names, and a
 * `pdu` input is a PDU that layer opened, with the stanza it came in and the
 * sender the XMPP server stamped (PD-140).
 *
 * @module
 */
import type { ErrorCode } from "../../core/errors.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { Carriage, InitiateParameters, ServiceErrorCode, ServiceName } from "./pdus.ts";
import type { CommandTermination, Report, ServiceRequest, ServiceResponse } from "./services.ts";
import type { Xel } from "./xer_dom.ts";

/** IEC 61850-7-2 control models (public description). */
export type ControlModel = "direct-normal" | "direct-enhanced" | "sbo-normal" | "sbo-enhanced";

/** XEP-0199 pings to the peer's full JID (client-to-client), the second liveness signal. */
export interface PingSettings {
  /** Ping after this long without a PDU or pong from the peer. */
  readonly intervalMs: number;
  /** How long a ping may stay unanswered before the association is lost. */
  readonly timeoutMs: number;
}

/** What both roles share. Every field has a default. */
export interface CommonSettings {
  /** Items per list and string lengths of the XER codec (nesting and PDU size are negotiated). */
  readonly maxItems?: number;
  readonly maxStringLength?: number;
  /** Control model per control reference; unlisted controls use `defaultControlModel`. */
  readonly controls?: Readonly<Record<string, ControlModel>>;
  /** Default "sbo-enhanced" (PD-147). */
  readonly defaultControlModel?: ControlModel;
  /** How long a select stays valid, ms (default 30 s). */
  readonly selectTimeoutMs?: number;
  readonly ping?: PingSettings;
}

/** Client (control centre) settings; one object may be shared by many associations. */
export interface ClientSettings extends CommonSettings {
  /** What the initiate proposes (defaults: DEFAULT_PROPOSAL). */
  readonly proposal?: Partial<InitiateParameters>;
  /** Default time a confirmed request waits for its response, ms (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Time initiate and conclude wait for their answer, ms (default 30 s). */
  readonly initiateTimeoutMs?: number;
  /** Report a sequence gap as an `association/report-gap` error too, not only as an event. */
  readonly reportGapIsError?: boolean;
}

/** Server (DER) settings. */
export interface ServerSettings extends CommonSettings {
  /** Highest values the server agrees to; proposals above are negotiated down (PD-143). */
  readonly maxPduSize?: number;
  readonly maxOutstanding?: number;
  readonly maxNesting?: number;
  /** Services the server offers (default: all). */
  readonly services?: readonly ServiceName[];
}

export interface ClientConfig {
  /** The server's full JID: the only sender whose PDUs and presence count (PD-149). */
  readonly peer: string;
  readonly settings?: ClientSettings;
}

export interface ServerConfig {
  /** The client's full JID (the A-profile peer). */
  readonly peer: string;
  readonly settings?: ServerSettings;
}

/** Inputs both roles take. Every input carries `now` (ms). */
export type CommonInput =
  /** A PDU the composition layer opened, with its stanza and stamped sender. */
  | {
    readonly type: "pdu";
    readonly data: Uint8Array;
    readonly carriage: Carriage;
    readonly from: string;
    readonly now: number;
  }
  /** Any presence stanza the XMPP client received. */
  | { readonly type: "presence"; readonly stanza: Xel; readonly now: number }
  /** The iq result answering one of our pings. */
  | { readonly type: "pong"; readonly id: string; readonly from: string; readonly now: number }
  /** Another pinger (e.g. the stream machine's XEP-0199 timeout) reports the peer or link lost. */
  | { readonly type: "ping-timeout"; readonly now: number }
  /** The composition layer's protected session (A-profile) ended or failed under the association. */
  | { readonly type: "session-lost"; readonly now: number }
  | { readonly type: "abort"; readonly now: number }
  | { readonly type: "tick"; readonly now: number };

export type ClientInput =
  | CommonInput
  | { readonly type: "associate"; readonly now: number }
  | {
    readonly type: "request";
    readonly request: ServiceRequest;
    readonly timeoutMs?: number;
    readonly now: number;
  }
  | { readonly type: "conclude"; readonly now: number };

/** The application's answer to an indication: a response, or a service error for the whole request. */
export type Answer = ServiceResponse | { readonly error: ServiceErrorCode };

export type ServerInput =
  | CommonInput
  | {
    readonly type: "respond";
    readonly invokeId: number;
    readonly answer: Answer;
    readonly now: number;
  }
  | { readonly type: "terminate"; readonly termination: CommandTermination; readonly now: number }
  | { readonly type: "report"; readonly report: Report; readonly now: number };

/** What the application hears. */
export type AssociationEvent =
  | { readonly type: "associated"; readonly params: InitiateParameters }
  /** Server: a confirmed request for the application to serve. */
  | { readonly type: "indication"; readonly invokeId: number; readonly request: ServiceRequest }
  /** Client: the response to a request (a negative control response carries its addCause). */
  | { readonly type: "confirmation"; readonly invokeId: number; readonly response: ServiceResponse }
  /** Client: a request ended without a response (timeout, abort, reject, service error). */
  | {
    readonly type: "request-failed";
    readonly invokeId: number;
    readonly service: ServiceRequest["service"];
    readonly code: ErrorCode;
    readonly detail?: string;
  }
  | { readonly type: "report"; readonly report: Report }
  | {
    readonly type: "report-gap";
    readonly rptId: string;
    readonly expected: number;
    readonly received: number;
    readonly missing: number;
  }
  | { readonly type: "command-termination"; readonly termination: CommandTermination }
  | { readonly type: "select-expired"; readonly control: string }
  | { readonly type: "concluded" }
  /** The association ended abnormally; `failed` requests (client) or indications (server) went with it. */
  | { readonly type: "aborted"; readonly cause: ErrorCode; readonly failed: number }
  /** An input was not acted on (spoofed presence): counted in the state, never acted on. */
  | { readonly type: "ignored"; readonly code: ErrorCode; readonly from?: string };

export type AssociationOutput =
  /** A plaintext XER PDU for the composition layer to protect and carry to the peer. */
  | { readonly type: "send"; readonly carriage: Carriage; readonly data: Uint8Array }
  /** Send an XEP-0199 ping (plain iq get) with this id to the peer. */
  | { readonly type: "ping"; readonly id: string }
  | { readonly type: "event"; readonly event: AssociationEvent }
  /** Call back with a `tick` at or after `at`. */
  | { readonly type: "timer"; readonly at: number }
  | ErrorOutput;
