/**
 * The initiating entity of a client-to-server XMPP stream (RFC 6120), as a
 * pure machine.
 *
 * Theory of operation. The client opens a stream (`start`) and waits for the
 * server's header and features. Negotiation then climbs three stages, each
 * on a fresh stream: on the plain stream the only acceptable next step is
 * STARTTLS — a server that does not offer it is refused (`starttls-required`)
 * unless the configuration carries the labelled test switch — and after
 * `<proceed/>` the machine asks the adapter to start TLS (`start-tls`) and
 * waits for `tls-established`. With direct TLS (XEP-0368) the adapter
 * reports `tls-established` before `start`, and the first stream already is
 * the TLS stream. On the TLS stream it chooses a SASL mechanism
 * by its own preference list and runs it; a server offering STARTTLS again is
 * a downgrade attempt (`tls-downgrade`). On the authenticated stream it binds
 * a resource (or resumes an XEP-0198 session) and becomes `bound`: stanzas
 * flow both ways, iq responses are matched to requests, stream management
 * counts and acknowledges, pings watch the peer.
 *
 * Every refusal ends the stream the same way: a stream error (when the
 * condition is ours to send), the closing tag, an `error` output with a
 * stable code and a `closed` output, in phase `failed`. A stream error from
 * the server ends it with `xmpp/<condition>`. An orderly close sends the
 * closing tag and waits (`closing`) for the server's, with a timeout.
 *
 * The table below is every phase change the machine can make; the code
 * after it decides which one a given input takes.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { ANY, errorOutput, type Machine, totalStep, type Transition } from "../../core/machine.ts";
import { onTransportClosed, TERMINAL_PHASES, tlsInfoOf, withNow } from "./common.ts";
import { isStreamCondition, XmppError } from "./errors.ts";
import { onInitiatorXml } from "./initiator_negotiation.ts";
import {
  applySession,
  INITIATOR_DEFAULTS,
  INITIATOR_PHASES,
  type InitiatorConfig,
  initiatorHeader,
  type InitiatorState,
  type InitiatorStep,
  refuseInitiator,
  sessionCtx,
} from "./initiator_state.ts";
import { bytesOf, STREAM_CLOSE, streamErrorXml } from "./messages.ts";
import { sessionSend, sessionTick } from "./session.ts";
import { without } from "./session_types.ts";
import type { ResumptionToken } from "./sm.ts";
import type { StreamInput, StreamOutput } from "./types.ts";
import { isXel, validXmlEvent } from "./validate.ts";

export {
  INITIATOR_PHASES,
  type InitiatorConfig,
  type InitiatorPhase,
  type InitiatorState,
} from "./initiator_state.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

export const INITIATOR_TRANSITIONS: readonly Transition[] = [
  t("idle", "start", "opening", ["RFC6120-4.2"], "send the initial stream header"),
  t(
    "idle",
    "tls-established",
    "idle",
    ["XEP0368-3.direct", "PD-105"],
    "direct TLS: the first stream starts at the TLS stage",
  ),
  t(
    "opening",
    "xml",
    "awaiting-features",
    ["RFC6120-4.2", "RFC6120-4.7.5"],
    "response header accepted",
  ),
  t(
    "awaiting-features",
    "xml",
    "starttls-requested",
    ["RFC6120-5.4.2.1"],
    "STARTTLS offered: ask for it",
  ),
  t(
    "awaiting-features",
    "xml",
    "authenticating",
    ["RFC6120-6.4.2"],
    "mechanisms offered: send <auth/>",
  ),
  t("awaiting-features", "xml", "resuming", ["XEP0198-5.resume"], "resume the previous session"),
  t("awaiting-features", "xml", "binding", ["RFC6120-7.4"], "bind offered: request a resource"),
  t("starttls-requested", "xml", "tls-handshake", ["RFC6120-5.4.2.3"], "<proceed/>: start TLS"),
  t("tls-handshake", "tls-established", "opening", ["RFC6120-5.4.3.3"], "restart over TLS"),
  t("authenticating", "xml", "authenticating", ["RFC6120-6.4.3"], "challenge answered"),
  t("authenticating", "xml", "opening", ["RFC6120-6.4.6"], "<success/> verified: restart"),
  t("resuming", "xml", "bound", ["XEP0198-5.resume"], "<resumed/>: resend unacknowledged"),
  t("resuming", "xml", "binding", ["XEP0198-5.failed"], "resumption refused: bind afresh"),
  t("binding", "xml", "bound", ["RFC6120-7.6.1"], "bound: established"),
  t("bound", "xml", "bound", ["RFC6120-8.2"], "stanza or acknowledgement"),
  t("bound", "send", "bound", ["RFC6120-8.2"], "stanza sent"),
  t("bound", "tick", "bound", ["XEP0199-ping"], "ping when quiet"),
  t("bound", "cancel-iq", "bound", ["PD-107"], "an iq request abandoned: its slot is freed"),
  t("bound", "xml", "closed", ["RFC6120-4.4"], "server closed: close too"),
  t(ANY, "close", "closing", ["RFC6120-4.4"], "send the closing tag, wait for the server's"),
  t(ANY, "close", "closed", ["RFC6120-4.9.1.1"], "close with a stream error, or before start"),
  t("closing", "xml", "closing", ["RFC6120-4.4"], "keep reading until the server closes"),
  t("closing", "xml", "closed", ["RFC6120-4.4"], "server closed"),
  t("closing", "tick", "closed", ["RFC6120-4.4"], "close timeout"),
  t("closing", "transport-closed", "closed", ["RFC6120-4.4"], "transport gone while closing"),
  t(ANY, "xml", "failed", ["RFC6120-4.9.1.1"], "stream error sent or received"),
  t(ANY, "tick", "failed", ["RFC6120-4.9.3.4", "XEP0199-timeout"], "negotiation or ping timeout"),
  t(ANY, "transport-closed", "failed", ["RFC6120-4.6.1"], "transport lost"),
  ...INITIATOR_PHASES.map((p) => t(p, ANY, p, ["PD-70"], "input refused or nothing to do")),
];

function init(config: InitiatorConfig): InitiatorState {
  return {
    phase: "idle",
    config,
    now: config.now ?? 0,
    decls: {},
    headerSent: false,
    stage: "plain",
    resume: config.resumeFrom,
    // spec: PD-79
    idPrefix: toHex(config.entropy.bytes(4)) + "-",
    nextId: 1,
  };
}

const TERMINAL = TERMINAL_PHASES;
const stay = (s: InitiatorState, out: StreamOutput[] = []): InitiatorStep => ({ state: s, out });
// spec: PD-70
const invalid = (s: InitiatorState, detail: string): InitiatorStep =>
  stay(s, [errorOutput(XmppError["invalid-input"], detail)]);

function step(s0: InitiatorState, input: StreamInput): InitiatorStep {
  if (typeof input !== "object" || input === null) return invalid(s0, "input is not an object");
  const s = withNow(s0, input);
  switch (input.type) {
    case "start":
      if (s.phase !== "idle") return invalid(s, "start after the stream opened");
      // spec: RFC6120-4.2 RFC6120-4.7.5
      return {
        state: {
          ...s,
          phase: "opening",
          headerSent: true,
          deadline: s.now +
            (s.config.negotiationTimeoutMs ?? INITIATOR_DEFAULTS.negotiationTimeoutMs),
        },
        out: [
          { type: "send-bytes", data: bytesOf(initiatorHeader(s)) },
          {
            type: "set-timer",
            name: "negotiation",
            at: s.now + (s.config.negotiationTimeoutMs ?? INITIATOR_DEFAULTS.negotiationTimeoutMs),
          },
        ],
      };
    case "xml":
      if (!validXmlEvent(input.event)) return invalid(s, "xml input without a valid event");
      if (TERMINAL.has(s.phase) || s.phase === "idle") return stay(s);
      return onInitiatorXml(s, input.event);
    case "tls-established":
      if (TERMINAL.has(s.phase)) return stay(s);
      if (s.phase === "idle") {
        if (s.stage !== "plain") return invalid(s, "TLS established twice before start");
        // spec: XEP0368-3.direct XEP0368-3.no-starttls PD-105
        // The header `start` sends is then the TLS-stage one, and STARTTLS
        // offered on this stream is refused as a downgrade (onFeatures).
        return stay({ ...s, stage: "tls", directTls: true, tls: tlsInfoOf(input) });
      }
      if (s.phase !== "tls-handshake") {
        return invalid(s, "TLS established outside the TLS handshake");
      }
      // spec: RFC6120-5.4.3.3
      return {
        state: {
          ...s,
          phase: "opening",
          stage: "tls",
          headerSent: true,
          tls: tlsInfoOf(input),
        },
        out: [{ type: "send-bytes", data: bytesOf(initiatorHeader({ ...s, stage: "tls" })) }],
      };
    case "send":
      if (!isXel(input.stanza)) return invalid(s, "send without a stanza element");
      // spec: RFC6120-4.4
      if (s.phase === "closing" || TERMINAL.has(s.phase)) {
        return stay(s, [errorOutput(XmppError["stream-closed"], "the stream is closed")]);
      }
      if (s.phase !== "bound" || !s.session) return invalid(s, "stanzas can be sent once bound");
      return applySession(s, sessionSend(s.session, input.stanza, sessionCtx(s)));
    case "tick":
      return onTick(s);
    case "close":
      return onClose(s, input);
    case "transport-closed":
      return onTransportClosed(s);
    case "cancel-iq":
      if (typeof input.id !== "string") return invalid(s, "cancel-iq without an id");
      return stay(cancelIq(s, input.id));
    default:
      return invalid(s, "unknown input type");
  }
}

// spec: PD-107
/**
 * Forgets iq request `id`, in the bound session and in the session waiting
 * to be resumed (a request may time out while the adapter reconnects).
 * Cancelling an id not in flight changes nothing: the caller cannot always
 * know whether the response won the race.
 */
