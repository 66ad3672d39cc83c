/**
 * A minimal XEP-0045 service for the in-memory router, enough for the
 * project's room machine (state-machines/muc/): rooms are created by the
 * first join (locked until the owner submits a configuration), members-only
 * and moderated rooms, affiliation changes by owners/admins (revoking
 * membership removes the occupant with status 321), role changes by
 * moderators (voice; role none kicks with 307), mediated invitations, join
 * and leave presence with status codes, and groupchat fan-out from
 * occupants with voice (`forbidden` for a visitor in a moderated room).
 * Non-persistent rooms vanish with their last occupant. No history, no
 * disco, no private messages beyond plain forwarding.
 *
 * @module
 */
import { Element } from "ltx";
import { child, elements, MUC_NS } from "../../state-machines/muc/stanzas.ts";
import type { Affiliation, Role } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { address, bounce, type RouterCore, type Session } from "./core.ts";
import { answerDisco } from "../../state-machines/disco/responder.ts";
import { mucServiceEntity } from "./disco.ts";
import {
  affiliationOf,
  allowInvites,
  defaultRole,
  membersOnly,
  moderated,
  newRoom,
  nonAnonymous,
  type Occupant,
  occupantPresence,
  persistent,
  type Room,
  roomSnapshot,
} from "./muc_room.ts";

const AFFILIATIONS: readonly string[] = ["owner", "admin", "member", "outcast", "none"];
const ROLES: readonly string[] = ["moderator", "participant", "visitor", "none"];

export class MucService {
  readonly rooms = new Map<string, Room>();
  /** Rooms each real full JID is in, so a session's end costs only its rooms. */
  #roomsOf = new Map<string, Set<string>>();

  constructor(readonly core: RouterCore) {}

  snapshot() {
    return [...this.rooms.values()].map(roomSnapshot);
  }

  /** A stanza addressed to the service, a room, or an occupant. */
  handle(el: Xel, from: Session): void {
    const to = address(el.attrs.to);
    const sender = from.jid;
    if (!to || sender === undefined) return;
    if (to.local === undefined) {
      // spec: XEP0030-3.1 PD-133
      const disco = el.name === "iq" ? answerDisco(mucServiceEntity, el) : undefined;
      if (disco) return this.core.route(disco);
      if (el.name !== "presence") bounce(this.core, el, "service-unavailable");
      return;
    }
    const room = this.rooms.get(to.bare);
    if (el.name === "presence") return this.#presence(el, to.bare, to.resource, room, from);
    if (!room) return bounce(this.core, el, "item-not-found");
    if (el.name === "message") return this.#message(el, room, to.resource, from);
    if (el.name === "iq" && to.resource === undefined) return this.#iq(el, room, from);
    // spec: PD-138
    bounce(this.core, el, "service-unavailable");
  }

  /** A real full JID went away: it leaves every room it was in. */
  sessionGone(jid: string): void {
    for (const r of [...(this.#roomsOf.get(jid) ?? [])]) {
      const room = this.rooms.get(r);
      const nick = room?.nickOf.get(jid);
      // spec: XEP0045-7.14 DL-ROUTER-5 PAPER-M4
      if (room && nick !== undefined) this.#remove(room, nick, []);
    }
  }

  #send(el: Xel): void {
    this.core.route(el);
  }

  #presence(
    el: Xel,
    roomJid: string,
    nick: string | undefined,
    room: Room | undefined,
    s: Session,
  ) {
    const jid = s.jid as string, bare = s.bare as string;
    if (el.attrs.type === "unavailable") {
      const mine = room?.nickOf.get(jid);
      // spec: XEP0045-7.14
      if (room && mine !== undefined) this.#remove(room, mine, []);
      return;
    }
    if (el.attrs.type !== undefined) return;
    // spec: XEP0045-7.2.1
    if (nick === undefined || nick === "") return bounce(this.core, el, "jid-malformed", "modify");
    if (room?.nickOf.get(jid) === nick) {
      // A presence update from an occupant: everyone sees it.
      const me = room.occupants.get(nick) as Occupant;
      for (const o of room.occupants.values()) {
        this.#send(occupantPresence(room, me, o, o.jid, o === me ? [110] : []));
      }
      return;
    }
    if (room?.nickOf.has(jid)) return bounce(this.core, el, "not-acceptable");
    if (!room) {
      // spec: XEP0045-10.1.1 DL-ROUTER-8
      const created = newRoom(roomJid, bare);
      this.rooms.set(roomJid, created);
      const me = this.#add(created, nick, jid, bare, "moderator");
      this.#send(occupantPresence(created, me, me, jid, [110, 201]));
      return;
    }
    const aff = affiliationOf(room, bare);
    // spec: XEP0045-10.1.1
    if (room.locked && aff !== "owner") return bounce(this.core, el, "item-not-found");
    // spec: XEP0045-7.2.7
    if (aff === "outcast") return bounce(this.core, el, "forbidden", "auth");
    // spec: XEP0045-7.2.6 PAPER-MAP4
    if (membersOnly(room) && aff === "none") {
      return bounce(this.core, el, "registration-required", "auth");
    }
    // spec: XEP0045-7.2.9
    if (room.occupants.has(nick)) return bounce(this.core, el, "conflict");
    const me = this.#add(room, nick, jid, bare, defaultRole(room, aff));
    // spec: XEP0045-7.2.3 DL-ROUTER-8
    for (const o of room.occupants.values()) {
      if (o !== me) this.#send(occupantPresence(room, o, me, jid));
    }
    for (const o of room.occupants.values()) {
      if (o !== me) this.#send(occupantPresence(room, me, o, o.jid));
    }
    this.#send(occupantPresence(room, me, me, jid, nonAnonymous(room) ? [110, 100] : [110]));
  }

