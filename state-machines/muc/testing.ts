/**
 * Test helpers for the room machine: stanzas as a XEP-0045 room would send
 * them, and a runner that records outputs. Used by the unit tests and the
 * vector generator; not part of the public API.
 *
 * @module
 */
import { Element } from "ltx";
import type { Xel } from "../xmpp-stream/messages.ts";
import { MUC_NS } from "./stanzas.ts";

export const ROOM = "vpp-dispatch@rooms.derlink.test";
export const PUB = "pub@derlink.test";
export const KDC = "kdc@derlink.test";
export const M1 = "m1@derlink.test";
export const M2 = "m2@derlink.test";

export interface PresenceSpec {
  readonly nick: string;
  readonly role?: string;
  readonly affiliation?: string;
  readonly jid?: string;
  readonly codes?: readonly number[];
  readonly type?: "unavailable" | "error";
  readonly from?: string;
  readonly condition?: string;
}

/** An occupant presence from the room (XEP-0045 §7.2.3). */
export function roomPresence(p: PresenceSpec): Xel {
  const attrs: Record<string, string> = { from: p.from ?? `${ROOM}/${p.nick}` };
  if (p.type) attrs.type = p.type;
  const el = new Element("presence", attrs);
  if (p.type === "error") {
    el.c("error", { type: "auth" }).c(p.condition ?? "registration-required", {
      xmlns: MUC_NS.stanzas,
    });
    return el as unknown as Xel;
  }
  const x = el.c("x", { xmlns: MUC_NS.user });
  const item: Record<string, string> = {
    role: p.role ?? (p.type === "unavailable" ? "none" : "participant"),
    affiliation: p.affiliation ?? "member",
  };
  if (p.jid) item.jid = `${p.jid}/res`;
  x.c("item", item);
  for (const code of p.codes ?? []) x.c("status", { code: String(code) });
  return el as unknown as Xel;
}

/** An iq answer from the room. */
export function roomIq(id: string, type: "result" | "error", condition = "forbidden"): Xel {
  const el = new Element("iq", { from: ROOM, id, type });
  if (type === "error") el.c("error", { type: "auth" }).c(condition, { xmlns: MUC_NS.stanzas });
  return el as unknown as Xel;
}

/** A message carrying `payload`, from `from`, of `type`. */
export function messageWith(from: string, payload: Xel | undefined, type = "groupchat"): Xel {
  const el = new Element("message", { from, type, to: M1 });
  if (payload) el.cnode(payload as unknown as Element);
  return el as unknown as Xel;
}

/** A groupchat bounce as Prosody sends it to a visitor. */
export function groupchatError(condition = "forbidden"): Xel {
  const el = new Element("message", { from: ROOM, type: "error" });
  el.c("error", { type: "auth" }).c(condition, { xmlns: MUC_NS.stanzas });
  return el as unknown as Xel;
}

/** A mediated invitation (XEP-0045 §7.8.2) as the room forwards it. */
export function invitation(inviter: string): Xel {
  return new Element("message", { from: ROOM, to: M1 })
    .c("x", { xmlns: MUC_NS.user }).c("invite", { from: inviter }).root() as unknown as Xel;
}
