/**
 * Per-phase accounting: counters, network traffic, virtual time, and the
 * wall and CPU time each phase took (wall and CPU time are reported but
 * never hashed into the digest).
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { type Counter, COUNTERS, type Metrics } from "./metrics.ts";
import type { Network } from "./network.ts";

export interface PhaseSummary {
  readonly name: string;
  /** Virtual start and end, ms since the epoch. */
  readonly from: number;
  readonly to: number;
  readonly counts: Readonly<Record<Counter, number>>;
  readonly stanzas: number;
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Process CPU time (user + system), ms. */
export const cpuMs = (): number => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};

export class PhaseTimer {
  readonly done: PhaseSummary[] = [];
  #open?: {
    name: string;
    from: number;
    counts: Record<Counter, number>;
    stanzas: number;
    bytes: number;
    wall: number;
    cpu: number;
  };

  constructor(readonly metrics: Metrics, readonly net: Network) {}

  #stanzas = () => this.net.traffic.stanzasDelivered;
  #bytes = () => this.net.traffic.bytesUp + this.net.traffic.bytesDown;

  begin(name: string, now: number): void {
    this.#open = {
      name,
      from: now,
      counts: { ...this.metrics.counts },
      stanzas: this.#stanzas(),
      bytes: this.#bytes(),
      wall: performance.now(),
      cpu: cpuMs(),
    };
  }

  end(now: number): void {
    const p = this.#open;
    if (!p) return;
    const counts = Object.fromEntries(
      COUNTERS.map((c) => [c, this.metrics.counts[c] - p.counts[c]]),
    ) as Record<Counter, number>;
    this.done.push({
      name: p.name,
      from: p.from,
      to: now,
      counts,
      stanzas: this.#stanzas() - p.stanzas,
      bytes: this.#bytes() - p.bytes,
      wallMs: performance.now() - p.wall,
      cpuMs: cpuMs() - p.cpu,
    });
    this.#open = undefined;
  }
}
