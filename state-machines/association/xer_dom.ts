/**
 * The small element toolkit the XER codec is written in: a builder for ltx
 * elements, and strict readers that throw `DerlinkError` with an
 * `association/xer-*` or limit code (the codec's entry points turn those
 * into results, so nothing escapes to a caller).
 *
 * Strictness (PD-141): element and attribute names are unprefixed, a child
 * that declares a namespace must declare ours, an attribute the encoding does
 * not define is refused, text between child elements must be white space.
 *
 * @module
 */
import { Element } from "ltx";
import { DerlinkError } from "../../core/errors.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { AssociationError } from "./errors.ts";

export type { Xel } from "../xmpp-stream/messages.ts";

/** The namespace of every MMS XER element. */
// spec: PD-141
export const MMS_XER_NS = "urn:derlink:mms-xer:0";

/** A new element; attributes whose value is undefined are left out. */
export function el(
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: readonly (Element | string)[] = [],
): Element {
  const clean: Record<string, string> = {};
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) clean[k] = v;
  }
  const e = new Element(name, clean);
  for (const c of children) {
    if (typeof c === "string") e.t(c);
    else e.cnode(c);
  }
  return e;
}

export const malformed = (detail: string): DerlinkError =>
  new DerlinkError(AssociationError["xer-malformed"], detail);
export const invalid = (detail: string): DerlinkError =>
  new DerlinkError(AssociationError["xer-invalid-value"], detail);
export const unknown = (detail: string): DerlinkError =>
  new DerlinkError(AssociationError["xer-unknown-element"], detail);

/** Checks an element's name shape and namespace declaration; `allowed` are its attributes. */
export function checkElement(e: Xel, allowed: readonly string[]): void {
  if (e.name.includes(":")) throw unknown(`prefixed element ${e.name}`);
  for (const a in e.attrs) {
    if (a === "xmlns") {
      if (e.attrs.xmlns !== MMS_XER_NS) throw unknown(`<${e.name}> in namespace ${e.attrs.xmlns}`);
      continue;
    }
    if (!allowed.includes(a)) throw unknown(`attribute ${a} on <${e.name}>`);
  }
}

/** Child elements; text between them must be white space. */
export function kids(e: Xel): Xel[] {
  const out: Xel[] = [];
  for (const c of e.children) {
    if (typeof c === "string") {
      if (!/^[ \t\r\n]*$/.test(c)) throw malformed(`text inside <${e.name}>`);
    } else out.push(c);
  }
  return out;
}

/** The text of an element that must have no child elements. */
export function textOf(e: Xel): string {
  let s = "";
  for (const c of e.children) {
    if (typeof c !== "string") throw malformed(`element inside <${e.name}>`);
    s += c;
  }
  return s;
}

/** A required attribute. */
export function attr(e: Xel, name: string): string {
  const v = e.attrs[name];
  if (v === undefined) throw malformed(`<${e.name}> lacks ${name}`);
  return v;
}

/** One of `values`, by its text. */
export function oneOf<T extends string>(values: readonly T[], text: string, what: string): T {
  if (!(values as readonly string[]).includes(text)) throw invalid(`${what} ${text}`);
  return text as T;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** A non-negative safe integer in canonical decimal, at most `max`. */
export function uint(text: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!DECIMAL.test(text)) throw invalid(`${what} ${text.slice(0, 24)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > max) throw invalid(`${what} out of range`);
  return n;
}

/** "true" or "false". */
export function bool(text: string, what: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw invalid(`${what} ${text.slice(0, 24)}`);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Latest time the codec writes: 9999-12-31T23:59:59.999Z. */
export const MAX_TIME = 253_402_300_799_999;

/** A time (ms since the Unix epoch, UTC) as ISO 8601 with milliseconds. */
export function timeText(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_TIME) throw invalid(`time ${ms}`);
  return new Date(ms).toISOString();
}

/** Reads {@link timeText}'s form; refuses impossible dates (Feb 30) and other spellings. */
export function timeOf(text: string, what: string): number {
  if (!ISO.test(text)) throw invalid(`${what} ${text.slice(0, 32)}`);
  const ms = Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || new Date(ms).toISOString() !== text) {
    throw invalid(`${what} ${text}`);
  }
  return ms;
}

/** Refuses any child element (white space is allowed). */
export function noChildren(e: Xel): void {
  if (kids(e).length > 0) throw malformed(`<${e.name}> holds nothing`);
}
