/**
 * A DER on the network: one XMPP login, the IEC 61850 server role of a
 * protected association (association server inside an A-profile responder,
 * PD-140) and the DER model of apps/der behind it.
 *
 * After binding it sends its initial presence (the control centre's roster
 * shows it, and the server will announce its departure, PAPER-MAP3). An
 * A-profile request in an iq set from an allowed control centre (bare JID)
 * starts an association with that full JID; later stanzas from it go to
 * that association. Each indication is served by the model
 * ({@link serve}: response or service error, command terminations, the
 * reports the request caused), with the peer's authenticated bare JID as
 * the caller whose priority the model checks. An iq request nobody here
 * handles gets service-unavailable; pings from anyone get a pong.
 *
 * @module
 */
import { Element } from "ltx";
import { bareJid, formatJid, tryParseJid } from "../../core/jid.ts";
import type { DerConfig } from "../../apps/der/config.ts";
import { createDer, serve, tick } from "../../apps/der/serve.ts";
import type { DerState } from "../../apps/der/state.ts";
import { localSigner } from "../../state-machines/a-profile/driver.ts";
import { NS as A_PROFILE_NS } from "../../state-machines/a-profile/xml.ts";
import type { EndpointOutput } from "../../state-machines/association/endpoint.ts";
import { SERVICE_ERRORS, type ServiceErrorCode } from "../../state-machines/association/pdus.ts";
import type { Report, ServiceRequest } from "../../state-machines/association/services.ts";
import type { ServerSettings } from "../../state-machines/association/types.ts";
import { NS, stanzaError, type Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { AssociationRunner } from "./association_runner.ts";
import type { Identity, Trust } from "./fleet_pki.ts";
import type { Link, Network } from "../network.ts";

/** The bare form of a JID text, or undefined when it is not a JID. */
export function bareOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const j = tryParseJid(text);
  return j.ok ? formatJid(bareJid(j.value)) : undefined;
}

export interface DerNodeOptions {
  readonly net: Network;
  /** Account localpart and resource of the login. */
  readonly account: string;
  readonly resource: string;
  readonly identity: Identity;
  readonly trust: Trust;
  /** Bare JIDs that may associate (the control centres). */
  readonly controlCentres: readonly string[];
  readonly der: DerConfig;
  readonly settings?: ServerSettings;
  readonly seed: string;
  /** Advance the model this often (reports due on the way are sent), ms; default never. */
  readonly tickMs?: number;
}

export class DerNode {
  readonly account: string;
  readonly link: Link;
  model: DerState;
  runner?: AssociationRunner;
  /** Resolves with the bound full JID; rejects when the login fails. */
  readonly established: Promise<string>;
  /** Requests served, associations accepted, association ends seen. */
  readonly counts = { served: 0, associations: 0, aborted: 0, errors: 0 };
  readonly #o: DerNodeOptions;
  readonly #allowed: ReadonlySet<string>;
  #ticker?: { cancel(): void };
  #closedReason?: string;

  constructor(o: DerNodeOptions) {
    this.#o = o;
    this.account = o.account;
    this.#allowed = new Set(o.controlCentres.map((j) => bareOf(j) ?? j));
    this.model = createDer(o.der, o.net.clock.now);
    let bound!: (jid: string) => void;
    let refused!: (e: Error) => void;
    this.established = new Promise((resolve, reject) => {
      bound = resolve;
      refused = reject;
    });
    this.established.catch(() => {});
    this.link = o.net.connect(o.account, o.resource, {
      established: (jid) => {
        // spec: PAPER-MAP3 RFC6121-4.2.2 PD-216
        this.link.send(new Element("presence"));
        if (o.tickMs !== undefined) this.#scheduleTick(o.tickMs);
        bound(jid);
      },
      stanza: (s) => this.#stanza(s),
      closed: (reason) => {
        this.#closedReason = reason;
        this.#ticker?.cancel();
        refused(new Error(`${o.account}: ${reason}`));
      },
    });
  }

  /** Why the login ended, if it did. */
  get closedReason(): string | undefined {
    return this.#closedReason;
  }

