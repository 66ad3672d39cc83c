/**
 * What both machines do once an association exists: protect application
 * data, open received PDUs, update keys, release and abort. The machines
 * call these from their own `step`; phases named here (`established`,
 * `releasing`, `released`, `aborted`) are common to both.
 *
 * A PDU that fails a check is dropped with an error output and the
 * association stays as it was (PD-97): anyone who can address a stanza to
 * us could otherwise end the association with one forged PDU.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { errorOutput, type StepResult } from "../../core/machine.ts";
import type { PeerIdentity } from "../../core/pki/types.ts";
import { type Context, suiteOf } from "./context.ts";
import { AProfileError } from "./errors.ts";
import { encodePdu, type Pdu, type PduKind } from "./messages.ts";
import type { Rng } from "./rng.ts";
import {
  protect,
  ratchetRecv,
  ratchetSend,
  sendKeyDue,
  type Session,
  unprotect,
} from "./session.ts";
import type { AProfileOutput } from "./types.ts";

/** Fields every state of both machines has. */
export interface BaseState {
  readonly phase: string;
  readonly ctx: Context;
  /** Latest time any input carried. */
  readonly now: number;
  readonly rng: Rng;
  /** Id of the last sign-request. */
  readonly signId: number;
  readonly session?: Session;
  /** Responder, during a re-handshake: the old session, still accepted for received PDUs. */
  readonly previous?: Session;
  readonly peer?: PeerIdentity;
  /** Response or release-acknowledgement deadline. */
  readonly deadline?: number;
}

export type Out = AProfileOutput;
export type Step<S> = StepResult<S, Out>;

export const stay = <S>(s: S, out: Out[] = []): Step<S> => ({ state: s, out });
export const refuse = <S>(s: S, code: Parameters<typeof errorOutput>[0], detail = ""): Step<S> =>
  stay(s, [errorOutput(code, detail)]);

const sendOut = (pdu: Pdu): Out => ({ type: "send", message: "pdu", element: encodePdu(pdu) });

/** Protects one PDU, updating the sending key first when its lifetime is used up. */
function emit<S extends BaseState>(
  s: S,
  session: Session,
  kind: PduKind,
  payload: Uint8Array,
): [S, Session, Out[]] {
  const suite = suiteOf(s.ctx, session.suite);
  const out: Out[] = [];
  let current = session;
  // spec: PD-93
  if (kind !== "key-update" && sendKeyDue(current, s.ctx.policy, s.now)) {
    const announced = protect(suite, current, "key-update", new Uint8Array([0]), s.now);
    out.push(sendOut(announced.pdu));
    current = ratchetSend(suite, announced.session, s.now);
    out.push({ type: "keys-updated", direction: "send", epoch: current.send.epoch });
  }
  const done = protect(suite, current, kind, payload, s.now);
  out.push(sendOut(done.pdu));
  return [{ ...s, session: done.session }, done.session, out];
}

/** Application data to send. */
// spec: PAPER-R4a PAPER-R6a
export function sendData<S extends BaseState>(s: S, payload: unknown): Step<S> {
  if (!(payload instanceof Uint8Array)) return refuse(s, AProfileError["invalid-input"], "payload");
  if (!s.session) return refuse(s, AProfileError["not-established"]);
  const [next, , out] = emit(s, s.session, "data", payload);
  return stay(next, out);
}

/** Announces and performs an update of our sending key; `askPeer` asks the peer to update too. */
// spec: PD-93
export function updateKeys<S extends BaseState>(s: S, askPeer: boolean): Step<S> {
  if (!s.session) return refuse(s, AProfileError["not-established"]);
  const suite = suiteOf(s.ctx, s.session.suite);
  const announced = protect(
    suite,
    s.session,
    "key-update",
    new Uint8Array([askPeer ? 1 : 0]),
    s.now,
  );
  const session = ratchetSend(suite, announced.session, s.now);
  return stay({ ...s, session }, [
    sendOut(announced.pdu),
    { type: "keys-updated", direction: "send", epoch: session.send.epoch },
  ]);
}

