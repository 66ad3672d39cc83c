/**
 * Stream-unique iq ids for many associations over one XMPP stream (PD-215).
 *
 * Each association numbers its own iq requests (`h1`, `a1`, `m1`, ... per
 * association, PD-140/PD-144), and the stream machine keeps the requests
 * it sent by id alone (PD-75: a second request with an id still in flight
 * is refused as `xmpp/iq-duplicate-id`). A control centre that carries one
 * association per DER over its single stream therefore gives every
 * outgoing iq request an id of its own (`<prefix><n>`) and puts the
 * association's id back on the response, when it comes from the address
 * the request went to. The peer sees only the stream's ids and answers
 * with them; nothing the A-profile protects depends on the id.
 *
 * @module
 */
import type { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";

export class IqIdMux {
  readonly #prefix: string;
  readonly #limit: number;
  /** Stream id → where the request went and the id its association gave it. */
  readonly #sent = new Map<string, { readonly to: string; readonly id: string }>();
  #next = 1;

  /** `limit`: requests remembered at most (the oldest are forgotten first). */
  constructor(prefix = "x", limit = 100_000) {
    this.#prefix = prefix;
    this.#limit = limit;
  }

  get inFlight(): number {
    return this.#sent.size;
  }

  /** An iq get/set leaves with a stream-unique id; anything else unchanged. */
  // spec: PD-215 RFC6120-8.1.3
  outbound<T extends Element | Xel>(stanza: T): T {
    const a = stanza.attrs as Record<string, string | undefined>;
    if (stanza.name !== "iq" || (a.type !== "get" && a.type !== "set") || a.id === undefined) {
      return stanza;
    }
    const id = `${this.#prefix}${this.#next++}`;
    this.#sent.set(id, { to: a.to ?? "", id: a.id });
    if (this.#sent.size > this.#limit) this.#sent.delete(this.#sent.keys().next().value!);
    stanza.attrs = { ...a, id };
    return stanza;
  }

  /** A response to one of our requests gets its association's id back. */
  // spec: PD-215 RFC6120-8.2.3
  inbound(stanza: Xel): Xel {
    const a = stanza.attrs;
    if (stanza.name !== "iq" || (a.type !== "result" && a.type !== "error") || !a.id) return stanza;
    const sent = this.#sent.get(a.id);
    if (!sent || sent.to !== (a.from ?? "")) return stanza;
    this.#sent.delete(a.id);
    stanza.attrs = { ...a, id: sent.id };
    return stanza;
  }
}
