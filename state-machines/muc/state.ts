/**
 * Small helpers on the room machine's state shared by its files.
 *
 * @module
 */
import { PersistentMap } from "../../core/persistent_map.ts";
import { errorOutput, type StepResult } from "../../core/machine.ts";
import type { ErrorCode } from "../../core/errors.ts";
import { bareJid } from "../group-keying/jid.ts";
import type { RoomOutput, RoomState } from "./types.ts";

/** The empty map that occupants and requests in flight start from (PD-269). */
// spec: PD-269
export const NONE: PersistentMap<never> = PersistentMap.empty();

/** Canonical bare form of a JID text (never equal to a real JID when malformed). */
export const bare = (jid: string): string => bareJid(jid);

/** Our occupant JID, room/nick. */
export const occupantJid = (s: RoomState): string => `${s.config.room}/${s.config.nick}`;

/** A fresh stanza id and the state that counted it. */
export function nextId(s: RoomState): [string, RoomState] {
  return [`${s.config.idPrefix ?? "muc"}-${s.nextId}`, { ...s, nextId: s.nextId + 1 }];
}

/** A refused input: same state, one error output. */
export const refuse = (
  state: RoomState,
  code: ErrorCode,
  detail: string,
): StepResult<RoomState, RoomOutput> => ({ state, out: [errorOutput(code, detail)] });
