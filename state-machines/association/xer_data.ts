/**
 * XER form of MmsData, data references and control parameters (PD-141,
 * docs/mms-xer.md). Every value keeps its type: a float its width, a bit
 * string its bits, an octet string its bytes (canonical base64), a UTC time
 * its millisecond. Numbers are written in one canonical spelling and read
 * only in it, so a PDU has exactly one encoding. The limits of PD-142 are
 * checked both ways.
 *
 * @module
 */
import type { Element } from "ltx";
import { DerlinkError } from "../../core/errors.ts";
import { fromBase64, toBase64 } from "../../core/bytes.ts";
import { AssociationError } from "./errors.ts";
import type {
  ControlParameters,
  DataReference,
  FunctionalConstraint,
  MmsData,
  Originator,
} from "./services.ts";
import {
  attr,
  bool,
  checkElement,
  el,
  invalid,
  kids,
  malformed,
  oneOf,
  textOf,
  timeOf,
  timeText,
  uint,
  unknown,
  type Xel,
} from "./xer_dom.ts";
import { NAME_CHARS, NAME_LIMITS, VISIBLE_CHARS, type XerLimits } from "./xer_limits.ts";

export const FUNCTIONAL_CONSTRAINTS: readonly FunctionalConstraint[] = [
  "ST",
  "MX",
  "SP",
  "SG",
  "CF",
  "DC",
  "CO",
  "EX",
];
export const OR_CATS: readonly Originator["orCat"][] = [
  "not-supported",
  "bay-control",
  "station-control",
  "remote-control",
  "automatic-bay",
  "automatic-station",
  "automatic-remote",
  "maintenance",
  "process",
];
export const DATA_TYPES: readonly MmsData["type"][] = [
  "boolean",
  "integer",
  "unsigned",
  "float",
  "visible-string",
  "octet-string",
  "bit-string",
  "utc-time",
  "structure",
  "array",
];

const tooLong = (what: string, n: number) =>
  new DerlinkError(AssociationError["string-too-long"], `${what} of ${n}`);

/** Refuses a list longer than the item limit. */
export function checkItems(n: number, limits: XerLimits, what: string): void {
  // spec: PD-142
  if (n > limits.maxItems) {
    throw new DerlinkError(AssociationError["too-many-items"], `${n} ${what}`);
  }
}

/** A reference, report id or name: name characters, at most `max` of them. */
export function checkName(text: string, max: number, what: string): string {
  if (text.length > max) throw tooLong(what, text.length);
  if (!NAME_CHARS.test(text)) throw invalid(`${what} characters`);
  return text;
}

// ---------------------------------------------------------------- numbers

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const FLOAT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[-+][0-9]+)?$/;

/** The one spelling of a float: shortest round-trip decimal, `-0`, `NaN`, `INF`, `-INF`. */
export function floatText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "INF";
  if (v === -Infinity) return "-INF";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function floatOf(text: string, width: 32 | 64): number {
  let v: number;
  if (text === "NaN") v = NaN;
  else if (text === "INF") v = Infinity;
  else if (text === "-INF") v = -Infinity;
  else {
    if (!FLOAT.test(text)) throw invalid(`float ${text.slice(0, 32)}`);
    v = Number(text);
    if (floatText(v) !== text) throw invalid(`float ${text.slice(0, 32)} not canonical`);
  }
  if (width === 32 && !Object.is(Math.fround(v), v)) throw invalid(`${text} is not a float32`);
  return v;
}

function checkFloat(v: number, width: number): void {
  if (typeof v !== "number" || (width !== 32 && width !== 64)) throw invalid("float");
  if (width === 32 && !Object.is(Math.fround(v), v)) throw invalid(`${v} is not a float32`);
}

// ---------------------------------------------------------------- MmsData

