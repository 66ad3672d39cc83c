/**
 * Replays a stream vector: builds one role's machine from a JSON
 * configuration, feeds it the peer's bytes, simulated TLS completions and
 * control inputs in order through a checked driver, and reports what it
 * did (final phase, error codes, bytes sent, stanzas delivered, edges
 * covered). The vector generator and the conformance checker both use it,
 * so a vector means the same thing in both places.
 *
 * Configurations are plain JSON: entropy is a SeededEntropy seed string,
 * SCRAM credentials are hex, stanzas are XML text, and an OAUTHBEARER login
 * decision is the grid operator's data (issuer, keys in hex, ACL document)
 * from which core/operator-auth builds the in-process decision (PD-241).
 *
 * @module
 */
import { fromHex, fromUtf8, toHex, utf8 } from "../../core/bytes.ts";
import { parseAcl } from "../../core/acl/mod.ts";
import type { OperatorKey } from "../../core/access/types.ts";
import { createLoginDecider } from "../../core/operator-auth/decide.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import type { XmlLimits } from "../../core/xml.ts";
import { parseElement } from "../../core/xml.ts";
import { StreamDriver } from "./driver.ts";
import type { StreamCondition } from "./errors.ts";
import { initiator, type InitiatorConfig } from "./initiator.ts";
import type { Xel } from "./messages.ts";
import { receiver, type ReceiverConfig } from "./receiver.ts";
import type { ReceiverAccount } from "./sasl_server.ts";
import type { ScramHash, ScramStoredCredentials } from "./sasl/mod.ts";
import type { ResumptionToken } from "./sm.ts";
import type { ChannelBinding, StreamInput, StreamOutput } from "./types.ts";

/** A resumption token with its stanzas as XML text. */
export interface JsonToken extends Omit<ResumptionToken, "unacked"> {
  readonly unacked: readonly string[];
}

/** Initiator configuration as JSON (entropy from `seed`). */
export type JsonInitiatorConfig = Omit<InitiatorConfig, "entropy" | "resumeFrom"> & {
  readonly seed: string;
  readonly resumeFrom?: JsonToken;
};

