/**
 * The default driver for the external-signer pattern (PD-98).
 *
 * The machines never hold their certificate's private key: they output
 * `sign-request {id, suite, data}` and take `signature {id, value}` (or
 * `signer-failed`) as an input. A hardware security module, a secure element
 * or a non-extractable WebCrypto key answers asynchronously through the same
 * two messages. This driver is the common case: it signs at once, in
 * process, with the suite's signature scheme, so to its caller a step looks
 * synchronous.
 *
 * @module
 */
import { getSuite, type ProviderChoice } from "../../core/crypto/suite.ts";
import { isDerlinkError } from "../../core/errors.ts";
import type { Machine, Phased } from "../../core/machine.ts";
import type { AProfileInput, AProfileOutput, LocalSigner } from "./types.ts";

/** Answers one sign-request; throwing reports `signer-failed`. */
export type Signer = (request: Extract<AProfileOutput, { type: "sign-request" }>) => Uint8Array;

/** A signer holding the key in process, computing with the suite's signature scheme. */
// spec: PD-98
export function localSigner(key: LocalSigner, provider: ProviderChoice = "default"): Signer {
  const sig = getSuite(key.suite, provider).sig;
  return (request) => {
    if (request.suite !== key.suite) {
      throw new Error(`asked for ${request.suite}, key is ${key.suite}`);
    }
    return sig.sign(key.privateKey, request.data);
  };
}

/**
 * One step, with every sign-request answered by `signer` before returning.
 * The answered requests are left out of the outputs; everything else the
 * machine produced (including what it did with the signature) is returned.
 * `onStep` sees every inner step (for transition checks).
 */
export function driveStep<C, S extends Phased>(
  machine: Machine<C, S, AProfileInput, AProfileOutput>,
  state: S,
  input: AProfileInput,
  signer: Signer,
  onStep?: (from: S, input: AProfileInput, to: S) => void,
): { state: S; out: AProfileOutput[] } {
  const out: AProfileOutput[] = [];
  const queue: AProfileInput[] = [input];
  let s = state;
  while (queue.length > 0) {
    const inp = queue.shift()!;
    const next = machine.step(s, inp);
    onStep?.(s, inp, next.state);
    s = next.state;
    for (const o of next.out) {
      if (o.type !== "sign-request") {
        out.push(o);
        continue;
      }
      try {
        queue.push({ type: "signature", id: o.id, value: signer(o) });
      } catch (e) {
        const detail = isDerlinkError(e) ? e.code : "signer error";
        queue.push({ type: "signer-failed", id: o.id, detail });
      }
    }
  }
  return { state: s, out };
}
