/**
 * Builds ltx `Element`s for top-level stanzas from saxes' namespace-aware
 * tags. A stanza leaves the stream detached from its root, so the namespace
 * bindings it inherited from the stream header (the default `jabber:client`
 * namespace, a `stream:` prefix...) are written onto it: a consumer can read
 * `stanza.attrs.xmlns` or `stanza.getNS()` and re-serialise it on its own.
 *
 * @module
 */
import { Element } from "ltx";
import type { SaxesTagNS } from "saxes";

/** One open element and the prefixes it declares ("" for the default namespace). */
interface Open {
  readonly element: Element;
  readonly declared: readonly string[] | undefined;
}

/** Assembles one stanza at a time; the caller guarantees tags arrive well nested. */
export class StanzaBuilder {
  #open: Open[] = [];
  /** How many open elements declare each prefix. */
  #declared = new Map<string, number>();
  /** Bindings the stanza uses but does not declare, prefix → namespace name. */
  #inherited = new Map<string, string>();

  open(tag: SaxesTagNS): void {
    const element = new Element(tag.name);
    const attrs = element.attrs;
    const attributes = tag.attributes;
    let declared: string[] | undefined;
    let prefixed = false;
    for (const name in attributes) {
      const attr = attributes[name];
      setAttr(attrs, name, attr.value);
      if (attr.prefix === "xmlns") (declared ??= []).push(attr.local);
      else if (name === "xmlns") (declared ??= []).push("");
      else if (attr.prefix !== "") prefixed = true;
    }
    const parent = this.#open.at(-1);
    if (parent) parent.element.cnode(element);
    this.#open.push({ element, declared });
    if (declared) {
      for (const p of declared) this.#declared.set(p, (this.#declared.get(p) ?? 0) + 1);
    }
    // spec: RFC6120-4.8.2.xml PD-22
    this.#noteInherited(tag.prefix, tag.uri);
    if (prefixed) {
      for (const name in attributes) {
        const attr = attributes[name];
        if (attr.prefix !== "" && attr.prefix !== "xmlns") {
          this.#noteInherited(attr.prefix, attr.uri);
        }
      }
    }
  }

  /** Character data (text or CDATA) of the innermost open element; adjacent runs are merged. */
  text(data: string): void {
    const top = this.#open.at(-1);
    if (!top || data.length === 0) return;
    const children = top.element.children;
    const last = children.length - 1;
    if (last >= 0 && typeof children[last] === "string") children[last] += data;
    else children.push(data);
  }

  /** Closes the innermost element; returns the stanza when that was its outermost one. */
  close(): Element | undefined {
    const done = this.#open.pop();
    if (done?.declared) {
      for (const p of done.declared) this.#declared.set(p, this.#declared.get(p)! - 1);
    }
    if (!done || this.#open.length > 0) return undefined;
    const stanza = done.element;
    if (this.#inherited.size > 0) {
      // Declarations first, then the attributes as written.
      const attrs: Record<string, string> = {};
      const ns = this.#inherited.get("");
      if (ns !== undefined) attrs.xmlns = ns;
      for (const [prefix, uri] of this.#inherited) {
        if (prefix !== "") attrs[`xmlns:${prefix}`] = uri;
      }
      for (const name of Object.keys(stanza.attrs)) setAttr(attrs, name, stanza.attrs[name]);
      stanza.attrs = attrs;
      this.#inherited = new Map();
    }
    return stanza;
  }

  /** Records `prefix` as inherited when no element of the stanza declares it. */
  #noteInherited(prefix: string, uri: string): void {
    if (prefix === "xml" || this.#inherited.has(prefix)) return;
    if (prefix === "" && uri === "") return; // no default namespace in force: nothing to carry
    if ((this.#declared.get(prefix) ?? 0) > 0) return;
    this.#inherited.set(prefix, uri);
  }
}

/** Sets an attribute, even one named `__proto__`, as an own enumerable property. */
function setAttr(attrs: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") {
    Object.defineProperty(attrs, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    attrs[name] = value;
  }
}
