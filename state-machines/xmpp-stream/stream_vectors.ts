/**
 * Generator of the XMPP stream vectors (`vectors/xmpp-stream/*.json`), run
 * by `deno task vectors`. Every case starts from a valid negotiation between
 * the reference initiator and receiver (fixed seeds), recorded as the steps
 * one role sees: the peer's bytes, TLS completions and its own inputs. A
 * positive case keeps them and records every byte the role sent; a negative
 * case changes the peer's bytes (or the inputs) and states the refusal it
 * expects. The generator replays each case and stops if the reference does
 * not do what the case says, so a vector never encodes a bug by accident.
 *
 * @module
 */
import { fromUtf8, toHex } from "../../core/bytes.ts";
import { Pair, type WireEvent } from "./pair.ts";
import {
  initiatorConfigOf,
  type JsonInitiatorConfig,
  type JsonInput,
  type JsonReceiverConfig,
  jsonScram,
  receiverConfigOf,
  replay,
  type ReplayStep,
} from "./replay.ts";
import { DOMAIN, PASSWORDS, storedFor } from "./testing.ts";
import type { ChannelBinding, StreamInput } from "./types.ts";

export type Role = "initiator" | "receiver";

/** A scenario: how to run the base negotiation, and what to make of one role's view of it. */
export interface Scenario {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  readonly role: Role;
  readonly client?: Partial<JsonInitiatorConfig>;
  readonly server?: Partial<JsonReceiverConfig>;
  readonly tls?: {
    readonly channelBinding?: ChannelBinding;
    readonly clientIdentities?: readonly string[];
  };
  /** XEP-0368: both sides get `tls-established` before the client starts. */
  readonly directTls?: boolean;
  /** What the test does once both sides are bound (inputs to either side). */
  readonly script?: (p: Pair) => void;
  /** Changes the role's steps; absent for a positive case. */
  readonly mutate?: (steps: ReplayStep[]) => ReplayStep[];
  /** Overrides of the replayed role's configuration (e.g. tighter limits). */
  readonly replayConfig?: Partial<JsonInitiatorConfig & JsonReceiverConfig>;
  readonly limits?: {
    readonly maxStanzaBytes?: number;
    readonly maxDepth?: number;
    readonly maxAttributes?: number;
  };
  /** For a negative case: the last error code reported, and the phase the role must end in. */
  readonly error?: string;
  readonly phase: string;
}

export const baseClient = (
  seed: string,
  over: Partial<JsonInitiatorConfig> = {},
): JsonInitiatorConfig => ({
  seed: `client/${seed}`,
  jid: `juliet@${DOMAIN}`,
  password: PASSWORDS.juliet,
  resource: "balcony",
  ...over,
});

export const baseServer = (
  seed: string,
  over: Partial<JsonReceiverConfig> = {},
): JsonReceiverConfig => ({
  seed: `server/${seed}`,
  domain: DOMAIN,
  users: Object.fromEntries(
    Object.keys(PASSWORDS).map((u) => [u, {
      scram: {
        "SHA-256": jsonScram(storedFor(u, "SHA-256")),
        "SHA-1": jsonScram(storedFor(u, "SHA-1")),
      },
    }]),
  ),
  ...over,
});

function jsonInput(i: StreamInput): JsonInput {
  if (i.type === "send") return { type: "send", stanza: i.stanza.toString() };
  if (i.type === "tick") return { type: "tick", now: i.now };
  if (i.type === "cancel-iq") return { type: "cancel-iq", id: i.id };
  if (i.type === "close") {
    return {
      type: "close",
      ...(i.condition ? { condition: i.condition } : {}),
      ...(i.location ? { location: i.location } : {}),
    };
  }
  return { type: i.type } as JsonInput;
}

/** The steps `role` saw in a recorded run. */
export function stepsOf(
  wire: readonly WireEvent[],
  role: Role,
  tls: Scenario["tls"],
): ReplayStep[] {
  const peer = role === "initiator" ? "s2c" : "c2s";
  const own = role === "initiator" ? "client-input" : "server-input";
  const steps: ReplayStep[] = [];
  for (const w of wire) {
    if (w.dir === peer) steps.push({ peer: w.text });
    else if (w.dir === own) steps.push({ input: jsonInput(w.input) });
    else if (w.dir === "tls") {
      const cb = tls?.channelBinding;
      steps.push({
        tls: {
          ...(cb ? { channelBinding: { type: cb.type, data: toHex(cb.data) } } : {}),
          ...(role === "receiver" && tls?.clientIdentities
            ? { peerIdentities: [...tls.clientIdentities] }
            : {}),
        },
      });
    }
  }
  return steps;
}

