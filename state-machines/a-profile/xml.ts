/**
 * The small part of ltx the A-profile needs: its element type (ltx ships no
 * types) and a builder. Elements are built with ltx and read through the
 * {@link XmlElement} view, so an adapter can hand over whatever the stream
 * reader produced.
 *
 * @module
 */
import { Element } from "ltx";

/** The subset of ltx's Element the profile reads. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XmlElement | string)[];
  parent: XmlElement | null;
  getNS(): string | undefined;
  toString(): string;
}

/** The namespace of every A-profile element. */
// spec: PD-85
export const NS = "urn:derlink:a-profile:0";

/** A new element; attributes whose value is undefined are left out. */
export function el(
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: (XmlElement | string)[] = [],
): XmlElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  const e = new Element(name, clean) as unknown as XmlElement & {
    cnode(c: unknown): void;
    t(s: string): void;
  };
  for (const c of children) {
    if (typeof c === "string") e.t(c);
    else e.cnode(c);
  }
  return e;
}
