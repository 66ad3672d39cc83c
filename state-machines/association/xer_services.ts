/**
 * XER form of the service bodies inside confirmed requests and responses
 * (services.ts), and of reports and command terminations (docs/mms-xer.md).
 * Each body is one element named after its service.
 *
 * @module
 */
import type { Element } from "ltx";
import type {
  AddCause,
  CommandTermination,
  DataAccessError,
  NameListScope,
  Report,
  ServiceRequest,
  ServiceResponse,
} from "./services.ts";
import {
  checkItems,
  checkName,
  decodeControl,
  decodeData,
  decodeOnlyData,
  decodeRef,
  encodeControl,
  encodeData,
  encodeRef,
  isDataElement,
} from "./xer_data.ts";
import {
  attr,
  bool,
  checkElement,
  el,
  kids,
  malformed,
  noChildren,
  oneOf,
  textOf,
  timeOf,
  timeText,
  uint,
  unknown,
  type Xel,
} from "./xer_dom.ts";
import { NAME_LIMITS, type XerLimits } from "./xer_limits.ts";

export const ADD_CAUSES = [
  "unknown",
  "not-supported",
  "blocked-by-switching-hierarchy",
  "select-failed",
  "invalid-position",
  "position-reached",
  "parameter-change-in-execution",
  "step-limit",
  "blocked-by-mode",
  "blocked-by-process",
  "blocked-by-interlocking",
  "blocked-by-synchrocheck",
  "command-already-in-execution",
  "blocked-by-health",
  "1-of-n-control",
  "abortion-by-cancel",
  "time-limit-over",
  "abortion-by-trip",
  "object-not-selected",
  "object-already-selected",
  "no-access-authority",
  "ended-with-overshoot",
  "abortion-due-to-deviation",
  "abortion-by-communication-loss",
  "blocked-by-command",
  "none",
  "inconsistent-parameters",
  "locked-by-other-client",
] as const satisfies readonly AddCause[];

export const DATA_ACCESS_ERRORS = [
  "object-invalidated",
  "hardware-fault",
  "temporarily-unavailable",
  "object-access-denied",
  "object-undefined",
  "invalid-address",
  "type-unsupported",
  "type-inconsistent",
  "object-attribute-inconsistent",
  "object-access-unsupported",
  "object-non-existent",
  "object-value-invalid",
] as const satisfies readonly DataAccessError[];

/** Compile-time checks that the two lists name every value of their types in services.ts. */
type Missing<T, L extends readonly unknown[]> = Exclude<T, L[number]>;
const allAddCauses: Missing<AddCause, typeof ADD_CAUSES> extends never ? true : never = true;
const allAccessErrors: Missing<DataAccessError, typeof DATA_ACCESS_ERRORS> extends never ? true
  : never = true;
void allAddCauses, allAccessErrors;

const OBJECT_CLASSES = ["logical-device", "logical-node", "data"] as const;
const control = (s: string) => checkName(s, NAME_LIMITS.reference, "control");
const addCauseOf = (e: Xel): AddCause | undefined =>
  e.attrs["add-cause"] === undefined
    ? undefined
    : oneOf(ADD_CAUSES, e.attrs["add-cause"], "add-cause");

// ---------------------------------------------------------------- requests

export function encodeRequest(r: ServiceRequest, limits: XerLimits): Element {
  switch (r?.service) {
    case "get-name-list": {
      const s = r.scope;
      const within = s.objectClass === "logical-node"
        ? s.logicalDevice
        : s.objectClass === "data"
        ? s.logicalNode
        : undefined;
      oneOf(OBJECT_CLASSES, s.objectClass, "object-class");
      if (within !== undefined) checkName(within, NAME_LIMITS.reference, "scope");
      if (r.continueAfter !== undefined) {
        checkName(r.continueAfter, NAME_LIMITS.identifier, "continue-after");
      }
      return el("get-name-list", {
        "object-class": s.objectClass,
        within,
        "continue-after": r.continueAfter,
      });
    }
    case "read":
      nonEmpty(r.items.length, "read");
      checkItems(r.items.length, limits, "read items");
      return el("read", {}, r.items.map((i) => encodeRef(i)));
    case "write":
      nonEmpty(r.items.length, "write");
      checkItems(r.items.length, limits, "write items");
      return el("write", {}, r.items.map((i) => encodeRef(i.ref, [encodeData(i.value, limits)])));
    case "select":
      return el("select", { control: control(r.control) });
    case "select-with-value":
    case "operate":
    case "cancel":
      return encodeControl(r.service, r.control, r.params, limits);
    default:
      throw unknown("service");
  }
}

