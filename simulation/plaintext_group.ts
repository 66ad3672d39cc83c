/**
 * TEST ONLY: group commands in the room without group-key protection, the
 * group half of the protection=none baseline (PD-247). The control centre
 * posts the `<group-command>` itself as the room's groupchat, and a DER
 * takes a groupchat from the room's operator nick that carries one as the
 * control centre's command: all that vouches for it is the XMPP server
 * (the room is moderated, so only the operator has voice). Nothing here is
 * used unless the scenario was given protection "none" together with
 * `insecurePlaintextForTestOnly` (simulation/scenario.ts refuses it
 * otherwise with `association/plaintext-not-allowed`).
 *
 * @module
 */
import type { Element } from "ltx";
import { fromUtf8, utf8 } from "../core/bytes.ts";
import { parseElement } from "../core/xml.ts";
import { GROUP_COMMAND_NS } from "../apps/control-centre/group_command.ts";
import { groupchat } from "../state-machines/muc/stanzas.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";

/** The room nick the control centre publishes under (cc_groups.ts). */
export const OPERATOR_NICK = "operator";

/** A groupchat to `room` carrying the encoded group command in clear. */
// spec: PD-247
export function plainCommandStanza(room: string, id: string, payload: Uint8Array): Element {
  return groupchat(
    room,
    id,
    parseElement(fromUtf8(payload)) as unknown as Xel,
  ) as unknown as Element;
}

/** The group command in a groupchat from the room's operator, as bytes; undefined otherwise. */
// spec: PD-247
export function readPlainCommand(s: Xel, room: string): Uint8Array | undefined {
  if (s.name !== "message" || s.attrs.type !== "groupchat") return undefined;
  if (s.attrs.from !== `${room}/${OPERATOR_NICK}`) return undefined;
  const cmd = s.children.find((c): c is Xel =>
    typeof c === "object" && c.name === "group-command" && c.attrs.xmlns === GROUP_COMMAND_NS
  );
  return cmd ? utf8(cmd.toString()) : undefined;
}
