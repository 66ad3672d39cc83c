/**
 * The machines' random generator, held in the state.
 *
 * At init a machine draws one 32-byte seed from the injected entropy source;
 * afterwards every random value (association id, nonce, ephemeral key) comes
 * from a SeededEntropy stream keyed by that seed and a draw counter. `step`
 * is therefore a function of state and input alone: the same state answers
 * the same input with the same bytes, so states can be snapshotted, replayed
 * and explored exhaustively, and a seed replays a whole run byte for byte.
 *
 * @module
 */
import { concat, uintBE } from "../../core/bytes.ts";
import { type EntropySource, SeededEntropy } from "../../core/entropy.ts";

export interface Rng {
  readonly seed: Uint8Array;
  readonly counter: number;
}

// spec: PD-95
export const seedRng = (entropy: EntropySource): Rng => ({ seed: entropy.bytes(32), counter: 0 });

/** A fresh entropy stream for one use, and the generator after it. */
export function drawSource(rng: Rng): [EntropySource, Rng] {
  const source = new SeededEntropy(concat(rng.seed, uintBE(rng.counter, 8)));
  return [source, { seed: rng.seed, counter: rng.counter + 1 }];
}

/** `n` random bytes, and the generator after them. */
export function drawBytes(rng: Rng, n: number): [Uint8Array, Rng] {
  const [source, next] = drawSource(rng);
  return [source.bytes(n), next];
}
