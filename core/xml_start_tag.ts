/**
 * The start tag derlink's XML tokenizer is reading: its name and its
 * attributes (an {@link AttributeList}), and the checks made on each
 * attribute as its value closes: a QName, the attribute limit, the value of
 * a namespace declaration. The lexer's whole-tag fast path and the
 * tokenizer's step-by-step path fill it the same way, so both refuse the
 * same attribute with the same code.
 *
 * @module
 */
import { XmlError } from "./xml_codes.ts";
import type { AttributeShape, NameTable, QName } from "./xml_names.ts";
import { checkDeclaration, type Refusal } from "./xml_namespaces.ts";
import { AttributeList } from "./xml_tree.ts";

export class StartTag extends AttributeList {
  /** The element's name as written, and its split (undefined when it is not a QName). */
  name = "";
  q: QName | undefined = undefined;
  /** The splits of the attribute names. */
  readonly qs: QName[] = [];
  /** The name table slot of the element name (-1 when none), and the shape its attributes matched. */
  slot = -1;
  shape: AttributeShape | undefined = undefined;
  readonly #maxAttributes: number;

  constructor(maxAttributes: number) {
    super();
    this.#maxAttributes = maxAttributes;
  }

  /** Starts a tag named `name`, split as `q` (taken into name table `slot`). */
  begin(name: string, q: QName | null | undefined, slot = -1): void {
    this.name = name;
    this.q = q ?? undefined;
    this.slot = slot;
    this.shape = undefined;
    this.clear();
  }

  /** The attributes were those of `shape`, in its order. */
  matched(shape: AttributeShape): void {
    this.shape = shape;
    this.distinct = true;
  }

  /**
   * After the tag passed every check: remembers its attribute names as the
   * element's shape when they are new and none is prefixed but declarations.
   */
  learn(names: NameTable): void {
    if (this.shape !== undefined || this.slot < 0 || this.prefixed) return;
    names.remember(this.slot, this.name, {
      names: this.names.slice(0, this.count),
      qs: this.qs.slice(0, this.count),
    });
  }

  /** Adds an attribute whose value has closed (`q` its name's split, null when not a QName); a refusal when it breaks a rule. */
  add(name: string, q: QName | null | undefined, value: string): Refusal | undefined {
    if (!q) return { code: XmlError.malformed, detail: `malformed name ${name}` };
    // spec: PD-20 PD-25
    this.qs[this.count] = q;
    if (this.push(name, q.prefix, q.local, value) > this.#maxAttributes) {
      return {
        code: XmlError["attribute-limit"],
        detail: `more than ${this.#maxAttributes} attributes`,
      };
    }
    if (q.prefix === "xmlns") return checkDeclaration(q.local, value, true);
    if (name === "xmlns") return checkDeclaration("", value, false);
    return undefined;
  }
}
