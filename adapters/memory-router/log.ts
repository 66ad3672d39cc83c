/**
 * What the in-memory router saw: every byte each connection wrote to the
 * server and every byte the server wrote back, per session, in order. Tests
 * search it (for example for group keys, PAPER-TA5) and compare it across
 * runs (determinism).
 *
 * @module
 */
import { fromUtf8 } from "../../core/bytes.ts";

/** One connection's traffic, both directions. */
export interface SessionTraffic {
  /** Connection number, from 0, in the order connections were made. */
  readonly id: number;
  /** The bound full JID, once there is one. */
  jid?: string;
  /** Bytes the client wrote (as text; the stream is UTF-8). */
  readonly fromClient: string[];
  /** Bytes the router wrote to the client. */
  readonly toClient: string[];
}

export class TrafficLog {
  readonly sessions: SessionTraffic[] = [];

  open(): SessionTraffic {
    const t: SessionTraffic = { id: this.sessions.length, fromClient: [], toClient: [] };
    this.sessions.push(t);
    return t;
  }

  // spec: DL-ROUTER-7
  received(t: SessionTraffic, bytes: Uint8Array): void {
    t.fromClient.push(fromUtf8(bytes));
  }

  sent(t: SessionTraffic, bytes: Uint8Array): void {
    t.toClient.push(fromUtf8(bytes));
  }

  /** Every byte in both directions of every session, one string per chunk, in session order. */
  texts(): string[] {
    return this.sessions.flatMap((s) => [...s.fromClient, ...s.toClient]);
  }

  /** One text for the whole log, for digests and whole-run comparisons. */
  transcript(): string {
    return this.sessions.map((s) =>
      `#${s.id} ${s.jid ?? "-"}\n> ${s.fromClient.join("")}\n< ${s.toClient.join("")}`
    ).join("\n");
  }
}
