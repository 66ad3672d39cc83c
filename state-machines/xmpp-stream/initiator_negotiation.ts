/**
 * The initiator's reactions to XML from the server: the response header,
 * stream features, the STARTTLS answer, the SASL exchange, resource binding
 * and XEP-0198 resumption, then the bound session. Which phase each reaction
 * leads to is declared in initiator.ts's transition table.
 *
 * @module
 */
import { toBase64 } from "../../core/bytes.ts";
import { PersistentMap } from "../../core/persistent_map.ts";
import type { ErrorCode } from "../../core/errors.ts";
import type { XmlEvent } from "../../core/xml.ts";
import { errorOutput } from "../../core/machine.ts";
import { bareOf, canonicalJid, sameJid, splitJid } from "./addresses.ts";
import { checkHeader, conditionForXmlError, peerStreamError } from "./common.ts";
import { XmppError } from "./errors.ts";
import {
  applySession,
  initiatorHeader,
  type InitiatorState,
  type InitiatorStep,
  refuseInitiator,
  sessionCtx,
} from "./initiator_state.ts";
import {
  bindRequestXml,
  bytesOf,
  childEl,
  childElements,
  type Features,
  isEl,
  localOf,
  nonza,
  NS,
  nsOf,
  parseFeatures,
  saslPayload,
  saslXml,
  STREAM_CLOSE,
  type Xel,
} from "./messages.ts";
import {
  conditionForSaslRefusal,
  decodePayload,
  saslClientChallenge,
  saslClientStart,
  saslClientSuccess,
  saslFailureOutcome,
} from "./sasl_client.ts";
import { newSession, sessionInbound, type SessionState } from "./session.ts";
import {
  ackRequestXml,
  enableXml,
  handledCountTooHigh,
  parseH,
  smApplyAck,
  smStart,
  type SmState,
} from "./sm.ts";
import type { StreamOutput } from "./types.ts";

type S = InitiatorState;

const send = (text: string): StreamOutput => ({ type: "send-bytes", data: bytesOf(text) });

// spec: PD-71
/** An element that has no place in this phase of negotiation. */
const unexpected = (s: S, detail: string): InitiatorStep =>
  refuseInitiator(s, { code: XmppError["unexpected-element"], condition: "bad-format", detail });

/** Ends the stream without a stream error: the server did nothing wrong, we just cannot go on. */
function giveUp(s: S, code: ErrorCode, detail: string): InitiatorStep {
  return {
    state: { ...s, phase: "failed" },
    out: [send(STREAM_CLOSE), errorOutput(code, detail), { type: "closed", clean: false }],
  };
}

/** Everything the server's stream can deliver, by phase. */
export function onInitiatorXml(s: S, ev: XmlEvent): InitiatorStep {
  if (ev.type === "error") {
    // spec: RFC6120-11.1 RFC6120-4.9.3.13
    const code = ev.error.code;
    return refuseInitiator(s, {
      code,
      condition: conditionForXmlError(code),
      detail: ev.error.detail ?? "",
    });
  }
  if (ev.type === "stream-close") return peerClosed(s);
  if (ev.type === "stream-open") {
    if (s.phase !== "opening") return unexpected(s, "a second stream header");
    return onHeader(s, ev.name, ev.attrs);
  }
  const el = ev.element as Xel;
  if (s.phase === "opening") return unexpected(s, "an element before the stream header");
  // spec: RFC6120-4.9.1.1 RFC6120-4.9.2
  if (isEl(el, NS.stream, "error", s.decls)) return peerStreamError(s, el, s.stage !== "plain");
  switch (s.phase) {
    case "awaiting-features":
      // spec: RFC6120-4.3.2
      return isEl(el, NS.stream, "features", s.decls)
        ? onFeatures(s, el)
        : unexpected(s, `${localOf(el.name)} before features`);
    case "starttls-requested":
      return onStarttlsAnswer(s, el);
    case "tls-handshake":
      // spec: RFC6120-5.4.3.3 PD-76
      // Plaintext after <proceed/> would be processed as if protected: STARTTLS injection.
      return refuseInitiator(s, {
        code: XmppError["data-after-restart"],
        condition: "policy-violation",
        detail: "data after <proceed/> before TLS",
      });
    case "authenticating":
      return onSasl(s, el);
    case "resuming":
      return onResumeAnswer(s, el);
    case "binding":
      return onBindAnswer(s, el);
    case "bound":
    case "closing":
      return s.session
        ? applySession(s, sessionInbound(s.session, el, sessionCtx(s)))
        : unexpected(s, "no session");
  }
  return unexpected(s, `element in phase ${s.phase}`);
}

