/**
 * Runs one A-profile vector: a machine configuration and steps in JSON,
 * replayed through the reference machine with the default signer, every
 * step checked against the declared transitions. The vector generator and
 * the conformance checker both use it, so a vector means the same thing when
 * it is written and when it is checked.
 *
 * JSON forms: bytes are hex, certificates and CRLs base64, elements XML text
 * (read with derlink's strict XML reader). Outputs are compared in a
 * canonical JSON form in which an error keeps only its code.
 *
 * @module
 */
import { fromBase64, fromHex, toHex } from "../../core/bytes.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { CoreError, DerlinkError } from "../../core/errors.ts";
import {
  edgeKey,
  inputType,
  type Machine,
  matchTransition,
  type Phased,
} from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { validateChain } from "../../core/pki/validate.ts";
import { localSigner } from "./driver.ts";
import { initiator } from "./initiator.ts";
import { responder } from "./responder.ts";
import type {
  AProfileInput,
  AProfileOutput,
  AProfilePolicy,
  InitiatorConfig,
  ResponderConfig,
  SuiteId,
} from "./types.ts";
import type { XmlElement } from "./xml.ts";

export type Role = "initiator" | "responder";

/** A machine configuration as JSON. `signingKey` is the test key the default signer uses. */
export interface JsonConfig {
  readonly localJid: string;
  readonly peerJid?: string;
  readonly acceptPeers?: readonly string[];
  readonly chain: readonly string[];
  readonly signatureSuite: SuiteId;
  readonly signingKey: string;
  readonly anchors: readonly string[];
  readonly crls?: readonly string[];
  readonly seed: string;
  readonly policy?: Partial<AProfilePolicy>;
  /**
   * When true, sign-requests are not answered: they appear among the outputs
   * and the steps give `signature` / `signer-failed` inputs (the HSM pattern).
   */
  readonly manualSigner?: boolean;
}

export type JsonInput =
  | { readonly type: "receive"; readonly xml: string; readonly from?: string; readonly now: number }
  | { readonly type: "send"; readonly payload: string; readonly now: number }
  | {
    readonly type: "signature";
    readonly id: number;
    readonly value: string;
    readonly now?: number;
  }
  | { readonly type: "signer-failed"; readonly id: number; readonly now?: number }
  | {
    readonly type: Exclude<
      AProfileInput["type"],
      "receive" | "send" | "signature" | "signer-failed"
    >;
    readonly now: number;
  };

export type JsonOutput = Readonly<Record<string, string | number | boolean>>;

export interface JsonStep {
  readonly input: JsonInput;
  /** When present, the outputs must equal these. */
  readonly out?: readonly JsonOutput[];
  /** When present, the phase after the step must be this. */
  readonly phase?: string;
}

/** What one step gave. */
export interface StepResult {
  readonly out: JsonOutput[];
  readonly phase: string;
  /** The outputs as the machine gave them. */
  readonly raw: AProfileOutput[];
}

/** Merges a test's configuration over its group's (policy merged field by field). */
export function mergeConfig(base: JsonConfig, over?: Partial<JsonConfig>): JsonConfig {
  if (!over) return base;
  return { ...base, ...over, policy: { ...base.policy, ...over.policy } };
}

function machineConfig(c: JsonConfig): InitiatorConfig & ResponderConfig {
  return {
    localJid: c.localJid,
    peerJid: c.peerJid ?? "",
    acceptPeers: c.acceptPeers,
    chain: c.chain.map(fromBase64),
    signatureSuite: c.signatureSuite,
    anchors: c.anchors.map(fromBase64),
    crls: c.crls?.map(fromBase64),
    validateChain,
    entropy: new SeededEntropy(c.seed),
    policy: c.policy,
  };
}

/** The JSON form of an input. */
export function inputOf(j: JsonInput): AProfileInput {
  switch (j.type) {
    case "receive":
      return {
        type: "receive",
        element: parseElement(j.xml) as unknown as XmlElement,
        from: j.from,
        now: j.now,
      };
    case "send":
      return { type: "send", payload: fromHex(j.payload), now: j.now };
    case "signature":
      return { type: "signature", id: j.id, value: fromHex(j.value), now: j.now };
    case "signer-failed":
      return { type: "signer-failed", id: j.id, now: j.now };
    default:
      return { type: j.type, now: j.now } as AProfileInput;
  }
}

