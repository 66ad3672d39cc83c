/**
 * Presence in the in-memory router (RFC 6121 §4, basics only): a session's
 * broadcast presence (no `to`) goes to the available sessions of every
 * contact in a shared roster group and to the account's other sessions; a
 * session's first available presence also brings it the contacts' current
 * presence; when a session says unavailable, ends, or its transport is cut,
 * its contacts get presence unavailable (paper §II.C relies on this). The
 * roster is static and shared (PD-136), so there are no subscriptions.
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { type RouterCore, type Session, withAttrs } from "./core.ts";

/** Everyone who sees `s`'s broadcast presence: contacts' and own other available sessions. */
function watchers(core: RouterCore, s: Session): Session[] {
  const bare = s.bare as string;
  const out: Session[] = core.sessions.available(bare).filter((x) => x !== s);
  for (const c of core.contactsOf(bare)) out.push(...core.sessions.available(c));
  return out;
}

function priorityOf(el: Xel): number {
  const text = el.getChildText("priority");
  const n = text === null ? 0 : Number(text);
  return Number.isInteger(n) && n >= -128 && n <= 127 ? n : 0;
}

/** A presence stanza without `to` from a bound session. */
export function onBroadcastPresence(core: RouterCore, s: Session, el: Xel): void {
  const type = el.attrs.type;
  if (type === undefined) {
    const initial = !s.available;
    s.available = true;
    s.priority = priorityOf(el);
    s.presence = el;
    // spec: RFC6121-4.2.2 DL-ROUTER-4
    for (const w of watchers(core, s)) core.deliver(w, withAttrs(el, { to: w.jid }));
    if (initial) {
      // spec: RFC6121-4.2.2
      for (const w of watchers(core, s)) {
        if (w.presence) core.deliver(s, withAttrs(w.presence, { to: s.jid }));
      }
    }
    return;
  }
  if (type === "unavailable") {
    // spec: RFC6121-4.5.2 DL-ROUTER-5
    broadcastUnavailable(core, s, el);
  }
  // Subscription requests have nothing to act on: the roster is shared and static (PD-136).
}

/** The session ended or its transport was cut: contacts see it go (paper §II.C). */
export function onSessionEnd(core: RouterCore, s: Session): void {
  if (!s.available) return;
  // spec: RFC6121-4.5.2 DL-ROUTER-5 PAPER-M4
  broadcastUnavailable(core, s, new Element("presence", { type: "unavailable" }) as unknown as Xel);
}

function broadcastUnavailable(core: RouterCore, s: Session, el: Xel): void {
  if (!s.available) return;
  const targets = watchers(core, s);
  s.available = false;
  s.presence = undefined;
  for (const w of targets) {
    core.deliver(w, withAttrs(el, { from: s.jid, to: w.jid, type: "unavailable" }));
  }
}

/** Directed presence to an account's bare or full JID (RFC 6121 §4.6, §8.5). */
export function onDirectedPresence(core: RouterCore, el: Xel, bare: string, full?: string): void {
  const type = el.attrs.type;
  if (type === "probe") {
    // spec: RFC6121-4.3.2
    const from = el.attrs.from;
    const asker = from === undefined ? undefined : core.sessions.byFull.get(from);
    if (!asker || !core.contactsOf(bare).includes(asker.bare as string)) return;
    for (const s of core.sessions.available(bare)) {
      if (s.presence) core.deliver(asker, withAttrs(s.presence, { to: asker.jid }));
    }
    return;
  }
  if (type !== undefined && type !== "unavailable" && type !== "error") return;
  if (full !== undefined) {
    // spec: RFC6121-8.5.3.1 RFC6121-8.5.3.2.2
    const s = core.sessions.byFull.get(full);
    if (s && !s.ended) core.deliver(s, el);
    return;
  }
  // spec: RFC6121-8.5.2.1.2
  for (const s of core.sessions.available(bare)) core.deliver(s, el);
}