// spec: RFC6120-4.4
function peerClosed(s: S): InitiatorStep {
  if (s.phase === "closing") {
    return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: true }] };
  }
  if (s.phase === "bound") {
    return {
      state: { ...s, phase: "closed" },
      out: [send(STREAM_CLOSE), { type: "closed", clean: true }],
    };
  }
  return giveUp(s, XmppError["stream-closed"], `server closed the stream in phase ${s.phase}`);
}

function onHeader(s: S, name: string, attrs: Readonly<Record<string, string>>): InitiatorStep {
  const h = checkHeader(name, attrs);
  if (!h.ok) return refuseInitiator(s, h.refusal);
  // spec: RFC6120-4.7.3
  if (!h.info.id) {
    return refuseInitiator(s, {
      code: XmppError["invalid-stream-header"],
      condition: "bad-format",
      detail: "response header without id",
    });
  }
  // spec: RFC6120-4.7.1 RFC6120-4.9.3.9
  const domain = splitJid(s.config.jid).domain;
  if (h.info.from !== undefined && !sameJid(h.info.from, domain)) {
    return refuseInitiator(s, {
      code: XmppError["wrong-peer-domain"],
      condition: "invalid-from",
      detail: "response header from another domain",
    });
  }
  return {
    state: { ...s, phase: "awaiting-features", decls: h.info.decls, streamId: h.info.id },
    out: [],
  };
}

function onFeatures(s0: S, el: Xel): InitiatorStep {
  const f = parseFeatures(el, s0.decls);
  const s = { ...s0, features: f };
  if (s.stage === "plain") {
    // spec: RFC6120-5.3.1 RFC6120-5.4.2.1 PD-76 PAPER-R1 PAPER-R3 PAPER-R5 PAPER-M1
    if (f.starttls) {
      return {
        state: { ...s, phase: "starttls-requested" },
        out: [send(nonza("starttls", NS.tls))],
      };
    }
    if (!s.config.allowPlaintextForTest) {
      return refuseInitiator(s, {
        code: XmppError["starttls-required"],
        condition: "policy-violation",
        detail: "the server offers no STARTTLS",
      });
    }
    // spec-exception: RFC6120-5.3.1 labelled test switch allowPlaintextForTest (PD-76)
    return startSasl(s, f, false);
  }
  if (s.stage === "tls") {
    // spec: RFC6120-5.4.3.3 PD-76 XEP0368-3.no-starttls
    if (f.starttls) {
      return refuseInitiator(s, {
        code: XmppError["tls-downgrade"],
        condition: "policy-violation",
        detail: s.directTls
          ? "STARTTLS offered on a direct TLS connection"
          : "STARTTLS offered again after TLS",
      });
    }
    return startSasl(s, f, true);
  }
  // spec: XEP0198-5.resume
  if (s.resume && f.sm) {
    return {
      state: { ...s, phase: "resuming" },
      out: [send(nonza("resume", NS.sm, { previd: s.resume.id, h: String(s.resume.inbound) }))],
    };
  }
  // spec: RFC6120-7.3.1
  if (!f.bind) {
    return refuseInitiator(s, {
      code: XmppError["bind-unavailable"],
      condition: "unsupported-feature",
      detail: "no resource binding offered after SASL",
    });
  }
  return startBind(s, []);
}

function startSasl(s: S, f: Features, tls: boolean): InitiatorStep {
  // spec: RFC6120-6.3.1
  if (!f.mechanisms || f.mechanisms.length === 0) {
    return refuseInitiator(s, {
      code: XmppError["sasl-required"],
      condition: "policy-violation",
      detail: "no SASL mechanisms offered",
    });
  }
  const c = s.config;
  const r = saslClientStart(
    f.mechanisms,
    {
      username: splitJid(c.jid).local ?? "",
      password: c.password,
      authzid: c.authzid,
      preference: c.mechanisms,
      plainEnabled: c.plainEnabled,
      clientCertificate: c.clientCertificate,
      bearerToken: c.bearerToken,
      bareJid: c.jid,
      requireChannelBinding: c.requireChannelBinding,
      scramPolicy: c.scramPolicy,
    },
    tls,
    s.tls?.channelBinding,
    c.entropy,
  );
  // spec: RFC6120-6.3.3 PD-71
  if (!r.ok) {
    return refuseInitiator(s, {
      code: r.error.code,
      condition: "policy-violation",
      detail: r.error.detail,
    });
  }
  // spec: RFC6120-6.4.2
  const auth = saslXml("auth", toBase64(r.value.initial), { mechanism: r.value.mechanism });
  return {
    state: { ...s, phase: "authenticating", sasl: r.value.progress, mechanism: r.value.mechanism },
    out: [send(auth)],
  };
}

