/**
 * What a run counts and remembers: counters (cumulative; the report takes
 * differences per phase), an event log hashed as it is written (SHA-256
 * over one line per event: virtual time, kind, subject, detail), and the
 * samples of the plot. Wall time never enters the log, so the same seed
 * gives the same digest.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex, utf8 } from "../core/bytes.ts";

/** The counters of the summary; every one only grows. */
export const COUNTERS = [
  "logins",
  "associations",
  "roomJoins",
  "registrations",
  "subscriptions",
  "tariffsPublished",
  "tariffsVerified",
  "commands",
  "commandsApplied",
  "acks",
  "aborts",
  "rekeys",
  "rekeysApplied",
  "rekeysSkipped",
  "evictions",
  "refused",
  "reports",
  "errors",
] as const;
export type Counter = typeof COUNTERS[number];

/** One point of the plot: aggregate power as the control centre sees it and as simulated. */
export interface Sample {
  readonly t: number;
  /** Sum of TotW over DERs with a live association, from their reports (W). */
  readonly viewW: number;
  /** Sum of the simulated output of every online DER (W). */
  readonly simW: number;
  /** Sum of rated power of the DERs in the view (W). */
  readonly ratedW: number;
}

export class Metrics {
  readonly counts: Record<Counter, number> = Object.fromEntries(
    COUNTERS.map((c) => [c, 0]),
  ) as Record<Counter, number>;
  /** Error codes seen, with how often (kept out of the way of the counters). */
  readonly errorCodes = new Map<string, number>();
  /** Codes of group messages a member refused (expected for the evicted), with how often. */
  readonly refusalCodes = new Map<string, number>();
  readonly samples: Sample[] = [];
  /** Group commands: virtual time and label, for the plot. */
  readonly commandMarks: { readonly t: number; readonly label: string }[] = [];
  #hash = sha256.create();
  #events = 0;

  add(c: Counter, n = 1): void {
    this.counts[c] += n;
  }

  /** An error some machine reported; counted by code (never with its detail: no secrets). */
  error(code: string): void {
    this.counts.errors++;
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  /** A group message a member refused, by code. */
  refusal(code: string): void {
    this.counts.refused++;
    this.refusalCodes.set(code, (this.refusalCodes.get(code) ?? 0) + 1);
  }

  /** Appends one event to the log (hashed at once; only the count is kept). */
  event(t: number, kind: string, subject: string, detail = ""): void {
    this.#events++;
    this.#hash.update(utf8(`${t}|${kind}|${subject}|${detail}\n`));
  }

  get eventCount(): number {
    return this.#events;
  }

  /** SHA-256 of the event log followed by `summary` (which must exclude wall time). */
  // spec: DL-SIM-7 PD-190
  digest(summary: string): string {
    const h = this.#hash.clone();
    h.update(utf8(`--\n${summary}`));
    return toHex(h.digest());
  }
}
