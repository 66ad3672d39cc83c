/**
 * Reconnect delays: exponential, capped, bounded in number, and jittered
 * from an injected entropy source so that many DERs losing the same server
 * do not come back in lockstep, and so that tests are reproducible.
 *
 * @module
 */
import { DerlinkError } from "../core/errors.ts";
import type { EntropySource } from "../core/entropy.ts";
import { AdapterError } from "./errors.ts";

export interface BackoffPolicy {
  /** Attempts after a loss before giving up (0: never reconnect). */
  readonly maxAttempts: number;
  /** Delay before the first attempt, before jitter (ms). */
  readonly baseMs: number;
  /** Largest delay (ms). */
  readonly maxMs: number;
}

// spec: PD-101
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseMs: 250, maxMs: 30_000 };

/** Throws `adapter/invalid-config` for a policy outside its domain. */
export function checkBackoff(p: BackoffPolicy): BackoffPolicy {
  const okInt = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!okInt(p.maxAttempts) || !okInt(p.baseMs) || !okInt(p.maxMs) || p.baseMs > p.maxMs) {
    throw new DerlinkError(
      AdapterError["invalid-config"],
      "backoff needs non-negative integers with baseMs <= maxMs",
    );
  }
  return p;
}

/**
 * The delay before attempt `attempt` (0-based): min(maxMs, baseMs·2^attempt)
 * scaled by a factor in [0.5, 1) drawn from `entropy` ("equal jitter").
 */
// spec: DL-ADAPTER-6 PD-101
export function backoffDelay(attempt: number, p: BackoffPolicy, entropy: EntropySource): number {
  const ceiling = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(attempt, 52));
  const b = entropy.bytes(4);
  const u = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  return Math.floor(ceiling * (0.5 + 0.5 * (u / 2 ** 32)));
}
