/**
 * Client sessions for the live checks: logging an account in with the
 * project's XmppClient, waiting for stanzas with a bound, and driving the
 * MUC room machine over a client. The machines decide everything on the
 * wire; this file moves stanzas and keeps timestamps.
 *
 * @module
 */
import { Element } from "ltx";
import type { EntropySource } from "../../core/entropy.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import { room } from "../../state-machines/muc/machine.ts";
import type {
  RoomConfig,
  RoomInput,
  RoomOutput,
  RoomState,
} from "../../state-machines/muc/types.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { LiveAccount, LiveOptions } from "./types.ts";

/** The bare JID of a full or bare one. */
export const bareOf = (jid: string | undefined): string => (jid ?? "").split("/")[0];

/** Logs `account` in over STARTTLS; no stream resumption, so a drop ends the session at once. */
export function login(
  o: LiveOptions,
  account: LiveAccount,
  entropy: EntropySource,
  resource?: string,
): Promise<XmppClient> {
  return XmppClient.connect({
    jid: account.jid,
    password: account.password,
    resource,
    entropy,
    server: { host: o.host, port: o.port },
    tls: { anchors: [...o.anchors] },
    reconnect: false,
    iqTimeoutMs: o.stepTimeoutMs ?? 10_000,
  });
}

/** Resolves with the first stanza `test` accepts (with its arrival time), or undefined after `ms`. */
export function waitFor(
  client: XmppClient,
  test: (s: Xel) => boolean,
  ms: number,
): Promise<{ stanza: Xel; at: number } | undefined> {
  return new Promise((resolve) => {
    const off = client.on("stanza", (s) => {
      if (!test(s)) return;
      const at = performance.now();
      off();
      clearTimeout(timer);
      resolve({ stanza: s, at });
    });
    const timer = setTimeout(() => {
      off();
      resolve(undefined);
    }, ms);
  });
}

/** Initial presence (RFC 6121 §4.2). */
export const available = (): Xel => new Element("presence") as unknown as Xel;

/** A presence of `type` to `to`. */
export const presenceTo = (to: string, type: string): Xel =>
  new Element("presence", { to, type }) as unknown as Xel;

/** The stanza error condition of an error stanza, if any. */
export function errorCondition(s: Xel): string | undefined {
  const err = s.children.find((c): c is Xel => typeof c === "object" && c.name === "error");
  const cond = err?.children.find((c): c is Xel => typeof c === "object" && c.name !== "text");
  return cond?.name;
}

/** The room machine over one client, with the time of every output. */
export class RoomDriver {
  state: RoomState;
  readonly out: { readonly o: RoomOutput; readonly at: number }[] = [];
  #waiters: (() => void)[] = [];
  #off: () => void;

  constructor(readonly client: XmppClient, config: RoomConfig) {
    this.state = room.init(config);
    this.#off = client.on("stanza", (s) => this.step({ type: "stanza", stanza: s }));
  }

  step(input: RoomInput): void {
    const r = room.step(this.state, input);
    this.state = r.state;
    const at = performance.now();
    for (const o of r.out) {
      this.out.push({ o, at });
      if (o.type === "send") {
        try {
          this.client.send(o.stanza);
        } catch {
          // The session is gone; the check waiting on it times out and says so.
        }
      }
    }
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** True once `test` holds; false when `ms` pass first. */
  until(test: () => boolean, ms: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          resolve(true);
        } else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }

  /** Events of `type`, with their times. */
  events(type: string): { event: Extract<RoomOutput, { type: "event" }>["event"]; at: number }[] {
    return this.out.flatMap(({ o, at }) =>
      o.type === "event" && o.event.type === type ? [{ event: o.event, at }] : []
    );
  }

  /** Error outputs as `code detail`. */
  errors(): string[] {
    return this.out.flatMap(({ o }) =>
      o.type === "error" ? [`${o.code} ${o.detail ?? ""}`.trim()] : []
    );
  }

  detach(): void {
    this.#off();
  }
}
