/**
 * What a stream connection needs from a byte transport: write in order,
 * upgrade to TLS in place (STARTTLS), close after pending writes, or cut
 * abruptly. Two implementations exist, one per TLS stack available in Deno
 * (node_transport.ts, deno_transport.ts); docs/adapters.md says what each
 * can do.
 *
 * @module
 */
import type { DerlinkError } from "../core/errors.ts";
import type { TlsTrust } from "./tls_trust.ts";

/** Where to connect. `host` is an address; the TLS name comes from the trust config. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** XEP-0368: TLS from the first byte instead of STARTTLS. */
  readonly directTls?: boolean;
}

/** What the TLS handshake established. */
export interface TlsInfo {
  /** The server's chain as presented (DER, end entity first); empty when the stack hides it. */
  readonly peerChain: readonly Uint8Array[];
  /** Negotiated protocol, e.g. "TLSv1.3", when known. */
  readonly protocol?: string;
  /** True when the stack verified the chain against the anchors alone (system roots excluded). */
  readonly anchorsOnly: boolean;
  /** True when a client certificate was offered in the handshake. */
  readonly clientCertificateSent: boolean;
}

/** Callbacks from the transport; `onClose` is called exactly once. */
export interface TransportHandlers {
  onData(bytes: Uint8Array): void;
  /** The connection is gone: by `end`/`abort`, by the peer, or by an error (then `error` is set). */
  onClose(error?: DerlinkError): void;
}

export interface Transport {
  /** Set once TLS is up (at connect for direct TLS, after `startTls` otherwise). */
  readonly tls?: TlsInfo;
  /** Writes bytes after everything written before. Rejects when the connection is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Called synchronously when the machine asks for TLS: bytes that arrive
   * from now on belong to the TLS handshake, not to the XML stream.
   */
  holdReads(): void;
  /** STARTTLS: runs the TLS client handshake on this connection. Rejects with `adapter/tls-failed`. */
  startTls(): Promise<TlsInfo>;
  /** Closes after pending writes (TCP FIN). */
  end(): void;
  /** Cuts the connection now, without flushing (tests: an abrupt loss). */
  abort(): void;
}

/** Opens a transport; for direct TLS the handshake is complete when it resolves. */
export type Connector = (
  endpoint: Endpoint,
  trust: TlsTrust,
  handlers: TransportHandlers,
) => Promise<Transport>;
