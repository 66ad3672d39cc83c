/**
 * IEC 61850 object references as the DER model reads them:
 * `LD/LN[.DO[.DA…]]` with identifier parts (letters, digits, underscore, not
 * starting with a digit). A reference that does not have this shape is an
 * invalid address; one that has it but names nothing is non-existent.
 *
 * @module
 */

export interface ParsedReference {
  readonly ld: string;
  readonly ln: string;
  /** DO, DA and sub-attribute names below the LN, possibly empty. */
  readonly path: readonly string[];
}

export const PART = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_REFERENCE = 255;

/** Parses `LD/LN[.DO…]`; undefined when the text is not a well-formed reference. */
export function parseReference(text: string): ParsedReference | undefined {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_REFERENCE) {
    return undefined;
  }
  const slash = text.indexOf("/");
  if (slash <= 0 || text.indexOf("/", slash + 1) !== -1) return undefined;
  const ld = text.slice(0, slash);
  const [ln, ...path] = text.slice(slash + 1).split(".");
  if (!PART.test(ld) || !PART.test(ln) || !path.every((p) => PART.test(p))) return undefined;
  return { ld, ln, path };
}

/**
 * Parses an LD-relative reference `LN[.DO…]` (the form a group command uses,
 * PD-195) and places it in logical device `ld`.
 */
export function parseRelativeReference(
  ld: string,
  text: string,
): ParsedReference | undefined {
  if (typeof text !== "string" || text.includes("/")) return undefined;
  return parseReference(`${ld}/${text}`);
}

export const formatReference = (r: ParsedReference): string =>
  [`${r.ld}/${r.ln}`, ...r.path].join(".");
