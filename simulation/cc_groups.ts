/**
 * The control centre's side of one group: the room machine as publisher
 * (it creates and configures the members-only, moderated room, grants the
 * group's DERs and takes their voice, PD-126/PD-127), the group member
 * machine as the publisher of the command stream, and the multicast
 * association (publisher side) keyed on the room's events. Group commands
 * are protected with the group key and published in the room; on the room
 * path (PD-129 (b)) the key server's rekeys are relayed into the room and
 * taken by our own member machine when the room echoes them.
 *
 * @module
 */
import type { Element } from "ltx";
import { member } from "../state-machines/group-keying/member.ts";
import type { MemberInput, MemberState } from "../state-machines/group-keying/member_types.ts";
import { gdoiElement, spduElement } from "../state-machines/group-keying/xml.ts";
import { room } from "../state-machines/muc/machine.ts";
import { directMessage } from "../state-machines/muc/stanzas.ts";
import type { RoomInput, RoomState } from "../state-machines/muc/types.ts";
import {
  multicastAssociation,
  type MulticastState,
} from "../state-machines/association/multicast.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { entropyFor, roomOf, signerOf, type SimContext, trustOf } from "./context.ts";
import type { GroupSpec } from "./key_server.ts";
import { plainCommandStanza } from "./plaintext_group.ts";
import { groupKeyed } from "./protection.ts";

/** How long a group command stays valid after it is issued (the member's default is 2 s). */
export const COMMAND_TTL_MS = 10_000;

export class GroupPublisher {
  readonly group: GroupSpec;
  readonly roomJid: string;
  room: RoomState;
  gm: MemberState;
  mc: MulticastState;
  /** Occupants present (by nick), as the room tells us. */
  occupants = 0;
  readonly #ctx: SimContext;
  /** Ids of the direct messages we send, per node (a run must not depend on an earlier one). */
  #msgs = 0;
  /** Ids of the plaintext commands (protection "none", test only). */
  #plain = 0;
  readonly #send: (s: Xel | Element) => void;
  #whenReady = () => {};

  constructor(ctx: SimContext, group: GroupSpec, send: (s: Xel | Element) => void) {
    this.#ctx = ctx;
    this.group = group;
    this.#send = send;
    this.roomJid = roomOf(ctx, group.name);
    this.room = room.init({
      room: this.roomJid,
      nick: "operator",
      jid: ctx.at.cc,
      role: "publisher",
      members: group.members,
      keyServerJid: ctx.at.ks,
      idPrefix: `muc-${group.name}`,
    });
    this.gm = member.init({
      jid: ctx.at.cc,
      groupId: group.name,
      suite: ctx.grid.suite,
      keyServerJid: ctx.at.ks,
      chain: ctx.grid.cc.chain,
      sign: signerOf(ctx, ctx.grid.cc),
      ...trustOf(ctx),
      entropy: entropyFor(ctx, `gm/cc/${group.name}`),
    });
    this.mc = multicastAssociation.init({ role: "publisher", publisher: ctx.at.cc });
  }

  /** Creates the room; registration with the key server follows once it is ready. */
  start(whenReady: () => void = () => {}): void {
    this.#whenReady = whenReady;
    this.#room({ type: "join" });
  }

  get ready(): boolean {
    // spec: PD-247
    if (!groupKeyed(this.#ctx)) return this.mc.phase === "active";
    return this.gm.phase === "member" && this.mc.phase === "active";
  }

  /** A stanza from our room. */
  roomStanza(s: Xel): void {
    this.#room({ type: "stanza", stanza: s });
  }

  /** A key-management message sent to us by the key server. */
  // spec: PD-129 DL-SIM-3
  fromKeyServer(kind: string, data: Uint8Array, from: string): void {
    const now = this.#ctx.clock.now;
    if (kind === "rekey" && this.#ctx.keyPath === "room") {
      this.#room({ type: "publish", payload: gdoiElement(data) as unknown as Xel });
      return;
    }
    this.#gm({ type: "message", data, from, now });
  }

  /** Protects `payload` for the group and publishes it in the room; false when not ready. */
  // spec: PAPER-R4b PAPER-R6b PAPER-TL3 DL-SIM-2
  command(payload: Uint8Array): boolean {
    if (!this.ready) return false;
    if (!groupKeyed(this.#ctx)) {
      // spec: PD-247
      this.#send(plainCommandStanza(this.roomJid, `pc${++this.#plain}`, payload));
      return true;
    }
    this.#gm({
      type: "protect",
      streamId: this.#ctx.stream,
      payload,
      // Long enough for a real server at a sped-up clock; the group layer still refuses replays.
      ttlMs: COMMAND_TTL_MS,
      now: this.#ctx.clock.now,
    });
    return true;
  }

  #room(input: RoomInput): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    const before = this.room.phase;
    const r = room.step(this.room, input);
    this.room = r.state;
    // A room that fails must not hold up the next group's (the control centre goes on).
    if (before !== "failed" && this.room.phase === "failed") this.#whenReady();
    for (const o of r.out) {
      if (o.type === "send") this.#send(o.stanza);
      else if (o.type === "error") ctx.metrics.error(o.code);
      // Our own rekey relay comes back through the room: that is where we take it.
      else if (o.type === "gdoi" && o.via === "room") {
        this.#gm({ type: "message", data: o.data, from: o.from, now });
      } else if (o.type === "event") {
        const e = o.event;
        if (e.type === "occupant-joined") this.occupants++;
        if (e.type === "occupant-left") this.occupants--;
        this.mc = multicastAssociation.step(this.mc, { type: "room-event", event: e, now }).state;
        if (e.type === "ready" && this.gm.phase === "idle") {
          // spec: PD-247
          if (groupKeyed(ctx)) this.#gm({ type: "start", now });
          this.#whenReady();
        }
      }
    }
  }

  #gm(input: MemberInput): void {
    const ctx = this.#ctx;
    const r = member.step(this.gm, input);
    this.gm = r.state;
    for (const o of r.out) {
      if (o.type === "send") {
        this.#send(directMessage(o.to, `c${++this.#msgs}`, gdoiElement(o.data) as unknown as Xel));
      } else if (o.type === "publish") {
        this.#room({ type: "publish", payload: spduElement(o.data) as unknown as Xel });
      } else if (o.type === "error") {
        // Our own join's rekey comes back through the room: already held (PD-129 (b)).
        if (input.type === "message" && o.code === "gdoi/rekey-replayed") {
          ctx.metrics.add("rekeysSkipped");
        } else ctx.metrics.error(o.code);
      } else if (o.type === "event" && o.event.type === "registered") {
        ctx.metrics.event(ctx.clock.now, "cc-registered", this.group.name);
      }
    }
  }
}