/** Starts an orderly release: an authenticated `release`, then wait for `release-ack`. */
// spec: PD-99
export function release<S extends BaseState>(s: S): Step<S> {
  if (!s.session) return refuse(s, AProfileError["not-established"]);
  const [next, , out] = emit(s, s.session, "release", new Uint8Array(0));
  const deadline = s.now + s.ctx.policy.handshakeTimeoutMs;
  return stay({ ...next, phase: "releasing", deadline }, [...out, { type: "timer", at: deadline }]);
}

/** Aborts at once; the peer learns it through an authenticated `abort` when keys exist. */
// spec: PD-99
export function abort<S extends BaseState>(s: S): Step<S> {
  const out: Out[] = [];
  let next: S = s;
  if (s.session) {
    const [n, , o] = emit(s, s.session, "abort", new Uint8Array(0));
    next = n;
    out.push(...o);
  }
  return stay({ ...next, phase: "aborted", deadline: undefined }, [
    ...out,
    { type: "aborted", by: "local" },
  ]);
}

/** A received PDU: checks, opens and acts on it. */
// spec: PAPER-R4a PAPER-R6a PAPER-AS3 PD-97
export function receivePdu<S extends BaseState>(s: S, pdu: Pdu): Step<S> {
  const assoc = toHex(pdu.association);
  const onPrevious = s.previous !== undefined && assoc === s.previous.associationHex &&
    assoc !== s.session?.associationHex;
  const session = onPrevious ? s.previous : s.session;
  if (!session) return refuse(s, AProfileError["unexpected-message"], "PDU before establishment");
  const suite = suiteOf(s.ctx, session.suite);
  const opened = unprotect(suite, session, pdu, s.now, s.ctx.policy);
  if (!opened.ok) return refuse(s, opened.error.code, opened.error.detail);
  const o = opened.value;
  const out: Out[] = [];
  if (o.advancedTo !== undefined) {
    out.push({ type: "keys-updated", direction: "receive", epoch: o.advancedTo });
  }
  if (onPrevious) {
    if (o.kind !== "data") {
      return refuse(
        s,
        AProfileError["unexpected-message"],
        `${o.kind} on the replaced association`,
      );
    }
    return stay({ ...s, previous: o.session }, [...out, {
      type: "data",
      association: assoc,
      seq: o.seq,
      payload: o.payload,
    }]);
  }
  // A PDU of the new association proves the peer switched: the old one can go.
  const base: S = { ...s, session: o.session, previous: undefined };
  switch (o.kind) {
    case "data":
      return stay(base, [...out, {
        type: "data",
        association: assoc,
        seq: o.seq,
        payload: o.payload,
      }]);
    case "key-update": {
      if (o.payload.length !== 1 || o.payload[0] > 1) {
        return refuse(base, AProfileError.malformed, "key-update body");
      }
      const ratcheted = ratchetRecv(suite, o.session, s.now);
      out.push({ type: "keys-updated", direction: "receive", epoch: ratcheted.recv.epoch });
      const next: S = { ...base, session: ratcheted };
      if (o.payload[0] === 0) return stay(next, out);
      const answered = updateKeys(next, false);
      return stay(answered.state, [...out, ...answered.out]);
    }
    case "release": {
      const [next, , acked] = emit(base, o.session, "release-ack", new Uint8Array(0));
      return stay({ ...next, phase: "released", deadline: undefined }, [...out, ...acked, {
        type: "released",
      }]);
    }
    case "release-ack":
      if (s.phase !== "releasing") {
        return refuse(base, AProfileError["unexpected-message"], "release-ack without a release");
      }
      return stay({ ...base, phase: "released", deadline: undefined }, [...out, {
        type: "released",
      }]);
    case "abort":
      return stay({ ...base, phase: "aborted", deadline: undefined }, [...out, {
        type: "aborted",
        by: "peer",
      }]);
  }
}
