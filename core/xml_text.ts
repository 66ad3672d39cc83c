/**
 * Text plumbing of the XML reader: strict streaming UTF-8 decoding, and a
 * map from positions in the decoded text (UTF-16 units, as saxes counts them)
 * back to byte offsets in the input, so limits and stanza sizes are counted in
 * the bytes the peer sent.
 *
 * @module
 */
import { CoreError, DerlinkError } from "./errors.ts";

/** What one chunk decoded to; `bad` when a malformed sequence followed `text`. */
export interface Decoded {
  readonly text: string;
  readonly bad: boolean;
  /** UTF-8 length of `text` when known without counting (not after a malformed sequence). */
  readonly byteLength: number | undefined;
  /** `text` is exactly the chunk's bytes, all ASCII (so far only known on the one-pass path). */
  readonly ascii?: boolean;
}

const STREAM = { stream: true } as const;
const NO_BYTES = new Uint8Array(0);

/**
 * A replacing decoder, used in one pass (no state kept between calls, so one
 * serves every stream) on a chunk that starts at a character boundary: Deno
 * decodes that several times faster than the fatal streaming decoder. Every
 * malformed or unfinished sequence comes out as U+FFFD, so a result without
 * one is exactly what the fatal decoder would give; a result with one (also
 * a U+FFFD the peer sent) is decoded again by the fatal decoder, whose state
 * is clean at a boundary.
 */
const REPLACING = new TextDecoder("utf-8", { ignoreBOM: true });

const isContinuation = (b: number) => (b & 0xc0) === 0x80;
const sequenceLength = (lead: number) => lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;

/**
 * Streaming UTF-8 decoder (fatal). A chunk may end inside a character; the
 * bytes of that character wait for the next chunk. When a chunk holds a bad
 * sequence, the text before it is still returned, so the events that text
 * completes do not depend on where the input was split.
 */
export class Utf8Stream {
  // spec: RFC6120-11.6 PD-21
  /** Made when first needed (most inputs never need it). */
  #decoder: TextDecoder | undefined;
  /** The start of a character whose remaining bytes have not arrived (0 to 3 bytes). */
  #pending: Uint8Array = NO_BYTES;

  decode(bytes: Uint8Array): Decoded {
    if (this.#pending.length === 0) {
      const text = REPLACING.decode(bytes);
      if (text.indexOf("\uFFFD") === -1) {
        return { text, bad: false, byteLength: bytes.length, ascii: text.length === bytes.length };
      }
    }
    try {
      this.#decoder ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
      const text = this.#decoder.decode(bytes, STREAM);
      const before = this.#pending.length;
      this.#pending = incompleteTail(this.#pending, bytes);
      return { text, bad: false, byteLength: before + bytes.length - this.#pending.length };
    } catch {
      const text = validPrefixText(joinBytes(this.#pending, bytes));
      return { text, bad: true, byteLength: undefined };
    }
  }

  /** Ends the input: true when bytes of an unfinished character were left over. */
  finish(): boolean {
    return this.#pending.length > 0;
  }
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The unfinished character at the end of `pending ++ bytes`, already known to be valid so far. */
function incompleteTail(pending: Uint8Array, bytes: Uint8Array): Uint8Array {
  const all = bytes.length >= 4 ? bytes : joinBytes(pending, bytes);
  const n = all.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = all[n - back];
    if (isContinuation(b)) continue;
    return sequenceLength(b) > back ? all.slice(n - back) : NO_BYTES;
  }
  return NO_BYTES;
}

/** Decodes the longest prefix of `bytes` that holds no malformed sequence (binary search). */
function validPrefixText(bytes: Uint8Array): string {
  const decodes = (n: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, n), {
        stream: true,
      });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0; // decodes
  let hi = bytes.length; // does not
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (decodes(mid)) lo = mid;
    else hi = mid;
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, lo), {
    stream: true,
  });
}

/**
 * Positions in the stream of decoded text, and their byte offsets. Only the
 * latest piece of text is kept; asking for a position earlier than one
 * already asked for is a bug, which keeps the total cost linear. A piece whose
 * UTF-8 length equals its length in UTF-16 units is all ASCII and needs no
 * counting.
 */
export class PositionMap {
  #text = "";
  /** Stream position of `#text[0]`, and its byte offset. */
  #start = 0;
  #startByte = 0;
  /** UTF-8 length of `#text`, when known; the text is ASCII when it equals the text's length. */
  #textBytes: number | undefined = 0;
  /** Index in `#text` up to which bytes have been counted, and the byte offset there. */
  #index = 0;
  #bytes = 0;

  /** Appends the next piece of decoded text, given its UTF-8 length when known; the previous piece is dropped. */
  load(text: string, byteLength?: number): void {
    this.#startByte = this.#textBytes === undefined
      ? this.byteAt(this.end)
      : this.#startByte + this.#textBytes;
    this.#start += this.#text.length;
    this.#text = text;
    this.#textBytes = byteLength;
    this.#index = 0;
    this.#bytes = this.#startByte;
  }

  /** Stream position just after the latest text. */
  get end(): number {
    return this.#start + this.#text.length;
  }

  /** Stream position of the latest text's first unit. */
  get start(): number {
    return this.#start;
  }

  /** UTF-16 unit at stream position `pos`, which must lie in the latest text. */
  unitAt(pos: number): number {
    return this.#text.charCodeAt(pos - this.#start);
  }

  /** Byte offset of stream position `pos`. */
  byteAt(pos: number): number {
    const k = pos - this.#start;
    const text = this.#text;
    if (k < this.#index || k > text.length) {
      throw new DerlinkError(CoreError.internal, `position ${pos} outside the counted text`);
    }
    if (this.#textBytes === text.length) {
      this.#index = k;
      return this.#startByte + k;
    }
    // One byte per unit, plus one or two for each unit above U+007F (a
    // surrogate pair's 4 bytes are 2 + 2).
    let bytes = this.#bytes + (k - this.#index);
    for (let i = this.#index; i < k; i++) {
      const u = text.charCodeAt(i);
      if (u >= 0x80) bytes += u < 0x800 || (u >= 0xd800 && u <= 0xdfff) ? 1 : 2;
    }
    this.#index = k;
    this.#bytes = bytes;
    return bytes;
  }
}