/** Stored SCRAM credentials as hex. */
export interface JsonScram {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/** The grid operator's data behind an OAUTHBEARER login decision (Option 2, PD-241). */
export interface JsonOAuthBearer {
  readonly issuer: string;
  /** Operator keys, the public key as hex. */
  readonly keys: readonly {
    readonly kid: string;
    readonly suite: OperatorKey["suite"];
    readonly publicKey: string;
  }[];
  /** The operator's access-control list (core/acl document). */
  readonly acl: unknown;
  readonly leewaySeconds?: number;
}

/** Receiver configuration as JSON (entropy from `seed`). */
export type JsonReceiverConfig =
  & Omit<ReceiverConfig, "entropy" | "users" | "resumable" | "oauthBearer">
  & {
    readonly oauthBearer?: JsonOAuthBearer;
    readonly seed: string;
    readonly users: Readonly<
      Record<string, { readonly scram?: Partial<Record<ScramHash, JsonScram>> }>
    >;
    readonly resumable?: Readonly<Record<string, JsonToken>>;
  };

export type JsonInput =
  | { readonly type: "start" }
  | { readonly type: "send"; readonly stanza: string }
  | { readonly type: "tick"; readonly now: number }
  | { readonly type: "close"; readonly condition?: StreamCondition; readonly location?: string }
  | { readonly type: "transport-closed" }
  | { readonly type: "cancel-iq"; readonly id: string };

export type ReplayStep =
  /** Bytes from the peer, as UTF-8 text (one delivery). */
  | { readonly peer: string }
  /** Bytes from the peer that are not UTF-8, as hex. */
  | { readonly peerHex: string }
  /** The simulated TLS handshake completed. */
  | {
    readonly tls: {
      readonly channelBinding?: { readonly type: ChannelBinding["type"]; readonly data: string };
      readonly peerIdentities?: readonly string[];
    };
  }
  | { readonly input: JsonInput };

export interface ReplayCase {
  readonly role: "initiator" | "receiver";
  readonly config: JsonInitiatorConfig | JsonReceiverConfig;
  readonly limits?: Partial<XmlLimits>;
  readonly steps: readonly ReplayStep[];
}

export interface ReplayResult {
  readonly phase: string;
  /** Codes of every error output, in order. */
  readonly errors: readonly string[];
  /** Text of every send-bytes output, in order. */
  readonly sent: readonly string[];
  /** Stanzas handed to the application, as XML text. */
  readonly stanzas: readonly string[];
  readonly established?: string;
  /** Other outputs worth checking: start-tls, new-stream, see-other-host, resume-failed, closed. */
  readonly events: readonly string[];
  readonly edges: readonly string[];
}

const tokenOf = (t: JsonToken): ResumptionToken => ({
  ...t,
  unacked: t.unacked.map((x) => parseElement(x) as Xel),
});

export function initiatorConfigOf(c: JsonInitiatorConfig): InitiatorConfig {
  const { seed, resumeFrom, ...rest } = c;
  return {
    ...rest,
    entropy: new SeededEntropy(seed),
    resumeFrom: resumeFrom ? tokenOf(resumeFrom) : undefined,
  };
}

/** The in-process login decision of a JSON OAUTHBEARER configuration. */
function oauthBearerOf(o: JsonOAuthBearer): ReceiverConfig["oauthBearer"] {
  const acl = parseAcl(o.acl);
  if (!acl.ok) throw acl.error;
  return createLoginDecider({
    acl: acl.value,
    issuer: o.issuer,
    keys: o.keys.map((k) => ({ kid: k.kid, suite: k.suite, publicKey: fromHex(k.publicKey) })),
    ...(o.leewaySeconds !== undefined ? { leewaySeconds: o.leewaySeconds } : {}),
  });
}

export function receiverConfigOf(c: JsonReceiverConfig): ReceiverConfig {
  const { seed, users, resumable, oauthBearer, ...rest } = c;
  const accounts: Record<string, ReceiverAccount> = {};
  for (const [name, account] of Object.entries(users)) {
    const scram: Partial<Record<ScramHash, ScramStoredCredentials>> = {};
    for (const [hash, s] of Object.entries(account.scram ?? {})) {
      scram[hash as ScramHash] = {
        hash: hash as ScramHash,
        salt: fromHex(s.salt),
        iterations: s.iterations,
        storedKey: fromHex(s.storedKey),
        serverKey: fromHex(s.serverKey),
      };
    }
    accounts[name] = { scram };
  }
  const tokens: Record<string, ResumptionToken> = {};
  for (const [id, t] of Object.entries(resumable ?? {})) tokens[id] = tokenOf(t);
  return {
    ...rest,
    entropy: new SeededEntropy(seed),
    users: accounts,
    resumable: tokens,
    ...(oauthBearer ? { oauthBearer: oauthBearerOf(oauthBearer) } : {}),
  };
}

/** Stored credentials as JSON hex. */
export const jsonScram = (c: ScramStoredCredentials): JsonScram => ({
  salt: toHex(c.salt),
  iterations: c.iterations,
  storedKey: toHex(c.storedKey),
  serverKey: toHex(c.serverKey),
});

function inputOf(i: JsonInput): StreamInput {
  if (i.type === "send") return { type: "send", stanza: parseElement(i.stanza) as Xel };
  return i as StreamInput;
}

/** An output in JSON (protocol) form; bytes written are UTF-8 text (`hex` when they are not). */
export type JsonStreamOutput =
  | { readonly type: "send-bytes"; readonly text: string }
  | { readonly type: "send-bytes"; readonly hex: string }
  | { readonly type: "error"; readonly code: string; readonly detail?: string }
  | { readonly type: "stanza"; readonly xml: string }
  | { readonly type: "established"; readonly jid: string; readonly resumed: boolean }
  | { readonly type: "see-other-host"; readonly location: string }
  | { readonly type: "resume-failed"; readonly unacked: number }
  | { readonly type: "closed"; readonly clean: boolean }
  | { readonly type: "start-tls" | "new-stream" }
  | { readonly type: "set-timer"; readonly name: string; readonly at: number }
  | { readonly type: "clear-timer"; readonly name: string };

/** The JSON form of an output. */
export function outputJson(o: StreamOutput): JsonStreamOutput {
  switch (o.type) {
    case "send-bytes":
      try {
        return { type: o.type, text: fromUtf8(o.data) };
      } catch {
        return { type: o.type, hex: toHex(o.data) };
      }
    case "error":
      return { type: o.type, code: o.code, ...(o.detail ? { detail: o.detail } : {}) };
    case "stanza":
      return { type: o.type, xml: o.element.toString() };
    case "established":
      return { type: o.type, jid: o.jid, resumed: o.resumed };
    case "see-other-host":
      return { type: o.type, location: o.location };
    case "resume-failed":
      return { type: o.type, unacked: o.unacked.length };
    case "closed":
      return { type: o.type, clean: o.clean };
    case "set-timer":
      return { type: o.type, name: o.name, at: o.at };
    case "clear-timer":
      return { type: o.type, name: o.name };
    default:
      return { type: o.type };
  }
}

/** What a list of outputs says, in the form vectors expect (everything but phase and edges). */
export function summariseOutputs(
  outs: readonly JsonStreamOutput[],
): Omit<ReplayResult, "phase" | "edges"> {
  const errors: string[] = [], sent: string[] = [], stanzas: string[] = [], events: string[] = [];
  let established: string | undefined;
  for (const o of outs) {
    switch (o.type) {
      case "error":
        errors.push(o.code);
        break;
      case "send-bytes":
        sent.push("text" in o ? o.text : `hex:${o.hex}`);
        break;
      case "stanza":
        stanzas.push(o.xml);
        break;
      case "established":
        established = o.jid;
        events.push(o.resumed ? "established:resumed" : "established");
        break;
      case "see-other-host":
        events.push(`see-other-host:${o.location}`);
        break;
      case "resume-failed":
        events.push(`resume-failed:${o.unacked}`);
        break;
      case "closed":
        events.push(o.clean ? "closed:clean" : "closed");
        break;
      case "start-tls":
      case "new-stream":
        events.push(o.type);
        break;
    }
  }
  return { errors, sent, stanzas, established, events };
}

/** One role's machine behind a checked driver, fed one vector step at a time. */
export interface StreamReplay {
  readonly phase: string;
  /** Every edge covered so far, first-seen order. */
  readonly edges: ReadonlySet<string>;
  /** Runs one step; returns its outputs and the edges first covered by it. */
  step(step: ReplayStep): { out: JsonStreamOutput[]; edges: string[] };
}

/** Starts a replay. Throws only on a malformed case or a machine contract breach. */
export function startReplay(
  role: ReplayCase["role"],
  config: ReplayCase["config"],
  limits?: Partial<XmlLimits>,
): StreamReplay {
  const options = { checked: true, limits };
  const driver: StreamDriver<unknown, { phase: string }> = role === "initiator"
    ? new StreamDriver(
      initiator,
      initiatorConfigOf(config as JsonInitiatorConfig),
      options,
    ) as never
    : new StreamDriver(receiver, receiverConfigOf(config as JsonReceiverConfig), options) as never;
  const run = (step: ReplayStep): readonly StreamOutput[] => {
    if ("peer" in step) return driver.receive(utf8(step.peer));
    if ("peerHex" in step) return driver.receive(fromHex(step.peerHex));
    if ("tls" in step) {
      const cb = step.tls.channelBinding;
      return driver.input({
        type: "tls-established",
        channelBinding: cb ? { type: cb.type, data: fromHex(cb.data) } : undefined,
        peerIdentities: step.tls.peerIdentities,
      });
    }
    return driver.input(inputOf(step.input));
  };
  return {
    get phase() {
      return driver.state.phase;
    },
    edges: driver.edges,
    step(step) {
      const before = driver.edges.size;
      const out = run(step).map(outputJson);
      return { out, edges: [...driver.edges].slice(before) };
    },
  };
}

/** Runs a case through the reference machine. Throws only on a malformed case or a machine contract breach. */
export function replay(c: ReplayCase): ReplayResult {
  const session = startReplay(c.role, c.config, c.limits);
  const outs: JsonStreamOutput[] = [];
  for (const step of c.steps) outs.push(...session.step(step).out);
  return { phase: session.phase, ...summariseOutputs(outs), edges: [...session.edges] };
}
