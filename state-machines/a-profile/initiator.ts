/**
 * The initiator of a 62351-4-style end-to-end association (the IEC 61850
 * client side, e.g. the VPP / DNO control centre), as a pure machine.
 *
 * Theory of operation. `start` builds a ClearToken — version, a fresh
 * association id, the time, a random nonce, one ephemeral ECDH key per suite
 * policy allows, the protection modes it accepts, the responder it means to
 * reach and its certificate chain — and asks for a signature over the
 * token's canonical bytes (`sign-request`): the private key may live in an
 * HSM, so signing is an output and its result an input. With the signature
 * the request goes out and the machine waits for the response, at most
 * `handshakeTimeoutMs`. The response must answer this association, echo our
 * nonce, be recent, come with a chain that validates to our anchors and
 * names the peer we expect, carry a valid signature over the whole
 * transcript, and choose a suite and mode we offered and policy allows. Then
 * both sides hold the same directional keys (HKDF over the ECDH secret,
 * bound to the transcript) and the association is `established`.
 *
 * Established, the machine protects and opens PDUs (common.ts), updates keys
 * when a key's lifetime is used up, and runs a fresh handshake under the
 * same peer (`renew-signing` → `renewing` → `established`) when asked or when
 * the association's lifetime ends; data keeps flowing under the old keys
 * meanwhile. Release is an authenticated `release` / `release-ack` pair;
 * abort is immediate and, when keys exist, announced authenticated.
 *
 * Any refused handshake message ends in `failed` with its code; a refused
 * PDU is dropped with its code and changes nothing. The table below is every
 * phase change the machine can make.
 *
 * @module
 */
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
import { checkResponse, newRequest, type PendingRequest } from "./handshake.ts";
import { inputProblem, timeOf } from "./inputs.ts";
import { decodeMessage, encodeRequest } from "./messages.ts";
import { seedRng } from "./rng.ts";
import { requestTbs } from "./tokens.ts";
import type { AProfileInput, AProfileOutput, InitiatorConfig } from "./types.ts";

export const INITIATOR_PHASES = [
  "idle",
  "signing",
  "awaiting-response",
  "established",
  "renew-signing",
  "renewing",
  "releasing",
  "released",
  "aborted",
  "failed",
] as const;
export type InitiatorPhase = typeof INITIATOR_PHASES[number];

export interface InitiatorState extends BaseState {
  readonly phase: InitiatorPhase;
  /** The request being signed or awaiting its response. */
  readonly pending?: PendingRequest;
  readonly pendingSignature?: Uint8Array;
}

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

const LIVE = ["established", "renew-signing", "renewing"] as const;

export const INITIATOR_TRANSITIONS: readonly Transition[] = [
  t(
    "idle",
    "start",
    "signing",
    ["PAPER-M3", "PD-86"],
    "build the ClearToken, ask for its signature",
  ),
  t("signing", "signature", "awaiting-response", ["PD-98"], "signed: send the request"),
  t("signing", "signer-failed", "failed", ["PD-98"], "the signer could not sign"),
  t("awaiting-response", "receive", "established", ["PAPER-R2", "PAPER-M3"], "response verified"),
  t("awaiting-response", "receive", "failed", ["PAPER-R2", "PD-96"], "response refused"),
  t("awaiting-response", "tick", "failed", ["PD-94"], "no response in time"),
  ...LIVE.flatMap((p) => [
    t(p, "receive", p, ["PAPER-R4a", "PAPER-R6a", "PD-97"], "PDU opened, or refused and dropped"),
    t(p, "send", p, ["PAPER-R4a", "PAPER-R6a"], "application data protected"),
    t(p, "update-keys", p, ["PD-93"], "sending key updated, peer asked to follow"),
    t(p, "receive", "released", ["PD-99"], "peer released: acknowledged"),
    t(p, "receive", "aborted", ["PD-99"], "peer aborted"),
    t(p, "release", "releasing", ["PD-99"], "authenticated release sent"),
  ]),
  t("established", "rehandshake", "renew-signing", ["PD-93"], "fresh handshake asked for"),
  t(
    "established",
    "tick",
    "renew-signing",
    ["PD-93"],
    "association lifetime over: fresh handshake",
  ),
  t("renew-signing", "signature", "renewing", ["PD-98"], "signed: send the new request"),
  t("renew-signing", "signer-failed", "failed", ["PD-98"], "the signer could not sign"),
  t("renewing", "receive", "established", ["PAPER-R2", "PD-93"], "new keys installed"),
  t("renewing", "receive", "failed", ["PAPER-R2", "PD-96"], "new response refused"),
  t("renewing", "tick", "failed", ["PD-94"], "no response in time"),
  t("releasing", "receive", "released", ["PD-99"], "release acknowledged"),
  t("releasing", "receive", "aborted", ["PD-99"], "peer aborted"),
  t("releasing", "receive", "releasing", ["PAPER-R4a", "PD-97"], "PDU opened or dropped"),
  t("releasing", "tick", "released", ["PD-99"], "no acknowledgement in time"),
  ...INITIATOR_PHASES.filter((p) => !["released", "aborted", "failed"].includes(p)).map((p) =>
    t(p, "abort", "aborted", ["PD-99"], "abort, announced when keys exist")
  ),
  ...INITIATOR_PHASES.map((p) => t(p, ANY, p, ["PD-97"], "input refused or nothing to do")),
];

