/**
 * Bare-JID text for group membership: policies, certificates and stanza
 * senders are compared in canonical bare form (RFC 7622), so
 * `DER1@Grid.Example/plc` and `der1@grid.example` are the same member.
 *
 * @module
 */
import { bareJid as bareOf, formatJid, tryParseJid } from "../../core/jid.ts";

const cache = new Map<string, string>();
const CACHE_LIMIT = 4096;

/**
 * The canonical bare JID of `text`, or a value that equals no JID when the
 * text does not parse (so malformed names never match anything).
 */
export function bareJid(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const parsed = tryParseJid(text);
  const out = parsed.ok ? formatJid(bareOf(parsed.value)) : `\u0000invalid\u0000${text}`;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, out);
  return out;
}

/** True when `text` parses as a JID. */
export const isJid = (text: string): boolean => tryParseJid(text).ok;
