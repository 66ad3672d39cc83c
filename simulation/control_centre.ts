/**
 * The control centre (the grid operator's DNO, paper §I): one XMPP login;
 * a client association, inside its own A-profile session, to every DER
 * that comes online (associated on the DER's first available presence,
 * never again after a loss: no resurrection, PD-149); the fleet view built
 * from the DERs' reports; the traffic-light planner, whose red decision
 * becomes one group command per group, published by the group's
 * GroupPublisher; and acknowledgement counting: a DER acknowledges a
 * command when a report after it shows the commanded limit in force. With
 * the key server placed at the control centre (PD-258) this login also
 * carries the group key server: `<gdoi>` messages and presence go to it, and
 * its messages to us, and ours to it, stay in the process.
 *
 * @module
 */
import { Element } from "ltx";
import { SecureAssociation } from "../state-machines/association/endpoint.ts";
import type { EndpointOutput } from "../state-machines/association/endpoint.ts";
import type { Report } from "../state-machines/association/services.ts";
import { localSigner } from "../state-machines/a-profile/driver.ts";
import type { CertificateDer } from "../core/pki/types.ts";
import { endpointProtection } from "./protection.ts";
import { GDOI_NS } from "../state-machines/group-keying/xml.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { applyReport, type DerView } from "../apps/control-centre/fleet.ts";
import {
  initialOperator,
  type LightDecision,
  type OperatorState,
  planTrafficLight,
} from "../apps/control-centre/traffic_light.ts";
import { fromBase64 } from "../core/bytes.ts";
import { Alarm, entropyFor, type SimContext, trustOf } from "./context.ts";
import { GroupPublisher } from "./cc_groups.ts";
import type { GroupSpec, KeyServerNode } from "./key_server.ts";
import type { Link } from "./network.ts";
import { DER_RESOURCE } from "./der_node.ts";
import { IqIdMux } from "./real/iq_mux.ts";
import { ControlCentreTokens } from "./cc_access.ts";

/** What the control centre knows of a DER in advance (its engineering data). */
export interface DerRecord {
  readonly bare: string;
  readonly ld: string;
  readonly group: string;
  readonly ratedW: number;
  /** Its end-to-end certificate chain, from the operator's inventory (per-message, PD-232). */
  readonly chain: readonly CertificateDer[];
}

/** One group command sent, and the DERs that acknowledged it. */
export interface SentCommand {
  readonly id: number;
  readonly group: string;
  readonly light: string;
  readonly limitPct?: number;
  readonly t: number;
  acks: number;
}

interface Peer {
  readonly rec: DerRecord;
  readonly assoc: SecureAssociation;
  readonly alarm: Alarm;
  view?: DerView;
  /** TotW counted in the aggregate (W), while the association lives. */
  counted: number;
  live: boolean;
  /** Id of the last command this DER acknowledged. */
  acked: number;
}

export class ControlCentre {
  link?: Link;
  op: OperatorState;
  readonly groups = new Map<string, GroupPublisher>();
  readonly commands: SentCommand[] = [];
  readonly #lastCommand = new Map<string, SentCommand>();
  readonly #peers = new Map<string, Peer>();
  readonly #records = new Map<string, DerRecord>();
  readonly #ctx: SimContext;
  /** One stream carries every association: iq ids made stream-unique (PD-215). */
  readonly #mux = new IqIdMux("cc");
  /** Option 3: the operator's access tokens we present (PD-243); undefined without them. */
  readonly #tokens?: ControlCentreTokens;
  /** Aggregate of the view: TotW and rated power of DERs with a live association. */
  viewW = 0;
  ratedW = 0;
  associated = 0;
  aborted: string[] = [];
  /** The group key server, when it runs inside this login (PD-258). */
  #ks?: KeyServerNode;

