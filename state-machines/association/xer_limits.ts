/**
 * Limits of the MMS XER codec (PD-142): both directions check them, so a PDU
 * that encodes also decodes, and a peer's PDU beyond them is refused with its
 * own code before anything acts on it.
 *
 * @module
 */

/** What the XER codec accepts. */
export interface XerLimits {
  /** Most items in one list: read/write items, read/write results, names, report entries, structure members, array elements. */
  readonly maxItems: number;
  /** Deepest nesting of structures and arrays (a plain value is level 1). */
  readonly maxNesting: number;
  /** Longest visible string (characters), octet string (bytes) and bit string (bits). */
  readonly maxStringLength: number;
  /** Largest PDU in UTF-8 bytes. */
  readonly maxPduSize: number;
}

// spec: PD-142
export const DEFAULT_XER_LIMITS: XerLimits = Object.freeze({
  maxItems: 64,
  maxNesting: 10,
  maxStringLength: 1024,
  maxPduSize: 65_536,
});

/** Fixed bounds of names the codec reads (PD-142): IEC 61850 object references, identifiers. */
export const NAME_LIMITS = Object.freeze({
  /** ObjectReference (LD/LN.DO.DA…), as IEC 61850-7-2 sizes it publicly: 129 characters. */
  reference: 129,
  /** MMS identifiers in name lists and report ids. */
  identifier: 129,
  /** Originator identity (orIdent). */
  orIdent: 64,
});

/** Characters of references and identifiers: letters, digits and `_ $ . / @ -`. */
export const NAME_CHARS = /^[A-Za-z0-9_$./@-]+$/;

/** Visible strings: printable ASCII (MMS VisibleString). */
export const VISIBLE_CHARS = /^[\x20-\x7e]*$/;
