/**
 * Configuration, state, inputs and outputs of the room machine: one client's
 * view of one XEP-0045 room used as a multicast association.
 *
 * @module
 */
import type { PersistentMap } from "../../core/persistent_map.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import type { Affiliation, LeaveReason, Role } from "./stanzas.ts";

export type RoomRole = "publisher" | "subscriber";

export interface RoomConfig {
  /** The room's bare JID, one room per group (e.g. `vpp-dispatch@rooms.derlink.test`). */
  readonly room: string;
  readonly nick: string;
  /** Our own bare JID (as authenticated by the server). */
  readonly jid: string;
  /** Publisher: creates, configures and moderates the room. Subscriber: joins it. */
  readonly role: RoomRole;
  /** Publisher only: bare JIDs the group policy lists, made members and invited. */
  readonly members?: readonly string[];
  /** The key server's bare JID: direct `<gdoi>` messages are accepted from it only. */
  readonly keyServerJid?: string;
  /** Prefix of the ids of stanzas we send (default "muc"). */
  readonly idPrefix?: string;
}

export const ROOM_PHASES = [
  "idle",
  "joining",
  "configuring",
  "granting",
  "ready",
  "leaving",
  "left",
  "failed",
] as const;
export type RoomPhase = typeof ROOM_PHASES[number];

export interface Occupant {
  readonly nick: string;
  readonly role: Role;
  readonly affiliation: Affiliation;
  /** Real bare JID, when the room discloses it (non-anonymous rooms). */
  readonly jid?: string;
}

/** What an iq we sent was for. */
export type PendingIq =
  | { readonly kind: "config" }
  | { readonly kind: "grant"; readonly jid: string }
  | { readonly kind: "revoke"; readonly jid: string }
  | { readonly kind: "mute"; readonly nick: string };

export interface RoomState {
  readonly phase: RoomPhase;
  readonly config: RoomConfig;
  /** Our occupant entry once joined. */
  readonly self?: Occupant;
  /** Occupants by nick, and our requests in flight by stanza id: persistent maps (PD-269). */
  readonly occupants: PersistentMap<Occupant>;
  readonly pending: PersistentMap<PendingIq>;
  /** Bare JIDs made members (publisher). */
  readonly granted: readonly string[];
  /** Counter for stanza ids. */
  readonly nextId: number;
}

export type RoomInput =
  /** Enter (and, as publisher, create) the room. */
  | { readonly type: "join" }
  /** Exit the room. */
  | { readonly type: "leave" }
  /** A stanza the server delivered to us. */
  | { readonly type: "stanza"; readonly stanza: Xel }
  /** Publisher: make `jid` a member and invite it. */
  | { readonly type: "grant"; readonly jid: string }
  /** Publisher: withdraw `jid`'s membership (the room then removes it). */
  | { readonly type: "revoke"; readonly jid: string }
  /** Send one payload element (`<spdu>` or `<gdoi kind=rekey>`) to the room. */
  | { readonly type: "publish"; readonly payload: Xel };

export type RoomEvent =
  | { readonly type: "joined"; readonly role: Role; readonly affiliation: Affiliation }
  | { readonly type: "configured" }
  | { readonly type: "member-granted"; readonly jid: string }
  | { readonly type: "member-revoked"; readonly jid: string }
  /** The room is ready for the group: configured, members granted and invited (publisher) or joined. */
  | { readonly type: "ready" }
  | { readonly type: "invited"; readonly room: string; readonly from?: string }
  | { readonly type: "occupant-joined"; readonly occupant: Occupant }
  | { readonly type: "occupant-changed"; readonly occupant: Occupant }
  | { readonly type: "occupant-left"; readonly occupant: Occupant; readonly reason: LeaveReason }
  | { readonly type: "self-changed"; readonly role: Role; readonly affiliation: Affiliation }
  /** We are out of the room: by our own leave, or removed (kicked, membership revoked...). */
  | { readonly type: "left"; readonly reason: LeaveReason };

export type RoomOutput =
  | { readonly type: "send"; readonly stanza: Xel }
  | { readonly type: "event"; readonly event: RoomEvent }
  /** A group-protected message from the room, for the group member machine. */
  | {
    readonly type: "spdu";
    readonly data: Uint8Array;
    readonly nick: string;
    /** The sender's real bare JID, when the room disclosed it. */
    readonly from?: string;
  }
  /** A key-management message: a rekey through the room, or any kind from the key server directly. */
  | {
    readonly type: "gdoi";
    readonly data: Uint8Array;
    readonly kind: string;
    readonly via: "room" | "direct";
    readonly from?: string;
  }
  | ErrorOutput;
