/**
 * The server side of a certificate login in the in-memory server: what a
 * TLS server that accepts client certificates hands its XMPP layer (RFC 6120
 * §13.7.2, XEP-0178 §3). The chain the client presented is validated
 * against the server's client anchors (RFC 5280 path validation, extended
 * key usage clientAuth) at the given time; one that validates yields the
 * XMPP address it names (id-on-xmppAddr), which the receiver machine then
 * offers SASL EXTERNAL for. One that does not gives no identity: the
 * handshake still completes and EXTERNAL is simply not offered, as Prosody
 * does with a certificate it cannot verify (PD-255).
 *
 * @module
 */
import { EXTENDED_KEY_USAGE, fromPem, validateChain } from "../core/pki/mod.ts";
import type { ClientCredential } from "./tls_trust.ts";

/** The DER chain of a PEM client credential (the key is not needed: TLS is simulated). */
export function presentedChain(c: ClientCredential | undefined): Uint8Array[] | undefined {
  return c === undefined ? undefined : fromPem(c.certPem);
}

/**
 * The XMPP addresses a presented client chain proves, or none when it does
 * not validate to `anchors` at `now` for clientAuth.
 */
// spec: PD-255 DL-CRED-1 XEP0178-3
export function clientIdentities(
  chain: readonly Uint8Array[],
  anchors: readonly Uint8Array[],
  now: number = Date.now(),
): string[] {
  if (chain.length === 0 || anchors.length === 0) return [];
  const r = validateChain(chain, {
    anchors,
    now,
    requiredEku: [EXTENDED_KEY_USAGE.clientAuth],
  });
  // validateChain names the first xmppAddr; a certificate with several logs in as that one.
  return r.ok && r.value.jid !== undefined ? [r.value.jid] : [];
}
