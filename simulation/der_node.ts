/**
 * One simulated DER, wired the way a device would wire it: an XMPP login;
 * the server role of the two-party association inside its A-profile
 * session (state-machines/association/endpoint.ts), answered by the DER
 * model (apps/der) that also reports over it; the room machine and the
 * group member machine for its group, with the multicast association
 * (subscriber) keyed on the room's occupant events; and the tariff
 * subscriber. The machines decide; this file routes stanzas by sender,
 * arms timers on the clock and counts what happened.
 *
 * Order of the join: login, initial presence (the control centre then
 * associates), room join, group registration once in the room (so no room
 * rekey can pass it by, PD-129 (b)), tariff subscription once registered.
 *
 * @module
 */
import { Element } from "ltx";
import { SecureAssociation } from "../state-machines/association/endpoint.ts";
import type { Answer } from "../state-machines/association/types.ts";
import type { EndpointOutput } from "../state-machines/association/endpoint.ts";
import type { Report } from "../state-machines/association/services.ts";
import { localSigner } from "../state-machines/a-profile/driver.ts";
import { member } from "../state-machines/group-keying/member.ts";
import type { MemberInput, MemberState } from "../state-machines/group-keying/member_types.ts";
import { gdoiElement } from "../state-machines/group-keying/xml.ts";
import { room } from "../state-machines/muc/machine.ts";
import { directMessage } from "../state-machines/muc/stanzas.ts";
import type { RoomInput, RoomState } from "../state-machines/muc/types.ts";
import { multicastAssociation } from "../state-machines/association/multicast.ts";
import type { MulticastState } from "../state-machines/association/multicast.ts";
import { subscriber } from "../state-machines/pubsub/subscriber.ts";
import type { SubscriberInput, SubscriberState } from "../state-machines/pubsub/types.ts";
import { stanzaError, type Xel } from "../state-machines/xmpp-stream/messages.ts";
import { applyGroupCommand, createDer, serve, tick } from "../apps/der/serve.ts";
import { derConfig } from "../apps/der/config.ts";
import type { DerState } from "../apps/der/state.ts";
import { tryDecodeGroupCommand } from "../apps/control-centre/group_command.ts";
import { Alarm, entropyFor, roomOf, signerOf, type SimContext, trustOf } from "./context.ts";
import type { Link } from "./network.ts";
import { DEADBAND_SHARE } from "./checks.ts";
import type { Identity } from "./pki.ts";
import { endpointProtection, groupKeyed } from "./protection.ts";
import { readPlainCommand } from "./plaintext_group.ts";
import { DerGate } from "./der_access.ts";

export interface DerSpec {
  readonly index: number;
  /** Account localpart, e.g. der00042. */
  readonly account: string;
  /** Logical device name in references, e.g. DER42. */
  readonly ld: string;
  readonly group: string;
  readonly ratedW: number;
  readonly id: Identity;
}

/** What the scenario learns from a DER as it happens. */
export interface DerHooks {
  /** The DER's simulated output changed (W): for the aggregate of the plot. */
  output(der: DerNode, before: number, after: number): void;
}

export const DER_RESOURCE = "der";

export class DerNode {
  readonly spec: DerSpec;
  link?: Link;
  online = false;
  assoc: SecureAssociation;
  model: DerState;
  room!: RoomState;
  gm: MemberState;
  mc!: MulticastState;
  sub: SubscriberState;
  joinedAt?: number;
  /** Group command ids applied, and the codes of group messages refused. */
  readonly applied: number[] = [];
  readonly refusals: string[] = [];
  readonly #ctx: SimContext;
  /** Ids of the direct messages we send, per node (a run must not depend on an earlier one). */
  #msgs = 0;
  readonly #hooks: DerHooks;
  #roomJid: string;
  #ticking = false;
  /** Cut on purpose: our own stream's report of the loss is expected, not an error. */
  #cut = false;
  /** Plaintext baseline: the tariff subscription was asked for (once, not per room join). */
  #subscribed = false;
  readonly #alarm: Alarm;
  /** Option 3: the token gate (PD-244); undefined without operator tokens. */
  readonly #gate?: DerGate;

