/**
 * Stable codes for Option 2 of the paper's §V (the XMPP server delegates the
 * login check to the grid operator's authentication service). A login token
 * that fails verification keeps the `access/*` code of the shared token
 * profile (core/access); these codes are what the service adds around it.
 *
 * @module
 */
import { defineErrorCodes } from "../errors.ts";

export const OperatorAuthError = defineErrorCodes("operator-auth", {
  "invalid-config":
    "the login service's configuration is unusable (ACL domain, keys, caller secret)",
  "unauthorized-caller": "the HTTP caller did not present the login service's caller secret",
  "bad-request": "not a POST of exactly the form fields username, host and token",
  "wrong-host": "the login is for an XMPP domain the operator's ACL is not about",
  "wrong-account": "the login token's subject is not the account logging in",
  "not-listed": "the account is not listed in the grid operator's access-control list",
});

export type OperatorAuthErrorCode = typeof OperatorAuthError[keyof typeof OperatorAuthError];
