/**
 * Runs one protected association endpoint (state-machines/association/
 * endpoint.ts, PD-140) on a network link: every input is stamped with the
 * clock's time, `stanza` outputs go on the link, `timer` outputs become
 * clock timers that feed a `tick` back (one per distinct deadline), and
 * everything else (events, session changes, errors) goes to the owner.
 *
 * @module
 */
import type { Element } from "ltx";
import {
  type EndpointConfig,
  type EndpointInput,
  type EndpointOutput,
  SecureAssociation,
} from "../../state-machines/association/endpoint.ts";
import type { Clock } from "../network.ts";

/** An endpoint input without `now` (the runner adds the clock's). */
export type RunnerInput = EndpointInput extends infer T ? T extends unknown ? Omit<T, "now"> : never
  : never;

export class AssociationRunner {
  readonly endpoint: SecureAssociation;
  readonly #clock: Clock;
  readonly #send: (stanza: Element) => void;
  readonly #hear: (output: EndpointOutput) => void;
  readonly #timers = new Map<number, { cancel(): void }>();
  #stopped = false;

  constructor(
    config: EndpointConfig,
    clock: Clock,
    send: (stanza: Element) => void,
    hear: (output: EndpointOutput) => void,
  ) {
    this.endpoint = new SecureAssociation(config);
    this.#clock = clock;
    this.#send = send;
    this.#hear = hear;
  }

  get peer(): string {
    return this.endpoint.config.peerJid;
  }

  input(input: RunnerInput): void {
    if (this.#stopped) return;
    const out = this.endpoint.input({ ...input, now: this.#clock.now } as EndpointInput);
    for (const o of out) {
      if (o.type === "stanza") this.#send(o.stanza);
      else if (o.type === "timer") this.#schedule(o.at);
      else this.#hear(o);
    }
  }

  #schedule(at: number): void {
    if (this.#stopped || this.#timers.has(at)) return;
    this.#timers.set(
      at,
      this.#clock.at(at, () => {
        this.#timers.delete(at);
        this.input({ type: "tick" });
      }),
    );
  }

  /** No more inputs or timers (the association is over or the run ends). */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
  }
}
