/**
 * Option 3 at a simulated DER (PD-244): the token gate of core/access
 * (PD-208) between what arrives and what the DER does, with the grid
 * operator's keys and the synchronous verifier (PD-240).
 *
 *  - The control centre's association token rides on the first stanza of
 *    its association (PD-243); it is taken off before the association sees
 *    the stanza, verified against the control centre (the only peer the
 *    DER's A-profile accepts, so the peer the association authenticates),
 *    and bound to that association until it ends. Every request on it is
 *    then checked against the token's grants (`access/no-grant`,
 *    `access/service-not-allowed`, `access/expired`).
 *  - A group command carries a one-time token beside its protected payload;
 *    it is taken off the room's stanza and checked only once the group
 *    layer has opened the command (so a forged or replayed SPDU is still
 *    refused by the group key first), for the service `group-command` on
 *    the DER's logical device.
 *  - Anything else addressed to the DER by an account that is neither its
 *    control centre, its key server, nor the pubsub service carries no
 *    token the DER could accept: refused with `access/no-grant`.
 *
 * Every refusal goes to `refuse` with its code.
 *
 * @module
 */
import { Element } from "ltx";
import {
  authorizeOnAssociation,
  authorizeWithTokenSync,
  EMPTY_GATE,
  endAssociation,
  type GateState,
  needOfRequest,
  presentTokenSync,
  type SyncAccessVerifier,
  tokenOfElement,
} from "../core/access/mod.ts";
import { ACCESS_NS } from "../core/access/carriage.ts";
import { AccessError } from "../core/access/errors.ts";
import type { ServiceRequest } from "../state-machines/association/services.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { Addresses } from "./context.ts";

/** The association the control centre's token is bound to (one at a time, PD-149). */
const ASSOCIATION = "control-centre";

export class DerGate {
  #gate: GateState = EMPTY_GATE;
  /** The token that came with the room stanza being handled, until the command is decided. */
  #commandToken: string | undefined;

  constructor(
    readonly verifier: SyncAccessVerifier,
    readonly at: Addresses,
    readonly room: string,
    readonly ld: string,
    readonly refuse: (code: string) => void,
  ) {}

  /**
   * A stanza as it arrives: the token it carries is taken off (and presented,
   * or kept for the command it came with); the rest goes on as before.
   */
  // spec: PD-244 PD-208 PD-205
  inbound(s: Xel, now: number): Xel {
    const from = s.attrs.from ?? "";
    const token = s.children.find((c): c is Xel =>
      typeof c === "object" && c.name === "access-token" && c.attrs.xmlns === ACCESS_NS
    );
    if (from === this.at.ccFull) {
      if (!token) return s;
      const text = tokenOfElement(token as unknown as Element);
      if (!text.ok) this.refuse(text.error.code);
      else {
        const p = presentTokenSync(this.verifier, this.#gate, {
          association: ASSOCIATION,
          peer: this.at.cc,
          token: text.value,
          now,
        });
        this.#gate = p.state;
        if (!p.result.ok) this.refuse(p.result.error.code);
      }
      return without(s, token);
    }
    if (from === this.room || from.startsWith(`${this.room}/`)) {
      // Each room stanza brings its own token or none: never one left from an earlier stanza.
      this.#commandToken = undefined;
      if (!token) return s;
      const text = tokenOfElement(token as unknown as Element);
      this.#commandToken = text.ok ? text.value : "";
      return without(s, token);
    }
    // spec: PD-244
    const bare = from.split("/")[0];
    const service = !bare.includes("@") || bare.endsWith(`@${this.room.split("@")[1]}`);
    const infrastructure = service || from === this.at.ksFull || from === this.at.marketFull;
    const asks = (s.name === "message" && s.attrs.type !== "error") ||
      (s.name === "iq" && (s.attrs.type === "get" || s.attrs.type === "set"));
    if (asks && !infrastructure) this.refuse(AccessError["no-grant"]);
    return s;
  }

  /** A request on the control centre's association: undefined when its token grants it. */
  // spec: PD-244 PD-207 PAPER-OPT3
  request(req: ServiceRequest, now: number): string | undefined {
    const r = authorizeOnAssociation(this.verifier, this.#gate, {
      association: ASSOCIATION,
      need: needOfRequest(req),
      now,
    });
    if (r.ok) return undefined;
    this.refuse(r.error.code);
    return r.error.code;
  }

  /** A group command the group layer opened: undefined when its one-time token allows it. */
  // spec: PD-244 PD-208
  command(now: number): string | undefined {
    const token = this.#commandToken;
    this.#commandToken = undefined;
    if (token === undefined) {
      this.refuse(AccessError["no-grant"]);
      return AccessError["no-grant"];
    }
    const r = authorizeWithTokenSync(this.verifier, this.#gate, {
      peer: this.at.cc,
      token,
      need: { service: "group-command", logicalDevices: [this.ld] },
      now,
    });
    this.#gate = r.state;
    if (r.result.ok) return undefined;
    this.refuse(r.result.error.code);
    return r.result.error.code;
  }

  /** The association ended: its token goes with it. */
  ended(): void {
    this.#gate = endAssociation(this.#gate, ASSOCIATION);
  }
}

/** A copy of `s` without `child` (the received stanza stays as the server delivered it). */
function without(s: Xel, child: Xel): Xel {
  const copy = new Element(s.name, { ...s.attrs });
  for (const c of s.children) if (c !== child) copy.children.push(c as Element);
  return copy as unknown as Xel;
}