  constructor(ctx: SimContext, spec: DerSpec, hooks: DerHooks) {
    this.#ctx = ctx;
    this.spec = spec;
    this.#hooks = hooks;
    this.#roomJid = roomOf(ctx, spec.group);
    this.#alarm = new Alarm(ctx.clock, () => this.#assoc({ type: "tick", now: ctx.clock.now }));
    // spec: PD-244 PAPER-OPT3
    if (ctx.tokens) {
      const verifier = ctx.tokens.verifierFor(spec.id.jid, this.#roomJid);
      this.#gate = new DerGate(verifier, ctx.at, this.#roomJid, spec.ld, (code) => {
        ctx.metrics.refusal(code);
        ctx.metrics.event(ctx.clock.now, "refused", spec.account, code);
      });
    }
    const trust = trustOf(ctx);
    this.assoc = new SecureAssociation({
      role: "server",
      peerJid: ctx.at.ccFull,
      aProfile: {
        localJid: spec.id.jid,
        chain: spec.id.chain,
        signatureSuite: spec.id.signer.suite,
        ...trust,
        entropy: entropyFor(ctx, `a-profile/${spec.account}`),
        policy: { suites: [ctx.grid.suite] },
        acceptPeers: [ctx.at.cc],
      },
      signer: localSigner(spec.id.signer),
      // spec: PD-249
      ...endpointProtection(ctx, spec.id),
    });
    this.model = createDer(
      derConfig({
        ld: spec.ld,
        ratedW: spec.ratedW,
        // A clear sky, each array a little different (DC ratio): smooth output, few reports.
        weather: { kind: "clear-sky", seed: spec.index + 1 },
        dcRatio: 0.9 + (spec.index % 7) * 0.05,
        grid: { nominalHz: 50, hzNoise: 0, nominalV: 230, riseAtRated: 0, vNoise: 0 },
        deadband: { w: spec.ratedW * DEADBAND_SHARE, hz: 1, v: 10 },
        priorities: { [ctx.at.cc]: 200, [ctx.at.market]: 100 },
        stepMs: 30_000,
        reports: {
          Meas: { enabled: true, integrityMs: 300_000 },
          Ctl: { enabled: true, integrityMs: 0 },
        },
      }),
      ctx.clock.now,
    );
    this.gm = member.init({
      jid: spec.id.jid,
      groupId: spec.group,
      suite: ctx.grid.suite,
      keyServerJid: ctx.at.ks,
      chain: spec.id.chain,
      sign: signerOf(ctx, spec.id),
      ...trust,
      entropy: entropyFor(ctx, `gm/${spec.account}`),
    });
    this.sub = subscriber.init({
      jid: spec.id.jid,
      service: ctx.at.pubsub,
      market: ctx.at.market,
      node: ctx.at.node,
      ...trust,
      idPrefix: "sub",
    });
  }

  get outputW(): number {
    return this.online ? this.model.power.outputW : 0;
  }

  /** Logs in (again, after a loss: a new session, same full JID). */
  login(): void {
    this.#cut = false;
    this.room = room.init({
      room: this.#roomJid,
      nick: this.spec.account,
      jid: this.spec.id.jid,
      role: "subscriber",
      keyServerJid: this.#ctx.at.ks,
    });
    this.mc = multicastAssociation.init({ role: "subscriber", publisher: this.#ctx.at.cc });
    this.link = this.#ctx.net.connect(this.spec.account, DER_RESOURCE, {
      established: () => this.#established(),
      stanza: (s) => this.#stanza(s),
      closed: () => this.#lost(),
      error: (code) => {
        if (!(this.#cut && code === "xmpp/transport-closed")) this.#ctx.metrics.error(code);
      },
    });
  }

  /** The network fails under this DER. */
  cut(): void {
    this.#cut = true;
    this.link?.cut();
  }

  #established(): void {
    const ctx = this.#ctx;
    ctx.metrics.add("logins");
    this.#setOnline(true);
    this.link!.send(presenceAvailable());
    this.#room({ type: "join" });
    if (!this.#ticking) {
      this.#ticking = true;
      // Staggered so the fleet does not report in one burst.
      const period = 150_000;
      const first = ctx.clock.now + (this.spec.index * 7919) % period;
      const step = () => {
        this.#tickModel();
        ctx.clock.at(ctx.clock.now + period, step);
      };
      ctx.clock.at(first, step);
    }
  }

  #lost(): void {
    this.#setOnline(false);
    // Our own stream says the link is gone: the association ends here too.
    this.#assoc({ type: "ping-timeout", now: this.#ctx.clock.now });
  }

  #setOnline(on: boolean): void {
    if (on === this.online) return;
    const before = this.outputW;
    this.online = on;
    this.#hooks.output(this, before, this.outputW);
  }

  // ------------------------------------------------------------ stanzas

  #stanza(s: Xel): void {
    // spec: PD-244
    if (this.#gate) s = this.#gate.inbound(s, this.#ctx.clock.now);
    const from = s.attrs.from ?? "";
    const now = this.#ctx.clock.now;
    if (from === this.#ctx.at.ccFull && !this.#fromHostedKeyServer(s)) {
      return this.#assoc({ type: "stanza", stanza: s, now });
    }
    if (from === this.#ctx.at.pubsub) return this.#sub({ type: "stanza", stanza: s, now });
    const fromKs = from === this.#ctx.at.ksFull && s.name === "message";
    if (!groupKeyed(this.#ctx) && from.startsWith(`${this.#roomJid}/`)) {
      // spec: PD-247
      const plain = readPlainCommand(s, this.#roomJid);
      if (plain) return this.#command(plain, this.#ctx.at.cc);
    }
    if (fromKs || from === this.#roomJid || from.startsWith(`${this.#roomJid}/`)) {
      return this.#room({ type: "stanza", stanza: s });
    }
    if (s.name === "iq" && (s.attrs.type === "get" || s.attrs.type === "set")) {
      this.link?.send(stanzaError(s, "cancel", "service-unavailable"));
    }
  }

  /** Key management from a key server inside the control centre's login (PD-258). */
  // spec: PD-258 DL-CRED-7
  #fromHostedKeyServer(s: Xel): boolean {
    return this.#ctx.at.ksFull === this.#ctx.at.ccFull && s.name === "message" &&
      s.children.some((c) => typeof c === "object" && c.name === "gdoi");
  }

  // ------------------------------------------------------------ association + model

  #assoc(input: Parameters<SecureAssociation["input"]>[0]): void {
    this.#handleAssoc(this.assoc.input(input));
  }

  #handleAssoc(out: EndpointOutput[]): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    for (const o of out) {
      if (o.type === "stanza") this.link?.send(o.stanza);
      else if (o.type === "timer") this.#alarm.arm(o.at);
      else if (o.type === "error") ctx.metrics.error(o.code);
      else if (o.type === "event") {
        const e = o.event;
        if (e.type === "indication") {
          // spec: PD-244 PAPER-OPT3
          if (this.#gate?.request(e.request, now)) {
            const answer: Answer = { error: "object-access-denied" };
            this.#assoc({ type: "respond", invokeId: e.invokeId, answer, now });
            continue;
          }
          const r = serve(this.model, e.request, now, ctx.at.cc);
          this.#setModel(r.model);
          // The model answers a request it refuses as a whole with a service error.
          const answer = r.response as Answer;
          this.#assoc({ type: "respond", invokeId: e.invokeId, answer, now });
          for (const t of r.terminations) this.#assoc({ type: "terminate", termination: t, now });
          this.#reports(r.reports);
        } else if (e.type === "associated") {
          ctx.metrics.event(now, "der-associated", this.spec.account);
        } else if (e.type === "aborted" || e.type === "concluded") this.#gate?.ended();
      }
    }
  }

  #tickModel(): void {
    const r = tick(this.model, this.#ctx.clock.now);
    this.#setModel(r.model);
    this.#reports(r.reports);
  }

  #setModel(model: DerState): void {
    const before = this.outputW;
    this.model = model;
    this.#hooks.output(this, before, this.outputW);
  }

  #reports(reports: readonly Report[]): void {
    if (this.assoc.association.phase !== "associated" || !this.online) return;
    for (const report of reports) this.#assoc({ type: "report", report, now: this.#ctx.clock.now });
  }

  // ------------------------------------------------------------ room, group keys, commands

  #room(input: RoomInput): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    const r = room.step(this.room, input);
    this.room = r.state;
    for (const o of r.out) {
      if (o.type === "send") this.link?.send(o.stanza);
      else if (o.type === "error") ctx.metrics.error(o.code);
      else if (o.type === "spdu") this.#gm({ type: "spdu", data: o.data, from: o.from, now });
      else if (o.type === "gdoi") this.#gm({ type: "message", data: o.data, from: o.from, now });
      else if (o.type === "event") {
        this.mc =
          multicastAssociation.step(this.mc, { type: "room-event", event: o.event, now }).state;
        // spec: PD-193
        if (o.event.type === "ready") {
          ctx.metrics.add("roomJoins");
          if (!groupKeyed(ctx)) {
            // spec: PD-247
            // No group key to fetch (plaintext baseline): the tariffs follow the room directly.
            if (!this.#subscribed) {
              this.#subscribed = true;
              this.#sub({ type: "subscribe" });
            }
          } else if (this.gm.phase === "idle") this.#gm({ type: "start", now });
        }
      }
    }
  }

  #gm(input: MemberInput): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    const r = member.step(this.gm, input);
    this.gm = r.state;
    for (const o of r.out) {
      if (o.type === "send") {
        this.link?.send(
          directMessage(o.to, `g${++this.#msgs}`, gdoiElement(o.data) as unknown as Xel),
        );
      } else if (o.type === "error") {
        if (isOwnJoinRekey(input, o.code)) ctx.metrics.add("rekeysSkipped");
        else if (input.type !== "spdu") ctx.metrics.error(o.code);
        // A group message we cannot open is a refusal (counted with its code), not an error.
        if (input.type === "spdu") {
          this.refusals.push(o.code);
          ctx.metrics.refusal(o.code);
          ctx.metrics.event(now, "refused", this.spec.account, o.code);
        }
      } else if (o.type === "deliver") this.#command(o.payload, o.sender);
      else if (o.type === "event") {
        if (o.event.type === "registered") {
          ctx.metrics.add("registrations");
          this.#sub({ type: "subscribe" });
        } else if (o.event.type === "rekeyed") ctx.metrics.add("rekeysApplied");
        else if (o.event.type === "excluded") ctx.metrics.event(now, "excluded", this.spec.account);
      }
    }
  }

  /** A group command the group layer opened (sender authenticated by the group key). */
  // spec: PAPER-TL3 PD-195 DL-SIM-5
  #command(payload: Uint8Array, sender: string): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    const d = tryDecodeGroupCommand(payload);
    if (!d.ok) return ctx.metrics.error(d.error.code);
    if (this.mc.phase !== "active") {
      this.refusals.push("association/not-associated");
      return ctx.metrics.refusal("association/not-associated");
    }
    // spec: PD-244 PD-208
    const denied = this.#gate?.command(now);
    if (denied) return void this.refusals.push(denied);
    const r = applyGroupCommand(this.model, d.value, now, sender);
    this.#setModel(r.model);
    this.applied.push(d.value.id);
    ctx.metrics.add("commandsApplied");
    ctx.metrics.event(
      now,
      "applied",
      this.spec.account,
      `${d.value.id} ${r.outcomes.every((x) => x.ok)}`,
    );
    this.#reports(r.reports);
    // The inverter follows within a second: the model's next step then.
    ctx.clock.at(now + 1_000, () => this.#tickModel());
  }

  // ------------------------------------------------------------ tariffs

  #sub(input: SubscriberInput): void {
    const ctx = this.#ctx;
    const r = subscriber.step(this.sub, input);
    this.sub = r.state;
    for (const o of r.out) {
      if (o.type === "send") this.link?.send(o.stanza);
      else if (o.type === "error") ctx.metrics.error(o.code);
      else if (o.type === "tariff") ctx.metrics.add("tariffsVerified");
      else if (o.type === "event" && o.event.type === "subscribed") {
        ctx.metrics.add("subscriptions");
        this.joinedAt ??= ctx.clock.now;
        ctx.metrics.event(ctx.clock.now, "der-joined", this.spec.account);
      }
    }
  }
}

/**
 * On the room path every rekey reaches every occupant, the newcomer too,
 * whose key download already holds that rekey's keys: it refuses it as a
 * replay, which is expected (PD-129 (b)), not an error.
 */
const isOwnJoinRekey = (input: MemberInput, code: string) =>
  input.type === "message" && code === "gdoi/rekey-replayed";

const presenceAvailable = () => new Element("presence") as unknown as Xel;