  #stanza(s: Xel): void {
    const from = s.attrs.from;
    if (this.runner && from === this.runner.peer) {
      return this.runner.input({ type: "stanza", stanza: s });
    }
    if (isAProfileRequest(s) && this.#allowed.has(bareOf(from) ?? "")) {
      this.runner?.stop();
      this.counts.associations++;
      this.runner = this.#newRunner(from!);
      return this.runner.input({ type: "stanza", stanza: s });
    }
    if (s.name !== "iq" || (s.attrs.type !== "get" && s.attrs.type !== "set")) return;
    const child = s.children.find((c): c is Xel => typeof c === "object");
    // spec: XEP0199-pong RFC6120-8.2.3
    if (s.attrs.type === "get" && child?.name === "ping" && child.attrs.xmlns === NS.ping) {
      this.link.send(new Element("iq", { to: from, id: s.attrs.id, type: "result" }));
    } else this.link.send(stanzaError(s, "cancel", "service-unavailable"));
  }

  #newRunner(peer: string): AssociationRunner {
    const o = this.#o;
    return new AssociationRunner(
      {
        role: "server",
        peerJid: peer,
        settings: o.settings,
        aProfile: {
          localJid: o.identity.jid,
          chain: o.identity.chain,
          signatureSuite: o.identity.signer.suite,
          ...o.trust,
          acceptPeers: [...this.#allowed],
          entropy: new SeededEntropy(`${o.seed}/der/${o.account}/${this.counts.associations}`),
        },
        signer: localSigner(o.identity.signer),
      },
      o.net.clock,
      (stanza) => this.link.send(stanza),
      (out) => this.#hear(out),
    );
  }

  #hear(o: EndpointOutput): void {
    if (o.type === "error") this.counts.errors++;
    if (o.type !== "event") return;
    const e = o.event;
    if (e.type === "indication") this.#serve(e.invokeId, e.request);
    else if (e.type === "aborted" || e.type === "concluded") {
      this.counts.aborted += e.type === "aborted" ? 1 : 0;
      this.runner?.stop();
    }
  }

  /** One indication through the DER model; the answer, terminations and reports go back. */
  // spec: DL-DER-1 PAPER-MAP1 IEC61850-CMDTERM
  #serve(invokeId: number, request: ServiceRequest): void {
    const runner = this.runner!;
    const caller = bareOf(runner.peer)!;
    const r = serve(this.model, request, this.#o.net.clock.now, caller);
    this.model = r.model;
    this.counts.served++;
    const answer = "error" in r.response ? { error: serviceError(r.response.error) } : r.response;
    runner.input({ type: "respond", invokeId, answer });
    for (const termination of r.terminations) runner.input({ type: "terminate", termination });
    this.#report(r.reports);
  }

  #report(reports: readonly Report[]): void {
    const runner = this.runner;
    if (!runner || runner.endpoint.association.phase !== "associated") return;
    for (const report of reports) runner.input({ type: "report", report });
  }

  #scheduleTick(everyMs: number): void {
    const clock = this.#o.net.clock;
    this.#ticker = clock.at(clock.now + everyMs, () => {
      const r = tick(this.model, clock.now);
      this.model = r.model;
      this.#report(r.reports);
      this.#scheduleTick(everyMs);
    });
  }

  /** Stops the association's timers and the model's ticks (the run ends). */
  stop(): void {
    this.#ticker?.cancel();
    this.runner?.stop();
  }
}

/** An iq set carrying an A-profile association request. */
function isAProfileRequest(s: Xel): boolean {
  if (s.name !== "iq" || s.attrs.type !== "set") return false;
  return s.children.some((c) =>
    typeof c === "object" && c.name === "request" && c.attrs.xmlns === A_PROFILE_NS
  );
}

/** The DER model's refusal of a whole request as an MMS ServiceError class. */
function serviceError(code: string): ServiceErrorCode {
  return (SERVICE_ERRORS as readonly string[]).includes(code) ? code as ServiceErrorCode : "other";
}
