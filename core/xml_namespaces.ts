/**
 * Namespace processing of derlink's XML tokenizer (Namespaces in XML 1.0):
 * bindings in scope per open element, the checks made on each declaration
 * as its value closes, and the checks made on a complete start tag (prefix
 * bound, attributes unique by expanded name). Every refusal is
 * `xml/malformed` but an unbound prefix, `xml/unbound-prefix`.
 *
 * @module
 */
import type { ErrorCode } from "./errors.ts";
import { XmlError } from "./xml_codes.ts";
import type { AttributeNS } from "./xml_tree.ts";
import { qualifiedName } from "./xml_names.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** A refusal: its code and detail. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly detail: string;
}

const malformed = (detail: string): Refusal => ({ code: XmlError.malformed, detail });

/** The bindings in force, one frame per open element (undefined when it declares none). */
export class NamespaceScope {
  #frames: (Record<string, string> | undefined)[] = [];
  /** Declarations of the start tag being read. */
  #pending: Record<string, string> | undefined;

  /** A declaration as its value closes (`prefix` "" for the default namespace). */
  declare(prefix: string, value: string, isPrefixed: boolean): Refusal | undefined {
    const uri = value.trim();
    // spec: RFC6120-11.2
    if (isPrefixed && uri === "") return malformed("a prefix cannot be undeclared in XML 1.0");
    (this.#pending ??= Object.create(null) as Record<string, string>)[prefix] = uri;
    if (prefix === "xml" && uri !== XML_NS) return malformed("xml prefix bound elsewhere");
    if (prefix === "xmlns" && uri !== XMLNS_NS) return malformed("xmlns prefix bound elsewhere");
    if (uri === XMLNS_NS) return malformed("the xmlns namespace bound to a prefix");
    if (uri === XML_NS && prefix !== "xml") return malformed("the xml namespace bound elsewhere");
    return undefined;
  }

  /** Namespace name bound to `prefix` in the start tag being read, undefined when unbound. */
  resolve(prefix: string): string | undefined {
    const own = this.#pending?.[prefix];
    if (own !== undefined) return own;
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const uri = this.#frames[i]?.[prefix];
      if (uri !== undefined) return uri;
    }
    return prefix === "xml" ? XML_NS : prefix === "xmlns" ? XMLNS_NS : undefined;
  }

  /**
   * Checks a complete start tag and resolves its names (setting each
   * attribute's `uri`); returns the element's namespace name or a refusal.
   * The tag's declarations then stay in scope until {@link pop}.
   */
  openTag(name: string, attributes: AttributeNS[]): { prefix: string; uri: string } | Refusal {
    const q = qualifiedName(name);
    if (q === undefined) return malformed(`malformed name ${name}`);
    const uri = this.resolve(q.prefix) ?? "";
    if (q.prefix !== "") {
      if (q.prefix === "xmlns") return malformed("element with the xmlns prefix");
      // spec: RFC6120-11.2
      if (uri === "") return { code: XmlError["unbound-prefix"], detail: `prefix ${q.prefix}` };
    }
    for (let i = 0; i < attributes.length; i++) {
      const attr = attributes[i] as { -readonly [K in keyof AttributeNS]: AttributeNS[K] };
      if (attr.prefix === "") attr.uri = attr.name === "xmlns" ? XMLNS_NS : "";
      else {
        const bound = this.resolve(attr.prefix);
        // spec: RFC6120-11.2
        if (bound === undefined) {
          return { code: XmlError["unbound-prefix"], detail: `prefix ${attr.prefix}` };
        }
        attr.uri = bound;
      }
      for (let j = 0; j < i; j++) {
        const other = attributes[j];
        const same = attr.prefix === ""
          ? other.prefix === "" && other.name === attr.name
          : other.prefix !== "" && other.uri === attr.uri && other.local === attr.local;
        if (same) return malformed(`duplicate attribute ${attr.name}`);
      }
    }
    this.#frames.push(this.#pending);
    this.#pending = undefined;
    return { prefix: q.prefix, uri };
  }

  /** Closes the innermost element. */
  pop(): void {
    this.#frames.pop();
  }
}
