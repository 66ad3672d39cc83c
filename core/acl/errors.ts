/**
 * Stable codes for Option 1 of the paper's §V (the XMPP server enforces the
 * grid operator's access-control list): faults of an ACL file, and the
 * refusals of a stanza the ACL forbids. The refusal codes also travel as the
 * `<text/>` of the stanza error, from derlink's receiver and from Prosody.
 *
 * @module
 */
import { defineErrorCodes } from "../errors.ts";

export const AclError = defineErrorCodes("acl", {
  "not-json": "the ACL file is not UTF-8 JSON",
  "schema": "the ACL does not fit acl.schema.json (unknown key, wrong type, bad name)",
  "invalid-jid": "a JID in the ACL is not a canonical bare JID",
  "unknown-group": "a principal names a group the ACL does not define",
  "wrong-service": "a room is not on the MUC service, or a JID sits on a service domain",
  "duplicate": "a group member or principal is listed twice",
  "address-denied": "no addressing rule lets the sender address this recipient",
  "reply-denied": "a reply to a peer that may not address the sender (dropped silently)",
  "room-unknown": "the room is not in the ACL: nobody may use it",
  "room-denied": "the sender is neither member nor moderator of the room",
  "moderation-denied":
    "room administration, invitations and private stanzas to occupants need a moderator",
  "node-unknown": "the pubsub node is not in the ACL: nobody may publish to or subscribe to it",
  "publish-denied": "the sender is not a publisher of the pubsub node",
  "subscribe-denied": "the sender is not a subscriber of the pubsub node",
});

export type AclErrorCode = typeof AclError[keyof typeof AclError];
