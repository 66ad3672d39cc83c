/**
 * The responder's replay cache of request nonces: bounded in size and
 * emptied by time.
 *
 * A nonce needs remembering only while its request's time is inside the
 * timestamp window; afterwards the timestamp check refuses a replay anyway,
 * so such entries are evicted. When the cache is full of live entries, the
 * oldest is evicted and the cache's floor rises to its time: every request
 * at or before the floor is then refused as a possible replay. Memory stays
 * bounded and no replay inside the window is ever accepted; under a flood
 * the cost is that old-but-in-window requests are refused.
 *
 * @module
 */
import type { ReplayCacheState } from "./types.ts";

export const EMPTY_REPLAY_CACHE: ReplayCacheState = Object.freeze({ floor: -1, entries: [] });

/** True when a request with this nonce and time must be refused as a replay. */
// spec: PD-92
export function isReplay(cache: ReplayCacheState, nonceHex: string, time: number): boolean {
  return time <= cache.floor || cache.entries.some((e) => e.nonce === nonceHex);
}

/**
 * The cache after recording an accepted request: entries that left the
 * window (time < now − window) are dropped, the new one is added, and while
 * more than `capacity` remain the oldest is evicted and raises the floor.
 */
// spec: PD-92
export function remember(
  cache: ReplayCacheState,
  nonceHex: string,
  time: number,
  now: number,
  windowMs: number,
  capacity: number,
): ReplayCacheState {
  const live = cache.entries.filter((e) => e.time >= now - windowMs);
  const entries = [...live, { nonce: nonceHex, time }].sort((a, b) => a.time - b.time);
  let floor = cache.floor;
  while (entries.length > capacity) floor = Math.max(floor, entries.shift()!.time);
  return { floor, entries };
}