function cancelIq(s: InitiatorState, id: string): InitiatorState {
  if (TERMINAL.has(s.phase)) return s;
  let next = s;
  if (s.session && s.session.pendingOut.has(id)) {
    next = { ...next, session: { ...s.session, pendingOut: s.session.pendingOut.delete(id) } };
  }
  if (s.resume?.pendingOut?.[id] !== undefined) {
    next = { ...next, resume: { ...s.resume, pendingOut: without(s.resume.pendingOut, id) } };
  }
  return next;
}

function onTick(s: InitiatorState): InitiatorStep {
  if (TERMINAL.has(s.phase) || s.phase === "idle") return stay(s);
  if (s.phase === "closing") {
    // spec: RFC6120-4.4
    if (s.deadline !== undefined && s.now >= s.deadline) {
      return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: false }] };
    }
    return stay(s);
  }
  if (s.phase === "bound" && s.session) {
    return applySession(s, sessionTick(s.session, sessionCtx(s)));
  }
  // spec: RFC6120-4.9.3.4 PD-78
  if (s.deadline !== undefined && s.now >= s.deadline) {
    return refuseInitiator(s, {
      code: XmppError["negotiation-timeout"],
      condition: "connection-timeout",
      detail: `negotiation not complete in phase ${s.phase}`,
    });
  }
  return stay(s);
}

