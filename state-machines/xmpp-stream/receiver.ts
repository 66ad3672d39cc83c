/**
 * The receiving entity of a client-to-server XMPP stream (RFC 6120): the
 * server side of one client connection, as a pure machine.
 *
 * Theory of operation. The receiver waits for the client's header, answers
 * with its own header and the features of the current stage, and lets the
 * client climb the same three stages as the initiator, each on a fresh
 * stream. Before TLS it offers only STARTTLS, marked required, and refuses
 * anything else; after `<proceed/>` it asks the adapter to start TLS and
 * waits for `tls-established` (which carries the channel binding and the
 * client certificate's XMPP addresses). On a direct TLS connection (XEP-0368)
 * `tls-established` comes before the client's first header, and that first
 * stream is already the TLS stream. After TLS it offers SASL mechanisms
 * computed from the configuration and the connection, runs the exchange
 * against the account table in the configuration (plain data), and allows a
 * few failed attempts. After SASL it offers resource binding (and XEP-0198
 * stream management) and refuses stanzas until a resource is bound. Once
 * bound, every stanza from the client gets the client's own address stamped
 * as `from`; a client naming someone else is refused with `invalid-from`.
 * Stanzas from the client go to the application (the router) as `stanza`
 * outputs; stanzas for the client come in as `send` inputs.
 *
 * Refusals, stream errors from the client, closing and timeouts behave as
 * in the initiator (see initiator.ts). The table is every phase change.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { ANY, errorOutput, type Machine, totalStep, type Transition } from "../../core/machine.ts";
import { onTransportClosed, TERMINAL_PHASES, tlsInfoOf, withNow } from "./common.ts";
import { isStreamCondition, XmppError } from "./errors.ts";
import { bytesOf, STREAM_CLOSE, streamErrorXml } from "./messages.ts";
import { onReceiverXml } from "./receiver_negotiation.ts";
import {
  applyReceiverSession,
  RECEIVER_DEFAULTS,
  RECEIVER_PHASES,
  type ReceiverConfig,
  receiverHeader,
  receiverSessionCtx,
  type ReceiverState,
  type ReceiverStep,
  refuseReceiver,
} from "./receiver_state.ts";
import { sessionSend, sessionTick } from "./session.ts";
import type { ResumptionToken } from "./sm.ts";
import type { StreamInput, StreamOutput } from "./types.ts";
import { isXel, validXmlEvent } from "./validate.ts";

export {
  RECEIVER_PHASES,
  type ReceiverConfig,
  type ReceiverPhase,
  type ReceiverState,
} from "./receiver_state.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

export const RECEIVER_TRANSITIONS: readonly Transition[] = [
  t(
    "awaiting-stream",
    "tls-established",
    "awaiting-stream",
    ["XEP0368-3.direct", "PD-105"],
    "direct TLS before the first header",
  ),
  t(
    "awaiting-stream",
    "xml",
    "awaiting-starttls",
    ["RFC6120-4.2", "RFC6120-5.3.1"],
    "header: offer STARTTLS, required",
  ),
  t(
    "awaiting-stream",
    "xml",
    "awaiting-auth",
    ["RFC6120-6.3.4"],
    "header over TLS: offer mechanisms",
  ),
  t("awaiting-stream", "xml", "awaiting-bind", ["RFC6120-7.4"], "header after SASL: offer bind"),
  t(
    "awaiting-starttls",
    "xml",
    "tls-handshake",
    ["RFC6120-5.4.2.3"],
    "<starttls/>: proceed, start TLS",
  ),
  t(
    "tls-handshake",
    "tls-established",
    "awaiting-stream",
    ["RFC6120-5.4.3.3"],
    "wait for the restart",
  ),
  t("awaiting-auth", "xml", "authenticating", ["RFC6120-6.4.3"], "<auth/>: challenge"),
  t("awaiting-auth", "xml", "awaiting-auth", ["RFC6120-6.4.5"], "<auth/> refused: retry allowed"),
  t(
    "awaiting-auth",
    "xml",
    "awaiting-stream",
    ["RFC6120-6.4.6"],
    "one-message mechanism succeeded",
  ),
  t("authenticating", "xml", "authenticating", ["RFC6120-6.4.3"], "further challenge"),
  t(
    "authenticating",
    "xml",
    "awaiting-stream",
    ["RFC6120-6.4.6"],
    "<success/>: wait for the restart",
  ),
  t(
    "authenticating",
    "xml",
    "awaiting-auth",
    ["RFC6120-6.4.4", "RFC6120-6.4.5"],
    "abort or failure",
  ),
  t(
    "awaiting-bind",
    "xml",
    "bound",
    ["RFC6120-7.6.1", "XEP0198-5.resume"],
    "resource bound or session resumed",
  ),
  t(
    "awaiting-bind",
    "xml",
    "awaiting-bind",
    ["RFC6120-7.7.2.1", "XEP0198-5.failed"],
    "bind or resume refused",
  ),
  t("bound", "xml", "bound", ["RFC6120-8.1.2.1"], "stanza stamped and passed on"),
  t("bound", "send", "bound", ["RFC6120-8.2"], "stanza for the client"),
  t("bound", "tick", "bound", ["XEP0199-ping"], "ping when quiet"),
  t("bound", "xml", "closed", ["RFC6120-4.4"], "client closed: close too"),
  t(ANY, "close", "closing", ["RFC6120-4.4"], "send the closing tag, wait for the client's"),
  t(
    ANY,
    "close",
    "closed",
    ["RFC6120-4.9.1.1"],
    "close with a stream error (e.g. system-shutdown)",
  ),
  t("closing", "xml", "closing", ["RFC6120-4.4"], "keep reading until the client closes"),
  t("closing", "xml", "closed", ["RFC6120-4.4"], "client closed"),
  t("closing", "tick", "closed", ["RFC6120-4.4"], "close timeout"),
  t("closing", "transport-closed", "closed", ["RFC6120-4.4"], "transport gone while closing"),
  t(ANY, "xml", "failed", ["RFC6120-4.9.1.1"], "stream error sent or received"),
  t(ANY, "tick", "failed", ["RFC6120-4.9.3.4", "XEP0199-timeout"], "negotiation or ping timeout"),
  t(ANY, "transport-closed", "failed", ["RFC6120-4.6.1"], "transport lost"),
  ...RECEIVER_PHASES.map((p) => t(p, ANY, p, ["PD-70"], "input refused or nothing to do")),
];

function init(config: ReceiverConfig): ReceiverState {
  const now = config.now ?? 0;
  return {
    phase: "awaiting-stream",
    config,
    now,
    decls: {},
    headerSent: false,
    stage: "plain",
    offered: [],
    authAttempts: 0,
    deadline: now + (config.negotiationTimeoutMs ?? RECEIVER_DEFAULTS.negotiationTimeoutMs),
    // spec: PD-79
    idPrefix: toHex(config.entropy.bytes(4)) + "-",
    nextId: 1,
    decoyKey: config.entropy.bytes(32),
  };
}

const TERMINAL = TERMINAL_PHASES;
const stay = (s: ReceiverState, out: StreamOutput[] = []): ReceiverStep => ({ state: s, out });
// spec: PD-70
const invalid = (s: ReceiverState, detail: string): ReceiverStep =>
  stay(s, [errorOutput(XmppError["invalid-input"], detail)]);

function step(s0: ReceiverState, input: StreamInput): ReceiverStep {
  if (typeof input !== "object" || input === null) return invalid(s0, "input is not an object");
  const s = withNow(s0, input);
  switch (input.type) {
    case "start":
      // Optional: arms the negotiation timer before the client has said anything.
      if (s.phase !== "awaiting-stream" || s.streamId !== undefined || s.deadline === undefined) {
        return invalid(s, "start after the stream opened");
      }
      return stay(s, [{ type: "set-timer", name: "negotiation", at: s.deadline }]);
    case "xml":
      if (!validXmlEvent(input.event)) return invalid(s, "xml input without a valid event");
      if (TERMINAL.has(s.phase)) return stay(s);
      return onReceiverXml(s, input.event);
    case "tls-established":
      if (TERMINAL.has(s.phase)) return stay(s);
      if (s.phase === "awaiting-stream" && s.stage === "plain" && s.streamId === undefined) {
        // spec: XEP0368-3.direct XEP0368-3.no-starttls PD-105
        // Nothing has been read yet: the first stream is the TLS stream and
        // its features offer SASL, never STARTTLS.
        return stay({ ...s, stage: "tls", directTls: true, tls: tlsInfoOf(input) });
      }
      if (s.phase !== "tls-handshake") {
        return invalid(s, "TLS established outside the TLS handshake");
      }
      // spec: RFC6120-5.4.3.3
      return stay({
        ...s,
        phase: "awaiting-stream",
        stage: "tls",
        headerSent: false,
        decls: {},
        tls: tlsInfoOf(input),
      });
    case "send":
      if (!isXel(input.stanza)) return invalid(s, "send without a stanza element");
      // spec: RFC6120-4.4
      if (s.phase === "closing" || TERMINAL.has(s.phase)) {
        return stay(s, [errorOutput(XmppError["stream-closed"], "the stream is closed")]);
      }
      if (s.phase !== "bound" || !s.session) return invalid(s, "stanzas can be sent once bound");
      return applyReceiverSession(s, sessionSend(s.session, input.stanza, receiverSessionCtx(s)));
    case "tick":
      return onTick(s);
    case "close":
      return onClose(s, input);
    case "transport-closed":
      return onTransportClosed(s);
    case "cancel-iq":
      // The receiver does not correlate iq requests: nothing to cancel.
      if (TERMINAL.has(s.phase)) return stay(s);
      return invalid(s, "cancel-iq is an initiator input");
    default:
      return invalid(s, "unknown input type");
  }
}

function onTick(s: ReceiverState): ReceiverStep {
  if (TERMINAL.has(s.phase)) return stay(s);
  if (s.phase === "closing") {
    // spec: RFC6120-4.4
    if (s.deadline !== undefined && s.now >= s.deadline) {
      return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: false }] };
    }
    return stay(s);
  }
  if (s.phase === "bound" && s.session) {
    return applyReceiverSession(s, sessionTick(s.session, receiverSessionCtx(s)));
  }
  // spec: RFC6120-4.9.3.4 PD-78
  if (s.deadline !== undefined && s.now >= s.deadline) {
    return refuseReceiver(s, {
      code: XmppError["negotiation-timeout"],
      condition: "connection-timeout",
      detail: `negotiation not complete in phase ${s.phase}`,
    });
  }
  return stay(s);
}

function onClose(
  s: ReceiverState,
  input: { condition?: string; text?: string; location?: string },
): ReceiverStep {
  if (TERMINAL.has(s.phase) || s.phase === "closing") return stay(s);
  if (input.condition !== undefined) {
    if (!isStreamCondition(input.condition)) return invalid(s, "close with an unknown condition");
    // spec: RFC6120-4.9.1.1 RFC6120-4.9.1.2 RFC6120-4.9.3.19
    const withId = s.streamId ? s : { ...s, streamId: toHex(s.config.entropy.bytes(16)) };
    const location = input.condition === "see-other-host" && typeof input.location === "string"
      ? input.location
      : undefined;
    const text = (s.headerSent ? "" : receiverHeader(withId)) +
      streamErrorXml(
        input.condition,
        typeof input.text === "string" ? input.text : undefined,
        location,
      ) +
      STREAM_CLOSE;
    return {
      state: { ...withId, phase: "closed", headerSent: true },
      out: [{ type: "send-bytes", data: bytesOf(text) }, { type: "closed", clean: false }],
    };
  }
  // spec: RFC6120-4.4
  const at = s.now + (s.config.closeTimeoutMs ?? RECEIVER_DEFAULTS.closeTimeoutMs);
  const withId = s.streamId ? s : { ...s, streamId: toHex(s.config.entropy.bytes(16)) };
  const text = (s.headerSent ? "" : receiverHeader(withId)) + STREAM_CLOSE;
  return {
    state: { ...withId, phase: "closing", deadline: at, headerSent: true },
    out: [{ type: "send-bytes", data: bytesOf(text) }, { type: "set-timer", name: "close", at }],
  };
}

export const receiver: Machine<ReceiverConfig, ReceiverState, StreamInput, StreamOutput> = {
  name: "xmpp-stream.receiver",
  phases: RECEIVER_PHASES,
  transitions: RECEIVER_TRANSITIONS,
  init,
  // spec: PD-70 RFC6120-4.9.3.8
  step: totalStep(
    step,
    (s, error) =>
      refuseReceiver(s, {
        code: error.code,
        condition: "internal-server-error",
        detail: error.detail,
      }),
  ),
};

/** The server's view of this session for a later XEP-0198 resumption, when the client enabled it. */
export function receiverResumptionToken(s: ReceiverState): ResumptionToken | undefined {
  const sm = s.session?.sm;
  if (!s.session || !sm || sm.status !== "enabled" || !sm.resumable || !sm.id) return undefined;
  return {
    id: sm.id,
    jid: s.session.jid,
    inbound: sm.inbound,
    outbound: sm.outbound,
    acked: sm.acked,
    unacked: sm.unacked,
  };
}
