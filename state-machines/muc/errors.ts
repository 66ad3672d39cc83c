/**
 * Error codes of the MUC layer (`muc/*`): the client side of XEP-0045 used
 * as a multicast association (docs/muc.md).
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const MucError = defineErrorCodes("muc", {
  "invalid-config": "the room machine's configuration is unusable (bad JID, nick or member list)",
  "not-joined": "the input needs an occupied room and we are not (or no longer) in it",
  "not-owner": "only the publisher (the room's owner and moderator) may do this",
  "no-voice": "we hold no voice in the room, so a groupchat message would be refused",
  "join-refused": "the room answered our join presence with an error",
  "config-refused": "the room refused its configuration (moderated, members-only)",
  "grant-refused": "the room refused a change of affiliation or role",
  "publish-refused": "the room bounced a groupchat message we sent (for example: no voice)",
  spoofed:
    "a room stanza or key message came from an address that is not the room's (or the key server's)",
  "unknown-occupant": "a groupchat message came from a nick that is not an occupant we know",
  "not-moderator": "a rekey came through the room from an occupant that is not a moderator",
  "malformed": "a room stanza lacks what XEP-0045 requires (nick, item, payload)",
  "unexpected-input": "the input is not one the room machine knows",
});

export type MucErrorCode = typeof MucError[keyof typeof MucError];
