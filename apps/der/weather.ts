/**
 * The deterministic world a simulated DER sees: irradiance for PV, grid
 * frequency and voltage. All are pure functions of (configuration, time):
 * "randomness" is value noise from an integer hash of (seed, time bin), so a
 * seed and a time give the same number on every run and platform, with no
 * clock and no Math.random (DL-ENTROPY-1: nothing here draws entropy).
 *
 * @module
 */
import type { GridConfig, WeatherConfig } from "./config.ts";

const HOUR = 3_600_000;
const CLOUD_BIN = 600_000;
const GRID_BIN = 60_000;

/** A 32-bit integer mix of two integers (a murmur3-style finaliser). */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b | 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Smooth noise in [0, 1): linear between hashed values at bin edges. */
export function valueNoise(seed: number, t: number, binMs: number): number {
  const x = t / binMs;
  const bin = Math.floor(x);
  const frac = x - bin;
  const a = mix32(seed, bin) / 2 ** 32;
  const b = mix32(seed, bin + 1) / 2 ** 32;
  return a + (b - a) * frac;
}

/** Clear-sky shape: zero at night, a half sine from 06:00 to 18:00 UTC. */
export function clearSky(t: number): number {
  const hour = (((t / HOUR) % 24) + 24) % 24;
  return hour <= 6 || hour >= 18 ? 0 : Math.sin((Math.PI * (hour - 6)) / 12);
}

/** Irradiance as a fraction of the array's peak, 0..1. */
export function irradiance(w: WeatherConfig, t: number): number {
  switch (w.kind) {
    case "constant":
      return w.level ?? 0;
    case "clear-sky":
      return clearSky(t);
    case "cloudy":
      return clearSky(t) * (1 - (w.cloudiness ?? 0.5) * valueNoise(w.seed, t, CLOUD_BIN));
  }
}

/** Grid frequency at the point of connection, Hz. */
export function frequency(g: GridConfig, seed: number, t: number): number {
  return g.nominalHz + g.hzNoise * (2 * valueNoise(seed ^ 0x5bd1e995, t, GRID_BIN) - 1);
}

/** Phase voltage: nominal, raised by feed-in (`outputFraction` of rating), plus wander. */
export function phaseVoltage(
  g: GridConfig,
  seed: number,
  phase: number,
  t: number,
  outputFraction: number,
): number {
  const wander = g.vNoise * (2 * valueNoise(seed + 7919 * (phase + 1), t, GRID_BIN) - 1);
  return g.nominalV * (1 + g.riseAtRated * outputFraction) + wander;
}
