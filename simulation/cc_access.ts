/**
 * Option 3 at the simulated control centre (PD-243): it presents the grid
 * operator's access tokens, asked for at the moment it needs them.
 *
 *  - Its association with a DER opens with an association token: audience
 *    the DER, subject the control centre, read/write/operate on the DER's
 *    logical device, in a message of its own sent just before the
 *    association's first stanza (that one is the A-profile request, an iq,
 *    which may carry one payload only, RFC 6120 §8.2.3). It stays outside
 *    the handshake's signed bytes (PD-208 keeps it out of the ClearToken);
 *    the DER binds it to the association, and because its subject must be
 *    the peer the association authenticates (PD-205), a copy taken by the
 *    server or a thief is useless without the control centre's key.
 *  - Every group command carries a one-time token beside its protected
 *    payload (PD-208 (b)): audience the group's room, `group-command` on
 *    every logical device.
 *
 * @module
 */
import { Element } from "ltx";
import { tokenElement } from "../core/access/carriage.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { GridOperator } from "./operator.ts";

const COMMAND_PAYLOADS = new Set(["spdu", "group-command"]);

export class ControlCentreTokens {
  /** DERs (full JIDs) whose association already carried its token. */
  readonly #sent = new Set<string>();

  constructor(
    readonly operator: GridOperator,
    readonly cc: string,
    readonly mucDomain: string,
    /** The logical device of a DER, by its full JID (undefined: not a DER). */
    readonly ldOf: (full: string) => string | undefined,
    readonly now: () => number,
  ) {}

  /** What leaves for the stanza `s`: the token it needs first or inside it, then the stanza. */
  // spec: PD-243 PD-208 PAPER-OPT3 RFC6120-8.2.3
  outbound(s: Xel | Element): (Xel | Element)[] {
    const to = s.attrs.to ?? "";
    const ld = this.ldOf(to);
    if (ld !== undefined) {
      if (this.#sent.has(to) || (s.name !== "iq" && s.name !== "message")) return [s];
      this.#sent.add(to);
      const der = to.split("/")[0];
      const token = this.operator.accessToken(this.cc, der, [
        { actions: ["read", "write", "operate"], identifier: ld },
      ], this.now());
      return [new Element("message", { to }).cnode(tokenElement(token)).root(), s];
    }
    const command = s.name === "message" && s.attrs.type === "groupchat" &&
      to.endsWith(`@${this.mucDomain}`) &&
      (s.children as unknown[]).some((c) =>
        typeof c === "object" && c !== null && COMMAND_PAYLOADS.has((c as Element).name)
      );
    if (!command) return [s];
    const token = this.operator.accessToken(this.cc, to, [
      { actions: ["group-command"], identifier: "*" },
    ], this.now());
    return [(s as Element).cnode(tokenElement(token)).root()];
  }
}
