/**
 * The abstract service model carried by an IEC 61850-8-2-style association:
 * the subset of IEC 61850-7-2 ACSI services (as MMS maps them in
 * IEC 61850-8-1, and XMPP carries them in 61850-8-2) that derlink's client
 * and server exchange. These are plain data types shared by the association
 * machine (which encodes them, correlates requests and responses and watches
 * presence) and by the applications on both ends (the DER model serving
 * requests, the control centre issuing them).
 *
 * Nothing here is wire format: the XML (XER-style) encoding lives beside the
 * machine and is specified in docs/. The IEC texts are not public; names
 * follow the public descriptions of ACSI and MMS, and every choice the texts
 * would have fixed is a profile decision in spec-notes/.
 *
 * @module
 */

/** An MMS Data value (ISO 9506-2 `Data` CHOICE), the subset IEC 61850 uses. */
export type MmsData =
  | { readonly type: "boolean"; readonly value: boolean }
  /** INT8..INT32 in IEC 61850 terms; JS safe integers in range of the declared type. */
  | { readonly type: "integer"; readonly value: number }
  | { readonly type: "unsigned"; readonly value: number }
  /** FLOAT32 or FLOAT64; the encoding keeps the width. */
  | { readonly type: "float"; readonly value: number; readonly width: 32 | 64 }
  | { readonly type: "visible-string"; readonly value: string }
  | { readonly type: "octet-string"; readonly value: Uint8Array }
  /** Bits as '0'/'1' characters, most significant first (quality, Dbpos, …). */
  | { readonly type: "bit-string"; readonly value: string }
  /** IEC 61850 TimeStamp as milliseconds since the Unix epoch (UTC). */
  | { readonly type: "utc-time"; readonly value: number }
  | { readonly type: "structure"; readonly members: readonly MmsData[] }
  | { readonly type: "array"; readonly elements: readonly MmsData[] };

/**
 * An IEC 61850 data reference with its functional constraint, e.g.
 * `{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }`. `ref` is
 * LDName/LNName[.DOName[.DAName…]].
 */
export interface DataReference {
  readonly ref: string;
  readonly fc: FunctionalConstraint;
}

/** Functional constraints used by the DER subset (IEC 61850-7-2 FC values). */
export type FunctionalConstraint = "ST" | "MX" | "SP" | "SG" | "CF" | "DC" | "CO" | "EX";

/** MMS DataAccessError values a read or write can yield per item. */
export type DataAccessError =
  | "object-invalidated"
  | "hardware-fault"
  | "temporarily-unavailable"
  | "object-access-denied"
  | "object-undefined"
  | "invalid-address"
  | "type-unsupported"
  | "type-inconsistent"
  | "object-attribute-inconsistent"
  | "object-access-unsupported"
  | "object-non-existent"
  | "object-value-invalid";

/** What a GetNameList asks for (GetServerDirectory, GetLogicalDeviceDirectory, GetDataDirectory). */
export type NameListScope =
  | { readonly objectClass: "logical-device" }
  | { readonly objectClass: "logical-node"; readonly logicalDevice: string }
  | { readonly objectClass: "data"; readonly logicalNode: string };

/** Originator of a control (IEC 61850-7-2 Originator: orCat, orIdent). */
export interface Originator {
  readonly orCat:
    | "not-supported"
    | "bay-control"
    | "station-control"
    | "remote-control"
    | "automatic-bay"
    | "automatic-station"
    | "automatic-remote"
    | "maintenance"
    | "process";
  readonly orIdent: string;
}

/** The parameters every control service carries (Oper/SBOw/Cancel structure). */
export interface ControlParameters {
  readonly ctlVal: MmsData;
  /** Time the originator issued the command, ms since the Unix epoch. */
  readonly operTm?: number;
  readonly origin: Originator;
  /** 0..255, set by the client; the server echoes it and checks it against the select. */
  readonly ctlNum: number;
  readonly t: number;
  readonly test: boolean;
  readonly check: { readonly synchrocheck: boolean; readonly interlockCheck: boolean };
}

