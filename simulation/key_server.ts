/**
 * The key server node: one XMPP login, one key server machine per group
 * (state-machines/group-keying), registrations answered by direct message,
 * rekeys distributed by the selected path (PD-129): (a) `unicast`, a direct
 * message to every registered member; (b) `room`, one message to the
 * group's publisher (the control centre, the room's moderator), which
 * publishes it in the room. The key server sees its members' presence
 * (shared roster) and evicts those that go unavailable — every loss of a
 * group within `evictAfterMs` in one rekey. Joins are batched the same way
 * when the scenario sets a join batch window (PD-267, PD-268): every member
 * admitted within it joins in one rekey.
 *
 * Where it runs is the placement (PD-231, PD-258): its own login under the
 * KDC's identity (`login`), or inside the control centre's login under the
 * control centre's identity (`host`): the control centre hands it the
 * `<gdoi>` messages and presence it receives, it sends through the control
 * centre's session, and what it says to the control centre itself (its
 * registration, rekeys to relay) stays in the process.
 *
 * @module
 */
import { Element } from "ltx";
import { keyServer } from "../state-machines/group-keying/key_server.ts";
import type {
  KeyServerInput,
  KeyServerState,
} from "../state-machines/group-keying/key_server_types.ts";
import type { GroupPolicy } from "../state-machines/group-keying/policy.ts";
import {
  GDOI_NS,
  gdoiElement,
  gdoiFromElement,
  type XmlLike,
} from "../state-machines/group-keying/xml.ts";
import { directMessage } from "../state-machines/muc/stanzas.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import type { KeyServerComposition } from "../state-machines/group-keying/placement.ts";
import { Alarm, entropyFor, type SimContext, trustOf } from "./context.ts";
import type { Link } from "./network.ts";

export interface GroupSpec {
  readonly name: string;
  /** DER bare JIDs of the group. */
  readonly members: readonly string[];
}

const bareOf = (jid: string) => jid.split("/")[0];

export class KeyServerNode {
  link?: Link;
  readonly states = new Map<string, KeyServerState>();
  readonly registered = new Map<string, Set<string>>();
  readonly #groupOf = new Map<string, string>();
  readonly #lost = new Map<string, Set<string>>();
  #evictPending = false;
  readonly #alarms = new Map<string, Alarm>();
  readonly #ctx: SimContext;
  /** Ids of the direct messages we send, per node (a run must not depend on an earlier one). */
  #msgs = 0;
  readonly #evictAfterMs: number;
  /** Hosted in the control centre: its session, and the way to the control centre itself. */
  #host?: { send(s: Xel): void; local(s: Xel): void };

  /** `placed`: the key server's identity (placeKeyServer, PD-231). */
  constructor(
    ctx: SimContext,
    groups: readonly GroupSpec[],
    placed: KeyServerComposition,
    evictAfterMs = 1_000,
  ) {
    this.#ctx = ctx;
    this.#evictAfterMs = evictAfterMs;
    for (const g of groups) {
      const policy: GroupPolicy = {
        groupId: g.name,
        suite: ctx.grid.suite,
        kekLength: 16,
        streams: [{ streamId: ctx.stream, protection: "aes-128-gcm", publishers: [ctx.at.cc] }],
        members: [ctx.at.cc, ...g.members],
        tekLifetimeMs: 24 * 3_600_000,
        tekLeadMs: 60_000,
      };
      this.states.set(
        g.name,
        keyServer.init({
          // spec: PD-231 PD-258
          jid: placed.keyServer.jid,
          policy,
          chain: placed.keyServer.chain,
          sign: placed.keyServer.sign,
          ...trustOf(ctx),
          entropy: entropyFor(ctx, `ks/${g.name}`),
          // spec: PD-267 PD-268
          joinBatchMs: ctx.joinBatchMs,
          now: ctx.clock.now,
        }),
      );
      this.registered.set(g.name, new Set());
      for (const m of g.members) this.#groupOf.set(m, g.name);
    }
  }

