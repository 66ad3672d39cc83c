/**
 * Replay protection of the receive side (PD-229): the peer's sender
 * instance id (`sid`), the A-profile's sliding window over that instance's
 * sequence numbers, and the latest time accepted from the peer.
 *
 * A message of the current instance is judged by the window (new, replayed,
 * below the window, or too far ahead). A message of another instance is a
 * newer instance (the peer restarted) only when its time is later than
 * anything accepted before; then the window starts over. Every message an
 * older instance sent had a time at or below that mark, so it can never be
 * accepted again: the state stays one window, whatever the number of
 * restarts, and the freshness window bounds how long the mark must be kept.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { AProfileError } from "../a-profile/errors.ts";
import { EMPTY_WINDOW, windowAccept, windowRefusal } from "../a-profile/window.ts";
import { PerMessageError, type PerMessageErrorCode } from "./errors.ts";
import type { PerMessagePolicy, ReceiveState } from "./types.ts";
import type { Header } from "./wire.ts";

const CODES: Readonly<Record<string, PerMessageErrorCode>> = {
  [AProfileError.replay]: PerMessageError.replay,
  [AProfileError["out-of-window"]]: PerMessageError["out-of-window"],
  [AProfileError["sequence-gap"]]: PerMessageError["sequence-gap"],
};

/** Why the message cannot be accepted for replay reasons, or undefined. */
// spec: PD-229 PAPER-AS3 RFC3923-6-timestamps
export function replayRefusal(
  r: ReceiveState,
  h: Header,
  policy: PerMessagePolicy,
): PerMessageErrorCode | undefined {
  if (r.sid === toHex(h.sid)) {
    const code = windowRefusal(r.window, h.seq, policy.receiveWindow, policy.maxSequenceGap);
    return code && CODES[code];
  }
  if (h.time <= r.last) return PerMessageError.replay;
  return h.seq > policy.maxSequenceGap ? PerMessageError["sequence-gap"] : undefined;
}

/** The receive state after accepting the message (which replayRefusal allowed). */
export function acceptReceive(r: ReceiveState, h: Header, policy: PerMessagePolicy): ReceiveState {
  const sid = toHex(h.sid);
  const base = r.sid === sid ? r.window : EMPTY_WINDOW;
  return {
    sid,
    window: windowAccept(base, h.seq, policy.receiveWindow),
    last: Math.max(r.last, h.time),
  };
}
