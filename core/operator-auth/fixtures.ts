/**
 * Test fixtures of Option 2: a valid login claim set at the access fixtures'
 * NOW_S, for the operator-auth and access tests. Not part of the public API.
 *
 * @module
 */
import { ISSUER, NOW_S } from "../access/fixtures.ts";
import type { LoginClaims } from "./login_token.ts";

/** A login token's claims for `account` (a bare JID) at an XMPP `domain`, valid at NOW_S. */
export const loginClaims = (
  account: string,
  domain: string,
  over: Partial<LoginClaims> = {},
): LoginClaims => ({
  iss: ISSUER,
  sub: account,
  aud: `xmpp:${domain}`,
  exp: NOW_S + 600,
  nbf: NOW_S - 60,
  iat: NOW_S - 60,
  jti: "login-000000000001",
  client_id: account,
  ...over,
});