function onClose(s: InitiatorState, input: { condition?: string; text?: string }): InitiatorStep {
  if (TERMINAL.has(s.phase) || s.phase === "closing") return stay(s);
  if (s.phase === "idle") {
    return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: true }] };
  }
  if (input.condition !== undefined) {
    if (!isStreamCondition(input.condition)) return invalid(s, "close with an unknown condition");
    // spec: RFC6120-4.9.1.1
    const text =
      streamErrorXml(input.condition, typeof input.text === "string" ? input.text : undefined) +
      STREAM_CLOSE;
    return {
      state: { ...s, phase: "closed" },
      out: [{ type: "send-bytes", data: bytesOf(text) }, { type: "closed", clean: false }],
    };
  }
  // spec: RFC6120-4.4
  const at = s.now + (s.config.closeTimeoutMs ?? INITIATOR_DEFAULTS.closeTimeoutMs);
  return {
    state: { ...s, phase: "closing", deadline: at },
    out: [{ type: "send-bytes", data: bytesOf(STREAM_CLOSE) }, {
      type: "set-timer",
      name: "close",
      at,
    }],
  };
}

/** The token to resume this session on a new connection, when XEP-0198 resumption was enabled. */
export function resumptionToken(s: InitiatorState): ResumptionToken | undefined {
  const sm = s.session?.sm;
  if (!s.session || !sm || sm.status !== "enabled" || !sm.resumable || !sm.id) return undefined;
  return {
    id: sm.id,
    jid: s.session.jid,
    inbound: sm.inbound,
    outbound: sm.outbound,
    acked: sm.acked,
    unacked: sm.unacked,
    location: sm.location,
    // spec: XEP0198-5.continue PD-106
    pendingOut: s.session.pendingOut.toRecord(),
    pendingIn: s.session.pendingIn.toRecord(),
  };
}

export const initiator: Machine<InitiatorConfig, InitiatorState, StreamInput, StreamOutput> = {
  name: "xmpp-stream.initiator",
  phases: INITIATOR_PHASES,
  transitions: INITIATOR_TRANSITIONS,
  init,
  // spec: PD-70
  step: totalStep(
    step,
    (s, error) =>
      refuseInitiator(s, {
        code: error.code,
        condition: "undefined-condition",
        detail: error.detail,
      }),
  ),
};
