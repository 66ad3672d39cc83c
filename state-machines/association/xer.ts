/**
 * The MMS XER codec's entry points: a PDU to its element or UTF-8 bytes and
 * back (docs/mms-xer.md, PD-141, PD-142). Every PDU is one root element in
 * the namespace `urn:derlink:mms-xer:0`, named after its kind.
 *
 * Neither direction throws: failures are results with an `association/`
 * code. Bytes are read with the project's strict XML reader (core/xml.ts),
 * whose own refusals become `xer-not-xml`, except its depth and size limits,
 * which become `nesting-too-deep` and `pdu-too-large`.
 *
 * @module
 */
import type { Element } from "ltx";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { CoreError, DerlinkError, fail, ok, type Result } from "../../core/errors.ts";
import { tryParseElement, XmlError } from "../../core/xml.ts";
import { AssociationError } from "./errors.ts";
import {
  ABORT_REASONS,
  INITIATE_ERRORS,
  type InitiateParameters,
  MAX_INVOKE_ID,
  type MmsPdu,
  PDU_KINDS,
  REJECT_REASONS,
  SERVICE_ERRORS,
  SERVICE_NAMES,
  type ServiceName,
} from "./pdus.ts";
import {
  attr,
  checkElement,
  el,
  kids,
  malformed,
  MMS_XER_NS,
  noChildren,
  oneOf,
  uint,
  unknown,
  type Xel,
} from "./xer_dom.ts";
import { DEFAULT_XER_LIMITS, type XerLimits } from "./xer_limits.ts";
import {
  decodeReport,
  decodeRequest,
  decodeResponse,
  decodeTermination,
  encodeReport,
  encodeRequest,
  encodeResponse,
  encodeTermination,
} from "./xer_services.ts";

export { MMS_XER_NS } from "./xer_dom.ts";

const INITIATE_ATTRS = ["version", "max-pdu-size", "max-outstanding", "max-nesting"];

function encodeInitiate(name: string, p: InitiateParameters): Element {
  const n = (v: number, what: string) => String(uint(String(v), what));
  const services = SERVICE_NAMES.filter((s) => p.services.includes(s));
  if (services.length !== p.services.length) throw unknown("service name");
  return el(name, {
    version: n(p.version, "version"),
    "max-pdu-size": n(p.maxPduSize, "max-pdu-size"),
    "max-outstanding": n(p.maxOutstanding, "max-outstanding"),
    "max-nesting": n(p.maxNesting, "max-nesting"),
  }, services.map((s) => el("service", { name: s })));
}

function decodeInitiate(e: Xel): InitiateParameters {
  checkElement(e, INITIATE_ATTRS);
  const seen = new Set<ServiceName>();
  for (const s of kids(e)) {
    if (s.name !== "service") throw unknown(`<${s.name}> inside <${e.name}>`);
    checkElement(s, ["name"]);
    noChildren(s);
    const name = oneOf(SERVICE_NAMES, attr(s, "name"), "service");
    if (seen.has(name)) throw malformed(`service ${name} twice`);
    seen.add(name);
  }
  const max = 0xffff_ffff;
  return {
    version: uint(attr(e, "version"), "version", max),
    maxPduSize: uint(attr(e, "max-pdu-size"), "max-pdu-size", max),
    maxOutstanding: uint(attr(e, "max-outstanding"), "max-outstanding", max),
    maxNesting: uint(attr(e, "max-nesting"), "max-nesting", max),
    services: SERVICE_NAMES.filter((s) => seen.has(s)),
  };
}

const invokeText = (id: number) => String(uint(String(id), "invoke-id", MAX_INVOKE_ID));

function build(pdu: MmsPdu, limits: XerLimits): Element {
  switch (pdu?.kind) {
    case "initiate-request":
    case "initiate-response":
      return encodeInitiate(pdu.kind, pdu.params);
    case "initiate-error":
      return el(pdu.kind, { code: oneOf(INITIATE_ERRORS, pdu.code, "initiate error") });
    case "confirmed-request":
      return el(pdu.kind, { "invoke-id": invokeText(pdu.invokeId) }, [
        encodeRequest(pdu.request, limits),
      ]);
    case "confirmed-response":
      return el(pdu.kind, { "invoke-id": invokeText(pdu.invokeId) }, [
        encodeResponse(pdu.response, limits),
      ]);
    case "confirmed-error":
      return el(pdu.kind, {
        "invoke-id": invokeText(pdu.invokeId),
        code: oneOf(SERVICE_ERRORS, pdu.code, "service error"),
      });
    case "reject":
      return el(pdu.kind, {
        "invoke-id": pdu.invokeId === undefined ? undefined : invokeText(pdu.invokeId),
        reason: oneOf(REJECT_REASONS, pdu.reason, "reject reason"),
      });
    case "information-report":
      return encodeReport(pdu.report, limits);
    case "command-termination":
      return encodeTermination(pdu.termination);
    case "conclude-request":
    case "conclude-response":
    case "conclude-error":
      return el(pdu.kind);
    case "abort":
      return el(pdu.kind, { reason: oneOf(ABORT_REASONS, pdu.reason, "abort reason") });
    default:
      throw unknown("PDU kind");
  }
}

