/**
 * The established session, after resource binding: what both roles do with
 * first-level elements once stanzas may flow. It counts and acknowledges
 * stanzas for XEP-0198, answers and sends XEP-0199 pings, and — for the
 * initiator — correlates iq requests and responses by id (RFC 6120 §8.2.3).
 *
 * These are pure functions from a session state to the next one plus the
 * XML to send, the outputs for the application, and at most one fatal
 * refusal that the machine turns into a stream error.
 *
 * @module
 */
import { Element } from "ltx";
import { errorOutput } from "../../core/machine.ts";
import { domainOf, sameJid } from "./addresses.ts";
import type { Refusal } from "./common.ts";
import { XmppError } from "./errors.ts";
import {
  childElements,
  isEl,
  localOf,
  NS,
  nsOf,
  stanzaError,
  type StreamDecls,
  type Xel,
} from "./messages.ts";
import {
  ackRequestXml,
  ackXml,
  enabledXml,
  handledCountTooHigh,
  parseH,
  smApplyAck,
  smRecordHandled,
  smRecordSent,
  smStart,
  type SmState,
  xsTrue,
} from "./sm.ts";
import type { StreamOutput } from "./types.ts";

export interface SessionConfig {
  /** Send a ping after this long without inbound traffic (XEP-0199); none when absent. */
  readonly pingIntervalMs?: number;
  /** How long a ping may stay unanswered. */
  readonly pingTimeoutMs: number;
  /** Most iq requests in flight (initiator). */
  readonly maxPendingIq: number;
  /** Request an acknowledgement after this many stanzas (XEP-0198). */
  readonly ackEvery: number;
  /** Most unacknowledged stanzas kept for resending. */
  readonly maxUnacked: number;
}

export interface PingState {
  /** When to ping next if nothing arrives before. */
  readonly nextAt: number;
  readonly awaiting?: { readonly id: string; readonly deadline: number };
}

export interface SessionState {
  /** The bound full JID: ours (initiator) or the client's (receiver). */
  readonly jid: string;
  readonly sm?: SmState;
  readonly ping?: PingState;
  /** Initiator: iq get/set sent and not answered, id → `to` ("" for none). */
  readonly pendingOut: Readonly<Record<string, string>>;
  /** Initiator: iq get/set received and not answered, keyed `from` + "\n" + id. */
  readonly pendingIn: Readonly<Record<string, true>>;
  readonly idPrefix: string;
  readonly nextId: number;
}

export interface SessionCtx {
  readonly role: "initiator" | "receiver";
  readonly now: number;
  readonly decls: StreamDecls;
  /** The server's domain. */
  readonly domain: string;
  readonly config: SessionConfig;
  /** Receiver: XEP-0198 offered, and a fresh resumption id when resumption is offered. */
  readonly smOffer?: { readonly resumptionId?: string; readonly max?: number };
}

export interface SessionStep {
  readonly session: SessionState;
  /** Serialised XML to write, in order. */
  readonly send: readonly string[];
  readonly out: readonly StreamOutput[];
  readonly fatal?: Refusal;
}

/** Something to send: a stanza (an element, counted by XEP-0198) or other XML (a string, not counted). */
type Outgoing = Xel | string;

interface Draft {
  readonly session: SessionState;
  readonly send: readonly Outgoing[];
  readonly out: readonly StreamOutput[];
  readonly fatal?: Refusal;
}

/**
 * Serialises a draft. Every stanza we send — the application's and our own
 * (pongs, pings, error replies) — is counted and queued when stream
 * management is on, or the peer's `h` would run ahead of our count.
 */
function finish(d: Draft, ctx: SessionCtx): SessionStep {
  let s = d.session;
  const texts: string[] = [];
  for (const item of d.send) {
    if (typeof item === "string") {
      texts.push(item);
      continue;
    }
    texts.push(item.toString());
    if (!s.sm) continue;
    // spec: XEP0198-4.count
    let sm = smRecordSent(s.sm, item);
    // spec: XEP0198-4.r
    if (sm.sinceRequest >= ctx.config.ackEvery) {
      texts.push(ackRequestXml());
      sm = { ...sm, sinceRequest: 0 };
    }
    s = { ...s, sm };
  }
  return { session: s, send: texts, out: d.out, fatal: d.fatal };
}

export function newSession(
  jid: string,
  idPrefix: string,
  nextId: number,
  ctx: SessionCtx,
): SessionState {
  const interval = ctx.config.pingIntervalMs;
  return {
    jid,
    pendingOut: {},
    pendingIn: {},
    idPrefix,
    nextId,
    ping: interval === undefined ? undefined : { nextAt: ctx.now + interval },
  };
}

