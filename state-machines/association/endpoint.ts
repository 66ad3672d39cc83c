/**
 * A protected association endpoint: the composition of PD-140. One
 * association machine (client or server role) rides inside one A-profile
 * session (initiator or responder) and both are driven from XMPP stanzas.
 *
 * Theory of operation. The association machine speaks plaintext MMS XER and
 * names the stanza kind each PDU travels in; this layer protects each PDU
 * with the A-profile session (`send` → `<pdu>`) and puts the protected
 * element(s) in that stanza, addressed to the peer's full JID. A received
 * stanza goes the other way: presence to the association's monitor, pings
 * answered, A-profile elements to the session, and every `data` the session
 * opens to the association as a `pdu` input with the stanza's kind and the
 * stamped sender. On the client, the first association PDU starts the
 * A-profile handshake and waits for it (the initiate is the first protected
 * PDU); the server's session is the responder that request creates. When
 * the association ends the session goes too: released after an orderly
 * conclude, aborted otherwise (silently when the peer is already gone). A
 * session that fails or ends under a live association loses it
 * (`session-lost`). Deployments hand `stanza` outputs to their XMPP stream;
 * tests wire two endpoints back to back (pair.ts).
 *
 * This is a driver, not a pure machine: it holds the two machines' states
 * and the default signer answers the A-profile's sign requests in process.
 *
 * `protection` switches the end-to-end layer (protection.ts, PD-226): the
 * A-profile session (default) or per-message signing and encryption; the
 * association above is the same either way.
 *
 * @module
 */
import type { Element } from "ltx";
import type { ErrorCode } from "../../core/errors.ts";
import type { AProfileSigner } from "../a-profile/mod.ts";
import type { AProfileInput, InitiatorConfig, ResponderConfig } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import { carry, iqError, pingStanza, pongStanza, readStanza } from "./carrier.ts";
import { associationClient, type ClientState } from "./client.ts";
import { AssociationError } from "./errors.ts";
import type { Carriage } from "./pdus.ts";
import { associationServer, type ServerState } from "./server.ts";
import {
  type PerMessageSettings,
  type ProtectionForTest,
  type ProtectionLayer,
  protectionLayer,
  type SessionState,
} from "./protection.ts";
import type {
  AssociationEvent,
  AssociationOutput,
  ClientInput,
  ClientSettings,
  ServerInput,
  ServerSettings,
} from "./types.ts";
import type { Xel } from "./xer_dom.ts";

export type EndpointConfig =
  | {
    readonly role: "client";
    /** The server's full JID. */
    readonly peerJid: string;
    readonly settings?: ClientSettings;
    readonly aProfile: InitiatorConfig;
    readonly signer: AProfileSigner;
    /** End-to-end protection (default "a-profile"; "none" is test only, PD-247). */
    readonly protection?: ProtectionForTest;
    readonly perMessage?: PerMessageSettings;
    /** TEST ONLY: must be true for protection "none" (refused otherwise). */
    readonly insecurePlaintextForTestOnly?: boolean;
  }
  | {
    readonly role: "server";
    /** The client's full JID. */
    readonly peerJid: string;
    readonly settings?: ServerSettings;
    readonly aProfile: ResponderConfig;
    readonly signer: AProfileSigner;
    readonly protection?: ProtectionForTest;
    readonly perMessage?: PerMessageSettings;
    readonly insecurePlaintextForTestOnly?: boolean;
  };

type AppInput<I> = Exclude<I, { type: "pdu" | "presence" | "pong" | "session-lost" }>;

export type EndpointInput =
  | AppInput<ClientInput>
  | AppInput<ServerInput>
  /** Any stanza the XMPP client received (the server stamped `from`). */
  | { readonly type: "stanza"; readonly stanza: Xel; readonly now: number };

export type EndpointOutput =
  /** A stanza for the XMPP stream. */
  | { readonly type: "stanza"; readonly stanza: Element }
  | { readonly type: "event"; readonly event: AssociationEvent }
  | { readonly type: "session"; readonly event: "established" | "released" | "aborted" | "failed" }
  | { readonly type: "timer"; readonly at: number }
  | {
    readonly type: "error";
    readonly layer: "association" | "a-profile";
    readonly code: ErrorCode;
    readonly detail: string;
  };

