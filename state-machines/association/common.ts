/**
 * What both roles share: the fields every state has, small step builders,
 * input shape checks, the presence monitor and ping steps (monitor.ts) wired
 * to a role's own way of losing the association, and the XER codec bound to
 * an association's negotiated limits.
 *
 * @module
 */
import type { ErrorCode, Result } from "../../core/errors.ts";
import { errorOutput, type StepResult } from "../../core/machine.ts";
import type { Commands, Selections } from "./control.ts";
import { AssociationError } from "./errors.ts";
import { answers, classifyPresence, heard, isPeer, type PingState, pingTick } from "./monitor.ts";
import type { Carriage, InitiateParameters, MmsPdu } from "./pdus.ts";
import { type ResolvedCommon, xerLimits } from "./settings.ts";
import type { AssociationEvent, AssociationOutput } from "./types.ts";
import { decodePdu, encodePdu } from "./xer.ts";
import type { Xel } from "./xer_dom.ts";

/** Fields every state of both roles has. */
export interface BaseState {
  readonly phase: string;
  /** Canonical full JID of the peer. */
  readonly peer: string;
  /** Latest time any input carried. */
  readonly now: number;
  readonly negotiated?: InitiateParameters;
  readonly selections: Selections;
  readonly commands: Commands;
  readonly ping?: PingState;
  /** Pings sent so far (their ids are `p<n>`). */
  readonly pings: number;
  /** Inputs ignored as spoofed (PD-149). */
  readonly ignored: number;
}

export type Out = AssociationOutput;
export type Step<S> = StepResult<S, Out>;

export const stay = <S>(s: S, out: Out[] = []): Step<S> => ({ state: s, out });
export const refuse = <S>(s: S, code: ErrorCode, detail = ""): Step<S> =>
  stay(s, [errorOutput(code, detail)]);
export const ev = (event: AssociationEvent): Out => ({ type: "event", event });

/** How a role loses its association: fail what is pending, move to `aborted`, tell the application. */
export type Lose<S> = (s: S, cause: ErrorCode, detail: string) => Step<S>;

/** A finite, non-negative time. */
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

export function isCarriage(c: unknown): c is Carriage {
  if (typeof c !== "object" || c === null) return false;
  const x = c as Record<string, unknown>;
  if (x.kind === "message") return true;
  return x.kind === "iq" && (x.type === "set" || x.type === "result") && typeof x.id === "string";
}

/** Shape problems of the inputs both roles take; undefined when the input is well formed. */
export function commonInputProblem(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return "input is not an object";
  const i = input as Record<string, unknown>;
  if (typeof i.type !== "string") return "input has no type";
  if (!isTime(i.now)) return "now must be a finite non-negative number";
  switch (i.type) {
    case "pdu":
      if (!(i.data instanceof Uint8Array)) return "pdu data must be bytes";
      if (!isCarriage(i.carriage)) return "pdu carriage";
      return typeof i.from === "string" ? undefined : "pdu from";
    case "presence":
      return typeof i.stanza === "object" && i.stanza !== null ? undefined : "presence stanza";
    case "pong":
      return typeof i.id === "string" && typeof i.from === "string" ? undefined : "pong id/from";
    default:
      return undefined;
  }
}

/** Moves time forward (never back). */
export const at = <S extends BaseState>(s: S, now: number): S => now > s.now ? { ...s, now } : s;

/** Presence: unavailable from the peer loses a live association; others are ignored and counted. */
// spec: PAPER-MAP3 PD-149
export function onPresence<S extends BaseState>(
  s: S,
  stanza: Xel,
  live: boolean,
  lose: Lose<S>,
): Step<S> {
  const v = classifyPresence(s.peer, stanza);
  switch (v.kind) {
    case "invalid":
      return refuse(s, AssociationError["invalid-input"], v.detail);
    case "spoofed":
      return stay({ ...s, ignored: s.ignored + 1 }, [
        ev({
          type: "ignored",
          code: AssociationError["spoofed-presence"],
          ...(v.from === undefined ? {} : { from: v.from }),
        }),
      ]);
    case "lost":
      return live ? lose(s, AssociationError["peer-unavailable"], "presence unavailable") : stay(s);
    case "none":
      return stay(s);
  }
}

/** A pong from the peer answering our ping: the peer is alive; the next ping is scheduled. */
export function onPong<S extends BaseState>(
  s: S,
  id: string,
  from: string,
  interval: number | undefined,
): Step<S> {
  if (!isPeer(s.peer, from)) return refuse(s, AssociationError["wrong-sender"], "pong");
  if (!answers(s.ping, id) || interval === undefined) return stay(s);
  const nextAt = s.now + interval;
  return stay({ ...s, ping: { nextAt } }, [{ type: "timer", at: nextAt }]);
}

/** Time for pings: send one when the peer has been quiet, lose the association when it went unanswered. */
export function pingStep<S extends BaseState>(
  s: S,
  settings: ResolvedCommon,
  lose: Lose<S>,
): Step<S> {
  const t = pingTick(s.ping, settings.ping, s.now, `p${s.pings + 1}`);
  switch (t.kind) {
    case "lost":
      // spec: XEP0199-4.4 PD-150
      return lose(s, AssociationError["ping-timeout"], "ping unanswered");
    case "ping":
      return stay({ ...s, ping: t.state, pings: s.pings + 1 }, [
        { type: "ping", id: t.id },
        { type: "timer", at: t.state.awaiting!.deadline },
      ]);
    case "wait":
      return stay(s);
  }
}

/** A PDU arrived from the peer: a sign of life for the ping schedule. */
export const alive = <S extends BaseState>(s: S, settings: ResolvedCommon): S => {
  const ping = heard(s.ping, settings.ping, s.now);
  return ping === s.ping ? s : { ...s, ping };
};

/** Encodes a PDU under the association's limits. */
export const encodeFor = (
  settings: ResolvedCommon,
  s: BaseState,
  pdu: MmsPdu,
): Result<Uint8Array> => encodePdu(pdu, xerLimits(settings, s.negotiated));

/** Decodes a PDU under the association's limits. */
export const decodeFor = (
  settings: ResolvedCommon,
  s: BaseState,
  data: Uint8Array,
): Result<MmsPdu> => decodePdu(data, xerLimits(settings, s.negotiated));

/** A send output, or the codec's refusal. */
export function sendOut(
  settings: ResolvedCommon,
  s: BaseState,
  pdu: MmsPdu,
  carriage: Carriage,
): Result<Out> {
  const bytes = encodeFor(settings, s, pdu);
  return bytes.ok ? { ok: true, value: { type: "send", carriage, data: bytes.value } } : bytes;
}