function onStarttlsAnswer(s: S, el: Xel): InitiatorStep {
  // spec: RFC6120-5.4.2.3
  if (isEl(el, NS.tls, "proceed", s.decls)) {
    return {
      state: { ...s, phase: "tls-handshake" },
      out: [{ type: "new-stream" }, { type: "start-tls" }],
    };
  }
  // spec: RFC6120-5.4.2.2
  if (isEl(el, NS.tls, "failure", s.decls)) {
    return giveUp(s, XmppError["tls-failed"], "server sent <failure/>");
  }
  return unexpected(s, `${localOf(el.name)} instead of <proceed/>`);
}

function onSasl(s: S, el: Xel): InitiatorStep {
  const p = s.sasl;
  if (!p || nsOf(el, s.decls) !== NS.sasl) return unexpected(s, `${localOf(el.name)} during SASL`);
  const local = localOf(el.name);
  if (local === "failure") {
    // spec: RFC6120-6.4.5 RFC6120-6.5
    const cond = childElements(el).find((c) =>
      nsOf(c, s.decls) === NS.sasl && localOf(c.name) !== "text"
    );
    const condition = cond ? localOf(cond.name) : undefined;
    const outcome = saslFailureOutcome(p, condition);
    return giveUp(s, outcome.code, outcome.detail);
  }
  if (local !== "challenge" && local !== "success") return unexpected(s, `${local} during SASL`);
  const data = decodePayload(saslPayload(el));
  if (!data.ok) {
    return refuseInitiator(s, {
      code: data.error.code,
      condition: "bad-format",
      detail: data.error.detail,
    });
  }
  if (local === "challenge") {
    const r = saslClientChallenge(p, data.value, s.config.scramPolicy);
    // spec: RFC6120-6.4.3 PD-71
    if (!r.ok) {
      return refuseInitiator(s, {
        code: r.error.code,
        condition: conditionForSaslRefusal(r.error.code),
        detail: r.error.detail,
      });
    }
    return {
      state: { ...s, sasl: r.value.progress },
      out: [send(saslXml("response", toBase64(r.value.response)))],
    };
  }
  const ok = saslClientSuccess(p, data.value);
  // spec: RFC6120-6.4.6 RFC5802-5.v PD-71
  if (!ok.ok) {
    return refuseInitiator(s, {
      code: ok.error.code,
      condition: conditionForSaslRefusal(ok.error.code),
      detail: ok.error.detail,
    });
  }
  // spec: RFC6120-6.4.6 RFC6120-4.3.3
  const next: S = {
    ...s,
    phase: "opening",
    stage: "authenticated",
    sasl: undefined,
    decls: {},
    headerSent: true,
  };
  return { state: next, out: [{ type: "new-stream" }, send(initiatorHeader(next))] };
}

// spec: RFC6120-7.6 RFC6120-7.7
function startBind(s: S, before: readonly StreamOutput[]): InitiatorStep {
  const id = `${s.idPrefix}${s.nextId}`;
  return {
    state: { ...s, phase: "binding", bindId: id, nextId: s.nextId + 1, resume: undefined },
    out: [...before, send(bindRequestXml(id, s.config.resource))],
  };
}

