/**
 * The clock of a real-server run: the scenario's time runs with the wall
 * clock from a chosen start (the simulation's `start`, so certificates and
 * A-profile timestamps issued for that time stay valid), optionally faster
 * (`scale` scenario ms per wall ms; the XMPP server's own timing stays
 * real). Timers are setTimeout calls; whole milliseconds only.
 *
 * @module
 */
import type { Clock } from "../network.ts";

export class WallClock implements Clock {
  readonly start: number;
  readonly scale: number;
  readonly #origin = performance.now();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(start: number = Date.now(), scale = 1) {
    if (!Number.isFinite(start)) throw new RangeError("start must be a time in ms");
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError("scale must be positive");
    this.start = Math.floor(start);
    this.scale = scale;
  }

  get now(): number {
    return this.start + Math.floor((performance.now() - this.#origin) * this.scale);
  }

  /** Wall milliseconds until scenario time `time` (0 when past). */
  wallMsUntil(time: number): number {
    return Math.max(0, (time - this.now) / this.scale);
  }

  at(time: number, fire: () => void): { cancel(): void } {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fire();
    }, Math.ceil(this.wallMsUntil(time)));
    this.#timers.add(t);
    return {
      cancel: () => {
        clearTimeout(t);
        this.#timers.delete(t);
      },
    };
  }

  /** Resolves once scenario time has reached `time`. */
  async sleepUntil(time: number): Promise<void> {
    while (this.now < time) {
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(this.wallMsUntil(time)))));
    }
  }

  /** Cancels every timer still pending (the run is over). */
  cancelAll(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
