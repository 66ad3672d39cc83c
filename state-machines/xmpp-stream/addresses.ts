/**
 * The few JID operations the stream machines need: split off the bare JID,
 * compare two addresses. Comparison goes through core/jid.ts's preparation
 * when the address is valid, so case and width variants compare equal as
 * RFC 7622 says; an address that does not parse compares by its exact text.
 *
 * @module
 */
import { formatJid, tryParseJid } from "../../core/jid.ts";

/** Splits `local@domain/resource` at the first `/` and the `@` before it. */
export function splitJid(jid: string): { local?: string; domain: string; resource?: string } {
  const slash = jid.indexOf("/");
  const bare = slash >= 0 ? jid.slice(0, slash) : jid;
  const resource = slash >= 0 ? jid.slice(slash + 1) : undefined;
  const at = bare.indexOf("@");
  return at >= 0
    ? { local: bare.slice(0, at), domain: bare.slice(at + 1), resource }
    : { domain: bare, resource };
}

export const bareOf = (jid: string): string => {
  const slash = jid.indexOf("/");
  return slash >= 0 ? jid.slice(0, slash) : jid;
};

export const domainOf = (jid: string): string => splitJid(jid).domain;

/** The canonical text of a valid JID (RFC 7622 preparation), undefined for an invalid one. */
export function canonicalJid(jid: string): string | undefined {
  const r = tryParseJid(jid);
  return r.ok ? formatJid(r.value) : undefined;
}

/** True when two addresses name the same entity (RFC 7622 §3 comparison; invalid text only by identity). */
export function sameJid(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = canonicalJid(a);
  return ca !== undefined && ca === canonicalJid(b);
}

/** True when `jid` is a valid address (RFC 7622). */
export const isUsableJid = (jid: string): boolean => tryParseJid(jid).ok;
