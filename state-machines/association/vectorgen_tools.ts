/**
 * What the transcript generators share: a scenario (a client and a server
 * linked in plaintext, testing.ts) whose recorded inputs become a vector of
 * either role, and the checks every generated case must pass before it is
 * written.
 *
 * @module
 */
import { utf8 } from "../../core/bytes.ts";
import type { TestCase } from "../../tools/vector_file_builder.ts";
import type { Carriage, MmsPdu } from "./pdus.ts";
import { CLIENT_JID, PlainPair, SERVER_JID, type Timeless } from "./testing.ts";
import type { ClientConfig, ClientInput, ServerConfig, ServerInput } from "./types.ts";
import { inputToJson, type Json, refusalCodes, runTranscript, toJson } from "./vectors.ts";
import { pduText } from "./xer.ts";

export class Scenario {
  readonly p: PlainPair;
  constructor(readonly clientConfig: ClientConfig, readonly serverConfig: ServerConfig) {
    this.p = new PlainPair(clientConfig, serverConfig);
  }
  client(i: Timeless<ClientInput>) {
    return this.p.client(i);
  }
  server(i: Timeless<ServerInput>) {
    return this.p.server(i);
  }
  /** The server's last indication. */
  get lastIndication(): number {
    return this.p.lastIndication();
  }
}

/** A scenario between a client and server with these settings. */
export function scenario(
  client: ClientConfig["settings"] = {},
  server: ServerConfig["settings"] = {},
): Scenario {
  return new Scenario({ peer: SERVER_JID, settings: client }, {
    peer: CLIENT_JID,
    settings: server,
  });
}

/** A PDU input as the composition layer would give it. */
export function pduInput(
  pdu: MmsPdu | string,
  carriage: Carriage,
  from: string,
): { type: "pdu"; data: Uint8Array; carriage: Carriage; from: string } {
  return { type: "pdu", data: utf8(typeof pdu === "string" ? pdu : pduText(pdu)), carriage, from };
}

export interface CaseSpec {
  readonly comment: string;
  readonly spec: string[];
  readonly flags?: string[];
  /** Expected refusal code of the last input (invalid cases). */
  readonly error?: string;
}

/** The transcript of one role of a scenario as a vector; checked by running it again. */
export function roleCase(role: "client" | "server", sc: Scenario, c: CaseSpec): TestCase {
  const log = role === "client" ? sc.p.clientLog : sc.p.serverLog;
  const config = role === "client" ? sc.clientConfig : sc.serverConfig;
  const inputs = log.map((r) => inputToJson(r.input));
  return checkedCase(role, toJson(config), inputs, c);
}

/** Runs a transcript and builds its vector, refusing one that does not mean what it says. */
export function checkedCase(
  role: "client" | "server" | "multicast",
  config: Json,
  inputs: readonly Json[],
  c: CaseSpec,
): TestCase {
  const run = runTranscript(role, config, inputs as never);
  const refused = refusalCodes(run.last);
  if (run.earlier.length > 0) {
    throw new Error(`${role} vector "${c.comment}": refused before its last input: ${run.earlier}`);
  }
  if (c.error !== undefined && !refused.includes(c.error)) {
    throw new Error(`${role} vector "${c.comment}": last input gave [${refused}], not ${c.error}`);
  }
  if (c.error === undefined && refused.length > 0) {
    throw new Error(`${role} vector "${c.comment}": valid case refused with ${refused}`);
  }
  return {
    comment: c.comment,
    flags: c.flags ?? [c.error === undefined ? "valid" : "refusal"],
    spec: c.spec,
    config,
    inputs: inputs as Json[],
    phase: run.phase,
    outputs: run.last as unknown as Json[],
    result: c.error === undefined ? "valid" : "invalid",
    ...(c.error === undefined ? {} : { error: c.error }),
  };
}

/** Adds one negative case: a setup, then the input that must be refused with `error`. */
export type NegativeAdder<I> = (
  comment: string,
  flags: string[],
  spec: string[],
  setup: () => Scenario,
  input: Timeless<I>,
  error: string,
) => void;