/** Encodes a data value; throws the code of the first rule it breaks. */
export function encodeData(d: MmsData, limits: XerLimits, depth = 1): Element {
  // spec: PD-141 PD-142
  if (depth > limits.maxNesting) {
    throw new DerlinkError(AssociationError["nesting-too-deep"], `level ${depth}`);
  }
  switch (d?.type) {
    case "boolean":
      if (typeof d.value !== "boolean") throw invalid("boolean");
      return el("boolean", {}, [String(d.value)]);
    case "integer":
      if (!Number.isSafeInteger(d.value)) throw invalid("integer");
      return el("integer", {}, [String(d.value === 0 ? 0 : d.value)]);
    case "unsigned":
      if (!Number.isSafeInteger(d.value) || d.value < 0) throw invalid("unsigned");
      return el("unsigned", {}, [String(d.value === 0 ? 0 : d.value)]);
    case "float":
      checkFloat(d.value, d.width);
      return el("float", { width: String(d.width) }, [floatText(d.value)]);
    case "visible-string":
      if (typeof d.value !== "string" || !VISIBLE_CHARS.test(d.value)) {
        throw invalid("visible-string characters");
      }
      if (d.value.length > limits.maxStringLength) throw tooLong("visible-string", d.value.length);
      return el("visible-string", {}, [d.value]);
    case "octet-string":
      if (!(d.value instanceof Uint8Array)) throw invalid("octet-string");
      if (d.value.length > limits.maxStringLength) throw tooLong("octet-string", d.value.length);
      return el("octet-string", {}, [toBase64(d.value)]);
    case "bit-string":
      if (typeof d.value !== "string" || !/^[01]*$/.test(d.value)) throw invalid("bit-string");
      if (d.value.length > limits.maxStringLength) throw tooLong("bit-string", d.value.length);
      return el("bit-string", {}, [d.value]);
    case "utc-time":
      return el("utc-time", {}, [timeText(d.value)]);
    case "structure":
      checkItems(d.members.length, limits, "structure members");
      return el("structure", {}, d.members.map((m) => encodeData(m, limits, depth + 1)));
    case "array":
      checkItems(d.elements.length, limits, "array elements");
      return el("array", {}, d.elements.map((m) => encodeData(m, limits, depth + 1)));
    default:
      throw invalid("data type");
  }
}

/** True when `e` is a data element (by name). */
export const isDataElement = (e: Xel): boolean =>
  (DATA_TYPES as readonly string[]).includes(e.name);

/** Decodes a data value; throws the code of the first rule it breaks. */
export function decodeData(e: Xel, limits: XerLimits, depth = 1): MmsData {
  if (depth > limits.maxNesting) {
    throw new DerlinkError(AssociationError["nesting-too-deep"], `level ${depth}`);
  }
  if (!isDataElement(e)) throw unknown(`<${e.name}> is not a data type`);
  checkElement(e, e.name === "float" ? ["width"] : []);
  switch (e.name) {
    case "boolean":
      return { type: "boolean", value: bool(textOf(e), "boolean") };
    case "integer": {
      const t = textOf(e);
      const v = Number(t);
      if (!INTEGER.test(t) || t === "-0" || !Number.isSafeInteger(v)) {
        throw invalid(`integer ${t.slice(0, 24)}`);
      }
      return { type: "integer", value: v };
    }
    case "unsigned":
      return { type: "unsigned", value: uint(textOf(e), "unsigned") };
    case "float": {
      const w = attr(e, "width");
      if (w !== "32" && w !== "64") throw invalid(`float width ${w}`);
      const width = w === "32" ? 32 : 64;
      return { type: "float", value: floatOf(textOf(e), width), width };
    }
    case "visible-string": {
      const t = textOf(e);
      if (t.length > limits.maxStringLength) throw tooLong("visible-string", t.length);
      if (!VISIBLE_CHARS.test(t)) throw invalid("visible-string characters");
      return { type: "visible-string", value: t };
    }
    case "octet-string": {
      const t = textOf(e);
      if (t.length > Math.ceil(limits.maxStringLength / 3) * 4) tooLongBase64(t.length);
      let value: Uint8Array;
      try {
        value = fromBase64(t);
      } catch {
        throw invalid("octet-string is not canonical base64");
      }
      if (value.length > limits.maxStringLength) throw tooLong("octet-string", value.length);
      return { type: "octet-string", value };
    }
    case "bit-string": {
      const t = textOf(e);
      if (t.length > limits.maxStringLength) throw tooLong("bit-string", t.length);
      if (!/^[01]*$/.test(t)) throw invalid("bit-string characters");
      return { type: "bit-string", value: t };
    }
    case "utc-time":
      return { type: "utc-time", value: timeOf(textOf(e), "utc-time") };
    case "structure": {
      const k = kids(e);
      checkItems(k.length, limits, "structure members");
      return { type: "structure", members: k.map((c) => decodeData(c, limits, depth + 1)) };
    }
    default: {
      const k = kids(e);
      checkItems(k.length, limits, "array elements");
      return { type: "array", elements: k.map((c) => decodeData(c, limits, depth + 1)) };
    }
  }
}

function tooLongBase64(n: number): never {
  throw tooLong("octet-string base64", n);
}

