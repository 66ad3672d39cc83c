/**
 * The live checks that need logged-in sessions: `from` stamping
 * (DL-LIVE-4), presence unavailable after an abrupt disconnect to a contact
 * (DL-LIVE-5) and to a room occupant (DL-LIVE-6), and the moderated,
 * members-only room (DL-LIVE-7, DL-LIVE-8). The room is created and
 * configured by the project's room machine exactly as a publisher creates
 * its group's room. Verdict rules: PD-174.
 *
 * @module
 */
import { Element } from "ltx";
import { toHex } from "../../core/bytes.ts";
import type { EntropySource } from "../../core/entropy.ts";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import { groupchat } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { available, bareOf, errorCondition, presenceTo, RoomDriver, waitFor } from "./sessions.ts";
import { type CheckResult, result } from "./types.ts";

const ms = (x: number) => Math.round(x * 10) / 10;
const isPresence = (s: Xel, from: string, type?: string) =>
  s.name === "presence" && bareOf(s.attrs.from) === from && s.attrs.type === type;

/**
 * Makes `a` see `b`'s presence: both send initial presence; when `a` sees
 * nothing (no shared roster group, no subscription), each asks the other
 * for a subscription and both approve. Returns how the relation came about,
 * or undefined when `a` still sees no presence of `b`.
 */
export async function presenceRelation(
  a: XmppClient,
  b: XmppClient,
  timeoutMs: number,
): Promise<string | undefined> {
  const aJid = bareOf(a.jid), bJid = bareOf(b.jid);
  const first = waitFor(a, (s) => isPresence(s, bJid), Math.min(timeoutMs, 3_000));
  a.send(available());
  b.send(available());
  if (await first) return "already contacts (shared roster group or existing subscription)";
  // spec: RFC6121-4.5.2
  const approve = (self: XmppClient, other: string) =>
    self.on("presence", (s) => {
      if (isPresence(s, other, "subscribe")) self.send(presenceTo(other, "subscribed"));
    });
  const offs = [approve(a, bJid), approve(b, aJid)];
  try {
    const seen = waitFor(a, (s) => isPresence(s, bJid), timeoutMs);
    a.send(presenceTo(bJid, "subscribe"));
    b.send(presenceTo(aJid, "subscribe"));
    return (await seen) ? "subscribed to each other by the check" : undefined;
  } finally {
    offs.forEach((off) => off());
  }
}

type FromOutcome =
  | { kind: "delivered"; from: string }
  | { kind: "stanza-error"; condition?: string }
  | { kind: "closed"; code?: string }
  | { kind: "none" };

/** DL-LIVE-4: a second session of `a` sends `b` a message whose `from` names `spoofAs`. */
// spec: DL-LIVE-4 PD-174
export async function checkFromStamping(
  spoofer: XmppClient,
  b: XmppClient,
  spoofAs: string,
  entropy: EntropySource,
  timeoutMs: number,
): Promise<CheckResult> {
  const nonce = toHex(entropy.bytes(8));
  const id = `live-from-${nonce}`;
  const sender = spoofer.jid;
  const outcome = await new Promise<FromOutcome>((resolve) => {
    const offs: (() => void)[] = [];
    const done = (x: FromOutcome) => {
      clearTimeout(timer);
      offs.forEach((off) => off());
      resolve(x);
    };
    const timer = setTimeout(() => done({ kind: "none" }), timeoutMs);
    offs.push(
      b.on("message", (m) => {
        if (m.getChildText("body")?.includes(nonce)) {
          done({ kind: "delivered", from: m.attrs.from ?? "" });
        }
      }),
      spoofer.on("stanza", (s) => {
        if (s.attrs.type === "error" && s.attrs.id === id) {
          done({ kind: "stanza-error", condition: errorCondition(s) });
        }
      }),
      spoofer.on("closed", (end) => done({ kind: "closed", code: end.error?.code })),
    );
    const m = new Element("message", { to: bareOf(b.jid), from: spoofAs, type: "chat", id });
    m.c("body").t(`derlink live check: from-stamping probe ${nonce}`);
    try {
      spoofer.send(m as unknown as Xel);
    } catch (e) {
      done({ kind: "closed", code: (e as { code?: string }).code });
    }
  });
  const observed = { sentFrom: sender, spoofedAs: spoofAs, outcome: outcome.kind, ...outcome };
  switch (outcome.kind) {
    case "delivered":
      if (bareOf(outcome.from) === bareOf(sender)) {
        return result(
          "from",
          "pass",
          `rewritten: delivered with from='${outcome.from}'` +
            (outcome.from === sender ? " (the sending session)" : ""),
          observed,
        );
      }
      return result("from", "fail", `delivered with from='${outcome.from}'`, observed);
    case "stanza-error":
      return result("from", "pass", `refused with a stanza error (${outcome.condition})`, observed);
    case "closed":
      return result("from", "pass", `refused: the stream was closed (${outcome.code})`, observed);
    case "none":
      return result(
        "from",
        "fail",
        `neither delivered nor refused within ${timeoutMs} ms (RFC 6120 asks for one of them)`,
        observed,
      );
  }
}

