/**
 * The facts the ACL decision needs, read from a stamped stanza element.
 *
 * @module
 */
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { tryParseJid } from "../jid.ts";
import { NS_MUC_USER, NS_PUBSUB, NS_PUBSUB_OWNER, type StanzaFacts } from "./decide.ts";

const elementsOf = (e: Xel): Xel[] => e.children.filter((c): c is Xel => typeof c === "object");
const nsOf = (e: Xel, parent?: string): string | undefined => e.attrs.xmlns ?? parent;

/** Facts of a stanza whose `from` the server stamped; undefined for anything else. */
export function stanzaFacts(el: Xel): StanzaFacts | undefined {
  const kind = el.name;
  if (kind !== "message" && kind !== "presence" && kind !== "iq") return undefined;
  const from = el.attrs.from === undefined ? undefined : tryParseJid(el.attrs.from);
  if (!from?.ok || from.value.local === undefined) return undefined;
  let to: StanzaFacts["to"];
  if (el.attrs.to !== undefined) {
    const r = tryParseJid(el.attrs.to);
    if (!r.ok) return undefined;
    to = r.value;
  }
  const kids = elementsOf(el);
  const payloadNs = kids.map((k) => nsOf(k)).filter((n): n is string => n !== undefined);
  const x = kids.find((k) => k.name === "x" && nsOf(k) === NS_MUC_USER);
  const invite = x !== undefined && elementsOf(x).some((k) => k.name === "invite");
  const ps = kids.find((k) =>
    k.name === "pubsub" && (nsOf(k) === NS_PUBSUB || nsOf(k) === NS_PUBSUB_OWNER)
  );
  const action = ps && elementsOf(ps)[0];
  return {
    kind,
    type: el.attrs.type,
    from: `${from.value.local}@${from.value.domain}`,
    to,
    payloadNs,
    invite,
    pubsub: ps && action
      ? { owner: nsOf(ps) === NS_PUBSUB_OWNER, action: action.name, node: action.attrs.node }
      : undefined,
  };
}