const done = (session: SessionState, send: Outgoing[] = [], out: StreamOutput[] = []): Draft => ({
  session,
  send,
  out,
});
const fatal = (session: SessionState, refusal: Refusal): Draft => ({
  session,
  send: [],
  out: [],
  fatal: refusal,
});

const without = <T>(rec: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const copy = { ...rec };
  delete copy[key];
  return copy;
};

/** Counts a stanza from the peer that is answered without reaching the session logic. */
export const sessionCountInbound = (s: SessionState): SessionState =>
  // spec: XEP0198-4.count
  s.sm?.status === "enabled" ? { ...s, sm: smRecordHandled(s.sm) } : s;

/** A first-level element from the peer while bound. */
export const sessionInbound = (s: SessionState, el: Xel, ctx: SessionCtx): SessionStep =>
  finish(inbound(s, el, ctx), ctx);

function inbound(s: SessionState, el: Xel, ctx: SessionCtx): Draft {
  const ns = nsOf(el, ctx.decls);
  const local = localOf(el.name);
  if (ns === NS.sm) return smInbound(s, el, local, ctx);
  if (ns !== NS.client || (local !== "message" && local !== "presence" && local !== "iq")) {
    // spec: RFC6120-4.9.3.24
    return fatal(s, {
      code: XmppError["unexpected-element"],
      condition: "unsupported-stanza-type",
      detail: `first-level element ${local.slice(0, 40)}`,
    });
  }
  // spec: XEP0198-4.count
  let next: SessionState = s.sm?.status === "enabled" ? { ...s, sm: smRecordHandled(s.sm) } : s;
  // spec: XEP0199-liveness
  if (next.ping && !next.ping.awaiting && ctx.config.pingIntervalMs !== undefined) {
    next = { ...next, ping: { nextAt: ctx.now + ctx.config.pingIntervalMs } };
  }
  // spec: RFC6120-8.2
  if (local !== "iq") return done(next, [], [{ type: "stanza", element: el }]);
  return iqInbound(next, el, ctx);
}