/** The room checks' shared state: the observer's (publisher's) and the member's room machines. */
export interface RoomSetup {
  readonly room: string;
  readonly owner: RoomDriver;
  readonly member: RoomDriver;
  readonly memberNick: string;
}

/** Creates a moderated, members-only room with `a` as owner and `b` as member without voice. */
export async function setUpRoom(
  a: XmppClient,
  b: XmppClient,
  service: string,
  entropy: EntropySource,
  timeoutMs: number,
): Promise<RoomSetup> {
  const room = `derlink-live-${toHex(entropy.bytes(6))}@${service}`;
  const owner = new RoomDriver(a, {
    room,
    nick: "observer",
    jid: bareOf(a.jid),
    role: "publisher",
    members: [bareOf(b.jid)],
    idPrefix: "live-owner",
  });
  owner.step({ type: "join" });
  if (!await owner.until(() => owner.events("ready").length > 0, timeoutMs)) {
    throw new Error(`room ${room} not ready: ${owner.errors().join("; ") || owner.state.phase}`);
  }
  const member = new RoomDriver(b, {
    room,
    nick: "member",
    jid: bareOf(b.jid),
    role: "subscriber",
    idPrefix: "live-member",
  });
  member.step({ type: "join" });
  if (!await member.until(() => member.events("ready").length > 0, timeoutMs)) {
    throw new Error(`member could not join: ${member.errors().join("; ") || member.state.phase}`);
  }
  // spec: PD-127
  await member.until(() => member.state.self?.role === "visitor", timeoutMs);
  return { room, owner, member, memberNick: "member" };
}

/** DL-LIVE-7: the member (a visitor) sends groupchat; the room must bounce it and relay nothing. */
// spec: DL-LIVE-7 PD-174
export async function checkVoiceless(
  s: RoomSetup,
  entropy: EntropySource,
  timeoutMs: number,
): Promise<CheckResult> {
  const role = s.member.state.self?.role;
  if (role !== "visitor") {
    return result("voiceless", "fail", `the member's voice was not revoked (role ${role})`, {
      role,
    });
  }
  const id = `live-voice-${toHex(entropy.bytes(6))}`;
  const relayed: string[] = [];
  const off = s.owner.client.on("message", (m) => {
    if (m.attrs.id === id && m.attrs.type !== "error") relayed.push(m.attrs.from ?? "");
  });
  try {
    const body = new Element("body").t("derlink live check: voice probe") as unknown as Xel;
    s.member.client.send(groupchat(s.room, id, body));
    const refused = await s.member.until(
      () => s.member.errors().some((e) => e.startsWith("muc/publish-refused")),
      timeoutMs,
    );
    await new Promise((r) => setTimeout(r, 300));
    const refusal = s.member.errors().find((e) => e.startsWith("muc/publish-refused"));
    const condition = refusal?.split(" ")[1];
    const observed = { memberRole: role, ...(condition ? { condition } : {}), relayed };
    if (relayed.length > 0) {
      return result("voiceless", "fail", "the room relayed the visitor's message", observed);
    }
    if (!refused) {
      return result("voiceless", "fail", `no refusal within ${timeoutMs} ms`, observed);
    }
    return result("voiceless", "pass", `refused (${condition}), not relayed`, observed);
  } finally {
    off();
  }
}

