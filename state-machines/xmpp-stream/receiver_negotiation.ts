/**
 * The receiver's reactions to XML from the client: the initial header and
 * our features, STARTTLS, SASL, resource binding and XEP-0198 resumption,
 * then the bound session with `from` stamping. Which phase each reaction
 * leads to is declared in receiver.ts's transition table.
 *
 * @module
 */
import { clone, Element } from "ltx";
import { toBase64, toHex } from "../../core/bytes.ts";
import { errorOutput } from "../../core/machine.ts";
import type { XmlEvent } from "../../core/xml.ts";
import { bareOf, canonicalJid, isUsableJid, sameJid } from "./addresses.ts";
import { checkHeader, conditionForXmlError, peerStreamError } from "./common.ts";
import { XmppError } from "./errors.ts";
import {
  bindResultXml,
  bytesOf,
  childEl,
  childElements,
  featuresXml,
  isEl,
  localOf,
  nonza,
  NS,
  nsOf,
  saslPayload,
  saslXml,
  stanzaError,
  STREAM_CLOSE,
  type Xel,
} from "./messages.ts";
import {
  applyReceiverSession,
  RECEIVER_DEFAULTS,
  receiverHeader,
  receiverSessionCtx,
  type ReceiverState,
  type ReceiverStep,
  refuseReceiver,
} from "./receiver_state.ts";
import { refuseByPolicy } from "./policy.ts";
import { xmppFailureCondition } from "./sasl/mod.ts";
import { decodePayload } from "./sasl_client.ts";
import {
  receiverMechanisms,
  type SaslServerContext,
  type SaslServerResult,
  saslServerStart,
  saslServerStep,
} from "./sasl_server.ts";
import { newSession, sessionCountInbound, sessionInbound, sessionSend } from "./session.ts";
import {
  ackRequestXml,
  handledCountTooHigh,
  parseH,
  resumedXml,
  smApplyAck,
  smFailedXml,
  type SmState,
} from "./sm.ts";
import type { StreamOutput } from "./types.ts";

type S = ReceiverState;
const send = (text: string): StreamOutput => ({ type: "send-bytes", data: bytesOf(text) });

// spec: PD-74
const unexpected = (s: S, detail: string): ReceiverStep =>
  refuseReceiver(s, { code: XmppError["unexpected-element"], condition: "bad-format", detail });

// spec: RFC6120-4.9.3.12 PD-74
const beforeBind = (s: S, el: Xel): ReceiverStep =>
  refuseReceiver(s, {
    code: XmppError["stanza-before-bind"],
    condition: "not-authorized",
    detail: `${localOf(el.name)} before resource binding`,
  });

const isStanza = (el: Xel, s: S): boolean =>
  nsOf(el, s.decls) === NS.client && ["message", "presence", "iq"].includes(localOf(el.name));

export function onReceiverXml(s: S, ev: XmlEvent): ReceiverStep {
  if (ev.type === "error") {
    // spec: RFC6120-11.1 RFC6120-4.9.3.13
    return refuseReceiver(s, {
      code: ev.error.code,
      condition: conditionForXmlError(ev.error.code),
      detail: ev.error.detail ?? "",
    });
  }
  if (ev.type === "stream-close") return peerClosed(s);
  if (ev.type === "stream-open") {
    if (s.phase !== "awaiting-stream") return unexpected(s, "a second stream header");
    return onHeader(s, ev.name, ev.attrs);
  }
  const el = ev.element as Xel;
  if (s.phase === "awaiting-stream") return unexpected(s, "an element before the stream header");
  // spec: RFC6120-4.9.1.1
  if (isEl(el, NS.stream, "error", s.decls)) return peerStreamError(s, el, s.stage !== "plain");
  switch (s.phase) {
    case "awaiting-starttls":
      // spec: RFC6120-5.4.2.3
      if (isEl(el, NS.tls, "starttls", s.decls)) {
        return {
          state: { ...s, phase: "tls-handshake" },
          out: [send(nonza("proceed", NS.tls)), { type: "new-stream" }, { type: "start-tls" }],
        };
      }
      // spec: RFC6120-5.3.1 PD-74
      return refuseReceiver(s, {
        code: XmppError["starttls-required"],
        condition: "policy-violation",
        detail: `${localOf(el.name)} before STARTTLS`,
      });
    case "tls-handshake":
      // spec: RFC6120-5.4.3.3 PD-76
      return refuseReceiver(s, {
        code: XmppError["data-after-restart"],
        condition: "policy-violation",
        detail: "data after <starttls/> before TLS",
      });
    case "awaiting-auth":
      if (isEl(el, NS.sasl, "auth", s.decls)) return onAuth(s, el);
      return isStanza(el, s)
        ? beforeBind(s, el)
        : unexpected(s, `${localOf(el.name)} instead of <auth/>`);
    case "authenticating":
      return onSaslResponse(s, el);
    case "awaiting-bind":
      return onAwaitingBind(s, el);
    case "bound":
    case "closing":
      return onBound(s, el);
  }
  return unexpected(s, `element in phase ${s.phase}`);
}

