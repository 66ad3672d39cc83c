/**
 * Entity and character references for derlink's XML tokenizer: the five
 * predefined entities and numeric references to characters XML 1.0 allows;
 * every other reference is refused (a DTD could have declared it, and XMPP
 * allows no DTD).
 *
 * @module
 */
import { isNCName, xmlChar } from "./xml_chars.ts";
import { XmlError } from "./xml_codes.ts";
import type { Refusal } from "./xml_namespaces.ts";

const PREDEFINED: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
});

/** The text of a reference (between `&` and `;`), or why it is refused. */
export function resolveReference(entity: string): string | Refusal {
  if (entity === "") return { code: XmlError.malformed, detail: "empty reference" };
  if (entity[0] !== "#") {
    const known = PREDEFINED[entity];
    if (known !== undefined) return known;
    // spec: RFC6120-11.1
    if (isNCName(entity)) return { code: XmlError["undefined-entity"], detail: "undefined entity" };
    return { code: XmlError.malformed, detail: "bad entity name" };
  }
  let code = NaN;
  if (entity[1] === "x" && /^#x[0-9a-f]+$/i.test(entity)) code = parseInt(entity.slice(2), 16);
  else if (/^#[0-9]+$/.test(entity)) code = parseInt(entity.slice(1), 10);
  // spec: RFC6120-11.3
  if (!xmlChar(code)) return { code: XmlError.malformed, detail: "bad character reference" };
  return String.fromCodePoint(code);
}
