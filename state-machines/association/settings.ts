/**
 * Settings of both roles, resolved once per settings object (a control
 * centre shares one object across its 10^5 associations, so resolution is
 * memoised by identity), the profile bounds of the initiate parameters
 * (PD-143), and the XER limits an association decodes with.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { AssociationError } from "./errors.ts";
import { type InitiateParameters, SERVICE_NAMES, type ServiceName } from "./pdus.ts";
import type {
  ClientSettings,
  CommonSettings,
  ControlModel,
  PingSettings,
  ServerSettings,
} from "./types.ts";
import { DEFAULT_XER_LIMITS, type XerLimits } from "./xer_limits.ts";

/** The profile's absolute bounds of initiate parameters (PD-143). */
// spec: PD-143
export const INITIATE_BOUNDS = Object.freeze({
  version: 1,
  maxPduSize: { min: 1024, max: 1 << 20 },
  maxOutstanding: { min: 1, max: 1024 },
  maxNesting: { min: 1, max: 64 },
});

/** What a client proposes unless told otherwise. */
export const DEFAULT_PROPOSAL: InitiateParameters = Object.freeze({
  version: 1,
  maxPduSize: 65_536,
  maxOutstanding: 16,
  maxNesting: 10,
  services: SERVICE_NAMES,
});

const CONTROL_MODELS: readonly ControlModel[] = [
  "direct-normal",
  "direct-enhanced",
  "sbo-normal",
  "sbo-enhanced",
];

export interface ResolvedCommon {
  readonly maxItems: number;
  readonly maxStringLength: number;
  readonly controls: Readonly<Record<string, ControlModel>>;
  readonly defaultControlModel: ControlModel;
  readonly selectTimeoutMs: number;
  readonly ping?: PingSettings;
}

export interface ResolvedClient extends ResolvedCommon {
  readonly proposal: InitiateParameters;
  readonly requestTimeoutMs: number;
  readonly initiateTimeoutMs: number;
  readonly reportGapIsError: boolean;
}

export interface ResolvedServer extends ResolvedCommon {
  readonly caps: {
    readonly maxPduSize: number;
    readonly maxOutstanding: number;
    readonly maxNesting: number;
  };
  readonly services: readonly ServiceName[];
}

const bad = (detail: string): never => {
  throw new DerlinkError(AssociationError["invalid-input"], detail);
};

function positive(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
    bad(`${what} must be a positive integer`);
  }
  return v as number;
}

/** The problem with a parameter set against the profile bounds, if any. */
// spec: PD-143
export function boundsProblem(p: InitiateParameters): string | undefined {
  const b = INITIATE_BOUNDS;
  if (p.version !== b.version) return `version ${p.version}`;
  for (const k of ["maxPduSize", "maxOutstanding", "maxNesting"] as const) {
    if (p[k] < b[k].min || p[k] > b[k].max) return `${k} ${p[k]} outside ${b[k].min}..${b[k].max}`;
  }
  return undefined;
}

function common(s: CommonSettings): ResolvedCommon {
  if (typeof s !== "object" || s === null) bad("settings must be an object");
  const controls = s.controls ?? {};
  for (const m of Object.values(controls)) {
    if (!CONTROL_MODELS.includes(m)) bad(`control model ${m}`);
  }
  const model = s.defaultControlModel ?? "sbo-enhanced";
  if (!CONTROL_MODELS.includes(model)) bad(`control model ${model}`);
  if (s.ping !== undefined) {
    positive(s.ping.intervalMs, "ping.intervalMs", 1);
    positive(s.ping.timeoutMs, "ping.timeoutMs", 1);
  }
  return {
    maxItems: positive(s.maxItems, "maxItems", DEFAULT_XER_LIMITS.maxItems),
    maxStringLength: positive(
      s.maxStringLength,
      "maxStringLength",
      DEFAULT_XER_LIMITS.maxStringLength,
    ),
    controls,
    defaultControlModel: model,
    selectTimeoutMs: positive(s.selectTimeoutMs, "selectTimeoutMs", 30_000),
    ...(s.ping ? { ping: s.ping } : {}),
  };
}

const clientCache = new WeakMap<ClientSettings, ResolvedClient>();
const serverCache = new WeakMap<ServerSettings, ResolvedServer>();
const NO_SETTINGS = Object.freeze({});

// spec: PD-154
export function resolveClient(s: ClientSettings = NO_SETTINGS): ResolvedClient {
  const hit = clientCache.get(s);
  if (hit) return hit;
  const proposal: InitiateParameters = { ...DEFAULT_PROPOSAL, ...(s.proposal ?? {}) };
  if (
    !Array.isArray(proposal.services) || proposal.services.some((x) => !SERVICE_NAMES.includes(x))
  ) {
    bad("proposal.services");
  }
  const resolved: ResolvedClient = {
    ...common(s),
    proposal: { ...proposal, services: SERVICE_NAMES.filter((x) => proposal.services.includes(x)) },
    requestTimeoutMs: positive(s.requestTimeoutMs, "requestTimeoutMs", 30_000),
    initiateTimeoutMs: positive(s.initiateTimeoutMs, "initiateTimeoutMs", 30_000),
    reportGapIsError: s.reportGapIsError === true,
  };
  clientCache.set(s, resolved);
  return resolved;
}

export function resolveServer(s: ServerSettings = NO_SETTINGS): ResolvedServer {
  const hit = serverCache.get(s);
  if (hit) return hit;
  const services = s.services ?? SERVICE_NAMES;
  if (!Array.isArray(services) || services.some((x) => !SERVICE_NAMES.includes(x))) bad("services");
  const resolved: ResolvedServer = {
    ...common(s),
    caps: {
      maxPduSize: positive(s.maxPduSize, "maxPduSize", DEFAULT_PROPOSAL.maxPduSize),
      maxOutstanding: positive(s.maxOutstanding, "maxOutstanding", DEFAULT_PROPOSAL.maxOutstanding),
      maxNesting: positive(s.maxNesting, "maxNesting", DEFAULT_PROPOSAL.maxNesting),
    },
    services: SERVICE_NAMES.filter((x) => services.includes(x)),
  };
  serverCache.set(s, resolved);
  return resolved;
}

/** The XER limits of an association: negotiated nesting and PDU size, local item and string limits. */
export function xerLimits(r: ResolvedCommon, negotiated?: InitiateParameters): XerLimits {
  return {
    maxItems: r.maxItems,
    maxStringLength: r.maxStringLength,
    maxNesting: negotiated?.maxNesting ?? DEFAULT_XER_LIMITS.maxNesting,
    maxPduSize: negotiated?.maxPduSize ?? DEFAULT_XER_LIMITS.maxPduSize,
  };
}

/** The control model of a control reference. */
export const modelOf = (r: ResolvedCommon, control: string): ControlModel =>
  Object.hasOwn(r.controls, control) ? r.controls[control] : r.defaultControlModel;
