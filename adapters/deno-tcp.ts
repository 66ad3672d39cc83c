/**
 * The Deno TCP/TLS adapter for the XMPP initiator: entry point.
 *
 * - {@link XmppClient}: connect, send, iq → Promise, events, reconnect with
 *   backoff and XEP-0198 resumption.
 * - {@link StreamConnection}: one connection driving an initiator
 *   StreamDriver; carries out the machine's outputs, decides nothing.
 * - Transports: {@link nodeConnector} (node:net + node:tls: STARTTLS and
 *   direct TLS, client certificates, anchors only, peer chain) and
 *   {@link denoConnector} (Deno.connect/startTls/connectTls, with the limits
 *   docs/adapters.md lists).
 *
 * @module
 */
export { AdapterError } from "./errors.ts";
export { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.ts";
export { checkPeerChain, type ClientCredential, parseAnchors, type TlsTrust } from "./tls_trust.ts";
export type { Connector, Endpoint, TlsInfo, Transport, TransportHandlers } from "./transport.ts";
export { nodeConnector } from "./node_transport.ts";
export { denoConnector, type DenoConnectorOptions } from "./deno_transport.ts";
export {
  type ConnectionEnd,
  type ConnectionEvents,
  type ConnectionOptions,
  StreamConnection,
} from "./stream_connection.ts";
export {
  type ClientEvents,
  type ClientOptions,
  isTransientEnd,
  type MachineOptions,
  message,
  parseLocation,
  XmppClient,
} from "./xmpp_client.ts";