/** DL-LIVE-8: a stranger tries to join; the members-only room must refuse. */
// spec: DL-LIVE-8 PD-174
export async function checkNonMember(
  s: RoomSetup,
  stranger: XmppClient,
  timeoutMs: number,
): Promise<CheckResult> {
  const r = new RoomDriver(stranger, {
    room: s.room,
    nick: "stranger",
    jid: bareOf(stranger.jid),
    role: "subscriber",
    idPrefix: "live-stranger",
  });
  try {
    r.step({ type: "join" });
    await r.until(
      () =>
        r.errors().some((e) => e.startsWith("muc/join-refused")) || r.events("ready").length > 0,
      timeoutMs,
    );
    const refusal = r.errors().find((e) => e.startsWith("muc/join-refused"));
    const condition = refusal?.split(" ")[1];
    const seenByOwner = s.owner.events("occupant-joined").some((e) =>
      e.event.type === "occupant-joined" && e.event.occupant.nick === "stranger"
    );
    const observed = { ...(condition ? { condition } : {}), joined: r.events("ready").length > 0 };
    if (r.events("ready").length > 0 || seenByOwner) {
      return result("nonMember", "fail", "the non-member entered the room", observed);
    }
    if (!refusal) return result("nonMember", "fail", `no answer within ${timeoutMs} ms`, observed);
    return result("nonMember", "pass", `join refused (${condition})`, observed);
  } finally {
    r.detach();
  }
}

/**
 * DL-LIVE-5 and DL-LIVE-6: cuts `b`'s connection (no closing stream, no
 * unavailable presence from it) and measures how long until `a` hears of it
 * as a contact and as an occupant of the room.
 */
// spec: DL-LIVE-5 DL-LIVE-6 PD-174
export async function checkAbruptDisconnect(
  a: XmppClient,
  b: XmppClient,
  contacts: boolean,
  room: RoomSetup | undefined,
  maxDelayMs: number,
  timeoutMs: number,
): Promise<{ roster?: CheckResult; room?: CheckResult }> {
  const bJid = bareOf(b.jid);
  const rosterGone = contacts
    ? waitFor(a, (s) => isPresence(s, bJid, "unavailable"), timeoutMs)
    : Promise.resolve(undefined);
  const occupantLeft = () =>
    room?.owner.events("occupant-left").find((e) =>
      e.event.type === "occupant-left" && e.event.occupant.nick === room.memberNick
    );
  const roomGone = room ? room.owner.until(() => occupantLeft() !== undefined, timeoutMs) : false;
  const t0 = performance.now();
  b.dropConnection();
  const [seen, left] = await Promise.all([rosterGone, roomGone]);
  const judge = (name: "rosterGone" | "roomGone", at: number | undefined): CheckResult => {
    if (at === undefined) {
      return result(name, "fail", `no presence unavailable within ${timeoutMs} ms`, {
        timeoutMs,
      });
    }
    const delayMs = ms(at - t0);
    const observed = { delayMs, maxDelayMs };
    return delayMs <= maxDelayMs
      ? result(name, "pass", `presence unavailable after ${delayMs} ms`, observed)
      : result(name, "fail", `presence unavailable only after ${delayMs} ms`, observed);
  };
  return {
    ...(contacts ? { roster: judge("rosterGone", seen?.at) } : {}),
    ...(room ? { room: judge("roomGone", left ? occupantLeft()?.at : undefined) } : {}),
  };
}