  login(): void {
    this.link = this.#ctx.net.connect(this.#ctx.at.ks.split("@")[0], "ks", {
      established: () => this.link!.send(new Element("presence") as unknown as Xel),
      stanza: (s) => this.stanza(s),
      closed: () => {},
      error: (code) => this.#ctx.metrics.error(code),
    });
  }

  /**
   * Runs inside the control centre's login (PD-258): `send` goes out on its
   * session, `local` hands a message to the control centre itself.
   */
  // spec: PD-258 PAPER-OPT5 DL-CRED-7
  host(send: (s: Xel) => void, local: (s: Xel) => void): void {
    this.#host = { send, local };
  }

  /** A presence or `<gdoi>` message for the key server. */
  stanza(s: Xel): void {
    const from = s.attrs.from ?? "";
    const now = this.#ctx.clock.now;
    if (s.name === "presence") {
      // spec: PAPER-MAP3 RFC2627-leave DL-SIM-4
      if (s.attrs.type !== "unavailable") return;
      const bare = bareOf(from), group = this.#groupOf.get(bare);
      if (!group || !this.registered.get(group)!.has(bare)) return;
      const set = this.#lost.get(group) ?? new Set();
      this.#lost.set(group, set.add(bare));
      if (!this.#evictPending) {
        this.#evictPending = true;
        this.#ctx.clock.at(now + this.#evictAfterMs, () => this.#evict());
      }
      return;
    }
    if (s.name !== "message" || s.attrs.type === "error") return;
    const el = s.children.find((c): c is Xel =>
      typeof c === "object" && c.name === "gdoi" && c.attrs.xmlns === GDOI_NS
    );
    if (!el) return;
    let data: Uint8Array;
    try {
      data = gdoiFromElement(el as unknown as XmlLike).data;
    } catch (e) {
      return this.#ctx.metrics.error((e as { code?: string }).code ?? "gdoi/malformed");
    }
    const group = el.attrs.group ?? "";
    if (!this.states.has(group)) return this.#ctx.metrics.error("gdoi/wrong-group");
    this.step(group, { type: "message", data, from, now });
  }

  /** Evicts every member lost since the last eviction: one rekey per group. */
  // spec: PD-193 DL-SIM-4
  #evict(): void {
    this.#evictPending = false;
    const now = this.#ctx.clock.now;
    for (const [group, lost] of [...this.#lost].sort(([a], [b]) => a < b ? -1 : 1)) {
      const jids = [...lost].sort();
      this.#ctx.metrics.event(now, "evict", group, jids.join(","));
      this.step(group, { type: "evict", jids, now });
    }
    this.#lost.clear();
  }

  step(group: string, input: KeyServerInput): void {
    const ctx = this.#ctx;
    const registered = this.registered.get(group)!;
    const before = [...registered];
    const r = keyServer.step(this.states.get(group)!, input);
    this.states.set(group, r.state);
    for (const o of r.out) {
      switch (o.type) {
        case "send":
          this.#send(o.to, o.data);
          break;
        case "member-added":
          registered.add(o.jid);
          break;
        case "member-removed":
          registered.delete(o.jid);
          ctx.metrics.add("evictions");
          break;
        case "rekey":
          ctx.metrics.add("rekeys");
          ctx.metrics.event(ctx.clock.now, "rekey", group, `${o.seq} ${o.stats.wraps}`);
          // spec: PD-129 PAPER-M4 DL-SIM-3
          if (ctx.keyPath === "room") this.#send(ctx.at.ccFull, o.data);
          else {
            // A joiner's key download already holds this rekey's keys.
            for (const jid of before) if (registered.has(jid)) this.#send(jid, o.data);
          }
          break;
        case "timer":
          this.#alarm(group).arm(o.at);
          break;
        case "error":
          ctx.metrics.error(o.code);
          break;
      }
    }
  }

  #alarm(group: string): Alarm {
    let a = this.#alarms.get(group);
    if (!a) {
      const ctx = this.#ctx;
      a = new Alarm(ctx.clock, () => this.step(group, { type: "tick", now: ctx.clock.now }));
      this.#alarms.set(group, a);
    }
    return a;
  }

  #send(to: string, data: Uint8Array): void {
    const st = directMessage(to, `k${++this.#msgs}`, gdoiElement(data) as unknown as Xel);
    if (!this.#host) return this.link?.send(st);
    // spec: PD-258 DL-CRED-7
    if (bareOf(to) !== this.#ctx.at.cc) return this.#host.send(st);
    st.attrs.from = this.#ctx.at.ccFull;
    this.#host.local(st);
  }
}
