/**
 * A group member (RFC 6407's GM) as a pure machine.
 *
 * Theory of operation. From `idle`, `start` sends a registration request and
 * waits (`requesting`) for the key server's signed challenge; a valid one is
 * answered with our signed proof (`proving`); the sealed key download that
 * follows makes us a `member`, holding our key-tree path, the traffic keys in
 * force and the rekey sequence number. As a member we take signed rekeys in
 * sequence (member_rekey.ts), protect payloads for the streams we publish on
 * (`protect` → `publish`) and check what others sent (`spdu` → `deliver`,
 * keyring.ts gives the order of checks). A rekey that leaves us without the
 * group key moves us to `excluded`; `start` registers again. A registration
 * that gets no valid answer in time ends in `failed`.
 *
 * Refused inputs (bad signatures, replays, garbage) change nothing and yield
 * an error output; in particular an injected registration message does not
 * cancel a registration in progress. `leave` forgets every key.
 *
 * @module
 */
import { getSuite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import {
  ANY,
  type ErrorOutput,
  errorOutput,
  inputType,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { GdoiError } from "./errors.ts";
import { EMPTY_KEYRING, expireKeys, receiveSpdu, sendSpdu } from "./keyring.ts";
import { decodeMessage } from "./messages.ts";
import { onChallenge, onKeys, startRegistration } from "./member_registration.ts";
import { onRekey } from "./member_rekey.ts";
import {
  MEMBER_DEFAULTS,
  MEMBER_PHASES,
  type MemberConfig,
  type MemberInput,
  type MemberOutput,
  type MemberState,
} from "./member_types.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

export const MEMBER_TRANSITIONS: readonly Transition[] = [
  t("idle", "start", "requesting", ["RFC6407-3"], "send the request (Ni)"),
  t("failed", "start", "requesting", ["RFC6407-3"], "register again"),
  t("excluded", "start", "requesting", ["RFC6407-4"], "re-register after exclusion"),
  t("requesting", "message", "proving", ["RFC6407-3"], "challenge verified: send the proof"),
  t("proving", "message", "member", ["RFC6407-3"], "key download opened"),
  t("member", "message", "member", ["RFC6407-4"], "rekey applied"),
  t("member", "message", "excluded", ["RFC2627-leave"], "rekey left us without the group key"),
  t("member", "spdu", "member", ["PAPER-R4b", "PAPER-R6b"], "group message checked"),
  t("member", "protect", "member", ["PAPER-R4b", "PAPER-R6b"], "group message protected"),
  t("member", "tick", "member", ["RFC8052-lifetime"], "expired traffic keys dropped"),
  t("requesting", "tick", "failed", ["PD-121"], "no challenge in time"),
  t("proving", "tick", "failed", ["PD-121"], "no key download in time"),
  t(ANY, "leave", "idle", ["PD-121"], "forget every key"),
  ...MEMBER_PHASES.map((p) => t(p, ANY, p, ["PD-121"], "input refused or nothing to do")),
];

type Step = StepResult<MemberState, MemberOutput>;

function init(config: MemberConfig): MemberState {
  if (typeof config.groupId !== "string" || config.groupId.length === 0) {
    throw new DerlinkError(GdoiError["invalid-config"], "group id");
  }
  return {
    phase: "idle",
    config,
    suite: getSuite(config.suite, config.provider),
    now: 0,
    seq: 0,
    keyring: EMPTY_KEYRING,
  };
}

// spec: PD-121
const refused = (state: MemberState, e: ErrorOutput): Step => ({ state, out: [e] });

function isInput(input: unknown): input is MemberInput {
  const i = input as Record<string, unknown>;
  if (typeof i !== "object" || i === null || !Number.isSafeInteger(i.now)) return false;
  const fromOk = i.from === undefined || typeof i.from === "string";
  switch (i.type) {
    case "message":
    case "spdu":
      return i.data instanceof Uint8Array && fromOk;
    case "protect":
      return typeof i.streamId === "string" && i.payload instanceof Uint8Array &&
        (i.ttlMs === undefined || (Number.isSafeInteger(i.ttlMs) && (i.ttlMs as number) >= 0 &&
          (i.ttlMs as number) <= 0xffffffff));
    case "start":
    case "leave":
    case "tick":
      return true;
  }
  return false;
}

const notMember = (state: MemberState) =>
  refused(state, errorOutput(GdoiError["not-member"], `phase ${state.phase}`));

function step(state: MemberState, input: MemberInput): Step {
  if (!isInput(input)) {
    return refused(state, errorOutput(GdoiError["invalid-input"], inputType(input)));
  }
  const now = input.now;
  switch (input.type) {
    case "start":
      if (state.phase === "idle" || state.phase === "failed" || state.phase === "excluded") {
        return startRegistration(state, now);
      }
      return refused(state, errorOutput(GdoiError["unexpected-message"], "already registering"));
    case "leave":
      return {
        state: {
          ...state,
          phase: "idle",
          now,
          registration: undefined,
          keys: undefined,
          keyring: EMPTY_KEYRING,
          serverKey: undefined,
          info: undefined,
          seq: 0,
        },
        out: [],
      };
    case "message":
      return onMessage(state, input.data, input.from, now);
    case "spdu": {
      if (state.phase !== "member") return notMember(state);
      const r = receiveSpdu(state.suite, state.info!, state.keyring, input.data, now, {
        maxSkewMs: state.config.maxSkewMs ?? MEMBER_DEFAULTS.maxSkewMs,
        from: input.from,
      });
      return {
        state: { ...state, now, keyring: r.keyring },
        out: [{
          type: "deliver",
          streamId: r.header.streamId,
          sender: r.header.sender,
          keyId: r.header.keyId,
          spdu: r.header.spdu,
          payload: r.payload,
        }],
      };
    }
    case "protect": {
      if (state.phase !== "member") return notMember(state);
      const ttl = input.ttlMs ?? state.config.ttlMs ?? MEMBER_DEFAULTS.ttlMs;
      const r = sendSpdu(
        state.suite,
        state.info!,
        state.keyring,
        state.config.jid,
        input.streamId,
        input.payload,
        now,
        ttl,
      );
      return {
        state: { ...state, now, keyring: r.keyring },
        out: [{ type: "publish", streamId: input.streamId, data: r.data }],
      };
    }
    case "tick":
      return onTick(state, now);
  }
}

function onMessage(state: MemberState, data: Uint8Array, from: string | undefined, now: number) {
  const { message, signed } = decodeMessage(data);
  if (message.groupId !== state.config.groupId) {
    throw new DerlinkError(GdoiError["wrong-group"], message.groupId);
  }
  switch (message.kind) {
    case "challenge":
      if (state.phase !== "requesting") break;
      return onChallenge(state, message, data, signed, from, now);
    case "keys":
      if (state.phase !== "proving") break;
      return onKeys(state, message, from, now);
    case "rekey":
      if (state.phase !== "member") return notMember(state);
      return onRekey(state, message, signed, now);
  }
  return refused(state, errorOutput(GdoiError["unexpected-message"], message.kind));
}

function onTick(state: MemberState, now: number): Step {
  const reg = state.registration;
  const timeout = state.config.registrationTimeoutMs ?? MEMBER_DEFAULTS.registrationTimeoutMs;
  if ((state.phase === "requesting" || state.phase === "proving") && reg) {
    if (now - reg.started > timeout) {
      return {
        state: { ...state, phase: "failed", now, registration: undefined },
        out: [errorOutput(GdoiError.timeout, state.phase)],
      };
    }
    return { state, out: [] };
  }
  if (state.phase === "member") {
    return { state: { ...state, now, keyring: expireKeys(state.keyring, now) }, out: [] };
  }
  return { state, out: [] };
}

/** The group member machine. */
export const member: Machine<MemberConfig, MemberState, MemberInput, MemberOutput> = {
  name: "group-keying.member",
  phases: MEMBER_PHASES,
  transitions: MEMBER_TRANSITIONS,
  init,
  step: totalStep<MemberState, MemberInput, MemberOutput>(step, refused),
};
