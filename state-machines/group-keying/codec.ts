/**
 * The byte layout shared by every group-keying message: big-endian integers
 * (RFC 6407 §5 lays its payloads out the same way), strings and byte fields
 * with a length prefix. The reader checks every length before it reads and
 * refuses trailing bytes, so a message either parses completely or fails
 * with the caller's `malformed` code.
 *
 * Allocation is what these codecs pay for (a fresh byte array costs about as
 * much as parsing a whole small message): a writer can be sized up front, a
 * reader can take one private copy of its input and hand out views of it,
 * and ASCII text is decoded without the runtime's decoder.
 *
 * @module
 */
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { CoreError, DerlinkError, type ErrorCode } from "../../core/errors.ts";

/** Builds a message from fields, in one growing buffer. */
export class Writer {
  #buf: Uint8Array;
  #view: DataView;
  #length = 0;

  /** `capacity`: bytes to reserve (an exact size saves every regrowth). */
  constructor(capacity = 64) {
    this.#buf = new Uint8Array(Math.max(1, capacity));
    this.#view = new DataView(this.#buf.buffer);
  }

  #room(n: number): number {
    const at = this.#length;
    if (at + n > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#length = at + n;
    return at;
  }

  u8(v: number): this {
    checkUint(v, 0xff);
    const at = this.#room(1); // before reading #buf: #room may replace it
    this.#buf[at] = v;
    return this;
  }

  u16(v: number): this {
    checkUint(v, 0xffff);
    const at = this.#room(2);
    this.#view.setUint16(at, v);
    return this;
  }

  u32(v: number): this {
    checkUint(v, 0xffffffff);
    const at = this.#room(4);
    this.#view.setUint32(at, v);
    return this;
  }

  /** Milliseconds since the epoch (or any non-negative safe integer) in 8 bytes. */
  u64(v: number): this {
    checkUint(v, Number.MAX_SAFE_INTEGER);
    const hi = Math.floor(v / 0x1_0000_0000);
    return this.u32(hi).u32(v - hi * 0x1_0000_0000);
  }

  raw(b: Uint8Array): this {
    const at = this.#room(b.length);
    this.#buf.set(b, at);
    return this;
  }

  /** Bytes with a one-byte length. */
  bytes8(b: Uint8Array): this {
    return this.u8(b.length).raw(b);
  }

  /** Bytes with a two-byte length. */
  bytes16(b: Uint8Array): this {
    return this.u16(b.length).raw(b);
  }

  /** Bytes with a four-byte length. */
  bytes32(b: Uint8Array): this {
    return this.u32(b.length).raw(b);
  }

  /** UTF-8 text with a one-byte length. */
  str8(s: string): this {
    const n = s.length;
    if (n <= 0xff && isAscii(s)) {
      // ASCII text is its own UTF-8 encoding: written in place, no encoder call.
      this.u8(n);
      const at = this.#room(n);
      for (let i = 0; i < n; i++) this.#buf[at + i] = s.charCodeAt(i);
      return this;
    }
    return this.bytes8(utf8(s));
  }

  get length(): number {
    return this.#length;
  }

  /** The bytes written, as a fresh array. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#length);
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function checkUint(v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new DerlinkError(CoreError["invalid-argument"], `${v} is not an integer in [0, ${max}]`);
  }
  return v;
}

/**
 * Reads fields in order; any overrun or leftover is `code`.
 *
 * Byte fields are fresh copies, unless the reader is built with
 * {@link Reader.private}: then it holds its own copy of the input and its
 * byte fields are views of that copy (one allocation per message instead of
 * one per field; nothing the caller does to its input reaches them).
 */
export class Reader {
  #at = 0;
  readonly #views: boolean;
  constructor(
    private readonly data: Uint8Array,
    private readonly code: ErrorCode,
    views = false,
  ) {
    this.#views = views;
  }

  /** A reader over a private copy of `data`, whose byte fields are views of that copy. */
  static private(data: Uint8Array, code: ErrorCode): Reader {
    return new Reader(data.slice(), code, true);
  }

  #need(n: number, what: string): void {
    if (this.#at + n > this.data.length) {
      throw new DerlinkError(this.code, `truncated ${what} at byte ${this.#at}`);
    }
  }

  get offset(): number {
    return this.#at;
  }

  get remaining(): number {
    return this.data.length - this.#at;
  }

  u8(what = "u8"): number {
    this.#need(1, what);
    return this.data[this.#at++];
  }

  u16(what = "u16"): number {
    this.#need(2, what);
    const d = this.data, i = this.#at;
    this.#at += 2;
    return (d[i] << 8) | d[i + 1];
  }

  u32(what = "u32"): number {
    this.#need(4, what);
    const d = this.data, i = this.#at;
    this.#at += 4;
    return ((d[i] << 24) >>> 0) + ((d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
  }

  u64(what = "u64"): number {
    const hi = this.u32(what);
    const lo = this.u32(what);
    if (hi > 0x1fffff) throw new DerlinkError(this.code, `${what} beyond 2^53`);
    return hi * 0x1_0000_0000 + lo;
  }

  raw(n: number, what = "bytes"): Uint8Array {
    this.#need(n, what);
    const at = this.#at;
    this.#at += n;
    return this.#views ? this.data.subarray(at, at + n) : this.data.slice(at, at + n);
  }

  /** True when the next `bytes.length` bytes equal `bytes` (consumed either way). */
  expect(bytes: Uint8Array, what = "bytes"): boolean {
    this.#need(bytes.length, what);
    const d = this.data, at = this.#at;
    this.#at += bytes.length;
    for (let i = 0; i < bytes.length; i++) if (d[at + i] !== bytes[i]) return false;
    return true;
  }

  bytes8(what = "bytes"): Uint8Array {
    return this.raw(this.u8(what), what);
  }

  bytes16(what = "bytes"): Uint8Array {
    return this.raw(this.u16(what), what);
  }

  bytes32(what = "bytes"): Uint8Array {
    return this.raw(this.u32(what), what);
  }

  str8(what = "text"): string {
    const n = this.u8(what);
    this.#need(n, what);
    const at = this.#at;
    this.#at += n;
    const b = this.data.subarray(at, at + n);
    // ASCII is valid UTF-8 and decodes to the same code points: no decoder call needed.
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (b[i] > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, b as unknown as number[]);
    try {
      return fromUtf8(b);
    } catch {
      throw new DerlinkError(this.code, `${what} is not UTF-8`);
    }
  }

  /** The rest of the input. */
  rest(): Uint8Array {
    return this.raw(this.remaining, "rest");
  }

  /** Refuses leftover bytes. */
  end(what = "message"): void {
    if (this.remaining !== 0) {
      throw new DerlinkError(this.code, `${this.remaining} bytes after the ${what}`);
    }
  }
}
