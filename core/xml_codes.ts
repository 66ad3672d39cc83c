/**
 * Error codes of the restricted-XML reader and the RFC 6120 stream-error
 * condition each one calls for.
 *
 * saxes reports its well-formedness errors as English messages; the few it
 * raises for rules that have their own code here are recognised by message
 * (saxes is pinned, and a unit test per code keeps the mapping honest).
 *
 * @module
 */
import { defineErrorCodes, type ErrorCode } from "./errors.ts";

/** Every way the reader refuses input. */
export const XmlError = defineErrorCodes("xml", {
  "invalid-utf8": "the byte stream is not valid UTF-8",
  "malformed": "the input is not well-formed, namespace-well-formed XML 1.0",
  "dtd": "a document type declaration (and with it any entity declaration) appeared",
  "comment": "an XML comment appeared",
  "processing-instruction":
    "a processing instruction appeared, or an XML declaration anywhere but at the very start",
  "undefined-entity": "an entity reference other than the five predefined ones appeared",
  "unbound-prefix": "an element or attribute uses a namespace prefix that is not declared",
  "unsupported-encoding": "the XML declaration names an encoding other than UTF-8",
  "unsupported-xml-version": "the XML declaration names an XML version other than 1.0",
  "text-at-stream-level": "character data other than whitespace appeared between stanzas",
  "after-close": "content other than whitespace followed the end of the stream or document",
  "second-root": "an element followed the end of the root element",
  "depth-limit": "element nesting is deeper than the maxDepth limit",
  "size-limit": "a stanza or other top-level markup is longer than maxStanzaBytes UTF-8 bytes",
  "attribute-limit": "an element has more attributes than the maxAttributes limit",
  "incomplete": "a single document ended before its root element was closed",
});

/** One of the reader's codes. */
export type XmlErrorCode = (typeof XmlError)[keyof typeof XmlError];

/**
 * The RFC 6120 §4.9.3 stream-error condition an XMPP entity sends when the
 * reader refuses its peer's input with `code` (profile decision PD-27).
 */
export function streamErrorCondition(code: XmlErrorCode): string {
  switch (code) {
    // spec: RFC6120-11.1
    case XmlError.dtd:
    case XmlError.comment:
    case XmlError["processing-instruction"]:
    case XmlError["undefined-entity"]:
      return "restricted-xml";
    // spec: RFC6120-11.6
    case XmlError["unsupported-encoding"]:
      return "unsupported-encoding";
    // spec: PD-27
    case XmlError["depth-limit"]:
    case XmlError["size-limit"]:
    case XmlError["attribute-limit"]:
      return "policy-violation";
    case XmlError["text-at-stream-level"]:
      return "bad-format";
    default:
      return "not-well-formed";
  }
}

/** Maps a saxes error message to the reader's code. */
export function codeForSaxesMessage(message: string): ErrorCode {
  // saxes prefixes "line:column: " to the message.
  const m = message.replace(/^\d+:\d+: /, "");
  if (m === "undefined entity.") return XmlError["undefined-entity"];
  // spec: RFC6120-11.2
  if (m.startsWith("unbound namespace prefix")) return XmlError["unbound-prefix"];
  if (m === "inappropriately located doctype declaration.") return XmlError.dtd;
  if (m === "malformed comment.") return XmlError.comment;
  if (
    m === "an XML declaration must be at the start of the document." ||
    m === "the XML declaration must appear at the start of the document."
  ) {
    return XmlError["processing-instruction"];
  }
  return XmlError.malformed;
}
