/**
 * Test and vector helper: a client and a server machine linked back to back
 * in plaintext (no A-profile, no XMPP), as the composition layer would link
 * them once it has opened each PDU. Every `send` of one side is delivered to
 * the other at once as a `pdu` input with the sender's full JID; every input
 * either side took is recorded, so a scenario run here becomes a transcript
 * vector of each role. Not part of the public API.
 *
 * @module
 */
import { Element } from "ltx";
import { runChecked } from "../../core/machine.ts";
import { associationClient, type ClientState } from "./client.ts";
import { associationServer, type ServerState } from "./server.ts";
import type {
  AssociationOutput,
  ClientConfig,
  ClientInput,
  ServerConfig,
  ServerInput,
} from "./types.ts";
import type { Report } from "./services.ts";
import type { Xel } from "./xer_dom.ts";

/** The control centre (IEC 61850 client) and a DER (IEC 61850 server), as full JIDs. */
export const CLIENT_JID = "vpp@grid.example/control";
export const SERVER_JID = "der1@grid.example/iec61850";
/** A third party: same server, its own account. */
export const OTHER_JID = "mallory@grid.example/x";
export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

/** DER 1's measurement report: total active power `value` W, report number `sqNum`, at T0. */
export const totWReport = (sqNum = 0, value = 1): Report => ({
  rptId: "DER1/LLN0$RP$urcb01",
  sqNum,
  time: T0,
  entries: [{
    ref: { ref: "DER1/MMXU1.TotW", fc: "MX" },
    value: { type: "float", value, width: 32 },
  }],
});

/** A presence stanza as the XMPP server delivers it. */
export function presence(from: string | undefined, type?: string): Xel {
  const attrs: Record<string, string> = {};
  if (from !== undefined) attrs.from = from;
  if (type !== undefined) attrs.type = type;
  return new Element("presence", attrs) as unknown as Xel;
}

/** An input whose `now` may be left to the pair's clock. */
export type Timeless<T> = T extends unknown ? Omit<T, "now"> & { now?: number } : never;

export interface Recorded<I> {
  readonly input: I;
  readonly out: readonly AssociationOutput[];
  readonly phase: string;
}

/** Client and server linked in plaintext; time moves only when told. */
export class PlainPair {
  c: ClientState;
  s: ServerState;
  now = T0;
  readonly clientLog: Recorded<ClientInput>[] = [];
  readonly serverLog: Recorded<ServerInput>[] = [];
  /** When false, sends are recorded but not delivered (a lost link). */
  deliver = true;

  constructor(
    clientConfig: ClientConfig = { peer: SERVER_JID },
    serverConfig: ServerConfig = { peer: CLIENT_JID },
  ) {
    this.c = associationClient.init(clientConfig);
    this.s = associationServer.init(serverConfig);
  }

  /** Gives the client an input (its `now` is the pair's) and delivers what follows. */
  client(input: Timeless<ClientInput>): AssociationOutput[] {
    return this.#run("client", { ...input, now: input.now ?? this.now } as ClientInput);
  }

  server(input: Timeless<ServerInput>): AssociationOutput[] {
    return this.#run("server", { ...input, now: input.now ?? this.now } as ServerInput);
  }

  /** Runs a chain of inputs; returns the outputs of the first one. */
  #run(side: "client" | "server", first: ClientInput | ServerInput): AssociationOutput[] {
    const queue: ["client" | "server", ClientInput | ServerInput][] = [[side, first]];
    let firstOut: AssociationOutput[] | undefined;
    while (queue.length > 0) {
      const [who, input] = queue.shift()!;
      const out = who === "client"
        ? this.#stepClient(input as ClientInput)
        : this.#stepServer(input as ServerInput);
      firstOut ??= [...out];
      if (!this.deliver) continue;
      for (const o of out) {
        if (o.type !== "send") continue;
        const to = who === "client" ? "server" : "client";
        const from = who === "client" ? CLIENT_JID : SERVER_JID;
        queue.push([to, { type: "pdu", data: o.data, carriage: o.carriage, from, now: this.now }]);
      }
    }
    return firstOut ?? [];
  }

  #stepClient(input: ClientInput): readonly AssociationOutput[] {
    const { state, trace } = runChecked(associationClient, this.c, [input]);
    this.c = state;
    this.clientLog.push({ input, out: trace[0].out, phase: state.phase });
    return trace[0].out;
  }

  #stepServer(input: ServerInput): readonly AssociationOutput[] {
    const { state, trace } = runChecked(associationServer, this.s, [input]);
    this.s = state;
    this.serverLog.push({ input, out: trace[0].out, phase: state.phase });
    return trace[0].out;
  }

  /** The events one side produced in its log, by type. */
  events(side: "client" | "server"): string[] {
    const log = side === "client" ? this.clientLog : this.serverLog;
    return log.flatMap((r) => r.out.flatMap((o) => o.type === "event" ? [o.event.type] : []));
  }

  /** Error codes one side produced. */
  errors(side: "client" | "server"): string[] {
    const log = side === "client" ? this.clientLog : this.serverLog;
    return log.flatMap((r) => r.out.flatMap((o) => o.type === "error" ? [o.code] : []));
  }

  /** The last indication's invoke id at the server. */
  lastIndication(): number {
    for (let i = this.serverLog.length - 1; i >= 0; i--) {
      for (const o of this.serverLog[i].out) {
        if (o.type === "event" && o.event.type === "indication") return o.event.invokeId;
      }
    }
    throw new Error("no indication");
  }
}
