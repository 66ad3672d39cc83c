/**
 * The attack scenarios, each executed against a configuration and judged
 * from what the run itself shows (PD-237): the server's view (tap.ts), the
 * DERs' counters and error codes, and what an attacker's own session got
 * back. Outcomes:
 *
 * - succeeded: the attacker reached the goal (plaintext seen, a DER acted,
 *   a stanza delivered, a command read);
 * - detected: it reached its target, which refused it with a typed code;
 * - blocked: it was stopped before that (refused by the server's policy,
 *   or what got through was useless without a key), or ignored.
 *
 * The evidence string says why, with codes and counts only (no secrets, no
 * wall-clock numbers), so the table is the same every run with a seed.
 *
 * @module
 */
import { Element } from "ltx";
import { fromBase64, toBase64 } from "../../core/bytes.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { Seen, TappedNetwork } from "./tap.ts";
import type { RogueMember } from "./rogue_member.ts";

export type Outcome = "blocked" | "detected" | "succeeded" | "n/a";

export interface AttackResult {
  readonly outcome: Outcome;
  readonly evidence: string;
}

export interface AttackSpec {
  readonly id: AttackId;
  readonly title: string;
}

export type AttackId =
  | "server-reads"
  | "forged-command"
  | "replayed-command"
  | "replayed-command-late"
  | "evicted-reads"
  | "stolen-address"
  | "stolen-publish"
  | "stolen-read"
  | "stolen-other-room"
  | "operator-ca"
  | "expired-token";

// spec: PD-237 DL-CMP-4
export const ATTACKS: readonly AttackSpec[] = [
  { id: "server-reads", title: "server operator reads a command" },
  { id: "forged-command", title: "server injects a forged command" },
  { id: "replayed-command", title: "server replays a command 1 s later" },
  { id: "replayed-command-late", title: "server replays a command half a phase later" },
  { id: "evicted-reads", title: "evicted DER left in the room reads the next command" },
  { id: "stolen-address", title: "stolen DER login addresses another DER" },
  { id: "stolen-publish", title: "stolen DER login publishes a tariff" },
  { id: "stolen-read", title: "stolen DER login joins the room, reads the next command" },
  { id: "stolen-other-room", title: "stolen DER login joins another group's room" },
  {
    id: "operator-ca",
    title: "server operator issues itself a DER certificate, takes the group key, commands",
  },
  { id: "expired-token", title: "control centre presents an expired token" },
];

/** Text that only a command in clear contains: the group command's namespace, the limit control. */
export const COMMAND_MARKERS = ["urn:derlink:der-group-command", "WMaxLimPct"] as const;

export const carriesCommand = (text: string) => COMMAND_MARKERS.some((m) => text.includes(m));

const elements = (x: Xel): Xel[] => x.children.filter((c): c is Xel => typeof c === "object");

const r = (outcome: Outcome, evidence: string): AttackResult => ({ outcome, evidence });

/** Server operator: search everything the server saw for command plaintext. */
// spec: PD-237 PAPER-R6a PAPER-R6b DL-CMP-4
export function judgeServerReads(seen: readonly Seen[]): AttackResult {
  const hits = seen.filter((s) => carriesCommand(s.stanza.toString())).length;
  // Counts of the whole view change with any scenario change: the cell names only what matters.
  return hits > 0
    ? r("succeeded", `${hits} stanza(s) in the server's view carried a command in clear`)
    : r("blocked", "no stanza in the server's view carried a command in clear");
}

/** A group command as the room delivered it to a DER: a groupchat from the room's operator. */
export const isRoomCommand = (s: Seen, room: string): boolean =>
  s.dir === "down" && s.stanza.name === "message" && s.stanza.attrs.type === "groupchat" &&
  s.stanza.attrs.from === `${room}/operator` &&
  s.stanza.children.some((c) =>
    typeof c === "object" && (c.name === "spdu" || c.name === "group-command")
  );

/** A copy of a stanza (the original stays as delivered). */
export const copyStanza = (s: Xel): Xel => parseElement(s.toString()) as unknown as Xel;

/** Value elements a forger can set to 0 and still send a well-formed command. */
const NUMERIC = new Set(["float", "integer", "unsigned"]);

/**
 * The forger's best try on a captured command: in clear, rewrite the limit
 * (the numeric value of each operate; an enable flag stays as it was, so
 * the command stays well-formed); protected, flip the last byte of the SPDU.
 */
export function forge(stanza: Xel): Xel {
  const f = copyStanza(stanza);
  const payload = f.children.find((c): c is Xel => typeof c === "object");
  if (!payload) return f;
  if (payload.name === "group-command") {
    for (const op of elements(payload).filter((c) => c.name === "operate")) {
      for (const v of elements(op)) if (NUMERIC.has(v.name)) v.children = ["0"];
    }
  } else {
    const data = fromBase64(payload.getText().trim());
    data[data.length - 1] ^= 0x01;
    payload.children = [toBase64(data)];
  }
  return f;
}

/** Counts a run leaves that the judges compare with the clean run's. */
export interface RunCounts {
  readonly applied: number;
  readonly errors: ReadonlyMap<string, number>;
}

/** A command the server injected: did the DERs act on it, refuse it with a code, or ignore it? */
export function judgeInjected(
  clean: RunCounts,
  attacked: RunCounts,
  delivered: boolean,
): AttackResult {
  if (!delivered) return r("n/a", "no command was seen to inject");
  const applied = attacked.applied - clean.applied;
  if (applied > 0) return r("succeeded", `the DER applied it (${applied} more applied)`);
  const codes = [...attacked.errors]
    .filter(([code, n]) => n > (clean.errors.get(code) ?? 0))
    .map(([code]) => code).sort();
  return codes.length > 0
    ? r("detected", `refused: ${codes.join(", ")}`)
    : r("blocked", "ignored by the DER");
}

