/**
 * Transport over Deno's `node:net` and `node:tls` (the default stack).
 *
 * Why this stack (measured in Deno 2.9.6, docs/adapters.md): `tls.connect`
 * with `ca` verifies against those anchors only (it replaces the default
 * roots, unlike Deno's `caCerts`), it can run over an existing socket, so
 * STARTTLS works *with* a client certificate, and `getPeerCertificate(true)`
 * returns the server's chain for the pin check and the machine's
 * `tls-established` input. TLS 1.2 is the lowest version offered.
 *
 * @module
 */
import net from "node:net";
import tls from "node:tls";
import { DerlinkError, type ErrorCode } from "../core/errors.ts";
import { AdapterError } from "./errors.ts";
import type { Connector, Endpoint, TlsInfo, Transport, TransportHandlers } from "./transport.ts";
import type { TlsTrust } from "./tls_trust.ts";

type Sock = net.Socket | tls.TLSSocket;

/** Options common to both ways of starting TLS. */
function tlsOptions(trust: TlsTrust): tls.ConnectionOptions {
  // spec: DL-ADAPTER-2 PAPER-R1 PAPER-R3 PAPER-R5 PAPER-M1 PD-100
  return {
    servername: trust.serverName,
    ca: [...trust.anchors],
    rejectUnauthorized: true,
    minVersion: "TLSv1.2",
    ...(trust.clientCertificate
      ? { cert: trust.clientCertificate.certPem, key: trust.clientCertificate.keyPem }
      : {}),
  };
}

/** Socket-level failures (refused, unreachable...) as opposed to TLS ones. */
const isSocketError = (e: Error): boolean =>
  /^E[A-Z]+$/.test(String((e as { code?: unknown }).code ?? "")) &&
  !String((e as { code?: unknown }).code).startsWith("ERR_");

/** Waits for `secureConnect` (or `connect` for plain TCP); maps failure to a code. */
function settle(
  sock: Sock,
  event: "connect" | "secureConnect",
  codeFor: (e: Error) => ErrorCode,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      sock.off(event, onOk);
      reject(new DerlinkError(codeFor(e), e.message));
    };
    const onOk = () => {
      sock.off("error", onError);
      resolve();
    };
    sock.once(event, onOk);
    sock.once("error", onError);
  });
}

/** The chain `getPeerCertificate(true)` links through `issuerCertificate`, end entity first. */
function peerChain(sock: tls.TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<unknown>();
  let c = sock.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  while (c && c.raw && !seen.has(c)) {
    seen.add(c);
    out.push(new Uint8Array(c.raw));
    if (c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  return out;
}

function tlsInfoOf(sock: tls.TLSSocket, trust: TlsTrust): TlsInfo {
  return {
    peerChain: peerChain(sock),
    protocol: sock.getProtocol() ?? undefined,
    anchorsOnly: true,
    clientCertificateSent: trust.clientCertificate !== undefined,
  };
}

class NodeTransport implements Transport {
  #sock: Sock;
  #trust: TlsTrust;
  #handlers: TransportHandlers;
  #tls?: TlsInfo;
  #closed = false;
  #error?: DerlinkError;
  #detach: () => void = () => {};

  constructor(sock: Sock, trust: TlsTrust, handlers: TransportHandlers, info?: TlsInfo) {
    this.#sock = sock;
    this.#trust = trust;
    this.#handlers = handlers;
    this.#tls = info;
    this.#attach(sock);
  }

  get tls(): TlsInfo | undefined {
    return this.#tls;
  }

  #attach(sock: Sock): void {
    const onData = (d: Uint8Array) =>
      this.#handlers.onData(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    const onError = (e: Error) => {
      this.#error ??= new DerlinkError(AdapterError["transport-error"], e.message);
    };
    const onClose = () => this.#finish(this.#error);
    sock.on("data", onData);
    sock.on("error", onError);
    sock.on("close", onClose);
    this.#detach = () => {
      sock.off("data", onData);
      sock.off("error", onError);
      sock.off("close", onClose);
    };
  }

  #finish(error?: DerlinkError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    this.#handlers.onClose(error);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new DerlinkError(AdapterError["transport-error"], "connection closed"));
    }
    return new Promise((resolve, reject) => {
      this.#sock.write(bytes, (e?: Error | null) => {
        if (e) reject(new DerlinkError(AdapterError["transport-error"], e.message));
        else resolve();
      });
    });
  }

  holdReads(): void {
    this.#sock.pause();
  }

  async startTls(): Promise<TlsInfo> {
    if (this.#tls || this.#closed) {
      throw new DerlinkError(
        AdapterError["tls-failed"],
        "TLS already started or connection closed",
      );
    }
    const plain = this.#sock;
    // The next bytes belong to the TLS handshake: stop reading them as XML.
    this.#detach();
    // spec: DL-ADAPTER-4 PAPER-R1
    const secure = tls.connect({ socket: plain as net.Socket, ...tlsOptions(this.#trust) });
    this.#sock = secure;
    try {
      await settle(secure, "secureConnect", () => AdapterError["tls-failed"]);
    } catch (e) {
      secure.destroy();
      plain.destroy();
      this.#finish(e as DerlinkError);
      throw e;
    }
    this.#tls = tlsInfoOf(secure, this.#trust);
    this.#attach(secure);
    return this.#tls;
  }

  end(): void {
    if (!this.#closed) this.#sock.end();
  }

  abort(): void {
    if (this.#closed) return;
    this.#sock.destroy();
  }
}

/** Connects with `node:net` (STARTTLS later) or `node:tls` (direct TLS, XEP-0368). */
// spec: PAPER-MAP7
// Outbound only: the client opens the connection; nothing here listens.
export const nodeConnector: Connector = async (
  endpoint: Endpoint,
  trust: TlsTrust,
  handlers: TransportHandlers,
): Promise<Transport> => {
  if (endpoint.directTls) {
    // spec: DL-ADAPTER-10
    const sock = tls.connect({ host: endpoint.host, port: endpoint.port, ...tlsOptions(trust) });
    try {
      await settle(
        sock,
        "secureConnect",
        (e) => isSocketError(e) ? AdapterError["connect-failed"] : AdapterError["tls-failed"],
      );
    } catch (e) {
      sock.destroy();
      throw e;
    }
    sock.setNoDelay(true);
    return new NodeTransport(sock, trust, handlers, tlsInfoOf(sock, trust));
  }
  const sock = net.connect({ host: endpoint.host, port: endpoint.port });
  try {
    await settle(sock, "connect", () => AdapterError["connect-failed"]);
  } catch (e) {
    sock.destroy();
    throw e;
  }
  sock.setNoDelay(true);
  return new NodeTransport(sock, trust, handlers);
};
