/**
 * Wiring for the MUC group interop test: a member node (an XMPP client, a
 * room machine and a group member machine) and the key server node (a
 * client and the key server machine), connected the way an application
 * would connect them. The machines decide; this file only moves stanzas and
 * records what happened for the test to check.
 *
 * @module
 */
import { Element } from "ltx";
import { toBase64, toHex } from "../../core/bytes.ts";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import { keyServer } from "../../state-machines/group-keying/key_server.ts";
import type {
  KeyServerConfig,
  KeyServerOutput,
  KeyServerState,
} from "../../state-machines/group-keying/key_server_types.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import type {
  MemberConfig,
  MemberInput,
  MemberOutput,
  MemberState,
} from "../../state-machines/group-keying/member_types.ts";
import { gdoiElement, spduElement } from "../../state-machines/group-keying/xml.ts";
import { room } from "../../state-machines/muc/machine.ts";
import { directMessage } from "../../state-machines/muc/stanzas.ts";
import type {
  RoomConfig,
  RoomInput,
  RoomOutput,
  RoomState,
} from "../../state-machines/muc/types.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";

/** How rekeys reach members (PD-129). */
export type KeyPath = "unicast" | "room";

let ids = 0;
const nextId = () => `g-${++ids}`;

/** One group member: publisher or subscriber. */
export class MemberNode {
  room: RoomState;
  gm: MemberState;
  readonly roomOut: RoomOutput[] = [];
  readonly gmOut: MemberOutput[] = [];
  /** Serialised stanzas this client received, for the key search. */
  readonly received: string[] = [];
  #waiters: (() => void)[] = [];

  constructor(
    readonly client: XmppClient,
    roomConfig: RoomConfig,
    memberConfig: MemberConfig,
  ) {
    this.room = room.init(roomConfig);
    this.gm = member.init(memberConfig);
    client.on("stanza", (s) => {
      this.received.push(s.toString());
      this.roomStep({ type: "stanza", stanza: s });
    });
  }

  roomStep(input: RoomInput): void {
    const r = room.step(this.room, input);
    this.room = r.state;
    this.roomOut.push(...r.out);
    for (const o of r.out) {
      if (o.type === "send") this.client.send(o.stanza);
      if (o.type === "spdu") {
        this.gmStep({ type: "spdu", data: o.data, from: o.from, now: Date.now() });
      }
      if (o.type === "gdoi") {
        this.gmStep({ type: "message", data: o.data, from: o.from, now: Date.now() });
      }
    }
    this.#wake();
  }

  gmStep(input: MemberInput): void {
    const r = member.step(this.gm, input);
    this.gm = r.state;
    this.gmOut.push(...r.out);
    for (const o of r.out) {
      if (o.type === "send") {
        this.client.send(directMessage(o.to, nextId(), gdoiElement(o.data) as unknown as Xel));
      }
      if (o.type === "publish") {
        this.roomStep({ type: "publish", payload: spduElement(o.data) as unknown as Xel });
      }
    }
    this.#wake();
  }

  /** Resolves when `test` holds (checked after every step). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (test()) resolve();
        else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  roomEvents(type: string) {
    return this.roomOut.filter((o) => o.type === "event" && o.event.type === type);
  }

  roomErrors(): string[] {
    return this.roomOut.flatMap((o) => o.type === "error" ? [`${o.code} ${o.detail}`] : []);
  }

  delivered(): string[] {
    return this.gmOut.flatMap((o) =>
      o.type === "deliver" ? [new TextDecoder().decode(o.payload)] : []
    );
  }

  gmErrors(): string[] {
    return this.gmOut.flatMap((o) => o.type === "error" ? [o.code] : []);
  }

  gmEvents(type: string) {
    return this.gmOut.filter((o) => o.type === "event" && o.event.type === type);
  }
}

/** The key server: answers registrations directly; rekeys go by `path`. */
export class KeyServerNode {
  ks: KeyServerState;
  readonly out: KeyServerOutput[] = [];
  readonly registered = new Set<string>();
  /** Every key the key server ever held (traffic keys and tree keys), as bytes. */
  readonly secrets = new Map<string, Uint8Array>();
  readonly received: string[] = [];
  path: KeyPath = "unicast";
  /** Where rekeys go on the room path: the publisher publishes them. */
  publishThroughRoom?: (rekey: Uint8Array) => void;

  constructor(readonly client: XmppClient, config: KeyServerConfig) {
    this.ks = keyServer.init(config);
    this.#collect();
    client.on("message", (m) => {
      this.received.push(m.toString());
      const g = m.children.find((c): c is Xel => typeof c === "object" && c.name === "gdoi");
      const from = m.attrs.from;
      if (!g || from === undefined || m.attrs.type === "error") return;
      const data = Uint8Array.from(atob(g.getText().replace(/\s+/g, "")), (c) => c.charCodeAt(0));
      this.step({ type: "message", data, from, now: Date.now() });
    });
  }

  step(input: Parameters<typeof keyServer.step>[1]): KeyServerOutput[] {
    const before = [...this.registered];
    const r = keyServer.step(this.ks, input);
    this.ks = r.state;
    this.out.push(...r.out);
    this.#collect();
    for (const o of r.out) {
      if (o.type === "send") {
        this.client.send(directMessage(o.to, nextId(), gdoiElement(o.data) as unknown as Xel));
      }
      if (o.type === "member-added") this.registered.add(o.jid);
      if (o.type === "member-removed") this.registered.delete(o.jid);
      if (o.type === "rekey") {
        if (this.path === "room" && this.publishThroughRoom) this.publishThroughRoom(o.data);
        else {
          // Members registered before this step; a joiner's key download already covers it.
          for (const jid of before) {
            if (!this.registered.has(jid)) continue;
            this.client.send(directMessage(jid, nextId(), gdoiElement(o.data) as unknown as Xel));
          }
        }
      }
    }
    return [...r.out];
  }

  /** Remembers every key the server holds now (tree nodes and traffic keys). */
  #collect(): void {
    for (const t of this.ks.teks) this.secrets.set(toHex(t.key), t.key);
    const tree = this.ks.tree;
    for (let level = 0; level <= tree.height; level++) {
      for (let pos = 0; pos < 2 ** (tree.height - level); pos++) {
        if (tree.countAt(level, pos) === 0) continue;
        try {
          const k = tree.nodeKey(level, pos).key;
          this.secrets.set(toHex(k), k);
        } catch { /* empty node */ }
      }
    }
  }
}

/** Every text form of a key a leak could take: hex both cases, base64 with and without padding. */
// spec: PD-132 PAPER-TA5
export function keyForms(key: Uint8Array): string[] {
  const hex = toHex(key), b64 = toBase64(key);
  return [hex, hex.toUpperCase(), b64, b64.replace(/=+$/, "")];
}

/** Initial presence, so messages to our bare JID reach this session. */
export const available = (): Xel => new Element("presence") as unknown as Xel;
