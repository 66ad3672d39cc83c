/**
 * The established session, after resource binding: what both roles do with
 * first-level elements once stanzas may flow. It counts and acknowledges
 * stanzas for XEP-0198, answers and sends XEP-0199 pings, and — for the
 * initiator — correlates iq requests and responses by id (RFC 6120 §8.2.3).
 *
 * These are pure functions from a session state to the next one plus the
 * XML to send, the outputs for the application, and at most one fatal
 * refusal that the machine turns into a stream error. Types live in
 * session_types.ts, iq handling in session_iq.ts.
 *
 * @module
 */
import { Element } from "ltx";
import { errorOutput } from "../../core/machine.ts";
import { PersistentMap } from "../../core/persistent_map.ts";
import { domainOf } from "./addresses.ts";
import { XmppError } from "./errors.ts";
import { localOf, NS, nsOf, type Xel } from "./messages.ts";
import { iqInbound, iqOutbound } from "./session_iq.ts";
import {
  done,
  type Draft,
  fatal,
  type SessionCtx,
  type SessionState,
  type SessionStep,
} from "./session_types.ts";
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
  xsTrue,
} from "./sm.ts";

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
    pendingOut: PersistentMap.empty(),
    pendingIn: PersistentMap.empty(),
    idPrefix,
    nextId,
    ping: interval === undefined ? undefined : { nextAt: ctx.now + interval },
  };
}

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

export type {
  PingState,
  SessionConfig,
  SessionCtx,
  SessionState,
  SessionStep,
} from "./session_types.ts";
export { responderMatches } from "./session_iq.ts";
