/**
 * The world of the bounded attacker exploration: an initiator (the control
 * centre), a responder (a DER), the network between them and an attacker
 * who holds a valid certificate of the same CA (the third party).
 *
 * Messages are interned: every distinct XML text gets a small number, parsed
 * once. Machine steps are memoised by (state digest, message), so a state
 * reached along many paths costs its cryptography once. Digests name every
 * field of a machine state that can influence its future (phase, counters,
 * windows, caches, key fingerprints), never the configuration, which is
 * fixed.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { parseElement } from "../../core/xml.ts";
import { driveStep } from "./driver.ts";
import { initiator, type InitiatorState } from "./initiator.ts";
import { responder, type ResponderState } from "./responder.ts";
import type { Session } from "./session.ts";
import type { AProfileOutput } from "./types.ts";
import type { XmlElement } from "./xml.ts";
import type { Signer } from "./driver.ts";

export type Party = "I" | "R";

/** One interned message. */
export interface Msg {
  readonly id: number;
  readonly xml: string;
  readonly element: XmlElement;
  readonly to: Party;
  /** The sender the XMPP server stamps. */
  readonly from: string;
  readonly kind: string;
}

export class MessageTable {
  readonly #byKey = new Map<string, Msg>();
  readonly all: Msg[] = [];
  intern(xml: string, to: Party, from: string): Msg {
    const key = `${to}|${from}|${xml}`;
    let m = this.#byKey.get(key);
    if (!m) {
      const element = parseElement(xml) as unknown as XmlElement;
      m = { id: this.all.length, xml, element, to, from, kind: element.name };
      this.#byKey.set(key, m);
      this.all.push(m);
    }
    return m;
  }
}

const hex8 = (b: Uint8Array) => toHex(b.subarray(0, 8));

function sessionDigest(s: Session | undefined): string {
  if (!s) return "-";
  return [
    s.associationHex,
    s.mode,
    s.send.epoch,
    s.send.seq,
    s.send.count,
    hex8(s.send.keys.key),
    s.recv.epoch,
    s.recv.count,
    s.recv.window.highest,
    s.recv.window.bits.toString(16),
    hex8(s.recv.keys.key),
  ].join(",");
}

/** Everything in an initiator state that can change what it does next. */
export function initiatorDigest(s: InitiatorState): string {
  return [
    s.phase,
    s.rng.counter,
    s.signId,
    s.pending ? hex8(s.pending.token.nonce) : "-",
    sessionDigest(s.session),
    s.peer?.jid ?? "-",
    s.deadline ?? "-",
  ].join("|");
}

/** Everything in a responder state that can change what it does next. */
export function responderDigest(s: ResponderState): string {
  return [
    s.phase,
    s.rng.counter,
    s.signId,
    s.cache.floor,
    s.cache.entries.map((e) => e.nonce.slice(0, 16)).join(":"),
    s.pending ? hex8(s.pending.token.nonce) : "-",
    sessionDigest(s.session),
    sessionDigest(s.previous),
    s.peer?.jid ?? "-",
    s.deadline ?? "-",
  ].join("|");
}

/** A machine step through the default signer, memoised by state digest and input. */
export class StepMemo<S> {
  readonly #memo = new Map<string, { state: S; out: AProfileOutput[]; digest: number }>();
  readonly #ids = new Map<string, number>();
  hits = 0;
  misses = 0;
  constructor(
    readonly role: Party,
    readonly signer: Signer,
    readonly digestOf: (s: S) => string,
  ) {}

  /** A small number standing for a state's digest. */
  id(state: S): number {
    const d = this.digestOf(state);
    let n = this.#ids.get(d);
    if (n === undefined) {
      n = this.#ids.size;
      this.#ids.set(d, n);
    }
    return n;
  }

  step(state: S, digest: number, inputKey: string, input: Parameters<typeof initiator.step>[1]) {
    const key = `${digest}#${inputKey}`;
    const hit = this.#memo.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    // deno-lint-ignore no-explicit-any
    const machine = (this.role === "I" ? initiator : responder) as any;
    const r = driveStep(machine, state as never, input, this.signer) as {
      state: S;
      out: AProfileOutput[];
    };
    const value = { state: r.state, out: r.out, digest: this.id(r.state) };
    this.#memo.set(key, value);
    return value;
  }
}