// spec: PD-95
function init(config: InitiatorConfig): InitiatorState {
  const ctx = resolveContext("initiator", config, { peerJid: config.peerJid });
  return { phase: "idle", ctx, now: 0, rng: seedRng(config.entropy), signId: 0 };
}

const TERMINAL = new Set<string>(["released", "aborted", "failed"]);

const failWith = (
  s: InitiatorState,
  code: Parameters<typeof errorOutput>[0],
  detail: string,
): Step<InitiatorState> =>
  stay({
    ...s,
    phase: "failed",
    pending: undefined,
    pendingSignature: undefined,
    deadline: undefined,
  }, [
    errorOutput(code, detail),
  ]);

function startHandshake(
  s: InitiatorState,
  phase: "signing" | "renew-signing",
): Step<InitiatorState> {
  const { pending, rng } = newRequest(s.ctx, s.rng, s.now);
  const id = s.signId + 1;
  return stay({ ...s, phase, pending, rng, signId: id }, [
    { type: "sign-request", id, suite: s.ctx.signatureSuite, data: requestTbs(pending.token) },
  ]);
}

// spec: PD-98
function onSignature(s: InitiatorState, id: number, value: Uint8Array): Step<InitiatorState> {
  if ((s.phase !== "signing" && s.phase !== "renew-signing") || id !== s.signId || !s.pending) {
    return refuse(s, AProfileError["signer-failed"], `no signature ${id} was asked for`);
  }
  const deadline = s.now + s.ctx.policy.handshakeTimeoutMs;
  const element = encodeRequest({ token: s.pending.token, signature: value });
  return stay(
    {
      ...s,
      phase: s.phase === "signing" ? "awaiting-response" : "renewing",
      pendingSignature: value,
      deadline,
    },
    [{ type: "send", message: "request", element }, { type: "timer", at: deadline }],
  );
}

