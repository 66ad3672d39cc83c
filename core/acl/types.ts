/**
 * A parsed access-control list: principals resolved to sets of canonical
 * bare JIDs (or "any account"), ready for decisions and for compilation.
 *
 * @module
 */

/** Who a rule names: every account of the domain, or these bare JIDs. */
export interface Principals {
  readonly any: boolean;
  readonly jids: ReadonlySet<string>;
  /** As written (groups kept), for the compiled Prosody lists and for humans. */
  readonly written: readonly string[];
}

export interface AddressRule {
  readonly from: Principals;
  readonly to: Principals;
}

export interface RoomRule {
  readonly moderators: Principals;
  readonly members: Principals;
}

export interface NodeRule {
  readonly publishers: Principals;
  /** Absent: anyone may subscribe and fetch items. */
  readonly subscribers?: Principals;
}

export interface Acl {
  readonly domain: string;
  readonly mucService: string;
  readonly pubsubService: string;
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly addressing: readonly AddressRule[];
  /** Room bare JID → rule. */
  readonly rooms: ReadonlyMap<string, RoomRule>;
  /** Node name → rule (on pubsubService). */
  readonly nodes: ReadonlyMap<string, NodeRule>;
}

/** True when `p` names `bareJid`; "any" means any account of `domain`. */
export const includes = (p: Principals, bareJid: string, domain: string): boolean =>
  p.jids.has(bareJid) || (p.any && bareJid.endsWith(`@${domain}`));