// spec: RFC6120-4.4
function peerClosed(s: S): ReceiverStep {
  if (s.phase === "closing") {
    return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: true }] };
  }
  if (s.phase === "bound") {
    return {
      state: { ...s, phase: "closed" },
      out: [send(STREAM_CLOSE), { type: "closed", clean: true }],
    };
  }
  return {
    state: { ...s, phase: "failed" },
    out: [
      send((s.headerSent ? "" : receiverHeader(s)) + STREAM_CLOSE),
      errorOutput(XmppError["stream-closed"], `client closed the stream in phase ${s.phase}`),
      { type: "closed", clean: false },
    ],
  };
}

function onHeader(s0: S, name: string, attrs: Readonly<Record<string, string>>): ReceiverStep {
  // spec: RFC6120-4.7.3 PD-79
  const s: S = {
    ...s0,
    streamId: toHex(s0.config.entropy.bytes(16)),
    clientFrom: typeof attrs.from === "string" && isUsableJid(attrs.from) ? attrs.from : undefined,
  };
  const h = checkHeader(name, attrs);
  if (!h.ok) return refuseReceiver(s, h.refusal);
  // spec: RFC6120-4.7.2 RFC6120-4.9.1.3 RFC6120-4.9.3.6
  if (h.info.to === undefined || !sameJid(h.info.to, s.config.domain)) {
    return refuseReceiver(s, {
      code: XmppError["host-unknown"],
      condition: "host-unknown",
      detail: h.info.to === undefined
        ? "no 'to' in the stream header"
        : "'to' is not a domain served here",
    });
  }
  const c = s.config;
  const next: S = { ...s, decls: h.info.decls, headerSent: true };
  // spec: RFC6120-4.3.2 RFC6120-5.3.1 RFC6120-6.3.4 RFC6120-7.4
  if (s.stage === "plain" && !c.noTlsForTest) {
    return {
      state: { ...next, phase: "awaiting-starttls" },
      out: [
        send(
          receiverHeader(s) + featuresXml({ starttls: { required: true }, bind: false, sm: false }),
        ),
      ],
    };
  }
  if (s.stage !== "authenticated") {
    const tls = s.stage === "tls";
    const offered = receiverMechanisms(
      tls,
      c.scramHashes ?? ["SHA-256", "SHA-1"],
      s.tls?.channelBinding,
      s.tls?.peerIdentities ?? [],
      c.plainEnabled ?? false,
      // spec: PD-241 RFC7628-5
      c.oauthBearer !== undefined && !(c.requireChannelBinding ?? false),
    );
    return {
      state: { ...next, phase: "awaiting-auth", offered },
      out: [send(receiverHeader(s) + featuresXml({ mechanisms: offered, bind: false, sm: false }))],
    };
  }
  // spec: RFC6120-7.4 XEP0198-2
  const features = featuresXml({ bind: true, sm: c.streamManagement !== undefined });
  return { state: { ...next, phase: "awaiting-bind" }, out: [send(receiverHeader(s) + features)] };
}

function saslCtx(s: S): SaslServerContext {
  const c = s.config;
  return {
    domain: c.domain,
    users: c.users,
    tls: s.stage !== "plain",
    channelBinding: s.tls?.channelBinding,
    peerIdentities: s.tls?.peerIdentities ?? [],
    offered: s.offered,
    requireChannelBinding: c.requireChannelBinding ?? false,
    entropy: c.entropy,
    decoyKey: s.decoyKey,
    decoyIterations: c.decoyIterations ?? RECEIVER_DEFAULTS.decoyIterations,
    ...(c.oauthBearer ? { oauthBearer: c.oauthBearer } : {}),
    now: s.now,
  };
}

function onAuth(s: S, el: Xel): ReceiverStep {
  const data = decodePayload(saslPayload(el));
  // spec: RFC6120-6.4.2 RFC6120-6.5
  if (!data.ok) {
    return saslOutcome(s, { kind: "failure", code: data.error.code, detail: data.error.detail });
  }
  return saslOutcome(s, saslServerStart(el.attrs.mechanism ?? "", data.value, saslCtx(s)));
}

