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
const BUFFER_BLOCKS = 16;
const NONCE = new Uint8Array(12);
const MAX_DRAW = 1 << 20;

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

  // spec: DL-ENTROPY-1 PD-1
  constructor(seed: Uint8Array | string | number) {
    const seedBytes = typeof seed === "number"
      ? utf8(`n:${seed}`)
      : typeof seed === "string"
      ? utf8(`s:${seed}`)
      : concat(utf8("b:"), seed);
    this.#key = sha256(concat(utf8("derlink/seeded-entropy/v1"), seedBytes));
    this.label = `seeded:${typeof seed === "object" ? "bytes" : String(seed)}`;
  }

  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > MAX_DRAW) {
      throw new DerlinkError(CoreError["invalid-argument"], `entropy draw of ${length} bytes`);
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.#offset === this.#buffer.length) this.#refill();
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

  #refill(): void {
    this.#buffer = chacha20(
      this.#key,
      NONCE,
      new Uint8Array(BLOCK * BUFFER_BLOCKS),
      undefined,
      this.#block,
    );
    this.#block += BUFFER_BLOCKS;
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
