/**
 * The machines' random generator, held in the state.
 *
 * At init a machine draws one 32-byte seed from the injected entropy source;
 * afterwards every random value (association id, nonce, ephemeral key) comes
 * from a ChaCha20 keystream (RFC 8439) keyed by that seed, with the draw
 * counter as nonce. `step` is therefore a function of state and input alone:
 * the same state answers the same input with the same bytes, so states can
 * be snapshotted, replayed and explored exhaustively, and a seed replays a
 * whole run byte for byte.
 *
 * @module
 */
import { chacha20 } from "@noble/ciphers/chacha.js";
import type { EntropySource } from "../../core/entropy.ts";

export interface Rng {
  readonly seed: Uint8Array;
  readonly counter: number;
}

// spec: PD-95
export const seedRng = (entropy: EntropySource): Rng => ({ seed: entropy.bytes(32), counter: 0 });

/** One draw's keystream: ChaCha20 under the seed, nonce = draw counter, read on from block 0. */
class DrawStream implements EntropySource {
  readonly label = "a-profile state generator";
  readonly #key: Uint8Array;
  readonly #nonce = new Uint8Array(12);
  #block = 0;

  constructor(seed: Uint8Array, counter: number) {
    this.#key = seed;
    new DataView(this.#nonce.buffer).setFloat64(4, counter);
  }

  bytes(length: number): Uint8Array {
    const out = chacha20(this.#key, this.#nonce, new Uint8Array(length), undefined, this.#block);
    this.#block += Math.ceil(length / 64);
    return out;
  }
}

/** A fresh entropy stream for one use, and the generator after it. */
export function drawSource(rng: Rng): [EntropySource, Rng] {
  return [new DrawStream(rng.seed, rng.counter), { seed: rng.seed, counter: rng.counter + 1 }];
}

/** `n` random bytes, and the generator after them. */
export function drawBytes(rng: Rng, n: number): [Uint8Array, Rng] {
  const [source, next] = drawSource(rng);
  return [source.bytes(n), next];
}
