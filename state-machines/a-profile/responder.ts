/**
 * The responder of a 62351-4-style end-to-end association (the IEC 61850
 * server side, e.g. a DER), as a pure machine.
 *
 * Theory of operation. The responder listens. A request must be recent, name
 * this responder, carry a nonce not seen before (bounded replay cache,
 * replay_cache.ts), come with a chain that validates to our anchors and names
 * the JID that sent the stanza (and, when configured, an accepted peer), and
 * carry a valid signature. The responder then picks the first offered suite
 * and mode its own policy allows — refusing integrity-only protection when
 * policy requires confidentiality — makes its own ephemeral key, derives the
 * session keys, and asks for a signature over the whole transcript
 * (`sign-request`). With the signature the response goes out and the
 * association is `established`. A refused request leaves the responder
 * listening (it is the party anyone can reach), with the code as output.
 *
 * Established, it protects and opens PDUs like the initiator (common.ts). A
 * new request from the same peer is a re-handshake: after it the new keys
 * are used for sending, and the old ones stay valid for receiving until the
 * first PDU of the new association arrives. Release and abort are as for the
 * initiator. The table below is every phase change the machine can make.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { ANY, errorOutput, type Machine, totalStep, type Transition } from "../../core/machine.ts";
import {
  abort,
  type BaseState,
  receivePdu,
  refuse,
  release,
  sendData,
  stay,
  type Step,
  updateKeys,
} from "./common.ts";
import { resolveContext } from "./context.ts";
import { AProfileError } from "./errors.ts";
import { type AcceptedRequest, buildResponse, checkRequest } from "./handshake.ts";
import { inputProblem, timeOf } from "./inputs.ts";
import { decodeMessage, encodeResponse } from "./messages.ts";
import { EMPTY_REPLAY_CACHE, remember } from "./replay_cache.ts";
import { seedRng } from "./rng.ts";
import type { Session } from "./session.ts";
import type { ResponseToken } from "./tokens.ts";
import type { AProfileInput, AProfileOutput, ReplayCacheState, ResponderConfig } from "./types.ts";

export const RESPONDER_PHASES = [
  "listening",
  "signing",
  "established",
  "renew-signing",
  "releasing",
  "released",
  "aborted",
  "failed",
] as const;
export type ResponderPhase = typeof RESPONDER_PHASES[number];

/** A response waiting for its signature, with the session it will start. */
export interface PendingResponse {
  readonly accepted: AcceptedRequest;
  readonly token: ResponseToken;
  readonly session: Session;
}

export interface ResponderState extends BaseState {
  readonly phase: ResponderPhase;
  readonly cache: ReplayCacheState;
  readonly pending?: PendingResponse;
}

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

const LIVE = ["established", "renew-signing"] as const;

export const RESPONDER_TRANSITIONS: readonly Transition[] = [
  t(
    "listening",
    "receive",
    "signing",
    ["PAPER-R2", "PAPER-M3", "PD-96"],
    "request verified: sign the response",
  ),
  t("listening", "receive", "listening", ["PAPER-R2", "PD-96"], "request refused"),
  t("signing", "signature", "established", ["PD-98", "PAPER-M3"], "signed: send the response"),
  t("signing", "signer-failed", "failed", ["PD-98"], "the signer could not sign"),
  ...LIVE.flatMap((p) => [
    t(p, "receive", p, ["PAPER-R4a", "PAPER-R6a", "PD-97"], "PDU opened, or refused and dropped"),
    t(p, "send", p, ["PAPER-R4a", "PAPER-R6a"], "application data protected"),
    t(p, "update-keys", p, ["PD-93"], "sending key updated, peer asked to follow"),
    t(p, "receive", "released", ["PD-99"], "peer released: acknowledged"),
    t(p, "receive", "aborted", ["PD-99"], "peer aborted"),
    t(p, "release", "releasing", ["PD-99"], "authenticated release sent"),
  ]),
  t(
    "established",
    "receive",
    "renew-signing",
    ["PAPER-R2", "PD-93"],
    "re-handshake from the same peer",
  ),
  t("established", "tick", "established", ["PD-93"], "the replaced association expires"),
  t("renew-signing", "signature", "established", ["PD-98"], "new keys for sending"),
  t(
    "renew-signing",
    "signer-failed",
    "established",
    ["PD-98"],
    "re-handshake dropped, old keys kept",
  ),
  t("releasing", "receive", "released", ["PD-99"], "release acknowledged"),
  t("releasing", "receive", "aborted", ["PD-99"], "peer aborted"),
  t("releasing", "receive", "releasing", ["PAPER-R4a", "PD-97"], "PDU opened or dropped"),
  t("releasing", "tick", "released", ["PD-99"], "no acknowledgement in time"),
  ...RESPONDER_PHASES.filter((p) => !["released", "aborted", "failed"].includes(p)).map((p) =>
    t(p, "abort", "aborted", ["PD-99"], "abort, announced when keys exist")
  ),
  ...RESPONDER_PHASES.map((p) => t(p, ANY, p, ["PD-97"], "input refused or nothing to do")),
];

// spec: PD-95 PD-92
function init(config: ResponderConfig): ResponderState {
  const ctx = resolveContext("responder", config, { acceptPeers: config.acceptPeers });
  return {
    phase: "listening",
    ctx,
    now: 0,
    rng: seedRng(config.entropy),
    signId: 0,
    cache: config.replayCache ?? EMPTY_REPLAY_CACHE,
  };
}

const TERMINAL = new Set<string>(["released", "aborted", "failed"]);

