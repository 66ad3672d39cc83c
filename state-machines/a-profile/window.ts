/**
 * The receive window for protected PDUs: the highest sequence number
 * accepted so far and a bitmap of the `width` numbers at and below it
 * (bit i set = `highest - i` accepted). A number above the highest is new
 * (unless it jumps further than the maximum gap); one inside the window is
 * new when its bit is clear; one below the window is refused, since nothing
 * is remembered about it. The window only moves after a PDU authenticated.
 *
 * @module
 */
import { AProfileError, type AProfileErrorCode } from "./errors.ts";

export interface ReceiveWindow {
  /** Highest sequence number accepted; 0 before the first PDU. */
  readonly highest: number;
  readonly bits: bigint;
}

export const EMPTY_WINDOW: ReceiveWindow = Object.freeze({ highest: 0, bits: 0n });

/** Why `seq` cannot be accepted, or undefined when it can. */
// spec: PD-91 PAPER-AS3
export function windowRefusal(
  w: ReceiveWindow,
  seq: number,
  width: number,
  maxGap: number,
): AProfileErrorCode | undefined {
  if (seq > w.highest) return seq - w.highest > maxGap ? AProfileError["sequence-gap"] : undefined;
  const back = w.highest - seq;
  if (back >= width) return AProfileError["out-of-window"];
  return (w.bits >> BigInt(back)) & 1n ? AProfileError.replay : undefined;
}

/** The window after accepting `seq` (which windowRefusal allowed). */
export function windowAccept(w: ReceiveWindow, seq: number, width: number): ReceiveWindow {
  const mask = (1n << BigInt(width)) - 1n;
  if (seq > w.highest) {
    const shift = seq - w.highest;
    const bits = shift >= width ? 1n : ((w.bits << BigInt(shift)) | 1n) & mask;
    return { highest: seq, bits };
  }
  return { highest: w.highest, bits: w.bits | (1n << BigInt(w.highest - seq)) };
}
