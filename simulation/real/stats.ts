/**
 * A distribution summary for measured delays: count, min, median, p90, max
 * (quantiles by linear interpolation between order statistics, so a median
 * of an even count is the mean of the middle two).
 *
 * @module
 */

export interface Distribution {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly max: number;
}

/** Quantile `q` (0..1) of ascending `sorted`, interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function distribution(values: readonly number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    min: s[0] ?? NaN,
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    max: s[s.length - 1] ?? NaN,
  };
}

/** "min 0.61 / median 0.80 / p90 1.20 / max 1.31 ms (n = 10)". */
export function formatDistribution(d: Distribution, unit = "ms", digits = 2): string {
  const f = (v: number) => v.toFixed(digits);
  return `min ${f(d.min)} / median ${f(d.median)} / p90 ${f(d.p90)} / max ${
    f(d.max)
  } ${unit} (n = ${d.n})`;
}
