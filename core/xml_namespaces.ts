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
import type { AttributeList } from "./xml_tree.ts";
import type { QName } from "./xml_names.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** A refusal: its code and detail. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly detail: string;
}

const malformed = (detail: string): Refusal => ({ code: XmlError.malformed, detail });

/** Why a declaration of `prefix` ("" for the default namespace) as `value` is refused, if it is. */
export function checkDeclaration(
  prefix: string,
  value: string,
  isPrefixed: boolean,
): Refusal | undefined {
  const uri = value.trim();
  // spec: RFC6120-11.2
  if (isPrefixed && uri === "") return malformed("a prefix cannot be undeclared in XML 1.0");
  if (prefix === "xml" && uri !== XML_NS) return malformed("xml prefix bound elsewhere");
  if (prefix === "xmlns" && uri !== XMLNS_NS) return malformed("xmlns prefix bound elsewhere");
  if (uri === XMLNS_NS) return malformed("the xmlns namespace bound to a prefix");
  if (uri === XML_NS && prefix !== "xml") return malformed("the xml namespace bound elsewhere");
  return undefined;
}

/**
 * The bindings in force, one frame per open element (undefined when it
 * declares none), and the default namespace of each open element.
 */
export class NamespaceScope {
  #frames: (Record<string, string> | undefined)[] = [];
  #defaults: string[] = [];
  /** Prefix and namespace name of the start tag {@link openTag} accepted last. */
  prefix = "";
  uri = "";

  /** Namespace name bound to `prefix`, undefined when unbound. */
  #resolve(prefix: string, own: Record<string, string> | undefined): string | undefined {
    const mine = own?.[prefix];
    if (mine !== undefined) return mine;
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const uri = this.#frames[i]?.[prefix];
      if (uri !== undefined) return uri;
    }
    return prefix === "xml" ? XML_NS : prefix === "xmlns" ? XMLNS_NS : undefined;
  }

  /**
   * Checks a complete start tag named `name` (split as `q`, undefined when it
   * is not a QName) whose declarations were each checked by
   * {@link checkDeclaration} as its value closed, and resolves its names
   * (setting the `uris` of prefixed attributes, and {@link prefix} and
   * {@link uri}); returns a refusal or undefined. The tag's declarations then
   * stay in scope until {@link pop}.
   */
  openTag(name: string, q: QName | undefined, attributes: AttributeList): Refusal | undefined {
    if (q === undefined) return malformed(`malformed name ${name}`);
    const n = attributes.count;
    const names = attributes.names;
    const prefixes = attributes.prefixes;
    let own: Record<string, string> | undefined;
    if (attributes.declares) {
      own = Object.create(null) as Record<string, string>;
      for (let i = 0; i < n; i++) {
        if (prefixes[i] === "xmlns") own[attributes.locals[i]] = attributes.values[i].trim();
        else if (names[i] === "xmlns") own[""] = attributes.values[i].trim();
      }
    }
    const defaultUri = own?.[""] ?? this.#defaults[this.#defaults.length - 1] ?? "";
    const uri = q.prefix === "" ? defaultUri : this.#resolve(q.prefix, own) ?? "";
    if (q.prefix !== "") {
      if (q.prefix === "xmlns") return malformed("element with the xmlns prefix");
      // spec: RFC6120-11.2
      if (uri === "") return { code: XmlError["unbound-prefix"], detail: `prefix ${q.prefix}` };
    }
    // In document order: the first attribute with an unbound prefix or an
    // expanded name seen before decides the refusal.
    for (let i = attributes.distinct ? n : 0; i < n; i++) {
      const p = prefixes[i];
      if (p === "") {
        const name = names[i];
        for (let j = 0; j < i; j++) {
          if (names[j] === name && prefixes[j] === "") return duplicate(name);
        }
        continue;
      }
      const bound = this.#resolve(p, own);
      // spec: RFC6120-11.2
      if (bound === undefined) return { code: XmlError["unbound-prefix"], detail: `prefix ${p}` };
      attributes.uris[i] = bound;
      const local = attributes.locals[i];
      for (let j = 0; j < i; j++) {
        if (prefixes[j] !== "" && attributes.uris[j] === bound && attributes.locals[j] === local) {
          return duplicate(names[i]);
        }
      }
    }
    this.#frames.push(own);
    this.#defaults.push(defaultUri);
    this.prefix = q.prefix;
    this.uri = uri;
    return undefined;
  }

  /** Closes the innermost element. */
  pop(): void {
    this.#frames.pop();
    this.#defaults.pop();
  }
}

const duplicate = (name: string): Refusal => malformed(`duplicate attribute ${name}`);