  #add(room: Room, nick: string, jid: string, bare: string, role: Role): Occupant {
    const o: Occupant = { nick, jid, bare, role };
    room.occupants.set(nick, o);
    room.nickOf.set(jid, nick);
    const set = this.#roomsOf.get(jid) ?? new Set();
    set.add(room.jid);
    this.#roomsOf.set(jid, set);
    return o;
  }

  /** Removes an occupant; everyone (itself too) gets its unavailable presence with `codes`. */
  #remove(room: Room, nick: string, codes: readonly number[]): void {
    const o = room.occupants.get(nick);
    if (!o) return;
    for (const v of room.occupants.values()) {
      const own = v === o ? [...codes, 110] : codes;
      this.#send(occupantPresence(room, o, v, v.jid, own, true));
    }
    room.occupants.delete(nick);
    room.nickOf.delete(o.jid);
    this.#roomsOf.get(o.jid)?.delete(room.jid);
    // spec: XEP0045-10.2 DL-ROUTER-8
    if (room.occupants.size === 0 && !persistent(room)) this.rooms.delete(room.jid);
  }

  #message(el: Xel, room: Room, nick: string | undefined, s: Session): void {
    const jid = s.jid as string;
    const mine = room.nickOf.get(jid);
    const me = mine === undefined ? undefined : room.occupants.get(mine);
    if (el.attrs.type === "groupchat") {
      // spec: XEP0045-7.4 DL-ROUTER-10
      if (nick !== undefined || !me) return bounce(this.core, el, "not-acceptable");
      // spec: XEP0045-7.4 XEP0045-8.4 PAPER-MAP4 DL-ROUTER-10
      if (
        me.role === "visitor" || (moderated(room) && me.role !== "moderator" &&
          me.role !== "participant")
      ) {
        return bounce(this.core, el, "forbidden", "auth");
      }
      for (const o of room.occupants.values()) {
        const out = new Element("message", {
          from: `${room.jid}/${me.nick}`,
          to: o.jid,
          type: "groupchat",
          id: el.attrs.id,
        });
        for (const c of el.children) out.children.push(c as unknown as Element);
        this.#send(out as unknown as Xel);
      }
      return;
    }
    const x = child(el, "x", MUC_NS.user);
    const invite = x && child(x, "invite");
    if (invite && nick === undefined) return this.#invite(el, room, me, invite, s);
    if (nick !== undefined && me && el.attrs.type !== "error") {
      const target = room.occupants.get(nick);
      if (!target) return bounce(this.core, el, "item-not-found");
      const out = new Element("message", {
        ...el.attrs,
        from: `${room.jid}/${me.nick}`,
        to: target.jid,
      });
      for (const c of el.children) out.children.push(c as unknown as Element);
      this.#send(out as unknown as Xel);
      return;
    }
    bounce(this.core, el, "not-acceptable");
  }

  // spec: XEP0045-7.8.2 DL-ROUTER-11
  #invite(el: Xel, room: Room, me: Occupant | undefined, invite: Xel, s: Session): void {
    const aff = affiliationOf(room, s.bare as string);
    const invitee = address(invite.attrs.to);
    if (!invitee) return bounce(this.core, el, "jid-malformed", "modify");
    if (!me) return bounce(this.core, el, "not-acceptable");
    if (membersOnly(room) && !allowInvites(room) && aff !== "owner" && aff !== "admin") {
      return bounce(this.core, el, "forbidden", "auth");
    }
    const out = new Element("message", { from: room.jid, to: invitee.full, id: el.attrs.id });
    out.c("x", { xmlns: MUC_NS.user }).c("invite", { from: s.jid as string });
    this.#send(out as unknown as Xel);
  }

  #iq(el: Xel, room: Room, s: Session): void {
    const type = el.attrs.type;
    if (type !== "get" && type !== "set") return;
    const query = child(el, "query");
    const ns = query?.attrs.xmlns;
    const aff = affiliationOf(room, s.bare as string);
    const result = () =>
      new Element("iq", { type: "result", id: el.attrs.id, from: room.jid, to: s.jid as string });
    if (ns === MUC_NS.owner) {
      // spec: XEP0045-10.1.3 XEP0045-10.2
      if (aff !== "owner") return bounce(this.core, el, "forbidden", "auth");
      if (type === "set") {
        const form = query && child(query, "x", MUC_NS.data);
        if (form && form.attrs.type === "submit") {
          for (const f of elements(form).filter((c) => c.name === "field")) {
            const v = child(f, "value")?.getText();
            if (f.attrs.var && v !== undefined) room.config[f.attrs.var] = v;
          }
        }
        room.locked = false;
      }
      this.#send(result() as unknown as Xel);
      return;
    }
    if (ns === MUC_NS.admin && query) {
      if (type === "get") {
        // spec: XEP0045-9.5
        if (aff !== "owner" && aff !== "admin") return bounce(this.core, el, "forbidden", "auth");
        const want = child(query, "item")?.attrs.affiliation;
        const r = result();
        const q = r.c("query", { xmlns: MUC_NS.admin });
        for (const [j, a] of room.affiliations) {
          if (a === want) q.c("item", { jid: j, affiliation: a });
        }
        this.#send(r as unknown as Xel);
        return;
      }
      const items = elements(query).filter((c) => c.name === "item");
      if (items.length === 0) return bounce(this.core, el, "bad-request", "modify");
      for (const item of items) {
        const refusal = item.attrs.affiliation !== undefined
          ? this.#setAffiliation(room, aff, item)
          : this.#setRole(room, s, item);
        if (refusal) return bounce(this.core, el, refusal[0], refusal[1]);
      }
      this.#send(result() as unknown as Xel);
      return;
    }
    bounce(this.core, el, "service-unavailable");
  }

  // spec: XEP0045-9.3 XEP0045-9.4 DL-ROUTER-9
  #setAffiliation(
    room: Room,
    mine: Affiliation,
    item: Xel,
  ): [string, "auth" | "modify"] | undefined {
    const target = address(item.attrs.jid);
    const wanted = item.attrs.affiliation as string;
    if (!target || !AFFILIATIONS.includes(wanted)) return ["bad-request", "modify"];
    const current = affiliationOf(room, target.bare);
    if (
      mine !== "owner" && (mine !== "admin" || ["owner", "admin"].includes(current) ||
        ["owner", "admin"].includes(wanted))
    ) return ["forbidden", "auth"];
    const next = wanted as Affiliation;
    if (next === "none") room.affiliations.delete(target.bare);
    else room.affiliations.set(target.bare, next);
    for (const o of [...room.occupants.values()].filter((x) => x.bare === target.bare)) {
      if (next === "outcast") this.#remove(room, o.nick, [301]);
      else if (next === "none" && membersOnly(room)) this.#remove(room, o.nick, [321]);
      else {
        if (next === "owner" || next === "admin") o.role = "moderator";
        else if (o.role === "moderator") o.role = defaultRole(room, next);
        this.#broadcast(room, o);
      }
    }
    return undefined;
  }

  // spec: XEP0045-8.4 XEP0045-8.2 DL-ROUTER-9
  #setRole(room: Room, s: Session, item: Xel): [string, "auth" | "modify" | "cancel"] | undefined {
    const mine = room.nickOf.get(s.jid as string);
    const me = mine === undefined ? undefined : room.occupants.get(mine);
    const role = item.attrs.role;
    if (!me || me.role !== "moderator") return ["forbidden", "auth"];
    if (!role || !ROLES.includes(role) || item.attrs.nick === undefined) {
      return ["bad-request", "modify"];
    }
    const target = room.occupants.get(item.attrs.nick);
    if (!target) return ["item-not-found", "cancel"];
    const theirs = affiliationOf(room, target.bare);
    if ((theirs === "owner" || theirs === "admin") && role !== "moderator") {
      return ["not-allowed", "cancel"];
    }
    if (role === "none") {
      this.#remove(room, target.nick, [307]);
      return undefined;
    }
    target.role = role as Role;
    this.#broadcast(room, target);
    return undefined;
  }

  #broadcast(room: Room, o: Occupant): void {
    for (const v of room.occupants.values()) {
      this.#send(occupantPresence(room, o, v, v.jid, v === o ? [110] : []));
    }
  }
}