function only(e: Xel): Xel {
  const k = kids(e);
  if (k.length !== 1) throw malformed(`<${e.name}> holds ${k.length} service elements`);
  return k[0];
}

function read(e: Xel, limits: XerLimits): MmsPdu {
  if (e.name.includes(":") || !(PDU_KINDS as readonly string[]).includes(e.name)) {
    throw unknown(`<${e.name}> is not an MMS PDU`);
  }
  if (e.attrs.xmlns !== MMS_XER_NS) throw unknown(`namespace ${e.attrs.xmlns ?? "(none)"}`);
  const kind = e.name as MmsPdu["kind"];
  const invokeId = () => uint(attr(e, "invoke-id"), "invoke-id", MAX_INVOKE_ID);
  const bare = (attrs: string[]) => {
    checkElement(e, attrs);
    noChildren(e);
  };
  switch (kind) {
    case "initiate-request":
    case "initiate-response":
      return { kind, params: decodeInitiate(e) };
    case "initiate-error":
      bare(["code"]);
      return { kind, code: oneOf(INITIATE_ERRORS, attr(e, "code"), "initiate error") };
    case "confirmed-request":
      checkElement(e, ["invoke-id"]);
      return { kind, invokeId: invokeId(), request: decodeRequest(only(e), limits) };
    case "confirmed-response":
      checkElement(e, ["invoke-id"]);
      return { kind, invokeId: invokeId(), response: decodeResponse(only(e), limits) };
    case "confirmed-error":
      bare(["invoke-id", "code"]);
      return {
        kind,
        invokeId: invokeId(),
        code: oneOf(SERVICE_ERRORS, attr(e, "code"), "service error"),
      };
    case "reject": {
      bare(["invoke-id", "reason"]);
      const reason = oneOf(REJECT_REASONS, attr(e, "reason"), "reject reason");
      return e.attrs["invoke-id"] === undefined
        ? { kind, reason }
        : { kind, invokeId: invokeId(), reason };
    }
    case "information-report":
      return { kind, report: decodeReport(e, limits) };
    case "command-termination":
      return { kind, termination: decodeTermination(e) };
    case "conclude-request":
    case "conclude-response":
    case "conclude-error":
      bare([]);
      return { kind };
    case "abort":
      bare(["reason"]);
      return { kind, reason: oneOf(ABORT_REASONS, attr(e, "reason"), "abort reason") };
  }
}

function guard<T>(f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof DerlinkError) return { ok: false, error: e };
    return fail(CoreError.internal, e instanceof Error ? e.message : String(e));
  }
}

/** A PDU as an ltx element (root in the MMS XER namespace). */
export function encodePduElement(
  pdu: MmsPdu,
  limits: XerLimits = DEFAULT_XER_LIMITS,
): Result<Element> {
  return guard(() => {
    const e = build(pdu, limits);
    e.attrs = { xmlns: MMS_XER_NS, ...e.attrs };
    return e;
  });
}

/** A PDU as UTF-8 bytes; refused when larger than `limits.maxPduSize`. */
// spec: PD-141 PD-142
export function encodePdu(pdu: MmsPdu, limits: XerLimits = DEFAULT_XER_LIMITS): Result<Uint8Array> {
  const e = encodePduElement(pdu, limits);
  if (!e.ok) return e;
  const bytes = utf8(e.value.toString());
  if (bytes.length > limits.maxPduSize) {
    return fail(AssociationError["pdu-too-large"], `${bytes.length} bytes`);
  }
  return ok(bytes);
}

/** Reads a PDU from an element (already parsed by the strict reader). */
export function decodePduElement(
  e: Xel,
  limits: XerLimits = DEFAULT_XER_LIMITS,
): Result<MmsPdu> {
  return guard(() => read(e, limits));
}

/** Reads a PDU from UTF-8 bytes with the strict XML reader and the XER limits. */
// spec: PD-141 PD-142
export function decodePdu(
  bytes: Uint8Array,
  limits: XerLimits = DEFAULT_XER_LIMITS,
): Result<MmsPdu> {
  if (!(bytes instanceof Uint8Array)) return fail(AssociationError["xer-not-xml"], "not bytes");
  if (bytes.length > limits.maxPduSize) {
    return fail(AssociationError["pdu-too-large"], `${bytes.length} bytes`);
  }
  // Root, service, item, then the data levels; the codec counts data nesting itself.
  const parsed = tryParseElement(bytes, {
    maxDepth: limits.maxNesting + 4,
    maxStanzaBytes: limits.maxPduSize,
    maxAttributes: 16,
  });
  if (!parsed.ok) {
    const c = parsed.error.code;
    if (c === XmlError["depth-limit"]) {
      return fail(AssociationError["nesting-too-deep"], "XML nesting");
    }
    return fail(AssociationError["xer-not-xml"], c);
  }
  return decodePduElement(parsed.value as unknown as Xel, limits);
}

/** The XER text of a PDU (for vectors and docs); throws on a PDU that does not encode. */
export function pduText(pdu: MmsPdu, limits: XerLimits = DEFAULT_XER_LIMITS): string {
  const r = encodePdu(pdu, limits);
  if (!r.ok) throw r.error;
  return fromUtf8(r.value);
}