function onSaslResponse(s: S, el: Xel): ReceiverStep {
  if (isEl(el, NS.sasl, "abort", s.decls)) {
    // spec: RFC6120-6.4.4
    return saslOutcome(s, {
      kind: "failure",
      code: XmppError["sasl-failed"],
      detail: "client aborted",
    }, "aborted");
  }
  if (!isEl(el, NS.sasl, "response", s.decls) || !s.sasl) {
    return isStanza(el, s) ? beforeBind(s, el) : unexpected(s, `${localOf(el.name)} during SASL`);
  }
  const data = decodePayload(saslPayload(el));
  if (!data.ok) {
    return saslOutcome(s, { kind: "failure", code: data.error.code, detail: data.error.detail });
  }
  return saslOutcome(s, saslServerStep(s.sasl, data.value ?? new Uint8Array(0), saslCtx(s)));
}

function saslOutcome(s: S, r: SaslServerResult, condition?: string): ReceiverStep {
  if (r.kind === "challenge") {
    // spec: RFC6120-6.4.3
    return {
      state: { ...s, phase: "authenticating", sasl: r.progress },
      out: [send(saslXml("challenge", toBase64(r.data)))],
    };
  }
  if (r.kind === "success") {
    // spec: RFC6120-6.4.6 RFC6120-6.3.10 RFC6120-4.3.3
    const success = saslXml("success", r.data ? toBase64(r.data) : undefined);
    return {
      state: {
        ...s,
        phase: "awaiting-stream",
        stage: "authenticated",
        sasl: undefined,
        authenticated: r.jid,
        headerSent: false,
        decls: {},
      },
      out: [send(success), { type: "new-stream" }],
    };
  }
  // spec: RFC6120-6.4.5 RFC6120-6.5
  const attempts = s.authAttempts + 1;
  const failure = new Element("failure", { xmlns: NS.sasl });
  failure.c(condition ?? r.condition ?? xmppFailureCondition(r.code));
  const out: StreamOutput[] = [send(failure.toString()), errorOutput(r.code, r.detail)];
  const max = s.config.maxAuthAttempts ?? RECEIVER_DEFAULTS.maxAuthAttempts;
  const next: S = { ...s, phase: "awaiting-auth", sasl: undefined, authAttempts: attempts };
  // spec: RFC6120-6.4.5 PD-79
  if (attempts >= max) {
    return refuseReceiver(next, {
      code: XmppError["sasl-retries-exceeded"],
      condition: "policy-violation",
      detail: `${attempts} failed SASL attempts`,
    }, out);
  }
  return { state: next, out };
}

function onAwaitingBind(s: S, el: Xel): ReceiverStep {
  if (nsOf(el, s.decls) === NS.sm && localOf(el.name) === "resume") return onResume(s, el);
  if (nsOf(el, s.decls) === NS.sm && localOf(el.name) === "enable") {
    // spec: XEP0198-3.before-bind
    return {
      state: s,
      out: [
        send(smFailedXml("unexpected-request")),
        errorOutput(XmppError["sm-unexpected"], "enable before bind"),
      ],
    };
  }
  const bind =
    isEl(el, NS.client, "iq", s.decls) && el.attrs.type === "set" && el.attrs.id !== undefined &&
      childElements(el).length === 1
      ? childEl(el, NS.bind, "bind", s.decls)
      : undefined;
  if (!bind) {
    return isStanza(el, s)
      ? beforeBind(s, el)
      : unexpected(s, `${localOf(el.name)} instead of bind`);
  }
  const asked = childEl(bind, NS.bind, "resource", s.decls)?.getText();
  // spec: RFC6120-7.5 RFC6120-7.6.1 RFC6120-7.7.1
  const resource = asked !== undefined && asked !== "" ? asked : toHex(s.config.entropy.bytes(8));
  const jid = canonicalJid(`${s.authenticated}/${resource}`);
  if (!jid) {
    // spec: RFC6120-7.7.2.1
    return {
      state: s,
      out: [
        send(stanzaError(el, "modify", "bad-request").toString()),
        errorOutput(XmppError["bind-failed"], "the requested resource is not a valid resourcepart"),
      ],
    };
  }
  return established(s, jid, undefined, [send(bindResultXml(el.attrs.id!, jid))]);
}

