/**
 * Error codes of the transport adapters and the client API built on them.
 * Protocol refusals keep the stream machine's `xmpp/*` and `sasl/*` codes;
 * these codes name what only the adapter can see: sockets, TLS handshakes,
 * trust anchors, timeouts of the client API, reconnect attempts.
 *
 * @module
 */
import { defineErrorCodes } from "../core/errors.ts";

export const AdapterError = defineErrorCodes("adapter", {
  "invalid-config": "the adapter configuration is incomplete or contradicts itself",
  "unsupported":
    "the chosen TLS stack cannot do what the configuration asks (see docs/adapters.md)",
  "connect-failed": "the TCP (or direct TLS) connection to the server could not be made",
  "tls-failed":
    "the TLS handshake failed: certificate not trusted by the configured anchors, wrong server name, or an alert",
  "untrusted-peer":
    "the server's certificate chain does not lead to a configured trust anchor (pin check after the handshake)",
  "transport-error": "the connection failed after it was established",
  "not-connected": "there is no bound stream to send on",
  "iq-timeout": "no response to an iq request within the client's timeout",
  "iq-error": "the peer answered an iq request with type='error'",
  "connection-lost":
    "the connection was lost and the session was not resumed; the request will never be answered",
  "client-closed": "the client was closed; nothing more can be sent",
  "reconnect-exhausted": "every reconnect attempt failed; the client gave up",
});
