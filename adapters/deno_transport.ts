/**
 * Transport over Deno's own TCP and TLS (`Deno.connect` + `Deno.startTls`,
 * `Deno.connectTls` for XEP-0368), for callers that want Deno's native stack.
 *
 * Its limits, measured in Deno 2.9.6 (docs/adapters.md), decide what it
 * accepts:
 * - `caCerts` are added to the root store, never used instead of it, and the
 *   TLS connection exposes no peer certificate, so the chain cannot be pinned
 *   to the configured anchors. The connector refuses to run unless the caller
 *   accepts that explicitly (`allowSystemRoots`, PD-100).
 * - `Deno.startTls` cannot present a client certificate: a STARTTLS
 *   configuration with one is refused (`adapter/unsupported`);
 *   `Deno.connectTls` (direct TLS) can.
 *
 * @module
 */
import { DerlinkError } from "../core/errors.ts";
import { AdapterError } from "./errors.ts";
import type { Connector, Endpoint, TlsInfo, Transport, TransportHandlers } from "./transport.ts";
import type { TlsTrust } from "./tls_trust.ts";

export interface DenoConnectorOptions {
  /**
   * Must be true: the configured anchors are trusted *in addition to* the
   * system roots, and the server's chain cannot be checked against them.
   */
  readonly allowSystemRoots: boolean;
}

const READ_SIZE = 65_536;

class DenoTransport implements Transport {
  #conn: Deno.Conn;
  #trust: TlsTrust;
  #handlers: TransportHandlers;
  #tls?: TlsInfo;
  #closed = false;
  #holdReads = false;
  #reading: Promise<void>;

  /** `read: false` leaves the connection unread until `startTls` (direct TLS). */
  constructor(
    conn: Deno.Conn,
    trust: TlsTrust,
    handlers: TransportHandlers,
    info: TlsInfo | undefined,
    read = true,
  ) {
    this.#conn = conn;
    this.#trust = trust;
    this.#handlers = handlers;
    this.#tls = info;
    this.#reading = read ? this.#readLoop(conn) : Promise.resolve();
  }

  get tls(): TlsInfo | undefined {
    return this.#tls;
  }

  async #readLoop(conn: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return this.#finish();
        this.#handlers.onData(buf.slice(0, n));
        // Set while handling these bytes when they ended with <proceed/>:
        // no read may be pending when Deno.startTls takes the connection.
        if (this.#holdReads) return;
      }
    } catch (e) {
      this.#finish(new DerlinkError(AdapterError["transport-error"], (e as Error).message));
    }
  }

  #finish(error?: DerlinkError): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    this.#handlers.onClose(error);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw new DerlinkError(AdapterError["transport-error"], "connection closed");
    try {
      let done = 0;
      while (done < bytes.length) done += await this.#conn.write(bytes.subarray(done));
    } catch (e) {
      throw new DerlinkError(AdapterError["transport-error"], (e as Error).message);
    }
  }

  /** Called synchronously when the machine asks for TLS, before `startTls`. */
  holdReads(): void {
    this.#holdReads = true;
  }

  async startTls(): Promise<TlsInfo> {
    if (this.#tls || this.#closed) {
      throw new DerlinkError(
        AdapterError["tls-failed"],
        "TLS already started or connection closed",
      );
    }
    // spec: DL-ADAPTER-4
    if (this.#trust.clientCertificate) {
      const e = new DerlinkError(
        AdapterError.unsupported,
        "Deno.startTls cannot present a client certificate; use the node:tls stack",
      );
      this.#finish(e);
      throw e;
    }
    this.#holdReads = true;
    await this.#reading;
    if (this.#closed) throw new DerlinkError(AdapterError["tls-failed"], "connection closed");
    try {
      const secure = await Deno.startTls(this.#conn as Deno.TcpConn, {
        hostname: this.#trust.serverName,
        caCerts: [...this.#trust.anchors],
      });
      await secure.handshake();
      this.#conn = secure;
    } catch (e) {
      const err = new DerlinkError(AdapterError["tls-failed"], (e as Error).message);
      this.#finish(err);
      throw err;
    }
    this.#tls = denoTlsInfo(false);
    this.#holdReads = false;
    this.#reading = this.#readLoop(this.#conn);
    return this.#tls;
  }

  end(): void {
    if (this.#closed) return;
    // closeWrite sends FIN after queued writes; the read loop then sees the peer's end.
    this.#conn.closeWrite().catch(() => this.#finish());
  }

  abort(): void {
    this.#finish();
  }
}

/** Deno's TLS hides the peer's certificate and the verifier's root set. */
const denoTlsInfo = (clientCertificateSent: boolean): TlsInfo => ({
  peerChain: [],
  anchorsOnly: false,
  clientCertificateSent,
});

/** A connector over Deno's native TCP/TLS; see the module doc for what it refuses. */
export function denoConnector(options: DenoConnectorOptions): Connector {
  return async (endpoint: Endpoint, trust: TlsTrust, handlers: TransportHandlers) => {
    // spec: DL-ADAPTER-2 PD-100
    if (options.allowSystemRoots !== true) {
      throw new DerlinkError(
        AdapterError.unsupported,
        "Deno's TLS adds anchors to the system roots and hides the peer chain; " +
          "set allowSystemRoots to accept that, or use the node:tls stack",
      );
    }
    if (endpoint.directTls && trust.clientCertificate) {
      // Deno.connectTls checks the name it connects to; only Deno.startTls takes another.
      if (endpoint.host !== trust.serverName) {
        throw new DerlinkError(
          AdapterError.unsupported,
          "Deno.connectTls checks the certificate against the address it connects to; " +
            "a client certificate over direct TLS needs host == serverName on this stack",
        );
      }
      // spec: DL-ADAPTER-10
      let conn: Deno.TlsConn;
      try {
        conn = await Deno.connectTls({
          hostname: endpoint.host,
          port: endpoint.port,
          caCerts: [...trust.anchors],
          cert: trust.clientCertificate.certPem,
          key: trust.clientCertificate.keyPem,
        });
      } catch (e) {
        throw new DerlinkError(AdapterError["connect-failed"], (e as Error).message);
      }
      try {
        await conn.handshake();
      } catch (e) {
        conn.close();
        throw new DerlinkError(AdapterError["tls-failed"], (e as Error).message);
      }
      return new DenoTransport(conn, trust, handlers, denoTlsInfo(true));
    }
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: endpoint.host, port: endpoint.port });
    } catch (e) {
      throw new DerlinkError(AdapterError["connect-failed"], (e as Error).message);
    }
    conn.setNoDelay(true);
    const transport = new DenoTransport(conn, trust, handlers, undefined, !endpoint.directTls);
    if (endpoint.directTls) {
      // spec: DL-ADAPTER-10
      // TLS from the first byte, checked against serverName, before any XML.
      await transport.startTls();
    }
    return transport;
  };
}
