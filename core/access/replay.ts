/**
 * The relying party's memory of accepted token ids (RFC 7519 §4.1.7): pure
 * functions over a plain, snapshotable state. An entry lives until its token
 * could no longer be accepted anyway (expiry plus clock skew), so the cache
 * only has to hold tokens that are still valid — why the profile bounds a
 * token's lifetime (PD-203). When full, the entry expiring first is evicted
 * and its expiry becomes a floor: a token expiring no later than the floor is
 * refused, because its id may have been among those forgotten (PD-204).
 *
 * @module
 */

/** One accepted token: issuer and jti joined by a space, and its expiry (seconds). */
export interface ReplayEntry {
  readonly id: string;
  readonly exp: number;
}

export interface ReplayState {
  /** Tokens expiring at or before this time (seconds) are refused. */
  readonly floor: number;
  /** Accepted tokens still valid, sorted by expiry (earliest first). */
  readonly entries: readonly ReplayEntry[];
}

export const EMPTY_REPLAY: ReplayState = Object.freeze({ floor: 0, entries: [] });

export const replayId = (issuer: string, jti: string): string => `${issuer} ${jti}`;

/** Drops entries whose tokens can no longer be accepted at `nowSeconds`. */
function prune(s: ReplayState, nowSeconds: number, leeway: number): readonly ReplayEntry[] {
  let i = 0;
  while (i < s.entries.length && s.entries[i].exp <= nowSeconds - leeway) i++;
  return i === 0 ? s.entries : s.entries.slice(i);
}

/** Why a token id cannot be accepted now, if it cannot. */
// spec: RFC7519-4.1.7 PD-204
export function replayProblem(
  s: ReplayState,
  id: string,
  exp: number,
): "replayed" | "replay-floor" | undefined {
  if (s.entries.some((e) => e.id === id)) return "replayed";
  if (exp <= s.floor) return "replay-floor";
  return undefined;
}

/** The state after accepting token `id` expiring at `exp`. */
// spec: PD-204
export function remember(
  s: ReplayState,
  id: string,
  exp: number,
  nowSeconds: number,
  leeway: number,
  capacity: number,
): ReplayState {
  const live = prune(s, nowSeconds, leeway);
  let at = live.length;
  while (at > 0 && live[at - 1].exp > exp) at--;
  const entries = [...live.slice(0, at), { id, exp }, ...live.slice(at)];
  let floor = s.floor;
  while (entries.length > Math.max(1, capacity)) {
    floor = Math.max(floor, entries.shift()!.exp);
  }
  return { floor, entries };
}
