/**
 * Replays a stream vector: builds one role's machine from a JSON
 * configuration, feeds it the peer's bytes, simulated TLS completions and
 * control inputs in order through a checked driver, and reports what it
 * did (final phase, error codes, bytes sent, stanzas delivered, edges
 * covered). The vector generator and the conformance checker both use it,
 * so a vector means the same thing in both places.
 *
 * Configurations are plain JSON: entropy is a SeededEntropy seed string,
 * SCRAM credentials are hex, stanzas are XML text.
 *
 * @module
 */
import { fromHex, fromUtf8, toHex, utf8 } from "../../core/bytes.ts";
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

/** Receiver configuration as JSON (entropy from `seed`). */
export type JsonReceiverConfig = Omit<ReceiverConfig, "entropy" | "users" | "resumable"> & {
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

export function receiverConfigOf(c: JsonReceiverConfig): ReceiverConfig {
  const { seed, users, resumable, ...rest } = c;
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
  return { ...rest, entropy: new SeededEntropy(seed), users: accounts, resumable: tokens };
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

/** Runs a case through the reference machine. Throws only on a malformed case or a machine contract breach. */
export function replay(c: ReplayCase): ReplayResult {
  const options = { checked: true, limits: c.limits };
  const driver: StreamDriver<unknown, { phase: string }> = c.role === "initiator"
    ? new StreamDriver(
      initiator,
      initiatorConfigOf(c.config as JsonInitiatorConfig),
      options,
    ) as never
    : new StreamDriver(
      receiver,
      receiverConfigOf(c.config as JsonReceiverConfig),
      options,
    ) as never;
  const errors: string[] = [], sent: string[] = [], stanzas: string[] = [], events: string[] = [];
  let established: string | undefined;
  const take = (out: readonly StreamOutput[]) => {
    for (const o of out) {
      switch (o.type) {
        case "error":
          errors.push(o.code);
          break;
        case "send-bytes":
          sent.push(fromUtf8(o.data));
          break;
        case "stanza":
          stanzas.push(o.element.toString());
          break;
        case "established":
          established = o.jid;
          events.push(o.resumed ? "established:resumed" : "established");
          break;
        case "see-other-host":
          events.push(`see-other-host:${o.location}`);
          break;
        case "resume-failed":
          events.push(`resume-failed:${o.unacked.length}`);
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
  };
  for (const step of c.steps) {
    if ("peer" in step) take(driver.receive(utf8(step.peer)));
    else if ("peerHex" in step) take(driver.receive(fromHex(step.peerHex)));
    else if ("tls" in step) {
      const cb = step.tls.channelBinding;
      take(driver.input({
        type: "tls-established",
        channelBinding: cb ? { type: cb.type, data: fromHex(cb.data) } : undefined,
        peerIdentities: step.tls.peerIdentities,
      }));
    } else take(driver.input(inputOf(step.input)));
  }
  return {
    phase: driver.state.phase,
    errors,
    sent,
    stanzas,
    established,
    events,
    edges: [...driver.edges],
  };
}