function onReceive(
  s: InitiatorState,
  input: Extract<AProfileInput, { type: "receive" }>,
): Step<InitiatorState> {
  const decoded = decodeMessage(input.element);
  const awaiting = s.phase === "awaiting-response" || s.phase === "renewing";
  if (!decoded.ok) {
    // A broken response ends the handshake; other broken elements are dropped.
    return awaiting && input.element.name === "response"
      ? failWith(s, decoded.error.code, decoded.error.detail)
      : refuse(s, decoded.error.code, decoded.error.detail);
  }
  const m = decoded.value;
  if (m.kind === "pdu") {
    if (!s.session || TERMINAL.has(s.phase)) {
      return refuse(s, AProfileError["unexpected-message"], `PDU in ${s.phase}`);
    }
    return receivePdu(s, m.pdu);
  }
  if (m.kind !== "response" || !awaiting || !s.pending) {
    return refuse(s, AProfileError["unexpected-message"], `${m.kind} in ${s.phase}`);
  }
  const checked = checkResponse(s.ctx, s.pending, m.response, input.from, s.now);
  if (!checked.ok) return failWith(s, checked.error.code, checked.error.detail);
  const { identity, session } = checked.value;
  const renewed = s.phase === "renewing";
  const lifetimeEnd = s.now + s.ctx.policy.associationLifetimeMs;
  return stay(
    {
      ...s,
      phase: "established",
      session,
      peer: identity,
      pending: undefined,
      pendingSignature: undefined,
      deadline: undefined,
    },
    [
      {
        type: "established",
        association: session.associationHex,
        peer: identity,
        suite: session.suite,
        mode: session.mode,
        renewed,
      },
      { type: "timer", at: lifetimeEnd },
    ],
  );
}

function onTick(s: InitiatorState): Step<InitiatorState> {
  if (
    (s.phase === "awaiting-response" || s.phase === "renewing") && s.deadline !== undefined &&
    s.now >= s.deadline
  ) {
    return failWith(s, AProfileError.timeout, "no response to the request");
  }
  if (s.phase === "releasing" && s.deadline !== undefined && s.now >= s.deadline) {
    return stay({ ...s, phase: "released", deadline: undefined }, [
      errorOutput(AProfileError.timeout, "release not acknowledged"),
      { type: "released" },
    ]);
  }
  // spec: PD-93
  if (
    s.phase === "established" && s.session &&
    s.now - s.session.started >= s.ctx.policy.associationLifetimeMs
  ) return startHandshake(s, "renew-signing");
  return stay(s);
}

function step(s0: InitiatorState, input: AProfileInput): Step<InitiatorState> {
  const problem = inputProblem(input);
  if (problem) return refuse(s0, AProfileError["invalid-input"], problem);
  const s: InitiatorState = { ...s0, now: timeOf(input, s0.now) };
  if (TERMINAL.has(s.phase)) {
    return input.type === "tick"
      ? stay(s)
      : refuse(s, AProfileError["unexpected-message"], `${input.type} after ${s.phase}`);
  }
  const live = (LIVE as readonly string[]).includes(s.phase);
  switch (input.type) {
    case "start":
      return s.phase === "idle"
        ? startHandshake(s, "signing")
        : refuse(s, AProfileError["unexpected-message"], "start twice");
    case "signature":
      return onSignature(s, input.id, input.value);
    case "signer-failed":
      if ((s.phase === "signing" || s.phase === "renew-signing") && input.id === s.signId) {
        return failWith(s, AProfileError["signer-failed"], input.detail ?? "");
      }
      return refuse(s, AProfileError["signer-failed"], `no signature ${input.id} was asked for`);
    case "receive":
      return onReceive(s, input);
    case "send":
      return live
        ? sendData(s, input.payload)
        : refuse(s, AProfileError["not-established"], s.phase);
    case "update-keys":
      return live ? updateKeys(s, true) : refuse(s, AProfileError["not-established"], s.phase);
    case "rehandshake":
      return s.phase === "established"
        ? startHandshake(s, "renew-signing")
        : refuse(s, AProfileError["unexpected-message"], `rehandshake in ${s.phase}`);
    case "release":
      if (!live) return refuse(s, AProfileError["unexpected-message"], `release in ${s.phase}`);
      return release({ ...s, pending: undefined, pendingSignature: undefined });
    case "abort":
      return abort({ ...s, pending: undefined, pendingSignature: undefined });
    case "tick":
      return onTick(s);
  }
}

function fail(s: InitiatorState, error: ReturnType<typeof errorOutput>): Step<InitiatorState> {
  return stay(s, [error]);
}

/** The initiator machine. */
export const initiator: Machine<InitiatorConfig, InitiatorState, AProfileInput, AProfileOutput> = {
  name: "a-profile.initiator",
  phases: INITIATOR_PHASES,
  transitions: INITIATOR_TRANSITIONS,
  init,
  step: totalStep(step, fail),
};