function established(
  s: S,
  jid: string,
  sm: SmState | undefined,
  before: StreamOutput[],
): ReceiverStep {
  const ctx = receiverSessionCtx(s);
  let session = newSession(jid, s.idPrefix, s.nextId, ctx);
  if (sm) session = { ...session, sm };
  const out: StreamOutput[] = [
    ...before,
    { type: "clear-timer", name: "negotiation" },
    { type: "established", jid, resumed: sm !== undefined },
  ];
  if (session.ping) out.push({ type: "set-timer", name: "ping", at: session.ping.nextAt });
  return { state: { ...s, phase: "bound", session, deadline: undefined }, out };
}

// spec: XEP0198-5.resume
function onResume(s: S, el: Xel): ReceiverStep {
  const previd = el.attrs.previd ?? "";
  const token = s.config.streamManagement ? s.config.resumable?.[previd] : undefined;
  const h = parseH(el.attrs.h);
  if (h === undefined) {
    return refuseReceiver(s, {
      code: XmppError["sm-unexpected"],
      condition: "bad-format",
      detail: "resume without a valid h",
    });
  }
  // spec: XEP0198-5.failed PD-77
  if (!token || !s.authenticated || !sameJid(bareOf(token.jid), s.authenticated)) {
    return {
      state: s,
      out: [
        send(smFailedXml("item-not-found")),
        errorOutput(XmppError["sm-resume-failed"], "unknown or foreign session"),
      ],
    };
  }
  const previous: SmState = {
    status: "enabled",
    resumable: true,
    id: previd,
    inbound: token.inbound,
    outbound: token.outbound,
    acked: token.acked,
    unacked: token.unacked,
    sinceRequest: 0,
  };
  const r = smApplyAck(previous, h);
  // spec: XEP0198-4.too-high
  if (!r.ok) {
    return refuseReceiver(s, {
      code: XmppError["sm-handled-count-too-high"],
      condition: "undefined-condition",
      detail: `h=${h} but ${r.sendCount} sent`,
      appCondition: handledCountTooHigh(h, r.sendCount),
    });
  }
  // spec: XEP0198-5.resend
  const resend = r.state.unacked.map((x) => x.toString()).join("");
  const text = resumedXml(previd, token.inbound) + (resend ? resend + ackRequestXml() : "");
  return established(s, token.jid, r.state, [send(text)]);
}

const SUBSCRIPTION_TYPES = new Set(["subscribe", "subscribed", "unsubscribe", "unsubscribed"]);

function onBound(s: S, el: Xel): ReceiverStep {
  const session = s.session;
  if (!session) return unexpected(s, "no session");
  if (!isStanza(el, s)) {
    const enable = nsOf(el, s.decls) === NS.sm && localOf(el.name) === "enable";
    const sm = s.config.streamManagement;
    // spec: XEP0198-3.enable PD-79
    const smOffer = enable && sm
      ? { resumptionId: sm.resume ? toHex(s.config.entropy.bytes(16)) : undefined, max: sm.max }
      : undefined;
    return applyReceiverSession(s, sessionInbound(session, el, receiverSessionCtx(s, smOffer)));
  }
  const from = el.attrs.from;
  const bare = bareOf(session.jid);
  // spec: RFC6120-8.1.2.1 RFC6120-4.9.3.9 PD-72
  if (from !== undefined && !sameJid(from, session.jid) && !sameJid(from, bare)) {
    return refuseReceiver(s, {
      code: XmppError["invalid-from"],
      condition: "invalid-from",
      detail: "stanza 'from' is not the client's own address",
    });
  }
  const to = el.attrs.to;
  // spec: RFC6120-8.3.3.8
  if (to !== undefined && !isUsableJid(to)) {
    const reply = stanzaError(el, "modify", "jid-malformed", s.config.domain);
    reply.attrs.to = session.jid;
    return applyReceiverSession(
      s,
      sessionSend(sessionCountInbound(session), reply, receiverSessionCtx(s)),
      [
        errorOutput(XmppError["invalid-stanza"], "stanza 'to' is not a valid JID"),
      ],
    );
  }
  // spec: RFC6120-8.1.2.1
  const stamped = clone(el) as Xel;
  const subscription = localOf(el.name) === "presence" &&
    SUBSCRIPTION_TYPES.has(el.attrs.type ?? "");
  stamped.attrs.from = subscription ? bare : session.jid;
  // spec: DL-ACL-7 PD-211
  const policy = s.config.stanzaPolicy;
  const refused = policy && refuseByPolicy(s, session, stamped, policy);
  if (refused) return refused;
  return applyReceiverSession(s, sessionInbound(session, stamped, receiverSessionCtx(s)));
}