function onRequest(
  s: ResponderState,
  request: Parameters<typeof checkRequest>[2],
  from: string | undefined,
): Step<ResponderState> {
  const renewing = s.phase === "established";
  const checked = checkRequest(
    s.ctx,
    s.cache,
    request,
    from,
    s.now,
    renewing ? s.peer?.jid : undefined,
  );
  if (!checked.ok) return refuse(s, checked.error.code, checked.error.detail);
  const accepted = checked.value;
  const p = s.ctx.policy;
  // spec: PD-92
  const cache = remember(
    s.cache,
    toHex(request.token.nonce),
    request.token.time,
    s.now,
    p.timestampWindowMs,
    p.replayCacheSize,
  );
  const built = buildResponse(s.ctx, accepted, s.rng, s.now);
  const id = s.signId + 1;
  return stay(
    {
      ...s,
      phase: renewing ? "renew-signing" : "signing",
      cache,
      rng: built.rng,
      signId: id,
      pending: { accepted, token: built.token, session: built.session },
    },
    [{ type: "sign-request", id, suite: s.ctx.signatureSuite, data: built.tbs }],
  );
}

// spec: PD-98
function onSignature(s: ResponderState, id: number, value: Uint8Array): Step<ResponderState> {
  if ((s.phase !== "signing" && s.phase !== "renew-signing") || id !== s.signId || !s.pending) {
    return refuse(s, AProfileError["signer-failed"], `no signature ${id} was asked for`);
  }
  const { accepted, token, session } = s.pending;
  const renewed = s.phase === "renew-signing";
  const deadline = renewed ? s.now + s.ctx.policy.handshakeTimeoutMs : undefined;
  const out: AProfileOutput[] = [
    { type: "send", message: "response", element: encodeResponse({ token, signature: value }) },
    {
      type: "established",
      association: session.associationHex,
      peer: accepted.identity,
      suite: session.suite,
      mode: session.mode,
      renewed,
    },
  ];
  if (deadline !== undefined) out.push({ type: "timer", at: deadline });
  return stay({
    ...s,
    phase: "established",
    session,
    previous: renewed ? s.session : undefined,
    peer: accepted.identity,
    pending: undefined,
    deadline,
  }, out);
}

function onReceive(
  s: ResponderState,
  input: Extract<AProfileInput, { type: "receive" }>,
): Step<ResponderState> {
  const decoded = decodeMessage(input.element);
  if (!decoded.ok) return refuse(s, decoded.error.code, decoded.error.detail);
  const m = decoded.value;
  if (m.kind === "pdu") {
    if (!s.session) return refuse(s, AProfileError["unexpected-message"], `PDU in ${s.phase}`);
    return receivePdu(s, m.pdu);
  }
  if (m.kind === "request" && (s.phase === "listening" || s.phase === "established")) {
    return onRequest(s, m.request, input.from);
  }
  return refuse(s, AProfileError["unexpected-message"], `${m.kind} in ${s.phase}`);
}

function onTick(s: ResponderState): Step<ResponderState> {
  if (s.phase === "releasing" && s.deadline !== undefined && s.now >= s.deadline) {
    return stay({ ...s, phase: "released", deadline: undefined }, [
      errorOutput(AProfileError.timeout, "release not acknowledged"),
      { type: "released" },
    ]);
  }
  if (s.phase === "established" && s.previous && s.deadline !== undefined && s.now >= s.deadline) {
    return stay({ ...s, previous: undefined, deadline: undefined });
  }
  return stay(s);
}

function step(s0: ResponderState, input: AProfileInput): Step<ResponderState> {
  const problem = inputProblem(input);
  if (problem) return refuse(s0, AProfileError["invalid-input"], problem);
  const s: ResponderState = { ...s0, now: timeOf(input, s0.now) };
  if (TERMINAL.has(s.phase)) {
    return input.type === "tick"
      ? stay(s)
      : refuse(s, AProfileError["unexpected-message"], `${input.type} after ${s.phase}`);
  }
  const live = (LIVE as readonly string[]).includes(s.phase);
  switch (input.type) {
    case "signature":
      return onSignature(s, input.id, input.value);
    case "signer-failed":
      if (input.id !== s.signId || (s.phase !== "signing" && s.phase !== "renew-signing")) {
        return refuse(s, AProfileError["signer-failed"], `no signature ${input.id} was asked for`);
      }
      if (s.phase === "renew-signing") {
        return refuse(
          { ...s, phase: "established", pending: undefined },
          AProfileError["signer-failed"],
          input.detail ?? "",
        );
      }
      return stay({ ...s, phase: "failed", pending: undefined }, [
        errorOutput(AProfileError["signer-failed"], input.detail ?? ""),
      ]);
    case "receive":
      return onReceive(s, input);
    case "send":
      return live
        ? sendData(s, input.payload)
        : refuse(s, AProfileError["not-established"], s.phase);
    case "update-keys":
      return live ? updateKeys(s, true) : refuse(s, AProfileError["not-established"], s.phase);
    case "release":
      if (!live) return refuse(s, AProfileError["unexpected-message"], `release in ${s.phase}`);
      return release({ ...s, pending: undefined });
    case "abort":
      return abort({ ...s, pending: undefined });
    case "tick":
      return onTick(s);
    case "start":
    case "rehandshake":
      return refuse(s, AProfileError["unexpected-message"], `${input.type} is an initiator input`);
  }
}

/** The responder machine. */
export const responder: Machine<ResponderConfig, ResponderState, AProfileInput, AProfileOutput> = {
  name: "a-profile.responder",
  phases: RESPONDER_PHASES,
  transitions: RESPONDER_TRANSITIONS,
  init,
  step: totalStep(step, (s, error) => stay(s, [error])),
};