  constructor(ctx: SimContext, ders: readonly DerRecord[], groups: readonly GroupSpec[]) {
    this.#ctx = ctx;
    this.op = initialOperator(ctx.at.cc);
    for (const d of ders) this.#records.set(`${d.bare}/${DER_RESOURCE}`, d);
    // spec: PD-243 PAPER-OPT3
    if (ctx.tokens) {
      this.#tokens = new ControlCentreTokens(
        ctx.tokens,
        ctx.at.cc,
        ctx.net.mucDomain,
        (full) => this.#records.get(full)?.ld,
        () => ctx.clock.now,
      );
    }
    const send = (s: Xel | Element) => this.#send(s);
    for (const g of groups) this.groups.set(g.name, new GroupPublisher(ctx, g, send));
  }

  /** Runs the group key server inside this login, under our identity (PD-258). */
  // spec: PD-258 PAPER-OPT5 DL-CRED-7
  hostKeyServer(ks: KeyServerNode): void {
    this.#ks = ks;
    ks.host((s) => this.#send(s), (s) => this.#stanza(s));
  }

  login(): void {
    this.link = this.#ctx.net.connect(this.#ctx.at.cc.split("@")[0], "cc", {
      established: () => {
        this.link!.send(new Element("presence") as unknown as Xel);
        this.#nextRoom();
      },
      stanza: (s) => this.#stanza(s),
      closed: () => {},
      error: (code) => this.#ctx.metrics.error(code),
      // spec: PD-215
    }, { maxPendingIq: 100_000 });
  }

  /** Rooms are made one after the other: each one's grants are many iqs in flight. */
  #nextRoom(): void {
    const next = [...this.groups.values()].find((g) => g.room.phase === "idle");
    next?.start(() => this.#nextRoom());
  }

  /** Every group's publisher is registered and its room ready. */
  get ready(): boolean {
    for (const g of this.groups.values()) if (!g.ready) return false;
    return true;
  }

  /** The traffic light for every group: red curtails, green releases (PAPER-TL2). */
  // spec: PAPER-TL2 PAPER-TL3 PD-197 DL-SIM-2
  light(decide: (group: string) => LightDecision): number {
    const now = this.#ctx.clock.now;
    let sent = 0;
    for (const [name, g] of this.groups) {
      const d = decide(name);
      const plan = planTrafficLight(this.op, d, now);
      this.op = plan.state;
      for (const c of plan.groupCommands) {
        if (!g.command(c.payload)) {
          this.#ctx.metrics.error("simulation/group-not-ready");
          continue;
        }
        const cmd: SentCommand = {
          id: c.command.id,
          group: name,
          light: d.light,
          limitPct: d.light === "red" ? d.limitPct : undefined,
          t: now,
          acks: 0,
        };
        this.commands.push(cmd);
        this.#lastCommand.set(name, cmd);
        this.#ctx.metrics.add("commands");
        this.#ctx.metrics.event(now, "command", name, `${cmd.id} ${d.light}`);
        sent++;
      }
    }
    return sent;
  }

  // spec: PD-215
  #send(s: Xel | Element): void {
    // Our group member's messages to the key server we host stay here (PD-258).
    if (this.#ks && isGdoi(s as Xel) && bareOf(s.attrs.to ?? "") === this.#ctx.at.cc) {
      s.attrs.from = this.#ctx.at.ccFull;
      return this.#ks.stanza(s as Xel);
    }
    // spec: PD-243
    for (const x of this.#tokens ? this.#tokens.outbound(s) : [s]) {
      this.link?.send(this.#mux.outbound(x));
    }
  }

  #stanza(received: Xel): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    const s = this.#mux.inbound(received);
    const from = s.attrs.from ?? "";
    const slash = from.indexOf("/");
    const bare = slash < 0 ? from : from.slice(0, slash);
    if (bare.endsWith(`@${ctx.net.mucDomain}`)) {
      return this.groups.get(bare.slice(0, bare.indexOf("@")))?.roomStanza(s);
    }
    if (from === ctx.at.ksFull && s.name === "message") {
      const g = s.children.find((c): c is Xel =>
        typeof c === "object" && c.name === "gdoi" && c.attrs.xmlns === GDOI_NS
      );
      const pub = g && this.groups.get(g.attrs.group ?? "");
      if (!g || !pub) return;
      return pub.fromKeyServer(g.attrs.kind ?? "", fromBase64(g.getText().trim()), from);
    }
    // spec: PD-258 DL-CRED-7
    if (this.#ks && (s.name === "presence" || isGdoi(s))) {
      this.#ks.stanza(s);
      if (s.name !== "presence") return;
    }
    let peer = this.#peers.get(from);
    if (!peer) {
      const rec = this.#records.get(from);
      if (!rec || s.name !== "presence" || s.attrs.type !== undefined) return;
      peer = this.#associate(from, rec);
    }
    this.#handle(peer, peer.assoc.input({ type: "stanza", stanza: s, now }));
  }

  /**
   * A DER came online: a client association inside a fresh A-profile session
   * (PAPER-R2), or over per-message protection to its inventory certificate,
   * as the scenario's protection says (PD-249).
   */
  // spec: PAPER-R2 PAPER-MAP1 PD-140 PD-194 DL-SIM-1 PD-249
  #associate(full: string, rec: DerRecord): Peer {
    const ctx = this.#ctx;
    const assoc = new SecureAssociation({
      role: "client",
      peerJid: full,
      aProfile: {
        localJid: ctx.at.cc,
        peerJid: rec.bare,
        chain: ctx.grid.cc.chain,
        signatureSuite: ctx.grid.cc.signer.suite,
        ...trustOf(ctx),
        entropy: entropyFor(ctx, `a-profile/cc/${rec.bare}`),
        policy: { suites: [ctx.grid.suite] },
      },
      signer: localSigner(ctx.grid.cc.signer),
      ...endpointProtection(ctx, ctx.grid.cc, rec.chain),
    });
    const peer: Peer = {
      rec,
      assoc,
      alarm: new Alarm(ctx.clock, () => this.#input(peer, { type: "tick" })),
      counted: 0,
      live: false,
      acked: 0,
    };
    this.#peers.set(full, peer);
    this.#input(peer, { type: "associate" });
    return peer;
  }

  #input(peer: Peer, input: { type: "associate" } | { type: "tick" }): void {
    this.#handle(peer, peer.assoc.input({ ...input, now: this.#ctx.clock.now }));
  }

  #handle(peer: Peer, out: EndpointOutput[]): void {
    const ctx = this.#ctx, now = ctx.clock.now;
    for (const o of out) {
      if (o.type === "stanza") this.#send(o.stanza);
      else if (o.type === "timer") peer.alarm.arm(o.at);
      else if (o.type === "error") ctx.metrics.error(o.code);
      else if (o.type === "event") {
        const e = o.event;
        if (e.type === "associated") {
          peer.live = true;
          this.associated++;
          this.ratedW += peer.rec.ratedW;
          ctx.metrics.add("associations");
          ctx.metrics.event(now, "associated", peer.rec.bare);
          // spec: PAPER-MAP1 DL-SIM-1
          // A first read of the measurements, so the view need not wait for a report.
          const ld = peer.rec.ld;
          this.#handle(
            peer,
            peer.assoc.input({
              type: "request",
              request: {
                service: "read",
                items: [
                  { ref: `${ld}/MMXU1.TotW.mag.f`, fc: "MX" },
                  { ref: `${ld}/ZINV1.WAvl.mag.f`, fc: "MX" },
                ],
              },
              now,
            }),
          );
        } else if (e.type === "confirmation" && e.response.service === "read") {
          const [w, avail] = e.response.results;
          const num = (v: typeof w) =>
            typeof v === "object" && v.type === "float" ? v.value : undefined;
          peer.view ??= { ld: peer.rec.ld, valid: true, lastReport: 0, expected: {}, missed: 0 };
          peer.view = { ...peer.view, totW: num(w), availW: num(avail) };
          this.#count(peer);
        } else if (e.type === "report") this.#report(peer, e.report);
        else if (e.type === "aborted") {
          // spec: PAPER-MAP3 PD-149 DL-SIM-4
          ctx.metrics.add("aborts");
          ctx.metrics.event(now, "aborted", peer.rec.bare, e.cause);
          this.aborted.push(peer.rec.bare);
          if (peer.live) {
            peer.live = false;
            this.associated--;
            this.ratedW -= peer.rec.ratedW;
            this.viewW -= peer.counted;
            peer.counted = 0;
          }
        }
      }
    }
  }

  /** A report from a DER: into the fleet view, the aggregate, and the acknowledgements. */
  // spec: PAPER-VPP1 ACSI-RPT3 PD-194
  #report(peer: Peer, report: Report): void {
    const ctx = this.#ctx;
    ctx.metrics.add("reports");
    const ld = peer.rec.ld;
    peer.view = applyReport({ ders: peer.view ? { [ld]: peer.view } : {} }, report).ders[ld];
    this.#count(peer);
    const cmd = this.#lastCommand.get(peer.rec.group);
    if (!cmd || peer.acked === cmd.id || report.time < cmd.t) return;
    const v = peer.view!;
    const done = cmd.light === "red"
      ? v.limitEnabled === true && v.limitPct === cmd.limitPct
      : v.limitEnabled === false;
    if (done) {
      peer.acked = cmd.id;
      cmd.acks++;
      ctx.metrics.add("acks");
    }
  }

  /** Keeps the aggregate in step with one DER's view. */
  #count(peer: Peer): void {
    if (!peer.live) return;
    const w = peer.view?.totW ?? 0;
    this.viewW += w - peer.counted;
    peer.counted = w;
  }

  /** The view of one DER (for checks). */
  viewOf(bare: string): DerView | undefined {
    return this.#peers.get(`${bare}/${DER_RESOURCE}`)?.view;
  }

  /** Whether the association with this DER is live. */
  isLive(bare: string): boolean {
    return this.#peers.get(`${bare}/${DER_RESOURCE}`)?.live ?? false;
  }
}

const bareOf = (jid: string) => jid.split("/")[0];

/** A message carrying a `<gdoi>` element (key management). */
const isGdoi = (s: Xel): boolean =>
  s.name === "message" &&
  s.children.some((c) => typeof c === "object" && c.name === "gdoi" && c.attrs.xmlns === GDOI_NS);
