/**
 * A control centre on the network: one XMPP login holding the IEC 61850
 * client role of one protected association per DER (association client
 * inside an A-profile initiator, PD-140), keyed by the DER's full JID.
 *
 * The DERs' presence (roster) tells it where each DER is: available
 * presence maps the DER's bare JID to the full JID it may associate with;
 * every presence from a DER also goes to that DER's association, whose
 * monitor aborts on unavailable from the exact full JID (PAPER-MAP3,
 * PD-149) — or on an unanswered XEP-0199 ping when pings are configured
 * (PD-150), whichever comes first. Requests, command terminations and the
 * end of an association are Promises here; an abort is recorded with its
 * wall time (performance.now) and cause, for the delay measurements.
 *
 * @module
 */
import { Element } from "ltx";
import { DerlinkError, type ErrorCode } from "../../core/errors.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { localSigner } from "../../state-machines/a-profile/driver.ts";
import type { ClientState } from "../../state-machines/association/client_state.ts";
import type { EndpointOutput } from "../../state-machines/association/endpoint.ts";
import { AssociationError } from "../../state-machines/association/errors.ts";
import type {
  CommandTermination,
  ServiceRequest,
  ServiceResponse,
} from "../../state-machines/association/services.ts";
import type { ClientSettings } from "../../state-machines/association/types.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { AssociationRunner } from "./association_runner.ts";
import { IqIdMux } from "./iq_mux.ts";
import { bareOf } from "./der_node.ts";
import type { Identity, Trust } from "./fleet_pki.ts";
import type { Link, Network } from "../network.ts";

export interface ControlCentreOptions {
  readonly net: Network;
  readonly account: string;
  readonly resource: string;
  readonly identity: Identity;
  readonly trust: Trust;
  /** One settings object shared by every association (PD-154). */
  readonly settings?: ClientSettings;
  readonly seed: string;
}

/** How an association of the control centre ended abnormally. */
export interface AbortRecord {
  readonly cause: ErrorCode;
  /** performance.now() when the abort event came out of the association. */
  readonly atMs: number;
}

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

/** One DER's association at the control centre, with what waits on it. */
export class DerAssociation {
  readonly der: string;
  readonly runner: AssociationRunner;
  aborted?: AbortRecord;
  /** performance.now() when presence unavailable from the DER's full JID was read, if it was. */
  unavailableAtMs?: number;
  associated = false;
  readonly reports: { count: number } = { count: 0 };
  onAssociated?: Waiter<void>;
  /** Resolved when the association ends, concluded or aborted. */
  onEnded?: () => void;
  readonly requests = new Map<number, Waiter<ServiceResponse>>();
  readonly terminations = new Map<string, Waiter<CommandTermination>>();

  constructor(der: string, runner: (self: DerAssociation) => AssociationRunner) {
    this.der = der;
    this.runner = runner(this);
  }

  get phase(): ClientState["phase"] {
    return (this.runner.endpoint.association as ClientState).phase;
  }
}

const termKey = (control: string, ctlNum: number) => `${control}#${ctlNum}`;

export class ControlCentreNode {
  readonly link: Link;
  readonly established: Promise<string>;
  /** DER bare JID → the full JID its available presence came from. */
  readonly online = new Map<string, string>();
  /** DER full JID → its association. */
  readonly associations = new Map<string, DerAssociation>();
  /** Called for every abort, at once (the measurement hook). */
  onAbort?: (a: DerAssociation) => void;
  readonly errors: { layer: string; code: string }[] = [];
  readonly #o: ControlCentreOptions;
  readonly #presenceWaiters = new Map<string, (full: string) => void>();
  /** One stream, many associations: iq ids made stream-unique (PD-215). */
  readonly #mux = new IqIdMux("cc");
  #n = 0;

  constructor(o: ControlCentreOptions) {
    this.#o = o;
    let bound!: (jid: string) => void;
    let refused!: (e: Error) => void;
    this.established = new Promise((resolve, reject) => {
      bound = resolve;
      refused = reject;
    });
    this.established.catch(() => {});
    this.link = o.net.connect(o.account, o.resource, {
      established: (jid) => {
        this.link.send(new Element("presence"));
        bound(jid);
      },
      stanza: (s) => this.#stanza(s),
      closed: (reason) => refused(new Error(`control centre: ${reason}`)),
    });
  }

  /** Resolves with the DER's full JID once its available presence has come. */
  whenOnline(derBare: string): Promise<string> {
    const known = this.online.get(derBare);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.#presenceWaiters.set(derBare, resolve));
  }

