/**
 * The parts of the in-memory router that routing, presence and the MUC
 * service share: the session table (bound sessions by full and bare JID, in
 * connection order), the roster groups, and the one way a stanza reaches a
 * client (`deliver`). Everything is plain maps, so routing one stanza costs
 * O(1) lookups plus the recipients it fans out to.
 *
 * @module
 */
import { Element } from "ltx";
import { tryParseJid } from "../../core/jid.ts";
import type { MemoryLink } from "../memory_transport.ts";
import { stanzaError, type Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { SessionTraffic } from "./log.ts";
import type { DiscoEntity } from "../../state-machines/disco/responder.ts";

/** One client connection as the router sees it. */
export interface Session {
  readonly id: number;
  readonly link: MemoryLink;
  readonly traffic: SessionTraffic;
  /** Bound full JID and its bare part, once bound. */
  jid?: string;
  bare?: string;
  /** Sent initial presence and not yet unavailable (RFC 6121 §4.2). */
  available: boolean;
  priority: number;
  /** The last broadcast available presence, re-sent to contacts that come online. */
  presence?: Xel;
  ended: boolean;
}

/** Address parts of a JID string, or undefined when it does not parse. */
export interface Address {
  readonly local?: string;
  readonly domain: string;
  readonly resource?: string;
  readonly bare: string;
  readonly full: string;
}

export function address(text: string | undefined): Address | undefined {
  if (text === undefined) return undefined;
  const r = tryParseJid(text);
  if (!r.ok) return undefined;
  const { local, domain, resource } = r.value;
  const bare = local === undefined ? domain : `${local}@${domain}`;
  return {
    local,
    domain,
    resource,
    bare,
    full: resource === undefined ? bare : `${bare}/${resource}`,
  };
}

export class SessionTable {
  readonly byFull = new Map<string, Session>();
  /** Bound sessions of each account, in bind order (the tie-break of equal priorities). */
  readonly byBare = new Map<string, Session[]>();

  bind(s: Session, full: string): void {
    const a = address(full);
    if (!a) return;
    s.jid = a.full;
    s.bare = a.bare;
    this.byFull.set(a.full, s);
    const list = this.byBare.get(a.bare) ?? [];
    list.push(s);
    this.byBare.set(a.bare, list);
  }

  unbind(s: Session): void {
    if (s.jid === undefined || s.bare === undefined) return;
    if (this.byFull.get(s.jid) === s) this.byFull.delete(s.jid);
    const rest = (this.byBare.get(s.bare) ?? []).filter((x) => x !== s);
    if (rest.length) this.byBare.set(s.bare, rest);
    else this.byBare.delete(s.bare);
  }

  /** Available sessions of an account, bind order. */
  available(bare: string): Session[] {
    return (this.byBare.get(bare) ?? []).filter((s) => s.available && !s.ended);
  }
}

/** What routing, presence and MUC need from the router. */
export interface RouterCore {
  readonly domain: string;
  readonly mucDomain: string;
  /** The pubsub service's domain (`pubsub.<domain>`). */
  readonly pubsubDomain: string;
  readonly sessions: SessionTable;
  /** Localparts of existing accounts. */
  readonly accounts: ReadonlySet<string>;
  /** Bare JIDs that see `bare`'s presence (shared roster groups), without `bare` itself. */
  contactsOf(bare: string): readonly string[];
  /** Roster group names `bare` belongs to. */
  groupsOf(bare: string): readonly string[];
  /** Hands a stanza to one session's receiver (serialised at once). */
  deliver(to: Session, stanza: Xel): void;
  /** What the domain answers to disco (XEP-0030): its services and extra items. */
  domainDisco(): DiscoEntity;
  /** Routes a stanza the server itself originates (the MUC service's, bounces). */
  route(stanza: Xel): void;
}

/** A shallow copy of `el` with some attributes replaced (undefined removes one). */
export function withAttrs(el: Xel, attrs: Record<string, string | undefined>): Xel {
  const copy = new Element(el.name, { ...el.attrs });
  for (const c of el.children) copy.children.push(c as unknown as Element);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) delete copy.attrs[k];
    else copy.attrs[k] = v;
  }
  return copy as unknown as Xel;
}

/** A stanza error reply to `original` from `from` — never to an error (RFC 6120 §8.3.1). */
export function bounce(
  core: RouterCore,
  original: Xel,
  condition: string,
  type: "cancel" | "auth" | "modify" | "wait" = "cancel",
  from?: string,
): void {
  if (original.attrs.type === "error" || original.attrs.from === undefined) return;
  // spec: RFC6120-8.3.1
  core.route(stanzaError(original, type, condition, from ?? original.attrs.to));
}
