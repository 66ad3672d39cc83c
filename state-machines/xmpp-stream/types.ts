/**
 * Inputs and outputs shared by both XMPP stream machines (initiator and
 * receiver), and the timer names they arm.
 *
 * Inputs are what an adapter (or the in-memory driver) reports: XML events
 * from the reader, the TLS layer's completion, stanzas the application wants
 * sent, the time, a request to close, the transport dying. Outputs are what
 * the machine wants done: bytes written, TLS started, the reader reset,
 * stanzas handed to the application, timers armed, errors reported.
 *
 * Every input may carry `now` (milliseconds, any epoch); the machine keeps
 * the latest one and never reads a clock.
 *
 * @module
 */
import type { ErrorOutput } from "../../core/machine.ts";
import type { XmlEvent } from "../../core/xml.ts";
import type { StreamCondition } from "./errors.ts";
import type { Xel } from "./messages.ts";
import type { ChannelBinding } from "./sasl/types.ts";

export type { ChannelBinding };

/**
 * What the TLS layer tells the machine once the handshake is done: after
 * `start-tls` (STARTTLS), or before any XML when the connection was made
 * with direct TLS (XEP-0368; the initiator before `start`, the receiver
 * before the client's first header).
 */
export interface TlsEstablished {
  readonly type: "tls-established";
  /** The peer's certificate (DER), verified by the adapter against its trust anchors. */
  readonly peerCertificate?: Uint8Array;
  /**
   * For a receiver: the XMPP addresses the verified client certificate
   * names (id-on-xmppAddr), extracted by the adapter; used by EXTERNAL.
   */
  readonly peerIdentities?: readonly string[];
  /** Channel-binding data of this connection, when the TLS stack exposes it (SCRAM -PLUS). */
  readonly channelBinding?: ChannelBinding;
  readonly now?: number;
}

export type StreamInput =
  /** Initiator only: open the stream. */
  | { readonly type: "start"; readonly now?: number }
  | { readonly type: "xml"; readonly event: XmlEvent; readonly now?: number }
  | TlsEstablished
  /** A stanza for the peer (message, presence or iq). */
  | { readonly type: "send"; readonly stanza: Xel; readonly now?: number }
  | { readonly type: "tick"; readonly now: number }
  /** Close the stream: orderly, or with a stream error condition (e.g. system-shutdown). */
  | {
    readonly type: "close";
    readonly condition?: StreamCondition;
    readonly text?: string;
    /** Receiver, with see-other-host: where the client should reconnect (RFC 6120 §4.9.3.19). */
    readonly location?: string;
    readonly now?: number;
  }
  | { readonly type: "transport-closed"; readonly now?: number }
  /**
   * Initiator only: the application stops waiting for the response to its iq
   * request `id` (its own timeout, PD-107): the request leaves the set in
   * flight, freeing its slot, and a late response is refused as unknown.
   */
  | { readonly type: "cancel-iq"; readonly id: string; readonly now?: number };

/** Timers the machines arm; the adapter calls back with a `tick` at or after `at`. */
export type TimerName = "negotiation" | "ping" | "close";

export type StreamOutput =
  /** Write these bytes to the transport, in order. */
  | { readonly type: "send-bytes"; readonly data: Uint8Array }
  /** Start TLS on the transport now; report back with `tls-established`. */
  | { readonly type: "start-tls" }
  /** The peer's next bytes begin a new XML stream: reset the reader (RFC 6120 §4.3.3). */
  | { readonly type: "new-stream" }
  /** Negotiation is complete; stanzas may flow. `jid` is the bound full JID. */
  | { readonly type: "established"; readonly jid: string; readonly resumed: boolean }
  /** A stanza from the peer for the application (a receiver has stamped its `from`). */
  | { readonly type: "stanza"; readonly element: Xel }
  /** XEP-0198: the server refused to resume; these stanzas were never acknowledged. */
  | { readonly type: "resume-failed"; readonly unacked: readonly Xel[] }
  /** RFC 6120 §4.9.3.19: reconnect to this host (same domain, same TLS checks). */
  | { readonly type: "see-other-host"; readonly location: string }
  | { readonly type: "set-timer"; readonly name: TimerName; readonly at: number }
  | { readonly type: "clear-timer"; readonly name: TimerName }
  | ErrorOutput
  /** The stream is over; close the transport after writing pending bytes. */
  | { readonly type: "closed"; readonly clean: boolean };

/** The result of one step, before it is frozen into a StepResult. */
export interface Emit {
  readonly out: StreamOutput[];
}