const LIVE_SESSION = new Set(["established", "renew-signing", "renewing"]);
const ENDED_SESSION = new Set(["released", "aborted", "failed"]);
/** Causes after which the peer cannot hear an abort: the session is dropped silently. */
const PEER_GONE = new Set<string>([
  AssociationError["peer-unavailable"],
  AssociationError["ping-timeout"],
  AssociationError["session-lost"],
]);

export class SecureAssociation {
  readonly config: EndpointConfig;
  association: ClientState | ServerState;
  session: SessionState;
  readonly #layer: ProtectionLayer;
  #outbox: { carriage: Carriage; data: Uint8Array }[] = [];
  #handshakes = 0;
  /** Server: id of the iq set whose A-profile request the session answers. */
  #requestIq = "";
  #out: EndpointOutput[] = [];
  #now = 0;

  constructor(config: EndpointConfig) {
    this.config = config;
    this.#layer = protectionLayer(config);
    if (config.role === "client") {
      this.association = associationClient.init({
        peer: config.peerJid,
        settings: config.settings,
      });
    } else {
      this.association = associationServer.init({
        peer: config.peerJid,
        settings: config.settings,
      });
    }
    this.session = this.#layer.init();
  }

  /** One input; returns what to send and what the application hears. */
  input(input: EndpointInput): EndpointOutput[] {
    this.#out = [];
    this.#now = input.now;
    if (input.type === "stanza") this.#stanza(input.stanza);
    else if (input.type === "tick") {
      this.#sessionMessage({ type: "tick", now: input.now });
      this.#association(input);
    } else this.#association(input);
    return this.#out;
  }

  // ------------------------------------------------------------ association side

