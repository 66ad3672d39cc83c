/**
 * Error codes of the XMPP stream machines.
 *
 * Each stream error condition of RFC 6120 §4.9.3 has the code
 * `xmpp/<condition>`; it is reported both when the peer sends that condition
 * and when we send it without a more precise reason. The other codes name
 * the precise reason a machine refused something (a missing STARTTLS feature,
 * a spoofed `from`, an unknown iq id...); when such a refusal ends the stream,
 * the stream error condition sent on the wire is chosen by the refusal's rule
 * and written in the `detail`. SASL failures keep the `sasl/*` codes of the
 * SASL module.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

/** The stream error conditions of RFC 6120 §4.9.3, in clause order (4.9.3.1 … 4.9.3.25). */
export const STREAM_CONDITIONS = [
  "bad-format",
  "bad-namespace-prefix",
  "conflict",
  "connection-timeout",
  "host-gone",
  "host-unknown",
  "improper-addressing",
  "internal-server-error",
  "invalid-from",
  "invalid-namespace",
  "invalid-xml",
  "not-authorized",
  "not-well-formed",
  "policy-violation",
  "remote-connection-failed",
  "reset",
  "resource-constraint",
  "restricted-xml",
  "see-other-host",
  "system-shutdown",
  "undefined-condition",
  "unsupported-encoding",
  "unsupported-feature",
  "unsupported-stanza-type",
  "unsupported-version",
] as const;

export type StreamCondition = typeof STREAM_CONDITIONS[number];

/** The RFC 6120 clause that defines a condition, e.g. `4.9.3.19` for see-other-host. */
export const conditionClause = (c: StreamCondition): string =>
  `4.9.3.${STREAM_CONDITIONS.indexOf(c) + 1}`;

export const isStreamCondition = (s: string): s is StreamCondition =>
  (STREAM_CONDITIONS as readonly string[]).includes(s);

export const XmppError = defineErrorCodes("xmpp", {
  // RFC 6120 §4.9.3 stream error conditions, received from or sent to the peer.
  "bad-format": "stream error bad-format: XML that cannot be processed",
  "bad-namespace-prefix":
    "stream error bad-namespace-prefix: unsupported or missing namespace prefix",
  "conflict": "stream error conflict: a new stream replaced this one",
  "connection-timeout": "stream error connection-timeout: the peer was silent too long",
  "host-gone": "stream error host-gone: the requested domain is no longer served",
  "host-unknown": "stream error host-unknown: the requested domain is not served",
  "improper-addressing": "stream error improper-addressing: missing or invalid stanza address",
  "internal-server-error": "stream error internal-server-error: the peer failed internally",
  "invalid-from": "stream error invalid-from: a 'from' address the sender is not authorized for",
  "invalid-namespace": "stream error invalid-namespace: wrong stream or content namespace",
  "invalid-xml": "stream error invalid-xml: XML that violates the protocol's schema",
  "not-authorized": "stream error not-authorized: data sent before the stream was authorized",
  "not-well-formed": "stream error not-well-formed: XML that is not well-formed",
  "policy-violation":
    "stream error policy-violation: a local policy (size, rate, TLS...) was broken",
  "remote-connection-failed": "stream error remote-connection-failed: a needed remote link failed",
  "reset": "stream error reset: security-relevant state changed; the stream must be renegotiated",
  "resource-constraint": "stream error resource-constraint: the peer lacks resources to serve",
  "restricted-xml":
    "stream error restricted-xml: comment, PI, DTD or entity reference on the stream",
  "see-other-host": "stream error see-other-host: the server redirects to another host",
  "system-shutdown": "stream error system-shutdown: the peer is shutting down",
  "undefined-condition": "stream error undefined-condition (or an unknown condition)",
  "unsupported-encoding": "stream error unsupported-encoding: not UTF-8",
  "unsupported-feature": "stream error unsupported-feature: a required feature is not supported",
  "unsupported-stanza-type": "stream error unsupported-stanza-type: an unknown first-level element",
  "unsupported-version": "stream error unsupported-version: stream version other than 1.x",
  // Precise refusals of our own.
  "invalid-input": "the machine was given an input it does not accept in this phase (API misuse)",
  "stream-closed": "the stream is closed or closing; nothing more can be sent",
  "transport-closed": "the transport closed before the stream was closed",
  "invalid-stream-header": "the peer's stream header lacks a required attribute or has a bad value",
  "wrong-peer-domain": "the server answered for a domain other than the one asked for",
  "starttls-required": "TLS is mandatory-to-negotiate and the peer did not offer or use STARTTLS",
  "tls-downgrade": "STARTTLS offered again after TLS, or TLS refused: possible downgrade",
  "tls-failed": "the server reported failure of the STARTTLS negotiation",
  "data-after-restart": "the peer sent data after the element that ends its stream (STARTTLS/SASL)",
  "unexpected-element": "an element that is not valid in this phase of negotiation",
  "sasl-required": "the server offered no SASL mechanisms; authentication is mandatory",
  "sasl-failed":
    "the server ended SASL with a <failure/> condition that has no sasl/* code (see detail)",
  "sasl-retries-exceeded": "the client failed SASL more often than the receiver allows",
  "bind-unavailable": "the server did not offer resource binding after authentication",
  "bind-failed": "the server refused resource binding",
  "bind-wrong-jid": "the JID bound by the server is not the authenticated account",
  "stanza-before-bind": "a stanza arrived before resource binding completed",
  "invalid-stanza": "a stanza lacks a required attribute or has an invalid one",
  "iq-unknown-id": "an iq response whose id matches no request in flight",
  "iq-duplicate-id": "an iq request whose id is already in flight",
  "iq-wrong-responder": "an iq response from an address other than the one the request went to",
  "iq-limit": "too many iq requests in flight",
  "sm-handled-count-too-high": "XEP-0198: the peer acknowledged more stanzas than were sent",
  "sm-resume-failed": "XEP-0198: the server refused to resume the session",
  "sm-enable-failed": "XEP-0198: the server refused to enable stream management",
  "sm-queue-full": "XEP-0198: too many unacknowledged stanzas",
  "sm-unexpected": "XEP-0198: an element that is not valid in the current stream management state",
  "ping-timeout": "XEP-0199: the peer did not answer a ping in time",
  "negotiation-timeout": "stream negotiation did not complete in time",
});