/** The scenario's own eviction: dropped DERs come back and re-enter their rooms. */
// spec: PD-237 PAPER-MAP3 DL-CMP-4
export function judgeEvicted(c: {
  dropped: number;
  evictedApplied: number;
  evictedRefused: number;
  refusalCodes: readonly string[];
}): AttackResult {
  if (c.dropped === 0) return r("n/a", "no DER was evicted");
  if (c.evictedApplied > 0) {
    return r("succeeded", `${c.evictedApplied} of ${c.dropped} evicted DERs applied it`);
  }
  if (c.evictedRefused > 0) {
    return r(
      "detected",
      `${c.evictedRefused} of ${c.dropped} refused: ${c.refusalCodes.join(", ")}`,
    );
  }
  return r("blocked", "the evicted DERs never received it");
}

/** An error stanza's condition and its `<text/>` (the ACL's code travels there). */
export function errorOf(s: Xel): string {
  const e = elements(s).find((c) => c.name === "error");
  if (!e) return "error";
  const parts: string[] = [];
  for (const c of e.children) {
    if (typeof c !== "object") continue;
    if (c.name === "text") parts.push(c.getText());
    else parts.unshift(c.name);
  }
  return parts.join(" ");
}

/** What the thief's session saw, collected while the run goes on. */
export class ThiefLog {
  /** Stanzas the thief's own session received. */
  readonly received: Xel[] = [];
  /** Whether the message to the other DER reached it. */
  deliveredToOther = false;
  joined = false;
  /** The group member the thief runs when the stolen login is also the end-to-end key (PD-257). */
  rogue?: RogueMember;

  replyTo(id: string): Xel | undefined {
    return this.received.find((s) => s.attrs.id === id);
  }
}

export const THIEF_IDS = { address: "thief-1", publish: "thief-2" } as const;

/** The stanzas a thief with DER A's login sends (room join last: it waits for the command). */
export function thiefStanzas(o: {
  otherDer: string;
  pubsub: string;
  node: string;
  room: string;
  /** Another group's room, which the DER is not a member of. */
  foreignRoom: string;
}): Xel[] {
  const msg = new Element("message", { to: o.otherDer, type: "normal", id: THIEF_IDS.address })
    .c("body").t("stop feeding in").root();
  const pub = new Element("iq", { to: o.pubsub, type: "set", id: THIEF_IDS.publish })
    .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
    .c("publish", { node: o.node }).c("item", { id: "thief" })
    .c("tariff", { xmlns: "urn:derlink:tariff:thief" }).root();
  const joinOf = (room: string) =>
    new Element("presence", { to: `${room}/thief` })
      .c("x", { xmlns: "http://jabber.org/protocol/muc" }).root();
  return [msg, pub, joinOf(o.foreignRoom), joinOf(o.room)] as unknown as Xel[];
}

export function judgeThief(log: ThiefLog, room: string, foreignRoom: string): Record<
  "stolen-address" | "stolen-publish" | "stolen-read" | "stolen-other-room",
  AttackResult
> {
  const reply = (id: string, okText: string) => {
    const s = log.replyTo(id);
    if (!s) return undefined;
    return s.attrs.type === "error"
      ? r("blocked", `refused: ${errorOf(s)}`)
      : r("succeeded", okText);
  };
  const address = log.deliveredToOther
    ? r("succeeded", "delivered to the other DER")
    : reply(THIEF_IDS.address, "delivered") ?? r("blocked", "dropped by the server");
  const publish = reply(THIEF_IDS.publish, "published") ?? r("blocked", "no answer");
  const fromRoom = log.received.filter((s) => s.attrs.from?.startsWith(`${room}/`));
  const joinError = fromRoom.find((s) => s.name === "presence" && s.attrs.type === "error");
  let read: AttackResult;
  if (joinError) read = r("blocked", `join refused: ${errorOf(joinError)}`);
  else if (!log.joined) read = r("blocked", "not let into the room");
  else {
    const commands = fromRoom.filter((s) => s.name === "message" && s.attrs.type === "groupchat");
    const clear = commands.filter((s) => carriesCommand(s.toString())).length;
    const opened = log.rogue?.opened ?? 0;
    // spec: PD-257 DL-CRED-6
    read = opened > 0
      ? r(
        "succeeded",
        `joined; opened ${opened} command(s) with the group key of the stolen certificate`,
      )
      : clear > 0
      ? r("succeeded", `joined; read ${clear} command(s) in clear`)
      : commands.length > 0
      ? r("blocked", "joined; got the command protected, no group key")
      : r("blocked", "joined; no command reached it");
  }
  const foreign = log.received.filter((s) =>
    s.name === "presence" && s.attrs.from === `${foreignRoom}/thief`
  );
  const foreignError = foreign.find((s) => s.attrs.type === "error");
  const other = foreignError
    ? r("blocked", `join refused: ${errorOf(foreignError)}`)
    : foreign.length > 0
    ? r("succeeded", "let into another group's room")
    : r("blocked", "no answer");
  return {
    "stolen-address": address,
    "stolen-publish": publish,
    "stolen-read": read,
    "stolen-other-room": other,
  };
}

/** Watches the thief's session and the other DER's deliveries. */
export function watchThief(tap: TappedNetwork, log: ThiefLog, thiefJid: string, other: string) {
  const prev = tap.watch;
  tap.watch = (s) => {
    prev?.(s);
    if (s.dir === "down" && s.account === other && s.stanza.attrs.from === thiefJid) {
      log.deliveredToOther = true;
    }
  };
}
