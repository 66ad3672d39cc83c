/**
 * A control centre and a DER, each a protected association endpoint
 * (endpoint.ts), wired back to back in memory the way an XMPP server links
 * them: every stanza one side sends reaches the other in order with the
 * sender's full JID stamped as `from`. `disconnect` makes the "server"
 * announce the side's departure with presence unavailable (paper §II.C);
 * `inject` delivers any stanza (a spoofed presence, a forged PDU).
 * Used by tests and the simulation; deployments use an XMPP adapter.
 *
 * @module
 */
import type { Element } from "ltx";
import {
  type EndpointConfig,
  type EndpointInput,
  type EndpointOutput,
  SecureAssociation,
} from "./endpoint.ts";
import { presenceStanza } from "./carrier.ts";
import type { Xel } from "./xer_dom.ts";
import { parseElement } from "../../core/xml.ts";

export type PairSide = "client" | "server";

/** An input whose `now` may be left to the pair's clock. */
export type PairInput = EndpointInput extends infer T
  ? T extends unknown ? Omit<T, "now"> & { now?: number } : never
  : never;

/** Everything each side output during one `run`, and every stanza that crossed, in order. */
export interface PairRun {
  readonly client: EndpointOutput[];
  readonly server: EndpointOutput[];
  readonly wire: { readonly from: PairSide; readonly stanza: Element }[];
}

export class SecurePair {
  readonly client: SecureAssociation;
  readonly server: SecureAssociation;
  readonly #jid: Record<PairSide, string>;
  readonly #online: Record<PairSide, boolean> = { client: true, server: true };
  now: number;

  /** `clientJid`/`serverJid` are the full JIDs the "XMPP server" stamps. */
  constructor(
    client: EndpointConfig & { role: "client" },
    server: EndpointConfig & { role: "server" },
    now: number,
  ) {
    this.client = new SecureAssociation(client);
    this.server = new SecureAssociation(server);
    this.#jid = { client: server.peerJid, server: client.peerJid };
    this.now = now;
  }

  /** Gives `side` an input (at the pair's time unless given) and delivers until both are quiet. */
  run(side: PairSide, input: PairInput): PairRun {
    const run: PairRun = { client: [], server: [], wire: [] };
    const queue: [PairSide, EndpointInput][] = [[
      side,
      { ...input, now: input.now ?? this.now } as EndpointInput,
    ]];
    while (queue.length > 0) {
      const [who, inp] = queue.shift()!;
      if (!this.#online[who]) continue;
      const out = (who === "client" ? this.client : this.server).input(inp);
      run[who].push(...out);
      for (const o of out) {
        if (o.type !== "stanza") continue;
        run.wire.push({ from: who, stanza: o.stanza });
        const to: PairSide = who === "client" ? "server" : "client";
        // spec: RFC6120-8.1.2.1
        const delivered = stamp(o.stanza, this.#jid[who]);
        queue.push([to, { type: "stanza", stanza: delivered, now: this.now }]);
      }
    }
    return run;
  }

  /** Delivers a stanza to `side` as if the XMPP server routed it. */
  inject(side: PairSide, stanza: Xel): PairRun {
    return this.run(side, { type: "stanza", stanza });
  }

  /**
   * `side` drops off: its own stream is gone (its stream machine reports the
   * lost link, here as `ping-timeout`; what it would send goes nowhere), and
   * the XMPP server tells the other side with presence unavailable.
   */
  // spec: PAPER-MAP3 RFC6121-4.5.2 XEP0199-timeout
  disconnect(side: PairSide): PairRun {
    this.#online[side] = false;
    const own = (side === "client" ? this.client : this.server).input({
      type: "ping-timeout",
      now: this.now,
    });
    const other: PairSide = side === "client" ? "server" : "client";
    const run = this.inject(other, presenceStanza(this.#jid[side], "unavailable"));
    run[side].push(...own);
    return run;
  }

  /** `side` is back online (a new session of the same full JID). */
  reconnect(side: PairSide): PairRun {
    this.#online[side] = true;
    const other: PairSide = side === "client" ? "server" : "client";
    return this.inject(other, presenceStanza(this.#jid[side]));
  }

  /** Time passes: both sides get a tick. */
  tick(now: number): PairRun {
    this.now = now;
    const a = this.run("client", { type: "tick" });
    const b = this.run("server", { type: "tick" });
    return {
      client: [...a.client, ...b.client],
      server: [...a.server, ...b.server],
      wire: [...a.wire, ...b.wire],
    };
  }
}

/**
 * The stanza as the other side's XMPP stream reads it: serialised, `from`
 * stamped by the server, and parsed again with the strict reader.
 */
function stamp(stanza: Element, from: string): Xel {
  const read = parseElement(stanza.toString());
  read.attrs = { ...read.attrs, from };
  return read as unknown as Xel;
}