function iqInbound(s: SessionState, el: Xel, ctx: SessionCtx): Draft {
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
    if (s.pendingIn[key]) {
      return done(s, [], [
        errorOutput(XmppError["iq-duplicate-id"], "iq request id already in flight"),
      ]);
    }
    return done({ ...s, pendingIn: { ...s.pendingIn, [key]: true } }, [], [{
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
    if (s.pendingOut[id] === undefined) {
      return done(s, [], [
        errorOutput(XmppError["iq-unknown-id"], `iq ${type} matches no request`),
      ]);
    }
    if (!responderMatches(s.pendingOut[id], from, s.jid, ctx.domain)) {
      return done(s, [], [
        errorOutput(XmppError["iq-wrong-responder"], "iq response from another address"),
      ]);
    }
    return done({ ...s, pendingOut: without(s.pendingOut, id) }, [], [{
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

function smInbound(s: SessionState, el: Xel, local: string, ctx: SessionCtx): Draft {
  const sm = s.sm;
  const unexpected = (detail: string): Draft =>
    fatal(s, { code: XmppError["sm-unexpected"], condition: "unsupported-stanza-type", detail });
  if (local === "r") {
    // spec: XEP0198-4.r
    if (sm?.status !== "enabled") return unexpected("<r/> without stream management");
    return done(s, [ackXml(sm.inbound)]);
  }
  if (local === "a") {
    if (!sm) return unexpected("<a/> without stream management");
    const h = parseH(el.attrs.h);
    // spec: XEP0198-4.h
    if (h === undefined) {
      return fatal(s, {
        code: XmppError["sm-unexpected"],
        condition: "bad-format",
        detail: "<a/> without a valid h",
      });
    }
    const r = smApplyAck(sm, h);
    // spec: XEP0198-4.too-high
    if (!r.ok) {
      return fatal(s, {
        code: XmppError["sm-handled-count-too-high"],
        condition: "undefined-condition",
        detail: `h=${h} but ${r.sendCount} sent`,
        appCondition: handledCountTooHigh(h, r.sendCount),
      });
    }
    return done({ ...s, sm: r.state });
  }
  if (
    ctx.role === "initiator" && sm?.status === "enabling" &&
    (local === "enabled" || local === "failed")
  ) {
    if (local === "failed") {
      // spec: XEP0198-3.failed
      return done({ ...s, sm: undefined }, [], [
        errorOutput(XmppError["sm-enable-failed"], "server refused stream management"),
      ]);
    }
    // spec: XEP0198-3.enabled XEP0198-4.count
    const resumable = sm.resumable && xsTrue(el.attrs.resume) && el.attrs.id !== undefined;
    const max = el.attrs.max !== undefined && /^[0-9]{1,9}$/.test(el.attrs.max)
      ? Number(el.attrs.max)
      : undefined;
    return done({
      ...s,
      sm: {
        ...sm,
        status: "enabled",
        resumable,
        id: el.attrs.id,
        max,
        location: el.attrs.location,
        inbound: 0,
      },
    });
  }
  if (ctx.role === "receiver" && local === "enable" && !sm && ctx.smOffer) {
    // spec: XEP0198-3.enabled XEP0198-4.count
    const resumable = xsTrue(el.attrs.resume) && ctx.smOffer.resumptionId !== undefined;
    const id = resumable ? ctx.smOffer.resumptionId : undefined;
    const state = { ...smStart("enabled", resumable), id };
    return done({ ...s, sm: state }, [
      enabledXml(id, resumable, resumable ? ctx.smOffer.max : undefined),
    ]);
  }
  return unexpected(`<${local.slice(0, 20)}/> in this stream management state`);
}

/** A stanza the application (initiator) or router (receiver) wants sent. */
export const sessionSend = (s: SessionState, stanza: Xel, ctx: SessionCtx): SessionStep =>
  finish(outbound(s, stanza, ctx), ctx);

function outbound(s: SessionState, stanza: Xel, ctx: SessionCtx): Draft {
  const local = localOf(stanza.name);
  const xmlns = stanza.attrs.xmlns;
  if (
    (local !== "message" && local !== "presence" && local !== "iq") || stanza.name.includes(":") ||
    (xmlns !== undefined && xmlns !== NS.client)
  ) {
    return done(s, [], [errorOutput(XmppError["invalid-stanza"], "not a jabber:client stanza")]);
  }
  let next = s;
  if (ctx.role === "initiator" && local === "iq") {
    const r = iqOutbound(s, stanza, ctx);
    if (!r.ok) return done(s, [], [r.error]);
    next = r.session;
  }
  // spec: XEP0198-5.queue
  if (next.sm && next.sm.unacked.length >= ctx.config.maxUnacked) {
    return done(s, [], [
      errorOutput(XmppError["sm-queue-full"], `${next.sm.unacked.length} unacknowledged`),
    ]);
  }
  return done(next, [stanza]);
}

type IqOut = { ok: true; session: SessionState } | { ok: false; error: StreamOutput };

function iqOutbound(s: SessionState, iq: Xel, ctx: SessionCtx): IqOut {
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
    if (s.pendingOut[id] !== undefined) {
      return bad(XmppError["iq-duplicate-id"], "iq id already in flight");
    }
    if (Object.keys(s.pendingOut).length >= ctx.config.maxPendingIq) {
      return bad(XmppError["iq-limit"], `${ctx.config.maxPendingIq} requests in flight`);
    }
    return {
      ok: true,
      session: { ...s, pendingOut: { ...s.pendingOut, [id]: iq.attrs.to ?? "" } },
    };
  }
  if (type === "result" || type === "error") {
    // spec: RFC6120-8.2.3 PD-75
    const key = `${iq.attrs.to ?? ""}\n${id}`;
    if (!s.pendingIn[key]) {
      return bad(XmppError["iq-unknown-id"], "iq response to no request in flight");
    }
    return { ok: true, session: { ...s, pendingIn: without(s.pendingIn, key) } };
  }
  return bad(XmppError["invalid-stanza"], "iq type must be get, set, result or error");
}

/** Time passes: ping when the peer has been quiet, give up when a ping goes unanswered. */
export const sessionTick = (s: SessionState, ctx: SessionCtx): SessionStep =>
  finish(tick(s, ctx), ctx);

function tick(s: SessionState, ctx: SessionCtx): Draft {
  const interval = ctx.config.pingIntervalMs;
  if (!s.ping || interval === undefined) return done(s);
  const { awaiting, nextAt } = s.ping;
  if (awaiting) {
    // spec: XEP0199-timeout RFC6120-4.6.1
    if (ctx.now >= awaiting.deadline) {
      return fatal(s, {
        code: XmppError["ping-timeout"],
        condition: "connection-timeout",
        detail: `no answer to ping within ${ctx.config.pingTimeoutMs} ms`,
      });
    }
    return done(s);
  }
  if (ctx.now < nextAt) return done(s, [], [{ type: "set-timer", name: "ping", at: nextAt }]);
  // spec: XEP0199-ping RFC6120-4.6.4
  const id = `${s.idPrefix}${s.nextId}`;
  const ping = new Element("iq", {
    type: "get",
    id,
    to: ctx.role === "initiator" ? domainOf(s.jid) : s.jid,
    from: ctx.role === "receiver" ? ctx.domain : undefined,
  });
  ping.c("ping", { xmlns: NS.ping });
  const deadline = ctx.now + ctx.config.pingTimeoutMs;
  return done(
    { ...s, nextId: s.nextId + 1, ping: { nextAt, awaiting: { id, deadline } } },
    [ping],
    [{ type: "set-timer", name: "ping", at: deadline }],
  );
}
