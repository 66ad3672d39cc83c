/**
 * Error codes of the A-profile (62351-4-style end-to-end association):
 * every reason a handshake message, a protected PDU or a local input is
 * refused. Certificate problems keep the `pki/*` code the validator gives.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const AProfileError = defineErrorCodes("aprofile", {
  "malformed":
    "a profile element is not well formed: a missing or repeated field, bad base64, a wrong length or number",
  "unknown-element":
    "an element or attribute the profile does not define, or an element outside the profile namespace",
  "unsupported-version": "the token names a protocol version this implementation does not speak",
  "bad-signature":
    "a token signature does not verify with the signer's certificate key, or names another algorithm",
  "replay":
    "a request nonce already seen, or a protected PDU sequence number already accepted in the window",
  "stale-timestamp": "a token's or PDU's time lies outside the accepted window around local time",
  "wrong-peer":
    "the certificate's JID is not the expected peer, the stanza sender, or the request names another responder",
  "downgrade":
    "the response chose a suite or protection mode the request did not offer or local policy does not allow",
  "confidentiality-required":
    "integrity-only protection was proposed or chosen while local policy requires encryption",
  "no-common-suite": "none of the offered suites is allowed by the responder's policy",
  "no-common-mode": "none of the offered protection modes is allowed by the responder's policy",
  "nonce-mismatch": "the response does not echo the nonce of the request this initiator sent",
  "association-mismatch": "a message names an association id other than the current one",
  "bad-key-share": "an ephemeral public key is refused by the chosen suite",
  "out-of-window": "a protected PDU's sequence number lies below the receive window",
  "sequence-gap":
    "a protected PDU's sequence number jumps further ahead than the configured maximum gap",
  "bad-tag": "a protected PDU failed authentication (AES-GCM tag or HMAC-SHA-256 mismatch)",
  "key-expired":
    "a protected PDU uses a retired key epoch, or its epoch exceeded its lifetime in PDUs or time",
  "bad-epoch": "a protected PDU names a key epoch further ahead than one key update",
  "unexpected-message": "a message or input that is not valid in the current phase",
  "invalid-input": "a local input that is not one of the machine's input shapes",
  "timeout": "the peer did not answer within the configured time",
  "signer-failed":
    "the external signer reported a failure or answered a request that was not asked",
  "not-established": "application data was given before the association was established",
  "invalid-config": "the machine configuration is inconsistent (no suites, no modes, bad limits)",
});

export type AProfileErrorCode = typeof AProfileError[keyof typeof AProfileError];
