/**
 * Injected randomness.
 *
 * Machines never call `crypto.getRandomValues` or `Math.random`: they draw
 * from the {@link EntropySource} in their config. Tests and vector generation
 * use {@link SeededEntropy}, a ChaCha20 keystream keyed from a seed, so the
 * same seed and the same sequence of draws give the same bytes on every run
 * and every platform. Adapters use {@link systemEntropy}.
 *
 * @module
 */
import { chacha20 } from "@noble/ciphers/chacha.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, utf8 } from "./bytes.ts";
import { CoreError, DerlinkError } from "./errors.ts";

/** A source of random bytes. Each call returns fresh bytes. */
export interface EntropySource {
  /** A label for reports ("seeded:<hex>" or "system"); never the key itself. */
  readonly label: string;
  bytes(length: number): Uint8Array;
}

const BLOCK = 64;
/** Most keystream blocks made at once. */
const BUFFER_BLOCKS = 16;
const NONCE = new Uint8Array(12);
/** ChaCha20 encrypts zeros into keystream; it only reads them, so one array serves every refill. */
const ZEROS = new Uint8Array(BLOCK * BUFFER_BLOCKS);
const MAX_DRAW = 1 << 20;
const KEY_DOMAIN = utf8("derlink/seeded-entropy/v1");
const BYTES_KIND = utf8("b:");

/**
 * Deterministic generator: ChaCha20 (RFC 8439) keystream under
 * key = SHA-256("derlink/seeded-entropy/v1" || seed), zero nonce, block
 * counter from 0. Not for production keys: anyone with the seed has them.
 */
export class SeededEntropy implements EntropySource {
  readonly label: string;
  #key: Uint8Array;
  #block = 0;
  #buffer = new Uint8Array(0);
  #offset = 0;
  /**
   * Blocks the next refill makes: two at first, doubling up to BUFFER_BLOCKS.
   * Most sources draw at most 128 bytes in their life (measured in the
   * simulation: a key, a few nonces), so a fixed 1 KiB refill made and kept
   * mostly unused keystream. The stream is the same however it is cut: block
   * n is always block n.
   */
  #nextBlocks = 2;

  // spec: DL-ENTROPY-1 PD-1
  constructor(seed: Uint8Array | string | number) {
    // SHA-256 over domain || kind || seed, fed in parts (the constant parts are encoded once).
    const hash = sha256.create().update(KEY_DOMAIN);
    if (typeof seed === "number") hash.update(utf8(`n:${seed}`));
    else if (typeof seed === "string") hash.update(utf8(`s:${seed}`));
    else hash.update(BYTES_KIND).update(seed);
    this.#key = hash.digest();
    this.label = `seeded:${typeof seed === "object" ? "bytes" : String(seed)}`;
  }

  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > MAX_DRAW) {
      throw new DerlinkError(CoreError["invalid-argument"], `entropy draw of ${length} bytes`);
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.#offset === this.#buffer.length) this.#refill(length - filled);
      const take = Math.min(length - filled, this.#buffer.length - this.#offset);
      out.set(this.#buffer.subarray(this.#offset, this.#offset + take), filled);
      this.#offset += take;
      filled += take;
    }
    return out;
  }

  /** An independent stream for a named sub-component, derived from this seed. */
  // spec: DL-ENTROPY-2
  fork(label: string): SeededEntropy {
    return new SeededEntropy(concat(this.#key, utf8(label)));
  }

  /** Makes the next blocks of keystream, enough for `wanted` bytes where the cap allows. */
  #refill(wanted: number): void {
    const blocks = Math.min(BUFFER_BLOCKS, Math.max(this.#nextBlocks, Math.ceil(wanted / BLOCK)));
    this.#buffer = chacha20(
      this.#key,
      NONCE,
      ZEROS.subarray(0, blocks * BLOCK),
      undefined,
      this.#block,
    );
    this.#block += blocks;
    this.#nextBlocks = Math.min(BUFFER_BLOCKS, blocks * 2);
    this.#offset = 0;
  }
}

/** The platform CSPRNG, for adapters and production use. */
export const systemEntropy: EntropySource = {
  label: "system",
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65536 bytes per call.
    for (let i = 0; i < length; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
    return out;
  },
};
