/**
 * Builds ltx `Element`s for top-level stanzas from namespace-aware tags (of
 * derlink's tokenizer or saxes). A stanza leaves the stream detached from its root, so the namespace
 * bindings it inherited from the stream header (the default `jabber:client`
 * namespace, a `stream:` prefix...) are written onto it: a consumer can read
 * `stanza.attrs.xmlns` or `stanza.getNS()` and re-serialise it on its own.
 *
 * @module
 */
import { Element } from "ltx";

/** An attribute as saxes reports it before the tag is complete. */
export interface AttributeNS {
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  readonly value: string;
  /** Namespace name, set once the start tag is complete (prefixed attributes only need it). */
  readonly uri?: string;
}

/** What the builder needs of a start tag: its name as written and its namespace. */
export interface TagNS {
  readonly name: string;
  readonly prefix: string;
  readonly uri: string;
}

/** Assembles one stanza at a time; the caller guarantees tags arrive well nested. */
export class StanzaBuilder {
  /** Open elements, the stanza first, and the prefixes each declares ("" for the default namespace). */
  #elements: Element[] = [];
  #declares: (readonly string[] | undefined)[] = [];
  /** How many open elements declare the default namespace. */
  #defaultDeclared = 0;
  /** How many open elements declare each prefix. */
  #declared = new Map<string, number>();
  /** The default namespace the stanza uses but does not declare. */
  #inheritedDefault: string | undefined;
  /** Prefixed bindings the stanza uses but does not declare, prefix → namespace name. */
  #inherited: Map<string, string> | undefined;

  /**
   * Opens an element: `attributes` in document order, the namespace names of
   * prefixed ones resolved.
   */
  open(tag: TagNS, attributes: readonly AttributeNS[]): void {
    const isStanza = this.#elements.length === 0;
    const element = new Element(tag.name);
    const attrs = element.attrs;
    let declared: string[] | undefined;
    let prefixed = false;
    for (let i = 0; i < attributes.length; i++) {
      const attr = attributes[i];
      if (attr.prefix === "xmlns") (declared ??= []).push(attr.local);
      else if (attr.name === "xmlns") (declared ??= []).push("");
      else if (attr.prefix !== "") prefixed = true;
      // The stanza's attributes wait until its inherited default namespace is known.
      if (!isStanza) setAttr(attrs, attr.name, attr.value);
    }
    if (declared) {
      for (const p of declared) {
        if (p === "") this.#defaultDeclared++;
        else this.#declared.set(p, (this.#declared.get(p) ?? 0) + 1);
      }
    }
    // spec: RFC6120-4.8.2.xml PD-22
    this.#noteInherited(tag.prefix, tag.uri);
    if (prefixed) {
      for (let i = 0; i < attributes.length; i++) {
        const attr = attributes[i];
        if (attr.prefix !== "" && attr.prefix !== "xmlns") {
          this.#noteInherited(attr.prefix, attr.uri!);
        }
      }
    }
    if (isStanza) {
      // Its own inherited default namespace first, as close() would put it.
      if (this.#inheritedDefault !== undefined) attrs.xmlns = this.#inheritedDefault;
      for (let i = 0; i < attributes.length; i++) {
        setAttr(attrs, attributes[i].name, attributes[i].value);
      }
    } else {
      this.#elements[this.#elements.length - 1].cnode(element);
    }
    this.#elements.push(element);
    this.#declares.push(declared);
  }

  /** Character data (text or CDATA) of the innermost open element; adjacent runs are merged. */
  text(data: string): void {
    const depth = this.#elements.length;
    if (depth === 0 || data.length === 0) return;
    const children = this.#elements[depth - 1].children;
    const last = children.length - 1;
    if (last >= 0 && typeof children[last] === "string") children[last] += data;
    else children.push(data);
  }

  /** Closes the innermost element; returns the stanza when that was its outermost one. */
  close(): Element | undefined {
    const done = this.#elements.pop();
    const declared = this.#declares.pop();
    if (declared) {
      for (const p of declared) {
        if (p === "") this.#defaultDeclared--;
        else this.#declared.set(p, this.#declared.get(p)! - 1);
      }
    }
    if (!done || this.#elements.length > 0) return undefined;
    const inherited = this.#inherited;
    if (inherited !== undefined) {
      // Declarations first (the default namespace already is when the stanza
      // itself inherited it), then the attributes as written.
      const attrs: Record<string, string> = {};
      if (this.#inheritedDefault !== undefined) attrs.xmlns = this.#inheritedDefault;
      for (const [prefix, uri] of inherited) attrs[`xmlns:${prefix}`] = uri;
      for (const name of Object.keys(done.attrs)) setAttr(attrs, name, done.attrs[name]);
      done.attrs = attrs;
    } else if (this.#inheritedDefault !== undefined && done.attrs.xmlns === undefined) {
      // Inherited by a descendant only: put it first.
      done.attrs = { xmlns: this.#inheritedDefault, ...done.attrs };
    }
    this.#inheritedDefault = undefined;
    this.#inherited = undefined;
    return done;
  }

  /** Records `prefix` as inherited when no element of the stanza declares it. */
  #noteInherited(prefix: string, uri: string): void {
    if (prefix === "") {
      if (uri === "") return; // no default namespace in force: nothing to carry
      if (this.#inheritedDefault === undefined && this.#defaultDeclared === 0) {
        this.#inheritedDefault = uri;
      }
      return;
    }
    if (prefix === "xml" || this.#inherited?.has(prefix)) return;
    if ((this.#declared.get(prefix) ?? 0) > 0) return;
    (this.#inherited ??= new Map()).set(prefix, uri);
  }
}

/** Sets an attribute, even one named `__proto__`, as an own enumerable property. */
function setAttr(attrs: Record<string, string>, name: string, value: string): void {
  if (name !== "__proto__") attrs[name] = value;
  else {Object.defineProperty(attrs, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });}
}