/** Exactly one data element among `e`'s children. */
export function decodeOnlyData(e: Xel, limits: XerLimits): MmsData {
  const k = kids(e);
  if (k.length !== 1) throw malformed(`<${e.name}> holds ${k.length} values`);
  return decodeData(k[0], limits);
}

// ---------------------------------------------------------------- references

/** `<item ref=… fc=…>` with optional children. */
export function encodeRef(r: DataReference, children: Element[] = []): Element {
  checkName(r?.ref, NAME_LIMITS.reference, "reference");
  oneOf(FUNCTIONAL_CONSTRAINTS, r.fc, "functional constraint");
  return el("item", { ref: r.ref, fc: r.fc }, children);
}

export function decodeRef(e: Xel): DataReference {
  if (e.name !== "item") throw unknown(`<${e.name}> where <item> belongs`);
  checkElement(e, ["ref", "fc"]);
  return {
    ref: checkName(attr(e, "ref"), NAME_LIMITS.reference, "reference"),
    fc: oneOf(FUNCTIONAL_CONSTRAINTS, attr(e, "fc"), "functional constraint"),
  };
}

// ---------------------------------------------------------------- controls

const CONTROL_ATTRS = [
  "control",
  "ctl-num",
  "t",
  "test",
  "oper-tm",
  "synchrocheck",
  "interlock-check",
] as const;

/** A control service body: `<operate control ctl-num t test …><origin/><ctl-val>…</ctl-val></operate>`. */
export function encodeControl(
  name: string,
  control: string,
  p: ControlParameters,
  limits: XerLimits,
): Element {
  checkName(control, NAME_LIMITS.reference, "control");
  if (!Number.isInteger(p.ctlNum) || p.ctlNum < 0 || p.ctlNum > 255) throw invalid("ctlNum");
  oneOf(OR_CATS, p.origin?.orCat, "orCat");
  if (typeof p.origin.orIdent !== "string" || !VISIBLE_CHARS.test(p.origin.orIdent)) {
    throw invalid("orIdent characters");
  }
  if (p.origin.orIdent.length > NAME_LIMITS.orIdent) {
    throw tooLong("orIdent", p.origin.orIdent.length);
  }
  if (typeof p.test !== "boolean" || typeof p.check?.synchrocheck !== "boolean") {
    throw invalid("test/check");
  }
  if (typeof p.check.interlockCheck !== "boolean") throw invalid("interlock-check");
  return el(name, {
    control,
    "ctl-num": String(p.ctlNum),
    t: timeText(p.t),
    test: String(p.test),
    "oper-tm": p.operTm === undefined ? undefined : timeText(p.operTm),
    synchrocheck: String(p.check.synchrocheck),
    "interlock-check": String(p.check.interlockCheck),
  }, [
    el("origin", { cat: p.origin.orCat, ident: p.origin.orIdent }),
    el("ctl-val", {}, [encodeData(p.ctlVal, limits)]),
  ]);
}

export function decodeControl(
  e: Xel,
  limits: XerLimits,
): { control: string; params: ControlParameters } {
  checkElement(e, CONTROL_ATTRS);
  const k = kids(e);
  if (k.length !== 2 || k[0].name !== "origin" || k[1].name !== "ctl-val") {
    throw malformed(`<${e.name}> holds <origin> then <ctl-val>`);
  }
  checkElement(k[0], ["cat", "ident"]);
  if (kids(k[0]).length > 0) throw unknown("element inside <origin>");
  checkElement(k[1], []);
  const orIdent = attr(k[0], "ident");
  if (orIdent.length > NAME_LIMITS.orIdent) throw tooLong("orIdent", orIdent.length);
  if (!VISIBLE_CHARS.test(orIdent)) throw invalid("orIdent characters");
  const operTm = e.attrs["oper-tm"];
  const params: ControlParameters = {
    ctlVal: decodeOnlyData(k[1], limits),
    ...(operTm === undefined ? {} : { operTm: timeOf(operTm, "oper-tm") }),
    origin: { orCat: oneOf(OR_CATS, attr(k[0], "cat"), "orCat"), orIdent },
    ctlNum: uint(attr(e, "ctl-num"), "ctl-num", 255),
    t: timeOf(attr(e, "t"), "t"),
    test: bool(attr(e, "test"), "test"),
    check: {
      synchrocheck: bool(attr(e, "synchrocheck"), "synchrocheck"),
      interlockCheck: bool(attr(e, "interlock-check"), "interlock-check"),
    },
  };
  return { control: checkName(attr(e, "control"), NAME_LIMITS.reference, "control"), params };
}
