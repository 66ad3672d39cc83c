/**
 * Error codes of group keying: `gdoi/*` for the key-management protocol
 * (registration, rekey, the key tree) and `group/*` for group-protected
 * messages. Certificate problems keep the `pki/*` code the injected
 * validator gives, so a refused chain reads the same here as in the
 * A-profile.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const GdoiError = defineErrorCodes("gdoi", {
  "malformed":
    "a registration or rekey message is not well formed: bad magic, truncated field, wrong length, trailing bytes",
  "unexpected-message": "a message that is not valid in the current phase or for this role",
  "invalid-input": "a local input that is not one of the machine's input shapes",
  "invalid-config":
    "the machine configuration is inconsistent (no streams, bad lengths, bad limits)",
  "wrong-group": "the message names a group other than the one this machine serves or joined",
  "unsupported-suite": "the registration names a cipher suite the group policy does not allow",
  "nonce-mismatch": "a registration message does not echo the nonces of this exchange",
  "unknown-registration": "a registration confirmation names no registration in progress",
  "registration-replay": "a registration confirmation for an exchange that already completed",
  "registration-expired": "a registration confirmation arrived after the exchange timed out",
  "too-many-pending": "the key server holds the maximum number of unfinished registrations",
  "identity-mismatch":
    "the certificate's JID is not the JID the registration claims or the stanza sender",
  "not-authorized": "the group policy does not let this JID join the group",
  "bad-signature": "a registration or rekey signature does not verify with the signer's key",
  "bad-key-share": "an ephemeral public key is refused by the group's suite",
  "decrypt-failed": "the key download of a registration failed authentication",
  "rekey-replayed": "a rekey carries the sequence number of the last rekey accepted",
  "rekey-stale": "a rekey carries a sequence number below the last rekey accepted (rollback)",
  "unwrap-failed": "a wrapped key in a signed rekey failed authentication under the member's key",
  "inconsistent-keys":
    "a key download or rekey leaves the member's key path incomplete or contradicts its position",
  "not-member": "the member is not (or no longer) registered in the group",
  "unknown-member": "an eviction names a JID that is not a member of the group",
  "exhausted":
    "a counter (rekey sequence, key ID, key version, member slot) would wrap; a new group is needed",
  "timeout": "the key server did not answer a registration within the configured time",
  "signer-failed":
    "the injected signer threw (a key server halts, since its key tree may already have changed)",
  "halted":
    "the key server halted (a counter would wrap or its signer failed); the group must be re-created",
});

export const GroupError = defineErrorCodes("group", {
  "malformed":
    "a group-protected message is not well formed: bad magic, truncated header, wrong lengths, trailing bytes",
  "truncated-tag": "the integrity tag of a group-protected message is shorter than 16 bytes",
  "unknown-key": "the key ID is not a traffic key this member holds",
  "key-not-active": "the traffic key's activation time is still in the future",
  "key-expired": "the traffic key's lifetime has ended, or the key was retired by a rekey",
  "algorithm-mismatch": "the message names a protection algorithm other than its key's",
  "wrong-stream": "the message's Stream-ID is not the stream its key protects",
  "bad-tag": "the HMAC, GMAC or GCM tag does not verify",
  "sender-not-authorized": "the sender is not a publisher of the stream in the group policy",
  "ttl-expired": "the message's time allowed to live has passed",
  "from-future": "the message's timestamp lies further ahead of local time than the allowed skew",
  "spdu-replayed": "the SPDU number equals the last one accepted from this sender under this key",
  "spdu-stale": "the SPDU number is below the last one accepted from this sender under this key",
  "spdu-exhausted": "the sender's SPDU counter for this key is used up; a new key is needed",
  "no-key": "there is no active traffic key for the stream to protect a message with",
  "not-publisher": "this member is not a publisher of the stream it was asked to send on",
});

export type GdoiErrorCode = typeof GdoiError[keyof typeof GdoiError];
export type GroupErrorCode = typeof GroupError[keyof typeof GroupError];