function onBindAnswer(s: S, el: Xel): InitiatorStep {
  // spec: RFC6120-7.1
  if (!isEl(el, NS.client, "iq", s.decls) || el.attrs.id !== s.bindId) {
    return unexpected(s, `${localOf(el.name)} while waiting for the bind result`);
  }
  if (el.attrs.type === "error") {
    // spec: RFC6120-7.6.2 RFC6120-7.7.2 RFC6120-7.7.2.2
    const err = childEl(el, NS.client, "error", s.decls);
    const cond = err ? childElements(err).find((c) => nsOf(c, s.decls) === NS.stanzas) : undefined;
    return giveUp(
      s,
      XmppError["bind-failed"],
      `bind refused: ${cond ? localOf(cond.name) : "no condition"}`,
    );
  }
  const bind = el.attrs.type === "result" ? childEl(el, NS.bind, "bind", s.decls) : undefined;
  const jidText = bind ? childEl(bind, NS.bind, "jid", s.decls)?.getText().trim() : undefined;
  if (!jidText) {
    return refuseInitiator(s, {
      code: XmppError["bind-failed"],
      condition: "bad-format",
      detail: "bind result without jid",
    });
  }
  // spec: RFC6120-7.6.1 RFC6120-4.3.6
  const jid = canonicalJid(jidText);
  if (!jid || splitJid(jid).resource === undefined || !sameJid(bareOf(jid), bareOf(s.config.jid))) {
    return refuseInitiator(s, {
      code: XmppError["bind-wrong-jid"],
      condition: "policy-violation",
      detail: "the bound JID is not a full JID of our account",
    });
  }
  return established(s, jid);
}

/** The session a resumption continues: its counters and its iq bookkeeping. */
interface Resumed {
  readonly sm: SmState;
  readonly pending: Pick<SessionState, "pendingOut" | "pendingIn">;
}

function established(
  s: S,
  jid: string,
  resumed?: Resumed,
  before: readonly StreamOutput[] = [],
): InitiatorStep {
  const ctx = sessionCtx(s);
  const sm = resumed?.sm;
  let session: SessionState = {
    ...newSession(jid, s.idPrefix, s.nextId, ctx),
    ...resumed?.pending,
  };
  const out: StreamOutput[] = [
    ...before,
    { type: "clear-timer", name: "negotiation" },
    { type: "established", jid, resumed: sm !== undefined },
  ];
  if (sm) session = { ...session, sm };
  // spec: XEP0198-3.enable
  else if (s.config.streamManagement && s.features?.sm) {
    const resume = s.config.streamManagement.resume;
    session = { ...session, sm: smStart("enabling", resume) };
    out.push(send(enableXml(resume)));
  }
  if (session.ping) out.push({ type: "set-timer", name: "ping", at: session.ping.nextAt });
  return { state: { ...s, phase: "bound", session, deadline: undefined, bindId: undefined }, out };
}

function onResumeAnswer(s: S, el: Xel): InitiatorStep {
  const token = s.resume;
  if (!token || nsOf(el, s.decls) !== NS.sm) {
    return unexpected(s, `${localOf(el.name)} while resuming`);
  }
  const previous: SmState = {
    status: "enabled",
    resumable: true,
    id: token.id,
    location: token.location,
    inbound: token.inbound,
    outbound: token.outbound,
    acked: token.acked,
    unacked: token.unacked,
    sinceRequest: 0,
  };
  const h = parseH(el.attrs.h);
  if (localOf(el.name) === "failed") {
    // spec: XEP0198-5.failed
    const applied = h === undefined ? undefined : smApplyAck(previous, h);
    const unacked = applied?.ok ? applied.state.unacked : token.unacked;
    return startBind(s, [
      errorOutput(XmppError["sm-resume-failed"], "server refused to resume; binding a new session"),
      { type: "resume-failed", unacked },
    ]);
  }
  if (localOf(el.name) !== "resumed") return unexpected(s, `${localOf(el.name)} while resuming`);
  // spec: XEP0198-5.resume
  if (el.attrs.previd !== token.id || h === undefined) {
    return refuseInitiator(s, {
      code: XmppError["sm-unexpected"],
      condition: "bad-format",
      detail: "resumed with wrong previd or h",
    });
  }
  const r = smApplyAck(previous, h);
  // spec: XEP0198-4.too-high
  if (!r.ok) {
    return refuseInitiator(s, {
      code: XmppError["sm-handled-count-too-high"],
      condition: "undefined-condition",
      detail: `h=${h} but ${r.sendCount} sent`,
      appCondition: handledCountTooHigh(h, r.sendCount),
    });
  }
  // spec: XEP0198-5.resend
  const resend = r.state.unacked.map((x) => x.toString()).join("");
  const before = resend ? [send(resend + ackRequestXml())] : [];
  // spec: XEP0198-5.continue PD-106
  // The session goes on: requests in flight before the loss still await
  // their responses, and requests received still await the application's.
  const pending = {
    pendingOut: PersistentMap.fromRecord(token.pendingOut ?? {}),
    pendingIn: PersistentMap.fromRecord(token.pendingIn ?? {}),
  };
  return established({ ...s, resume: undefined }, token.jid, { sm: r.state, pending }, before);
}