/** One generated test (before its tcId). */
export interface StreamTest {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  readonly result: "valid" | "invalid";
  readonly error?: string;
  readonly config: JsonInitiatorConfig | JsonReceiverConfig;
  readonly limits?: Scenario["limits"];
  readonly steps: readonly ReplayStep[];
  readonly expect: {
    readonly phase: string;
    readonly errors: readonly string[];
    readonly established?: string;
    readonly sent?: readonly string[];
    readonly stanzas?: readonly string[];
    readonly events: readonly string[];
  };
}

/** Runs a scenario and checks the reference does what it claims. */
export function buildTest(sc: Scenario, seed: string): StreamTest {
  const client = baseClient(seed, sc.client);
  const server = baseServer(seed, sc.server);
  const pair = new Pair({
    client: initiatorConfigOf(client),
    server: receiverConfigOf(server),
    tls: sc.tls,
    directTls: sc.directTls,
  }).start();
  sc.script?.(pair);
  let steps = stepsOf(pair.wire, sc.role, sc.tls);
  if (sc.mutate) steps = sc.mutate(steps);
  const config = { ...(sc.role === "initiator" ? client : server), ...sc.replayConfig };
  const r = replay({ role: sc.role, config, limits: sc.limits, steps });
  const negative = sc.error !== undefined;
  if (r.phase !== sc.phase || (negative ? r.errors.at(-1) !== sc.error : r.errors.length > 0)) {
    throw new Error(
      `stream vectors: "${sc.comment}" (${sc.role}) ended in ${r.phase} with [${r.errors}], expected ${sc.phase} with ${
        sc.error ?? "no error"
      }`,
    );
  }
  return {
    comment: sc.comment,
    flags: sc.flags,
    spec: sc.spec,
    result: negative ? "invalid" : "valid",
    ...(negative ? { error: sc.error } : {}),
    config,
    ...(sc.limits ? { limits: sc.limits } : {}),
    steps,
    expect: {
      phase: r.phase,
      errors: r.errors,
      ...(r.established ? { established: r.established } : {}),
      ...(negative ? {} : { sent: r.sent, stanzas: r.stanzas }),
      events: r.events,
    },
  };
}

// ---- helpers for mutations ----

/** Selects a peer step: the first whose text matches, or the nth (from 0). */
export type Sel = RegExp | readonly [RegExp, number];

/** Index of the selected peer step. */
export function findPeer(steps: readonly ReplayStep[], sel: Sel): number {
  const [re, nth] = sel instanceof RegExp ? [sel, 0] : sel;
  let seen = 0;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if ("peer" in s && re.test(s.peer) && seen++ === nth) return i;
  }
  throw new Error(`stream vectors: no peer step matches ${re} (#${nth})`);
}

/** Keeps the steps before the selected one, then the replacement steps. */
export const replaceAt =
  (sel: Sel, ...replacement: ReplayStep[]) => (steps: ReplayStep[]): ReplayStep[] => [
    ...steps.slice(0, findPeer(steps, sel)),
    ...replacement,
  ];

/** Keeps the steps up to and including the selected one, then the extra steps. */
export const after = (sel: Sel, ...extra: ReplayStep[]) => (steps: ReplayStep[]): ReplayStep[] => [
  ...steps.slice(0, findPeer(steps, sel) + 1),
  ...extra,
];

/** Rewrites the selected peer step's text; `keep` more steps after it stay (default none). */
export const rewrite =
  (sel: Sel, f: (text: string) => string, keep = 0) => (steps: ReplayStep[]): ReplayStep[] => {
    const i = findPeer(steps, sel);
    return [
      ...steps.slice(0, i),
      { peer: f((steps[i] as { peer: string }).peer) },
      ...steps.slice(i + 1, i + 1 + keep),
    ];
  };

const fromB64 = (b64: string) => fromUtf8(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

/** Rewrites the decoded SASL payload inside the selected peer step. */
export const rewriteSasl = (sel: Sel, f: (payload: string) => string, keep = 0) =>
  rewrite(
    sel,
    (text) => text.replace(/>([A-Za-z0-9+/=]+)</, (_, b64: string) => `>${btoa(f(fromB64(b64)))}<`),
    keep,
  );

export const peer = (text: string): ReplayStep => ({ peer: text });
export const input = (i: JsonInput): ReplayStep => ({ input: i });