  #association(input: ClientInput | ServerInput): void {
    const r = this.config.role === "client"
      ? associationClient.step(this.association as ClientState, input as ClientInput)
      : associationServer.step(this.association as ServerState, input as ServerInput);
    this.association = r.state;
    for (const o of r.out as readonly AssociationOutput[]) {
      switch (o.type) {
        case "send":
          this.#sendPdu(o.carriage, o.data);
          break;
        case "ping":
          this.#emit(pingStanza(this.config.peerJid, o.id));
          break;
        case "event":
          this.#out.push(o);
          if (o.event.type === "aborted") this.#endSession(o.event.cause);
          if (o.event.type === "concluded" && this.config.role === "client") {
            // spec: PD-140 PD-146
            this.#sessionMessage({ type: "release", now: this.#now });
          }
          break;
        case "timer":
          this.#out.push(o);
          break;
        case "error":
          this.#out.push({ type: "error", layer: "association", code: o.code, detail: o.detail });
      }
    }
  }

  /** Protects one association PDU and sends it in its stanza; waits for the session if need be. */
  // spec: PD-140 PAPER-R4a PAPER-R6a PAPER-AS1 PAPER-AS2 PAPER-AS3
  #sendPdu(carriage: Carriage, data: Uint8Array): void {
    if (LIVE_SESSION.has(this.session.phase)) {
      const pdus = this.#session({ type: "send", payload: data, now: this.#now });
      if (pdus.length > 0) this.#emit(carry(this.config.peerJid, carriage, pdus));
      return;
    }
    if (this.config.role === "server") return; // no session: nothing can be protected
    this.#outbox.push({ carriage, data });
    if (this.session.phase === "idle" || ENDED_SESSION.has(this.session.phase)) {
      if (this.session.phase !== "idle") this.session = this.#layer.restart(this.session);
      this.#session({ type: "start", now: this.#now });
    }
  }

  /** The association ended: take the session down with it. */
  #endSession(cause: ErrorCode): void {
    this.#outbox = [];
    if (ENDED_SESSION.has(this.session.phase) || this.session.phase === "idle") return;
    const silent = PEER_GONE.has(cause);
    const pdus = this.#session({ type: "abort", now: this.#now }, silent);
    if (!silent && pdus.length > 0) {
      this.#emit(carry(this.config.peerJid, { kind: "message" }, pdus));
    }
  }

  // ------------------------------------------------------------ session side

  /**
   * Steps the A-profile session; returns the protected `<pdu>` elements it
   * produced (for the caller to carry) and handles everything else.
   */
  #session(
    input: AProfileInput,
    silent = false,
    received?: { carriage: Carriage; from: string },
  ): XmlElement[] {
    const before = this.session.phase;
    const r = this.#layer.step(this.session, input);
    this.session = r.state;
    const pdus: XmlElement[] = [];
    for (const o of r.out) {
      switch (o.type) {
        case "send":
          if (silent) break;
          if (o.message === "pdu") pdus.push(o.element);
          else if (o.message === "request") {
            const id = `h${++this.#handshakes}`;
            this.#emit(carry(this.config.peerJid, { kind: "iq", type: "set", id }, [o.element]));
          } else {
            this.#emit(
              carry(this.config.peerJid, { kind: "iq", type: "result", id: this.#requestIq }, [
                o.element,
              ]),
            );
          }
          break;
        case "established":
          this.#out.push({ type: "session", event: "established" });
          this.#flush();
          break;
        case "data":
          if (received) {
            this.#association({
              type: "pdu",
              data: o.payload,
              carriage: received.carriage,
              from: received.from,
              now: this.#now,
            });
          }
          break;
        case "released":
        case "aborted":
          this.#out.push({ type: "session", event: o.type });
          this.#association({ type: "session-lost", now: this.#now });
          break;
        case "timer":
          this.#out.push(o);
          break;
        case "error":
          this.#out.push({ type: "error", layer: "a-profile", code: o.code, detail: o.detail });
      }
    }
    if (before !== "failed" && this.session.phase === "failed") {
      this.#out.push({ type: "session", event: "failed" });
      this.#outbox = [];
      this.#association({ type: "session-lost", now: this.#now });
    }
    return pdus;
  }

  /** Steps the session and carries any PDU it produced in a message. */
  #sessionMessage(input: AProfileInput): void {
    const pdus = this.#session(input);
    if (pdus.length > 0) this.#emit(carry(this.config.peerJid, { kind: "message" }, pdus));
  }

  #flush(): void {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const q of queued) this.#sendPdu(q.carriage, q.data);
  }

  // ------------------------------------------------------------ stanzas

  // spec: PAPER-MAP1 PAPER-MAP2 PAPER-MAP3 XEP0199-pong
  #stanza(stanza: Xel): void {
    // spec: PD-247
    const r = readStanza(stanza, this.#layer.protection === "none");
    switch (r.kind) {
      case "presence":
        return this.#association({ type: "presence", stanza, now: this.#now });
      case "ping":
        return this.#emit(pongStanza(r.from, r.id));
      case "pong":
        return this.#association({ type: "pong", id: r.id, from: r.from, now: this.#now });
      case "carried":
        return this.#carried(r.carriage, r.from, r.elements);
      default:
        return; // not ours: iq errors, chat, other payloads
    }
  }

  #carried(carriage: Carriage, from: string, elements: readonly XmlElement[]): void {
    let opened = 0;
    for (const element of elements) {
      const mark = this.#out.length;
      if (this.config.role === "server" && this.#layer.opens(element)) {
        if (ENDED_SESSION.has(this.session.phase)) {
          this.session = this.#layer.restart(this.session);
        }
        if (element.name === "request") this.#requestIq = carriage.kind === "iq" ? carriage.id : "";
      }
      const out = this.#session({ type: "receive", element, from, now: this.#now }, false, {
        carriage,
        from,
      });
      if (out.length > 0) this.#emit(carry(this.config.peerJid, { kind: "message" }, out));
      if (!this.#out.slice(mark).some((o) => o.type === "error" && o.layer === "a-profile")) {
        opened++;
      }
    }
    // spec: RFC6120-8.2.3 PD-152
    if (carriage.kind === "iq" && carriage.type === "set" && opened === 0) {
      this.#emit(iqError(from, carriage.id, "bad-request"));
    }
  }

  #emit(stanza: Element): void {
    this.#out.push({ type: "stanza", stanza });
  }
}
