/**
 * Where a stanza from a bound session goes (RFC 6121 §8, basics): to the
 * server itself (no `to`, or the domain), to the MUC service, to an
 * account's bare JID or to one of its full JIDs. The receiver has already
 * stamped `from`. Failures become stanza errors back to the sender, never an
 * error to an error.
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { type Address, address, bounce, type RouterCore, type Session } from "./core.ts";
import { onBroadcastPresence, onDirectedPresence } from "./presence.ts";
import { answerDisco } from "../../state-machines/disco/responder.ts";

const ROSTER_NS = "jabber:iq:roster";
const PING_NS = "urn:xmpp:ping";

export interface MucHandler {
  handle(stanza: Xel, from: Session): void;
}

/** Routes one stanza a session sent; `pubsub` serves the pubsub domain. */
export function routeFromSession(
  core: RouterCore,
  muc: MucHandler,
  s: Session,
  el: Xel,
  pubsub?: MucHandler,
): void {
  const to = el.attrs.to;
  if (to === undefined) {
    if (el.name === "presence") return onBroadcastPresence(core, s, el);
    return toServer(core, s, el);
  }
  const a = address(to);
  if (!a) return bounce(core, el, "jid-malformed", "modify");
  if (a.domain === core.mucDomain) return muc.handle(el, s);
  // spec: PD-133
  if (pubsub && a.domain === core.pubsubDomain && a.local === undefined) {
    return pubsub.handle(el, s);
  }
  if (a.domain !== core.domain) {
    // spec: RFC6120-10.4.3 DL-ROUTER-2
    if (el.name !== "presence") bounce(core, el, "remote-server-not-found");
    return;
  }
  if (a.local === undefined) {
    if (el.name === "presence") return onBroadcastPresence(core, s, el);
    return toServer(core, s, el);
  }
  routeToAccount(core, el, a);
}

/** A stanza for a local account, from a session or from the server (MUC, bounces). */
export function routeToAccount(core: RouterCore, el: Xel, a: Address): void {
  // spec: RFC6121-8.1 DL-ROUTER-2
  if (!core.accounts.has(a.local ?? "")) {
    if (el.name !== "presence") bounce(core, el, "service-unavailable");
    return;
  }
  if (el.name === "presence") return onDirectedPresence(core, el, a.bare, a.resource && a.full);
  if (a.resource !== undefined) {
    const target = core.sessions.byFull.get(a.full);
    // spec: RFC6121-8.5.3.1
    if (target && !target.ended) return core.deliver(target, el);
    // spec: RFC6121-8.5.3.2.2 DL-ROUTER-3
    if (el.name === "iq") return bounce(core, el, "service-unavailable");
    // spec: RFC6121-8.5.3.2.1
    const type = el.attrs.type ?? "normal";
    if (type === "groupchat") return bounce(core, el, "service-unavailable");
    if (type === "error") return;
    return messageToBare(core, el, a.bare);
  }
  if (el.name === "iq") {
    // The server answers for the account; it offers nothing (RFC 6121 §8.5.2.1.3).
    // spec: RFC6121-8.5.2.1.3
    if (el.attrs.type === "get" || el.attrs.type === "set") bounce(core, el, "service-unavailable");
    return;
  }
  messageToBare(core, el, a.bare);
}

/** Message to a bare JID: the highest non-negative priority, earliest bound on a tie (PD-135). */
function messageToBare(core: RouterCore, el: Xel, bare: string): void {
  const type = el.attrs.type ?? "normal";
  if (type === "error") return;
  const live = core.sessions.available(bare).filter((s) => s.priority >= 0);
  // spec: RFC6121-8.5.2.1.1
  if (type === "groupchat") return bounce(core, el, "service-unavailable");
  if (type === "headline") {
    for (const s of live) core.deliver(s, el);
    return;
  }
  if (!live.length) {
    // No offline storage (PD-135).
    // spec: RFC6121-8.5.2.2.1 PD-135
    return bounce(core, el, "service-unavailable");
  }
  // spec: RFC6121-8.5.2.1.1 DL-ROUTER-1 PD-135
  let best = live[0];
  for (const s of live) if (s.priority > best.priority) best = s;
  core.deliver(best, el);
}

/** A stanza to the server itself: ping and roster get are answered; other requests refused. */
function toServer(core: RouterCore, s: Session, el: Xel): void {
  if (el.name !== "iq") return;
  const type = el.attrs.type;
  if (type !== "get" && type !== "set") return;
  const payload = el.children.find((c): c is Xel => typeof c === "object");
  const ns = payload?.attrs.xmlns;
  const reply = () =>
    new Element("iq", { type: "result", id: el.attrs.id, to: s.jid, from: core.domain });
  if (type === "get" && ns === PING_NS) return core.deliver(s, reply() as unknown as Xel);
  // spec: XEP0030-3.1 XEP0030-4.1 PAPER-MAP5 PD-133
  if (el.attrs.to === core.domain) {
    const disco = answerDisco(core.domainDisco(), el);
    if (disco) return core.deliver(s, disco);
  }
  if (type === "get" && ns === ROSTER_NS && payload?.name === "query") {
    // spec: RFC6121-2.1.3 PD-136
    const r = reply();
    const q = r.c("query", { xmlns: ROSTER_NS });
    for (const c of core.contactsOf(s.bare as string)) {
      const item = q.c("item", { jid: c, subscription: "both" });
      for (const g of core.groupsOf(c)) item.c("group").t(g);
    }
    return core.deliver(s, r as unknown as Xel);
  }
  // spec: RFC6120-8.3.3.19
  bounce(core, el, "service-unavailable", "cancel", core.domain);
}