function nonEmpty(n: number, what: string): void {
  if (n === 0) throw malformed(`<${what}> without items`);
}

export function decodeRequest(e: Xel, limits: XerLimits): ServiceRequest {
  switch (e.name) {
    case "get-name-list": {
      checkElement(e, ["object-class", "within", "continue-after"]);
      noChildren(e);
      const oc = oneOf(OBJECT_CLASSES, attr(e, "object-class"), "object-class");
      const within = e.attrs.within;
      if ((oc === "logical-device") !== (within === undefined)) {
        throw malformed(`object-class ${oc} ${within === undefined ? "needs" : "takes no"} within`);
      }
      const w = within === undefined ? "" : checkName(within, NAME_LIMITS.reference, "scope");
      const scope: NameListScope = oc === "logical-device"
        ? { objectClass: oc }
        : oc === "logical-node"
        ? { objectClass: oc, logicalDevice: w }
        : { objectClass: oc, logicalNode: w };
      const after = e.attrs["continue-after"];
      return {
        service: "get-name-list",
        scope,
        ...(after === undefined
          ? {}
          : { continueAfter: checkName(after, NAME_LIMITS.identifier, "continue-after") }),
      };
    }
    case "read": {
      checkElement(e, []);
      const k = kids(e);
      nonEmpty(k.length, "read");
      checkItems(k.length, limits, "read items");
      return {
        service: "read",
        items: k.map((i) => {
          noChildren(i);
          return decodeRef(i);
        }),
      };
    }
    case "write": {
      checkElement(e, []);
      const k = kids(e);
      nonEmpty(k.length, "write");
      checkItems(k.length, limits, "write items");
      return {
        service: "write",
        items: k.map((i) => ({ ref: decodeRef(i), value: decodeOnlyData(i, limits) })),
      };
    }
    case "select":
      checkElement(e, ["control"]);
      noChildren(e);
      return { service: "select", control: control(attr(e, "control")) };
    case "select-with-value":
    case "operate":
    case "cancel":
      return { service: e.name, ...decodeControl(e, limits) };
    default:
      throw unknown(`<${e.name}> is not a service`);
  }
}

// ---------------------------------------------------------------- responses

export function encodeResponse(r: ServiceResponse, limits: XerLimits): Element {
  switch (r?.service) {
    case "get-name-list":
      checkItems(r.names.length, limits, "names");
      return el(
        "get-name-list",
        { "more-follows": String(r.moreFollows === true) },
        r.names.map((n) => el("name", {}, [checkName(n, NAME_LIMITS.identifier, "name")])),
      );
    case "read":
      checkItems(r.results.length, limits, "read results");
      return el(
        "read",
        {},
        r.results.map((x) =>
          typeof x === "string"
            ? el("access-error", { code: oneOf(DATA_ACCESS_ERRORS, x, "access error") })
            : encodeData(x, limits)
        ),
      );
    case "write":
      checkItems(r.results.length, limits, "write results");
      return el(
        "write",
        {},
        r.results.map((x) =>
          x === null
            ? el("success")
            : el("access-error", { code: oneOf(DATA_ACCESS_ERRORS, x, "access error") })
        ),
      );
    case "select":
      if (typeof r.selected !== "boolean") throw unknown("selected");
      return el("select", {
        selected: String(r.selected),
        "add-cause": r.addCause === undefined ? undefined : oneOf(ADD_CAUSES, r.addCause, "cause"),
      });
    case "select-with-value":
    case "operate":
    case "cancel":
      return el(r.service, {
        control: control(r.control),
        "ctl-num": String(uint(String(r.ctlNum), "ctl-num", 255)),
        "add-cause": r.addCause === undefined ? undefined : oneOf(ADD_CAUSES, r.addCause, "cause"),
      });
    default:
      throw unknown("service");
  }
}

