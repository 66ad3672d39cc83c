/**
 * Public API of the MUC layer: the room machine (XEP-0045 client side for a
 * multicast association), its types, error codes and stanza builders. See
 * docs/muc.md.
 *
 * @module
 */
export { room, ROOM_TRANSITIONS } from "./machine.ts";
export {
  type Occupant,
  ROOM_PHASES,
  type RoomConfig,
  type RoomEvent,
  type RoomInput,
  type RoomOutput,
  type RoomPhase,
  type RoomRole,
  type RoomState,
} from "./types.ts";
export { MucError, type MucErrorCode } from "./errors.ts";
export {
  type Affiliation,
  directMessage,
  groupchat,
  type LeaveReason,
  MUC_NS,
  type Role,
  ROOM_CONFIG,
} from "./stanzas.ts";
