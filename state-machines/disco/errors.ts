/**
 * Error codes of service discovery (`disco/*`): the requester refusing a
 * response, and misuse of the requester's inputs.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const DiscoError = defineErrorCodes("disco", {
  "invalid-request": "a query input names no valid JID, kind or node",
  "too-many-pending": "more disco requests are in flight than the requester allows",
  "unknown-id": "a disco response answers no request we have in flight",
  spoofed: "a disco response came from another address than the one we asked",
  "remote-error": "the entity answered our disco request with a stanza error",
  malformed: "a disco response lacks what XEP-0030 requires, or repeats an identity or feature",
  oversize:
    "a disco response has more identities, features or items, or longer values, than allowed",
  "unknown-namespace": "a disco response carries a payload of another namespace than we asked for",
  timeout: "no disco response arrived before the request's deadline",
  "unexpected-input": "the input is not one the disco requester knows",
});

export type DiscoErrorCode = typeof DiscoError[keyof typeof DiscoError];