/** The canonical JSON form of an output (errors keep their code only). */
export function outputJson(o: AProfileOutput): JsonOutput {
  switch (o.type) {
    case "send":
      return { type: o.type, message: o.message, xml: o.element.toString() };
    case "established":
      return {
        type: o.type,
        association: o.association,
        peer: o.peer.jid ?? "",
        suite: o.suite,
        mode: o.mode,
        renewed: o.renewed,
      };
    case "data":
      return { type: o.type, association: o.association, seq: o.seq, payload: toHex(o.payload) };
    case "sign-request":
      // The bytes to sign are pinned by their hash: they hold whole certificates.
      return { type: o.type, id: o.id, suite: o.suite, sha256: toHex(sha256(o.data)) };
    case "error":
      return { type: o.type, code: o.code };
    case "aborted":
      return { type: o.type, by: o.by };
    case "keys-updated":
      return { type: o.type, direction: o.direction, epoch: o.epoch };
    case "timer":
      return { type: o.type, at: o.at };
    case "released":
      return { type: o.type };
  }
}

/** One step's result with the edges it covered. */
export interface ReplayStepResult extends StepResult {
  readonly edges: readonly string[];
}

/**
 * A fresh machine of `role` fed one JSON input at a time (the conformance
 * bindings drive it step by step; {@link replay} runs a whole list). The
 * sign-requests of the first `autoSignSteps` steps are always answered by
 * the default signer; `manualSigner` applies to the steps after them.
 * `step` throws `core/internal` when a step leaves the declared table.
 */
export function startReplay(
  role: Role,
  config: JsonConfig,
  autoSignSteps = 0,
): { readonly phase: string; step(input: JsonInput): ReplayStepResult } {
  const machine = (role === "initiator" ? initiator : responder) as unknown as Machine<
    InitiatorConfig & ResponderConfig,
    Phased,
    AProfileInput,
    AProfileOutput
  >;
  const signer = localSigner({
    suite: config.signatureSuite,
    privateKey: fromHex(config.signingKey),
  });
  let state = machine.init(machineConfig(config));
  let index = 0;
  const one = (input: AProfileInput, edges: Set<string>): readonly AProfileOutput[] => {
    const next = machine.step(state, input);
    const edge = matchTransition(
      machine.transitions,
      state.phase,
      inputType(input),
      next.state.phase,
    );
    if (!edge) {
      throw new DerlinkError(
        CoreError.internal,
        `${machine.name}: ${state.phase} --${inputType(input)}--> ${next.state.phase} undeclared`,
      );
    }
    edges.add(`${machine.name}: ${edgeKey(edge)}`);
    state = next.state;
    return next.out;
  };
  return {
    get phase() {
      return state.phase;
    },
    step(input) {
      const manual = config.manualSigner === true && index++ >= autoSignSteps;
      const edges = new Set<string>();
      const raw: AProfileOutput[] = [];
      const queue: AProfileInput[] = [inputOf(input)];
      while (queue.length) {
        for (const o of one(queue.shift()!, edges)) {
          if (o.type === "sign-request" && !manual) {
            queue.push({ type: "signature", id: o.id, value: signer(o) });
          } else raw.push(o);
        }
      }
      return { out: raw.map(outputJson), phase: state.phase, raw, edges: [...edges] };
    },
  };
}

/**
 * Replays `steps` on a fresh machine of `role`. Returns each step's outputs
 * and phase and every edge covered. The first `prefixLength` steps (a
 * group's prefix) always have their signatures made by the default signer;
 * `manualSigner` applies to the steps after them. Throws `core/internal` when
 * a step leaves the declared table.
 */
export function replay(
  role: Role,
  config: JsonConfig,
  steps: readonly JsonStep[],
  prefixLength = 0,
): { results: StepResult[]; edges: string[] } {
  const run = startReplay(role, config, prefixLength);
  const edges = new Set<string>();
  const results: StepResult[] = [];
  for (const step of steps) {
    const { edges: covered, ...result } = run.step(step.input);
    for (const e of covered) edges.add(e);
    results.push(result);
  }
  return { results, edges: [...edges].sort() };
}
