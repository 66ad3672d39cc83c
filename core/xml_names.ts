/**
 * Names as derlink's XML tokenizer hands them on. XMPP repeats the same few
 * element and attribute names in every stanza; {@link NameTable} returns the
 * string it already has for a name read again instead of a new slice of the
 * input, and returns it internalized, so using it as a property key of an
 * ltx `attrs` object (or of a Map) costs no hashing or string-table lookup.
 * {@link qualifiedName} splits a name into prefix and local part once per
 * distinct name (the table keeps the split beside the name). Both only
 * change which equal string object is returned. The table also remembers,
 * per element name, the attribute names the element last had (an
 * {@link AttributeShape}), so the tokenizer can check that the next one has
 * them again instead of hashing each, and which element name followed
 * which (as its first child, or as its next sibling), to check the next
 * element name in place the same way.
 *
 * @module
 */

/** Names longer than this are sliced as they are (rare, and not worth hashing). */
const MAX_INTERNED = 40;
const SLOTS = 1024;

/** The internalized copy of `s` (V8 internalizes property keys; keys are read back as such). */
const internalized = (s: string): string => Object.keys({ [s]: 0 })[0];

/**
 * A direct-mapped cache of names keyed by a hash of their length and a few characters: a hit
 * compares the characters in place and allocates nothing; a miss slices and
 * takes the slot.
 */
export class NameTable {
  #slots: string[] = new Array<string>(SLOTS).fill("");
  /** The split of each slot's name (null when it is not a QName). */
  #splits: (QName | null)[] = new Array<QName | null>(SLOTS).fill(null);
  /** The attributes each slot's name last had as an element name. */
  #shapes: (AttributeShape | undefined)[] = new Array<AttributeShape | undefined>(SLOTS).fill(
    undefined,
  );
  /** Per slot, 1 + the slot of the element name that last followed it as first child / next sibling (0: none). */
  #firstChild = new Int32Array(SLOTS);
  #nextSibling = new Int32Array(SLOTS);
  /** The split of the name {@link take} returned last (null when it is not a QName). */
  q: QName | null = null;
  /** The slot of the name {@link take} returned last, -1 when it has none. */
  slot = -1;

  /**
   * The slot of the element name that followed the tag `context` (see
   * {@link tagContext}) the previous time that tag was read, as its first
   * child or next sibling; -1 when unknown.
   */
  expected(context: number): number {
    if (context < 0) return -1;
    return ((context & 1) === 1 ? this.#firstChild : this.#nextSibling)[context >> 1] - 1;
  }

  /** The element name in `slot` followed the tag `context`: remembered for {@link expected}. */
  follows(context: number, slot: number): void {
    if (context < 0) return;
    ((context & 1) === 1 ? this.#firstChild : this.#nextSibling)[context >> 1] = slot + 1;
  }

  /** The name in `slot`, and its split (as {@link take} gives them, setting {@link q} and {@link slot}). */
  named(slot: number): string {
    this.q = this.#splits[slot];
    this.slot = slot;
    return this.#slots[slot];
  }

  /** The attributes the name in `slot` last had as an element name. */
  shape(slot: number): AttributeShape | undefined {
    return this.#shapes[slot];
  }

  /** Remembers `shape` for element `name` (taken into `slot`), unless the slot went to another name since. */
  remember(slot: number, name: string, shape: AttributeShape): void {
    if (slot >= 0 && this.#slots[slot] === name) this.#shapes[slot] = shape;
  }

  /** `s.slice(start, end)`, as the string returned for the same name before when there is one. */
  take(s: string, start: number, end: number): string {
    const n = end - start;
    if (n > MAX_INTERNED || n === 0) {
      const name = s.slice(start, end);
      this.q = qualifiedName(name) ?? null;
      this.slot = -1;
      return name;
    }
    // FNV-1a over the length and four characters: cheap, and tells XMPP's names apart.
    let h = Math.imul(n ^ 0x811c9dc5, 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(start), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(end - 1), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(start + (n >> 1)), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(start + ((n * 3) >> 2)), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    const known = this.#slots[slot];
    if (known.length === n) {
      let same = true;
      for (let k = 0; k < n; k++) {
        if (known.charCodeAt(k) !== s.charCodeAt(start + k)) {
          same = false;
          break;
        }
      }
      if (same) {
        this.q = this.#splits[slot];
        this.slot = slot;
        return known;
      }
    }
    const name = internalized(s.slice(start, end));
    this.#slots[slot] = name;
    this.#shapes[slot] = undefined;
    this.q = this.#splits[slot] = splitQName(name) ?? null;
    this.slot = slot;
    return name;
  }
}

/**
 * The attribute names of an element's start tag in document order, with
 * their splits, as a tag that passed every check had them: all distinct,
 * none prefixed but namespace declarations (so no two can share an expanded
 * name whatever the bindings).
 */
export interface AttributeShape {
  readonly names: readonly string[];
  readonly qs: readonly QName[];
}

/**
 * A start or end tag as context for {@link NameTable.expected}: the slot of
 * its name and whether it was a start tag; -1 when its name has no slot.
 */
export const tagContext = (slot: number, start: boolean): number =>
  slot < 0 ? -1 : slot * 2 + (start ? 1 : 0);

/**
 * The table every reader of this isolate uses: it only caches names and
 * guesses which name comes next (each guess is checked against the input),
 * so sharing it changes no result, keeps a reader small (a fleet simulation
 * holds two per connection) and lets one stream's names warm it for the
 * next.
 */
export const NAMES = new NameTable();

/** A name split at its colon. */
export interface QName {
  readonly prefix: string;
  readonly local: string;
}

/** Splits a qualified name; undefined when it is not a QName (an empty part or a second colon). */
export function splitQName(name: string): QName | undefined {
  const colon = name.indexOf(":");
  if (colon === -1) return { prefix: "", local: name };
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  if (prefix === "" || local === "" || local.includes(":")) return undefined;
  return { prefix, local };
}

/** Split names seen so far; emptied when full, so a peer's made-up names cannot grow it without bound. */
const split = new Map<string, QName | null>();
const MAX_SPLIT = 4096;

/** {@link splitQName}, computed once per distinct name. */
export function qualifiedName(name: string): QName | undefined {
  const known = split.get(name);
  if (known !== undefined) return known ?? undefined;
  const q = splitQName(name);
  if (split.size >= MAX_SPLIT) split.clear();
  split.set(name, q ?? null);
  return q;
}
