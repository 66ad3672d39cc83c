/**
 * EXTERNAL (RFC 4422 Appendix A) with a TLS client certificate, following
 * XEP-0178 for client-to-server: the identity comes from the certificate's
 * XMPP addresses (id-on-xmppAddr), checked by the TLS layer and the PKI code;
 * the SASL message only carries an optional authorization identity.
 *
 * On the wire an empty message is sent as `=` inside `<auth/>` (RFC 6120
 * §6.4.2); that is the stream's job, these functions see raw bytes.
 *
 * @module
 */
import { utf8 } from "../../../core/bytes.ts";
import { fail, ok, type Result } from "../../../core/errors.ts";
import { decodeUtf8 } from "./attributes.ts";
import { SaslError } from "./errors.ts";

/**
 * The client's EXTERNAL message: empty (let the certificate speak, the
 * XEP-0178 recommendation) or the authorization identity.
 */
export function externalClientMessage(authzid?: string): Uint8Array {
  return utf8(authzid ?? "");
}

/** What the server knows about the TLS client for EXTERNAL. */
export interface ExternalPeer {
  /**
   * The XMPP addresses (bare JIDs) of a client certificate that the TLS layer
   * verified; empty when no certificate was presented or it did not verify.
   */
  readonly certificateJids: readonly string[];
  /**
   * Normalizes a JID for comparison (RFC 7622 preparation); the default
   * compares the strings as they are, which suits already-prepared JIDs.
   */
  readonly normalizeJid?: (jid: string) => string | undefined;
}

/** The identity an EXTERNAL exchange authenticated. */
export interface ExternalIdentity {
  readonly jid: string;
}

/**
 * Server side: the client must hold a verified certificate; an empty
 * authzid picks its only JID, a non-empty one must be one of its JIDs.
 */
export function externalServerCheck(
  message: Uint8Array,
  peer: ExternalPeer,
): Result<ExternalIdentity> {
  const text = decodeUtf8(message);
  if (!text.ok) return text;
  const normalize = peer.normalizeJid ?? ((j: string) => j);
  const jids = peer.certificateJids.map(normalize).filter((j): j is string => j !== undefined);
  // spec: RFC6120-6.3.4.external XEP0178-3
  if (jids.length === 0) {
    return fail(SaslError["no-client-certificate"], "no verified certificate identity");
  }
  if (text.value === "") {
    // spec: XEP0178-3.authzid
    // Without an authzid the certificate must name exactly one identity.
    if (new Set(jids).size !== 1) {
      return fail(
        SaslError["invalid-authzid"],
        "certificate names several JIDs; an authzid is needed",
      );
    }
    return ok({ jid: jids[0] });
  }
  // spec: XEP0178-3.authzid RFC6120-6.3.8
  const wanted = normalize(text.value);
  if (wanted === undefined || !jids.includes(wanted)) {
    return fail(SaslError["invalid-authzid"], "authzid is not an identity of the certificate");
  }
  return ok({ jid: wanted });
}
