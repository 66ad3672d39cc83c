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

/**
 * The attributes of one start tag in document order, in parallel arrays
 * rather than an object per attribute (a start tag is read into the same
 * list again and again). Entries past `count` are stale.
 */
export class AttributeList {
  count = 0;
  readonly names: string[] = [];
  readonly values: string[] = [];
  /** The prefix of each name ("" when it has none) and its local part. */
  readonly prefixes: string[] = [];
  readonly locals: string[] = [];
  /** Namespace name of each prefixed attribute, set once the start tag is complete. */
  readonly uris: string[] = [];
  /** Some attribute is a namespace declaration (`xmlns` or `xmlns:p`). */
  declares = false;
  /** Some attribute other than a declaration has a prefix. */
  prefixed = false;
  /** The names are known to be distinct and none prefixed but declarations (no duplicate check needed). */
  distinct = false;

  /** Empties the list. */
  clear(): void {
    this.count = 0;
    this.declares = false;
    this.prefixed = false;
    this.distinct = false;
  }

  /** Appends an attribute; returns the new count. */
  push(name: string, prefix: string, local: string, value: string): number {
    const k = this.count;
    this.names[k] = name;
    this.values[k] = value;
    this.prefixes[k] = prefix;
    this.locals[k] = local;
    this.uris[k] = "";
    if (prefix === "xmlns" || name === "xmlns") this.declares = true;
    else if (prefix !== "") this.prefixed = true;
    return this.count = k + 1;
  }
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
   * Opens an element named `name` (as written) in namespace `uri` with
   * `attributes`, the namespace names of prefixed ones resolved.
   */
  open(name: string, prefix: string, uri: string, attributes: AttributeList): void {
    const isStanza = this.#elements.length === 0;
    const element = new Element(name);
    const attrs = element.attrs;
    const n = attributes.count;
    const names = attributes.names;
    const values = attributes.values;
    let declared: string[] | undefined;
    if (attributes.declares) {
      declared = [];
      for (let i = 0; i < n; i++) {
        if (attributes.prefixes[i] === "xmlns") declared.push(attributes.locals[i]);
        else if (names[i] === "xmlns") declared.push("");
      }
      for (const p of declared) {
        if (p === "") this.#defaultDeclared++;
        else this.#declared.set(p, (this.#declared.get(p) ?? 0) + 1);
      }
    }
    // spec: RFC6120-4.8.2.xml PD-22
    this.#noteInherited(prefix, uri);
    if (attributes.prefixed) {
      for (let i = 0; i < n; i++) {
        const p = attributes.prefixes[i];
        if (p !== "" && p !== "xmlns") this.#noteInherited(p, attributes.uris[i]);
      }
    }
    if (isStanza) {
      // Its own inherited default namespace first, as close() would put it.
      if (this.#inheritedDefault !== undefined) attrs.xmlns = this.#inheritedDefault;
    } else this.#elements[this.#elements.length - 1].cnode(element);
    for (let i = 0; i < n; i++) setAttr(attrs, names[i], values[i]);
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