/** IEC 61850-7-2 AddCause values a refused control returns (subset). */
export type AddCause =
  | "unknown"
  | "not-supported"
  | "blocked-by-switching-hierarchy"
  | "select-failed"
  | "invalid-position"
  | "position-reached"
  | "parameter-change-in-execution"
  | "step-limit"
  | "blocked-by-mode"
  | "blocked-by-process"
  | "blocked-by-interlocking"
  | "blocked-by-synchrocheck"
  | "command-already-in-execution"
  | "blocked-by-health"
  | "1-of-n-control"
  | "abortion-by-cancel"
  | "time-limit-over"
  | "abortion-by-trip"
  | "object-not-selected"
  | "object-already-selected"
  | "no-access-authority"
  | "ended-with-overshoot"
  | "abortion-due-to-deviation"
  | "abortion-by-communication-loss"
  | "blocked-by-command"
  | "none"
  | "inconsistent-parameters"
  | "locked-by-other-client";

/** A confirmed service request from client to server. */
export type ServiceRequest =
  | {
    readonly service: "get-name-list";
    readonly scope: NameListScope;
    readonly continueAfter?: string;
  }
  | { readonly service: "read"; readonly items: readonly DataReference[] }
  | {
    readonly service: "write";
    readonly items: readonly { readonly ref: DataReference; readonly value: MmsData }[];
  }
  /** Select of select-before-operate with normal security (reads SBO). */
  | { readonly service: "select"; readonly control: string }
  /** SelectWithValue of select-before-operate with enhanced security (writes SBOw). */
  | {
    readonly service: "select-with-value";
    readonly control: string;
    readonly params: ControlParameters;
  }
  | { readonly service: "operate"; readonly control: string; readonly params: ControlParameters }
  | { readonly service: "cancel"; readonly control: string; readonly params: ControlParameters };

/** The positive or negative response to a ServiceRequest of the same `service`. */
export type ServiceResponse =
  | {
    readonly service: "get-name-list";
    readonly names: readonly string[];
    readonly moreFollows: boolean;
  }
  | { readonly service: "read"; readonly results: readonly (MmsData | DataAccessError)[] }
  | { readonly service: "write"; readonly results: readonly (null | DataAccessError)[] }
  | { readonly service: "select"; readonly selected: boolean; readonly addCause?: AddCause }
  | ControlResponse<"select-with-value">
  | ControlResponse<"operate">
  | ControlResponse<"cancel">;

/** Positive (no addCause) or negative (addCause given) response to a control service. */
export interface ControlResponse<S extends "select-with-value" | "operate" | "cancel"> {
  readonly service: S;
  readonly control: string;
  readonly ctlNum: number;
  readonly addCause?: AddCause;
}

/**
 * Command termination (enhanced security): the server reports, after a
 * positive operate response, that the command ended; `addCause` present
 * means it ended negatively.
 */
export interface CommandTermination {
  readonly control: string;
  readonly ctlNum: number;
  readonly addCause?: AddCause;
}

/** An unsolicited report (IEC 61850-7-2 buffered/unbuffered report, InformationReport in MMS). */
export interface Report {
  /** RptID of the report control block. */
  readonly rptId: string;
  /** Sequence number, 0..65535 wrapping (SqNum); a gap is detected by the client. */
  readonly sqNum: number;
  /** Entry time, ms since the Unix epoch. */
  readonly time: number;
  readonly entries: readonly { readonly ref: DataReference; readonly value: MmsData }[];
}

/**
 * A confirmed-service error (MMS ServiceError): the server refuses the request
 * as a whole instead of answering it, e.g. a GetNameList for a logical device
 * or node it does not have. Kept out of the {@link ServiceResponse} union so
 * switches over responses stay exhaustive; a server answers with either.
 */
export interface ServiceError {
  readonly service: ServiceRequest["service"];
  readonly error: DataAccessError;
}
