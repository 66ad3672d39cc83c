/**
 * Restricted-XML stream reader for XMPP (RFC 6120 §11). PLACEHOLDER: the API
 * below is the contract; the implementation is being written.
 *
 * @module
 */
import type { Element } from "ltx";
import type { DerlinkError } from "./errors.ts";

/** Limits applied while reading; every one refuses with its own code. */
export interface XmlLimits {
  /** Deepest element nesting inside a stanza (the stream root is depth 0, a stanza depth 1). */
  readonly maxDepth: number;
  /** Largest stanza, in UTF-8 bytes from its start tag to its end tag. */
  readonly maxStanzaBytes: number;
  /** Most attributes on one element (namespace declarations included). */
  readonly maxAttributes: number;
}

/** What the reader reports, in stream order. */
export type XmlEvent =
  | {
    readonly type: "stream-open";
    /** Qualified name as written, e.g. "stream:stream". */
    readonly name: string;
    /** Attributes as written, namespace declarations included. */
    readonly attrs: Readonly<Record<string, string>>;
  }
  | { readonly type: "stanza"; readonly element: Element; readonly bytes: number }
  | { readonly type: "stream-close" }
  | { readonly type: "error"; readonly error: DerlinkError };

export declare class XmlStreamReader {
  constructor(limits?: Partial<XmlLimits>);
  /** Feeds a chunk split anywhere (even inside a UTF-8 character); returns the events it completes. After an error event the reader is failed and returns nothing more. */
  feed(chunk: Uint8Array): XmlEvent[];
  /** Starts a new stream (after STARTTLS or SASL success, RFC 6120 §5.4.3.3, §6.4.6). */
  reset(): void;
}
