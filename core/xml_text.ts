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
}

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
  #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** The start of a character whose remaining bytes have not arrived (0 to 3 bytes). */
  #pending: Uint8Array = new Uint8Array(0);

  decode(bytes: Uint8Array): Decoded {
    try {
      const text = this.#decoder.decode(bytes, { stream: true });
      this.#pending = incompleteTail(this.#pending, bytes);
      return { text, bad: false };
    } catch {
      return { text: validPrefixText(joinBytes(this.#pending, bytes)), bad: true };
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
    return sequenceLength(b) > back ? all.slice(n - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
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

/** UTF-8 length of one UTF-16 unit (a surrogate pair's 4 bytes split 2 + 2). */
const unitBytes = (u: number) => u < 0x80 ? 1 : u < 0x800 ? 2 : u >= 0xd800 && u <= 0xdfff ? 2 : 3;

/**
 * Positions in the stream of decoded text, and their byte offsets. Only the
 * latest piece of text is kept; asking for a position earlier than one
 * already asked for is a bug, which keeps the total cost linear.
 */
export class PositionMap {
  #text = "";
  /** Stream position of `#text[0]`. */
  #start = 0;
  /** Index in `#text` up to which bytes have been counted, and the byte offset there. */
  #index = 0;
  #bytes = 0;

  /** Appends the next piece of decoded text (the previous one is counted to its end and dropped). */
  load(text: string): void {
    this.byteAt(this.end);
    this.#start += this.#text.length;
    this.#text = text;
    this.#index = 0;
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
    if (k < this.#index || k > this.#text.length) {
      throw new DerlinkError(CoreError.internal, `position ${pos} outside the counted text`);
    }
    let bytes = this.#bytes;
    const text = this.#text;
    for (let i = this.#index; i < k; i++) bytes += unitBytes(text.charCodeAt(i));
    this.#index = k;
    this.#bytes = bytes;
    return bytes;
  }
}
