/**
 * Drivers for the per-message machine: one step with every `sign-request`
 * answered in process (the A-profile's external-signer pattern, PD-98),
 * and a channel pair wired back to back for tests and the bench.
 *
 * @module
 */
import { isDerlinkError } from "../../core/errors.ts";
import type { Machine, Phased } from "../../core/machine.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import type { Signer } from "../a-profile/driver.ts";
import { perMessage } from "./machine.ts";
import type { PerMessageConfig, PerMessageOutput, PerMessageState } from "./types.ts";

type SignRequest = { readonly type: "sign-request"; readonly id: number; readonly suite: string };

/**
 * One step of any machine that asks for signatures with `sign-request`
 * outputs: each is answered by `signer` (a `signature` or `signer-failed`
 * input) before returning; the answered requests are left out.
 */
export function driveSigned<C, S extends Phased, O extends { readonly type: string }>(
  machine: Machine<C, S, AProfileInput, O>,
  state: S,
  input: AProfileInput,
  signer: Signer,
): { state: S; out: O[] } {
  const out: O[] = [];
  const queue: AProfileInput[] = [input];
  let s = state;
  while (queue.length > 0) {
    const next = machine.step(s, queue.shift()!);
    s = next.state;
    for (const o of next.out) {
      if (o.type !== "sign-request") {
        out.push(o);
        continue;
      }
      const request = o as unknown as SignRequest;
      try {
        queue.push({ type: "signature", id: request.id, value: signer(o as never) });
      } catch (e) {
        const detail = isDerlinkError(e) ? e.code : "signer error";
        queue.push({ type: "signer-failed", id: request.id, detail });
      }
    }
  }
  return { state: s, out };
}

/** Two channels back to back: what one sends reaches the other with its JID stamped. */
export class ChannelPair {
  a: PerMessageState;
  b: PerMessageState;
  readonly #signers: { a: Signer; b: Signer };
  readonly #jids: { a: string; b: string };

  constructor(a: PerMessageConfig, b: PerMessageConfig, aSigner: Signer, bSigner: Signer) {
    this.a = perMessage.init(a);
    this.b = perMessage.init(b);
    this.#signers = { a: aSigner, b: bSigner };
    this.#jids = { a: a.localJid, b: b.localJid };
  }

  /** Steps `side` with `input` and delivers what it sends; returns both sides' outputs. */
  run(side: "a" | "b", input: AProfileInput, now = input.now ?? 0) {
    const seen = { a: [] as PerMessageOutput[], b: [] as PerMessageOutput[] };
    const wire: XmlElement[] = [];
    const queue: ["a" | "b", AProfileInput][] = [[side, input]];
    while (queue.length > 0) {
      const [who, inp] = queue.shift()!;
      const r = driveSigned(perMessage, this[who], inp, this.#signers[who]);
      this[who] = r.state;
      seen[who].push(...r.out);
      for (const o of r.out) {
        if (o.type !== "send") continue;
        wire.push(o.element);
        const to = who === "a" ? "b" : "a";
        queue.push([to, { type: "receive", element: o.element, from: this.#jids[who], now }]);
      }
    }
    return { ...seen, wire };
  }
}
