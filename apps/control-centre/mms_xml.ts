/**
 * MMS Data values as small XML elements, for group command payloads
 * (PD-195). One element per value, named after its type:
 *
 * ```xml
 * <boolean>true</boolean> <integer>-5</integer> <unsigned>5</unsigned>
 * <float width="32">60</float> <visible-string>x</visible-string>
 * <octet-string>00ff</octet-string> <bit-string>0100</bit-string>
 * <utc-time>1700000000000</utc-time> <structure>…</structure> <array>…</array>
 * ```
 * Numbers are written as JavaScript's shortest round-trip decimal (floats:
 * also NaN, Infinity, -Infinity, -0), so decoding gives back the same value
 * bit for bit; a visible-string is printable ASCII (as MMS defines it), so
 * no XML whitespace normalisation can change it. Decoding accepts exactly
 * this form and nothing else; encoding refuses a value it could not give back.
 *
 * @module
 */
import { Element } from "ltx";
import { fromHex, toHex } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import type { MmsData } from "../../state-machines/association/services.ts";
import { GroupCommandError } from "./errors.ts";

/** Deepest structure/array nesting a payload may carry. */
export const MAX_VALUE_DEPTH = 8;

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const SPECIAL_FLOATS = new Set(["NaN", "Infinity", "-Infinity", "-0"]);
/** MMS VisibleString: printable ISO 646 characters only. */
const VISIBLE = /^[\x20-\x7e]*$/;

const malformed = (detail: string) => new DerlinkError(GroupCommandError.malformed, detail);

const floatText = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

/** Appends the elements of `values` to `el` (ltx's cnode returns the child). */
export function withChildren(el: Element, values: readonly MmsData[]): Element {
  for (const v of values) el.cnode(mmsToXml(v));
  return el;
}

/** The XML element of a value. */
export function mmsToXml(v: MmsData): Element {
  switch (v.type) {
    case "structure":
      return withChildren(new Element("structure"), v.members);
    case "array":
      return withChildren(new Element("array"), v.elements);
    case "float":
      return new Element("float", { width: String(v.width) }).t(floatText(v.value));
    case "octet-string":
      return new Element("octet-string").t(toHex(v.value));
    case "boolean":
    case "integer":
    case "unsigned":
    case "utc-time":
      return new Element(v.type).t(String(v.value));
    case "visible-string":
      if (!VISIBLE.test(v.value)) throw malformed("visible-string holds printable ASCII only");
      return new Element(v.type).t(v.value);
    case "bit-string":
      if (!/^[01]*$/.test(v.value)) throw malformed("bit-string holds 0 and 1 only");
      return new Element(v.type).t(v.value);
  }
}

/** The part of an ltx element the decoder reads. */
export interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string | undefined>;
  readonly children: readonly (XmlNode | string)[];
}

/** Child elements, refusing any text that is not whitespace. */
export function elementChildren(el: XmlNode): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of el.children) {
    if (typeof c === "string") {
      if (c.trim() !== "") throw malformed(`text inside <${el.name}>`);
    } else out.push(c);
  }
  return out;
}

/** Text content of a leaf element (no child elements). */
function leafText(el: XmlNode): string {
  let text = "";
  for (const c of el.children) {
    if (typeof c !== "string") throw malformed(`element inside <${el.name}>`);
    text += c;
  }
  return text;
}

/** Refuses attributes outside `allowed` (a namespace declaration is allowed on the root only). */
export function onlyAttributes(el: XmlNode, allowed: readonly string[]): void {
  for (const name of Object.keys(el.attrs)) {
    if (!allowed.includes(name)) throw malformed(`attribute ${name} on <${el.name}>`);
  }
}

function integerText(text: string, min: number): number {
  if (!INTEGER.test(text)) throw malformed(`not an integer: ${text.slice(0, 32)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw malformed(`integer out of range`);
  return n;
}

/** Reads a value element back; throws `group-command/malformed` or `too-large`. */
export function mmsFromXml(el: XmlNode, depth = 0): MmsData {
  if (depth > MAX_VALUE_DEPTH) {
    throw new DerlinkError(GroupCommandError["too-large"], "value nesting");
  }
  onlyAttributes(el, el.name === "float" ? ["width"] : []);
  switch (el.name) {
    case "structure":
      return {
        type: "structure",
        members: elementChildren(el).map((c) => mmsFromXml(c, depth + 1)),
      };
    case "array":
      return { type: "array", elements: elementChildren(el).map((c) => mmsFromXml(c, depth + 1)) };
    case "boolean": {
      const t = leafText(el);
      if (t !== "true" && t !== "false") throw malformed("boolean is true or false");
      return { type: "boolean", value: t === "true" };
    }
    case "integer":
      return { type: "integer", value: integerText(leafText(el), -Infinity) };
    case "unsigned":
      return { type: "unsigned", value: integerText(leafText(el), 0) };
    case "utc-time":
      return { type: "utc-time", value: integerText(leafText(el), -Infinity) };
    case "float": {
      const width = el.attrs.width;
      if (width !== "32" && width !== "64") throw malformed("float width is 32 or 64");
      const t = leafText(el);
      if (!SPECIAL_FLOATS.has(t) && !DECIMAL.test(t)) throw malformed("not a float");
      const value = t === "-0" ? -0 : Number(t);
      return {
        type: "float",
        value: width === "32" ? Math.fround(value) : value,
        width: Number(width) as 32 | 64,
      };
    }
    case "visible-string": {
      const t = leafText(el);
      if (!VISIBLE.test(t)) throw malformed("visible-string holds printable ASCII only");
      return { type: "visible-string", value: t };
    }
    case "bit-string": {
      const t = leafText(el);
      if (!/^[01]*$/.test(t)) throw malformed("bit-string holds 0 and 1 only");
      return { type: "bit-string", value: t };
    }
    case "octet-string": {
      try {
        return { type: "octet-string", value: fromHex(leafText(el)) };
      } catch {
        throw malformed("octet-string is hex");
      }
    }
    default:
      throw malformed(`unknown value element <${el.name}>`);
  }
}
