/**
 * iq handling of the bound session (RFC 6120 §8.2.3): pings answered for
 * both roles, and for the initiator the correlation of requests and
 * responses by id and responder (PD-75).
 *
 * @module
 */
import { Element } from "ltx";
import { errorOutput } from "../../core/machine.ts";
import { sameJid } from "./addresses.ts";
import { XmppError } from "./errors.ts";
import { childElements, isEl, NS, stanzaError, type Xel } from "./messages.ts";
import { done, type Draft, type SessionCtx, type SessionState } from "./session_types.ts";
import type { StreamOutput } from "./types.ts";

export function iqInbound(s: SessionState, el: Xel, ctx: SessionCtx): Draft {
  const type = el.attrs.type;
  const id = el.attrs.id;
  const from = el.attrs.from ?? "";
  const children = childElements(el);
  if (type === "get" || type === "set") {
    // spec: XEP0199-pong
    if (type === "get" && children.length === 1 && isEl(children[0], NS.ping, "ping", ctx.decls)) {
      const toServer = ctx.role === "initiator" || !el.attrs.to || sameJid(el.attrs.to, ctx.domain);
      if (toServer && id !== undefined) {
        const reply = new Element("iq", {
          type: "result",
          id,
          to: ctx.role === "initiator" ? el.attrs.from : s.jid,
          from: ctx.role === "receiver" ? ctx.domain : undefined,
        });
        return done(s, [reply]);
      }
    }
    // spec: RFC6120-8.1.3
    if (id === undefined) {
      return done(s, [], [
        errorOutput(XmppError["invalid-stanza"], "iq request without id dropped"),
      ]);
    }
    // spec: RFC6120-8.2.3 RFC6120-8.3.3.1
    if (children.length !== 1) {
      const from = ctx.role === "receiver" ? ctx.domain : undefined;
      return done(s, [stanzaError(el, "modify", "bad-request", from)], [
        errorOutput(XmppError["invalid-stanza"], `iq ${type} with ${children.length} children`),
      ]);
    }
    if (ctx.role === "receiver") return done(s, [], [{ type: "stanza", element: el }]);
    const key = `${from}\n${id}`;
    // spec: PD-75
    if (s.pendingIn.has(key)) {
      return done(s, [], [
        errorOutput(XmppError["iq-duplicate-id"], "iq request id already in flight"),
      ]);
    }
    return done({ ...s, pendingIn: s.pendingIn.set(key, true) }, [], [{
      type: "stanza",
      element: el,
    }]);
  }
  if (type === "result" || type === "error") {
    // spec: XEP0199-timeout
    if (s.ping?.awaiting && id === s.ping.awaiting.id && pongFromPeer(from, ctx)) {
      const interval = ctx.config.pingIntervalMs ?? 0;
      const nextAt = ctx.now + interval;
      return done({ ...s, ping: { nextAt } }, [], [{
        type: "set-timer",
        name: "ping",
        at: nextAt,
      }]);
    }
    // spec: RFC6120-8.1.3
    if (id === undefined) {
      return done(s, [], [
        errorOutput(XmppError["invalid-stanza"], `iq ${type} without id dropped`),
      ]);
    }
    if (ctx.role === "receiver") return done(s, [], [{ type: "stanza", element: el }]);
    // spec: RFC6120-8.2.3 PD-75
    const requestTo = s.pendingOut.get(id);
    if (requestTo === undefined) {
      return done(s, [], [
        errorOutput(XmppError["iq-unknown-id"], `iq ${type} matches no request`),
      ]);
    }
    if (!responderMatches(requestTo, from, s.jid, ctx.domain)) {
      return done(s, [], [
        errorOutput(XmppError["iq-wrong-responder"], "iq response from another address"),
      ]);
    }
    return done({ ...s, pendingOut: s.pendingOut.delete(id) }, [], [{
      type: "stanza",
      element: el,
    }]);
  }
  // spec: RFC6120-8.2.3
  return done(s, [], [errorOutput(XmppError["invalid-stanza"], "iq with an invalid type dropped")]);
}

const pongFromPeer = (from: string, ctx: SessionCtx): boolean =>
  ctx.role === "receiver" || from === "" || sameJid(from, ctx.domain);

// spec: RFC6120-10.3.3 PD-75
/**
 * A response must come from where the request went. A request without `to`
 * (or to our own bare JID or our server) is answered by the server on the
 * account's behalf: from nothing, our bare JID, or the domain.
 */
export function responderMatches(
  requestTo: string,
  from: string,
  ownJid: string,
  domain: string,
): boolean {
  const own = (a: string) => a === "" || sameJid(a, ownJid.split("/")[0]) || sameJid(a, domain);
  if (own(requestTo)) return own(from);
  return from !== "" && sameJid(from, requestTo);
}

type IqOut = { ok: true; session: SessionState } | { ok: false; error: StreamOutput };

export function iqOutbound(s: SessionState, iq: Xel, ctx: SessionCtx): IqOut {
  const bad = (code: typeof XmppError[keyof typeof XmppError], detail: string): IqOut => ({
    ok: false,
    error: errorOutput(code, detail),
  });
  const { type, id } = iq.attrs;
  // spec: RFC6120-8.1.3
  if (id === undefined || id === "") return bad(XmppError["invalid-stanza"], "iq without id");
  if (type === "get" || type === "set") {
    // spec: RFC6120-8.2.3
    if (childElements(iq).length !== 1) {
      return bad(XmppError["invalid-stanza"], "iq request needs one child");
    }
    // spec: PD-75
    if (s.pendingOut.has(id)) {
      return bad(XmppError["iq-duplicate-id"], "iq id already in flight");
    }
    if (s.pendingOut.size >= ctx.config.maxPendingIq) {
      return bad(XmppError["iq-limit"], `${ctx.config.maxPendingIq} requests in flight`);
    }
    return {
      ok: true,
      session: { ...s, pendingOut: s.pendingOut.set(id, iq.attrs.to ?? "") },
    };
  }
  if (type === "result" || type === "error") {
    // spec: RFC6120-8.2.3 PD-75
    const key = `${iq.attrs.to ?? ""}\n${id}`;
    if (!s.pendingIn.has(key)) {
      return bad(XmppError["iq-unknown-id"], "iq response to no request in flight");
    }
    return { ok: true, session: { ...s, pendingIn: s.pendingIn.delete(key) } };
  }
  return bad(XmppError["invalid-stanza"], "iq type must be get, set, result or error");
}
