/**
 * Error codes of per-message protection (RFC 3923-style end-to-end signing
 * and object encryption with the project's elliptic-curve suites): every
 * reason a received message or a local input is refused. Certificate
 * problems keep the `pki/*` code the validator gives.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const PerMessageError = defineErrorCodes("permessage", {
  "malformed":
    "a protected message is not well formed: a missing or repeated field, bad base64, a wrong length or number",
  "unknown-element":
    "an element or attribute the format does not define, or an element outside its namespace",
  "unsupported-version": "the message names a format version this implementation does not speak",
  "sender-mismatch":
    "the sender named inside the message is not the sender the XMPP server stamped",
  "unexpected-peer": "the message comes from a JID other than the configured peer",
  "wrong-recipient":
    "the message is addressed to another JID, or encrypted to a certificate other than ours",
  "stale-timestamp": "the message's time lies outside the accepted window around local time",
  "replay": "a sequence number already accepted, or a message of an older sender instance",
  "out-of-window": "the sequence number lies below the receive window",
  "sequence-gap": "the sequence number jumps further ahead than the configured maximum gap",
  "confidentiality-required": "an unencrypted message while local policy requires encryption",
  "certificate-mismatch":
    "the carried certificate is not the one the signed header names as signer",
  "unknown-certificate":
    "the message names its signer's certificate by reference and no such certificate is held",
  "wrong-signer": "the signer's certificate carries a JID other than the message's sender",
  "algorithm-mismatch": "the signature algorithm is not the one of the signer's certificate key",
  "bad-signature": "the signature does not verify with the signer's certificate key",
  "bad-key-share": "the ephemeral public key is refused by the suite",
  "bad-ciphertext": "the encrypted body fails authentication (AES-GCM tag mismatch)",
  "no-recipient-certificate":
    "encryption is required and the recipient's certificate is not known or not valid",
  "recipient-key-usage":
    "the recipient's certificate lacks the keyAgreement key usage encryption to it needs",
  "not-established": "application data was given before the channel was established",
  "unexpected-message": "a message or input that is not valid in the current phase",
  "invalid-input": "a local input that is not one of the machine's input shapes",
  "signer-failed":
    "the external signer reported a failure or answered a request that was not asked",
  "invalid-config": "the machine configuration is inconsistent (bad limits, empty chain, bad JID)",
});

export type PerMessageErrorCode = typeof PerMessageError[keyof typeof PerMessageError];