function accessError(e: Xel): DataAccessError {
  checkElement(e, ["code"]);
  noChildren(e);
  return oneOf(DATA_ACCESS_ERRORS, attr(e, "code"), "access error");
}

export function decodeResponse(e: Xel, limits: XerLimits): ServiceResponse {
  switch (e.name) {
    case "get-name-list": {
      checkElement(e, ["more-follows"]);
      const k = kids(e);
      checkItems(k.length, limits, "names");
      return {
        service: "get-name-list",
        names: k.map((n) => {
          if (n.name !== "name") throw unknown(`<${n.name}> inside <get-name-list>`);
          checkElement(n, []);
          return checkName(textOf(n), NAME_LIMITS.identifier, "name");
        }),
        moreFollows: bool(attr(e, "more-follows"), "more-follows"),
      };
    }
    case "read": {
      checkElement(e, []);
      const k = kids(e);
      checkItems(k.length, limits, "read results");
      return {
        service: "read",
        results: k.map((x) =>
          x.name === "access-error"
            ? accessError(x)
            : isDataElement(x)
            ? decodeData(x, limits)
            : (() => {
              throw unknown(`<${x.name}> inside <read>`);
            })()
        ),
      };
    }
    case "write": {
      checkElement(e, []);
      const k = kids(e);
      checkItems(k.length, limits, "write results");
      return {
        service: "write",
        results: k.map((x) => {
          if (x.name === "access-error") return accessError(x);
          if (x.name !== "success") throw unknown(`<${x.name}> inside <write>`);
          checkElement(x, []);
          noChildren(x);
          return null;
        }),
      };
    }
    case "select": {
      checkElement(e, ["selected", "add-cause"]);
      noChildren(e);
      const addCause = addCauseOf(e);
      return {
        service: "select",
        selected: bool(attr(e, "selected"), "selected"),
        ...(addCause === undefined ? {} : { addCause }),
      };
    }
    case "select-with-value":
    case "operate":
    case "cancel": {
      checkElement(e, ["control", "ctl-num", "add-cause"]);
      noChildren(e);
      const addCause = addCauseOf(e);
      return {
        service: e.name,
        control: control(attr(e, "control")),
        ctlNum: uint(attr(e, "ctl-num"), "ctl-num", 255),
        ...(addCause === undefined ? {} : { addCause }),
      };
    }
    default:
      throw unknown(`<${e.name}> is not a service`);
  }
}

// ---------------------------------------------------------------- unconfirmed

export function encodeReport(r: Report, limits: XerLimits): Element {
  checkName(r.rptId, NAME_LIMITS.identifier, "rpt-id");
  checkItems(r.entries.length, limits, "report entries");
  return el("information-report", {
    "rpt-id": r.rptId,
    "sq-num": String(uint(String(r.sqNum), "sq-num", 0xffff)),
    time: timeText(r.time),
  }, r.entries.map((x) => encodeRef(x.ref, [encodeData(x.value, limits)])));
}

export function decodeReport(e: Xel, limits: XerLimits): Report {
  checkElement(e, ["rpt-id", "sq-num", "time"]);
  const k = kids(e);
  checkItems(k.length, limits, "report entries");
  return {
    rptId: checkName(attr(e, "rpt-id"), NAME_LIMITS.identifier, "rpt-id"),
    sqNum: uint(attr(e, "sq-num"), "sq-num", 0xffff),
    time: timeOf(attr(e, "time"), "time"),
    entries: k.map((x) => ({ ref: decodeRef(x), value: decodeOnlyData(x, limits) })),
  };
}

export function encodeTermination(t: CommandTermination): Element {
  return el("command-termination", {
    control: control(t.control),
    "ctl-num": String(uint(String(t.ctlNum), "ctl-num", 255)),
    "add-cause": t.addCause === undefined ? undefined : oneOf(ADD_CAUSES, t.addCause, "cause"),
  });
}

export function decodeTermination(e: Xel): CommandTermination {
  checkElement(e, ["control", "ctl-num", "add-cause"]);
  noChildren(e);
  const addCause = addCauseOf(e);
  return {
    control: control(attr(e, "control")),
    ctlNum: uint(attr(e, "ctl-num"), "ctl-num", 255),
    ...(addCause === undefined ? {} : { addCause }),
  };
}
