/**
 * Configuration of one simulated DER: what its nameplate says, what kind of
 * resource it is, the deterministic weather and grid it sees, which callers
 * hold which priority (the grid-operator/market contract, PAPER-TA4), and the
 * engineering settings of its server (select timeout, report control blocks).
 * Everything is plain data so a configuration can sit in a vector file.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { DerModelError } from "./errors.ts";

export type DerKind = "pv" | "battery";

/** The sky a PV array sees (see weather.ts). */
export interface WeatherConfig {
  /** constant: `level` all the time; clear-sky: a day curve; cloudy: the curve under seeded clouds. */
  readonly kind: "constant" | "clear-sky" | "cloudy";
  /** 0..1, for `constant`. */
  readonly level?: number;
  /** Seed of the cloud and grid noise. */
  readonly seed: number;
  /** 0..1, how much clouds may take away, for `cloudy`. */
  readonly cloudiness?: number;
}

/** The grid at the point of connection (see weather.ts). */
export interface GridConfig {
  readonly nominalHz: number;
  /** Frequency wander amplitude, Hz (0 for exact tests). */
  readonly hzNoise: number;
  readonly nominalV: number;
  /** Voltage rise at full rated output as a fraction of nominal (feed-in raises voltage). */
  readonly riseAtRated: number;
  /** Voltage wander amplitude, V. */
  readonly vNoise: number;
}

export interface ReportControlConfig {
  readonly enabled: boolean;
  /** Integrity period, ms; 0 for none. */
  readonly integrityMs: number;
}

export interface DerConfig {
  /** Logical device name, also the DER's identity in references ("DER1"). */
  readonly ld: string;
  readonly kind: DerKind;
  /** Rated active power, W (the nameplate's WRtg). */
  readonly ratedW: number;
  /** PV array peak over inverter rating (PV may be offered more than it can feed in). */
  readonly dcRatio: number;
  /** Battery capacity, Wh, and state of charge at start (0..1). */
  readonly capacityWh: number;
  readonly initialSoc: number;
  readonly weather: WeatherConfig;
  readonly grid: GridConfig;
  /** Caller identity (e.g. authenticated bare JID) → priority 0..255; unknown callers may only read. */
  readonly priorities: Readonly<Record<string, number>>;
  /** Number of FSCH schedules (1..4) and entries per schedule (1..8). */
  readonly schedules: number;
  readonly entriesPerSchedule: number;
  /** How long a select-with-value stays valid, ms. */
  readonly sboTimeoutMs: number;
  /** Who keeps select-before-operate state: this model, or the association in front of it. */
  readonly selectTracking: "model" | "association";
  /** Longest simulation sub-step, ms. */
  readonly stepMs: number;
  /** Most names one GetNameList answer carries. */
  readonly nameListPage: number;
  /** Deadbands of the deadbanded measurements (absolute: W, Hz, V); 0 = every change. */
  readonly deadband: { readonly w: number; readonly hz: number; readonly v: number };
  readonly reports: { readonly Meas: ReportControlConfig; readonly Ctl: ReportControlConfig };
  readonly nameplate: { readonly vendor: string; readonly swRev: string; readonly d: string };
}

/** A configuration with sensible defaults for everything not given. */
export function derConfig(
  overrides: Partial<DerConfig> & Pick<DerConfig, "ld">,
): DerConfig {
  const ratedW = overrides.ratedW ?? 10_000;
  const config: DerConfig = {
    kind: "pv",
    ratedW,
    dcRatio: 1.1,
    capacityWh: 10_000,
    initialSoc: 0.5,
    weather: { kind: "clear-sky", seed: 1 },
    grid: { nominalHz: 50, hzNoise: 0.02, nominalV: 230, riseAtRated: 0.02, vNoise: 0.5 },
    priorities: {},
    schedules: 2,
    entriesPerSchedule: 4,
    sboTimeoutMs: 30_000,
    selectTracking: "model",
    stepMs: 1_000,
    nameListPage: 32,
    deadband: { w: ratedW / 200, hz: 0.01, v: 0.5 },
    reports: {
      Meas: { enabled: true, integrityMs: 60_000 },
      Ctl: { enabled: true, integrityMs: 0 },
    },
    nameplate: { vendor: "derlink", swRev: "0.1.0", d: "simulated DER" },
    ...overrides,
  };
  checkConfig(config);
  return config;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Refuses a configuration the model cannot run (`der-model/invalid-config`). */
export function checkConfig(c: DerConfig): void {
  const bad = (what: string) => {
    throw new DerlinkError(DerModelError["invalid-config"], what);
  };
  const between = (n: number, lo: number, hi: number) => Number.isFinite(n) && n >= lo && n <= hi;
  if (!NAME.test(c.ld)) bad("ld must be a 1..64 character identifier");
  if (c.kind !== "pv" && c.kind !== "battery") bad("kind");
  if (!between(c.ratedW, 1, 1e9)) bad("ratedW");
  if (!between(c.dcRatio, 0.1, 3)) bad("dcRatio");
  if (!between(c.capacityWh, 1, 1e10) || !between(c.initialSoc, 0, 1)) bad("battery");
  if (!Number.isInteger(c.schedules) || !between(c.schedules, 1, 4)) bad("schedules");
  if (!Number.isInteger(c.entriesPerSchedule) || !between(c.entriesPerSchedule, 1, 8)) {
    bad("entriesPerSchedule");
  }
  if (!between(c.sboTimeoutMs, 1, 3_600_000)) bad("sboTimeoutMs");
  if (!between(c.stepMs, 1, 3_600_000)) bad("stepMs");
  if (!Number.isInteger(c.nameListPage) || !between(c.nameListPage, 1, 10_000)) {
    bad("nameListPage");
  }
  for (const p of Object.values(c.priorities)) {
    if (!Number.isInteger(p) || !between(p, 0, 255)) bad("priorities are integers 0..255");
  }
  const w = c.weather;
  if (w.kind === "constant" && !between(w.level ?? -1, 0, 1)) bad("weather.level");
  if (!between(w.cloudiness ?? 0, 0, 1)) bad("weather.cloudiness");
  for (const v of Object.values(c.deadband)) if (!between(v, 0, 1e9)) bad("deadband");
  for (const r of Object.values(c.reports)) {
    if (!between(r.integrityMs, 0, 86_400_000)) bad("reports");
  }
}