  #stanza(received: Xel): void {
    const s = this.#mux.inbound(received);
    const from = s.attrs.from;
    if (s.name === "presence" && from !== undefined) {
      const bare = bareOf(from);
      if (bare !== undefined && s.attrs.type === undefined) {
        this.online.set(bare, from);
        this.#presenceWaiters.get(bare)?.(from);
        this.#presenceWaiters.delete(bare);
      } else if (bare !== undefined && s.attrs.type === "unavailable") {
        if (this.online.get(bare) === from) this.online.delete(bare);
      }
    }
    const a = from === undefined ? undefined : this.associations.get(from);
    if (!a) return;
    if (s.name === "presence" && s.attrs.type === "unavailable") {
      a.unavailableAtMs ??= performance.now();
    }
    a.runner.input({ type: "stanza", stanza: s });
  }

  /** Starts (or restarts) the association with the DER at `derFull`; resolves once associated. */
  associate(derFull: string, derIdentity: string): Promise<DerAssociation> {
    const o = this.#o;
    this.associations.get(derFull)?.runner.stop();
    const a = new DerAssociation(derFull, (self) =>
      new AssociationRunner(
        {
          role: "client",
          peerJid: derFull,
          settings: o.settings,
          aProfile: {
            localJid: o.identity.jid,
            peerJid: derIdentity,
            chain: o.identity.chain,
            signatureSuite: o.identity.signer.suite,
            ...o.trust,
            entropy: new SeededEntropy(`${o.seed}/cc/${derFull}/${this.#n++}`),
          },
          signer: localSigner(o.identity.signer),
        },
        o.net.clock,
        (stanza) => this.link.send(this.#mux.outbound(stanza)),
        (out) => this.#hear(self, out),
      ));
    this.associations.set(derFull, a);
    const done = new Promise<DerAssociation>((resolve, reject) => {
      a.onAssociated = { resolve: () => resolve(a), reject };
    });
    a.runner.input({ type: "associate" });
    return done;
  }

  /** Sends a confirmed request; resolves with the response (negative control responses too). */
  request(a: DerAssociation, request: ServiceRequest): Promise<ServiceResponse> {
    const before = (a.runner.endpoint.association as ClientState).lastInvoke;
    return new Promise((resolve, reject) => {
      a.runner.input({ type: "request", request });
      const s = a.runner.endpoint.association as ClientState;
      if (s.lastInvoke === before || s.pending[s.lastInvoke] === undefined) {
        return reject(new DerlinkError(AssociationError["unexpected-input"], "request not sent"));
      }
      a.requests.set(s.lastInvoke, { resolve, reject });
    });
  }

  /** Resolves with the command termination of `control` / `ctlNum` (register before operating). */
  termination(a: DerAssociation, control: string, ctlNum: number): Promise<CommandTermination> {
    const p = new Promise<CommandTermination>((resolve, reject) => {
      a.terminations.set(termKey(control, ctlNum), { resolve, reject });
    });
    p.catch(() => {}); // an operate that fails leaves nobody awaiting its termination
    return p;
  }

  #hear(a: DerAssociation, o: EndpointOutput): void {
    if (o.type === "error") {
      this.errors.push({ layer: o.layer, code: o.code });
      return;
    }
    if (o.type !== "event") return;
    const e = o.event;
    switch (e.type) {
      case "associated":
        a.associated = true;
        a.onAssociated?.resolve();
        return;
      case "confirmation":
        a.requests.get(e.invokeId)?.resolve(e.response);
        a.requests.delete(e.invokeId);
        return;
      case "request-failed":
        a.requests.get(e.invokeId)?.reject(new DerlinkError(e.code, e.detail ?? ""));
        a.requests.delete(e.invokeId);
        return;
      case "command-termination": {
        const key = termKey(e.termination.control, e.termination.ctlNum);
        a.terminations.get(key)?.resolve(e.termination);
        a.terminations.delete(key);
        return;
      }
      case "report":
        a.reports.count++;
        return;
      case "concluded":
        a.runner.stop();
        a.onEnded?.();
        return;
      case "aborted": {
        // spec: PAPER-MAP3 PD-149 PD-150
        a.aborted = { cause: e.cause, atMs: performance.now() };
        a.runner.stop();
        const gone = new DerlinkError(e.cause, `association with ${a.der} aborted`);
        a.onAssociated?.reject(gone);
        for (const w of a.requests.values()) w.reject(gone);
        for (const w of a.terminations.values()) w.reject(gone);
        a.requests.clear();
        a.terminations.clear();
        this.onAbort?.(a);
        a.onEnded?.();
        return;
      }
    }
  }

  /** Concludes an association in order (resolves when concluded or aborted). */
  conclude(a: DerAssociation): Promise<void> {
    if (a.phase === "concluded" || a.phase === "aborted") return Promise.resolve();
    return new Promise((resolve) => {
      a.onEnded = resolve;
      a.runner.input({ type: "conclude" });
    });
  }

  /** Stops every association's timers (the run ends). */
  stop(): void {
    for (const a of this.associations.values()) a.runner.stop();
  }
}
