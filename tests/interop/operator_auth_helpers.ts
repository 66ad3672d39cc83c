/**
 * Shared pieces of the Option 2 interop test and the login-cost bench: the
 * grid operator's login service for the example ACL, a Prosody that
 * delegates logins to it, and a client that logs in with OAUTHBEARER.
 *
 * @module
 */
import { SeededEntropy } from "../../core/entropy.ts";
import { fixtureKeys, ISSUER, operatorKeysOf } from "../../core/access/fixtures.ts";
import { gridAclDocument } from "../../core/acl/fixtures.ts";
import { parseAcl } from "../../core/acl/mod.ts";
import type { Acl } from "../../core/acl/types.ts";
import {
  createLoginService,
  type LoginService,
  loginTokenFor,
  OPERATOR_AUTH_MODULE,
  OPERATOR_AUTH_PLUGIN_SOURCE,
  operatorAuthHostLua,
} from "../../core/operator-auth/mod.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import type { ProsodyOptions, ProsodyServer } from "../harness/prosody.ts";

export const DOMAIN = "derlink.test";
export const J = (u: string) => `${u}@${DOMAIN}`;
/** Test value, not a secret of any deployment. */
export const CALLER_SECRET = "interop-caller-secret-0123456789abcdefgh";
export const KEYS = fixtureKeys();

/** The example ACL (core/acl/fixtures.ts), parsed. */
export function exampleAcl(doc: unknown = gridAclDocument(DOMAIN)): Acl {
  const r = parseAcl(doc);
  if (!r.ok) throw r.error;
  return r.value;
}

/** The operator's login service over `acl`, trusting the fixture operator keys. */
export const exampleLoginService = (acl: Acl = exampleAcl()): Promise<LoginService> =>
  createLoginService({
    acl,
    issuer: ISSUER,
    keys: operatorKeysOf(KEYS),
    callerSecret: CALLER_SECRET,
  });

let jti = 0;
/** A login token for `account` issued now by the operator (Ed25519 or ES256 key). */
export function loginToken(account: string, alg: "ES256" | "Ed25519" = "Ed25519"): string {
  const signer = alg === "ES256" ? KEYS.es256.signer : KEYS.ed25519.signer;
  const id = `login-${Date.now()}-${jti++}`.padEnd(16, "0");
  return loginTokenFor(account, DOMAIN, ISSUER, signer, Math.floor(Date.now() / 1000), id);
}

/** Harness options for a Prosody that asks the login service at `url`. */
export function delegatingProsody(
  url: string,
  over: Partial<ProsodyOptions> & { alsoModules?: string[]; extraLua?: string } = {},
): ProsodyOptions {
  const { alsoModules, extraLua, ...rest } = over;
  return {
    domain: DOMAIN,
    users: [],
    sharedRosterGroup: null,
    plugins: [{ name: OPERATOR_AUTH_MODULE, source: OPERATOR_AUTH_PLUGIN_SOURCE }],
    extraHostLua:
      operatorAuthHostLua({ url, callerSecret: CALLER_SECRET, timeoutSeconds: 2, alsoModules }) +
      (extraLua ? `\n${extraLua}` : ""),
    ...rest,
  };
}

/** Logs `user` in with OAUTHBEARER and `token` over STARTTLS; rejects with the typed reason. */
export function connectWithToken(
  server: ProsodyServer,
  user: string,
  token: string,
): Promise<XmppClient> {
  return XmppClient.connect({
    jid: J(user),
    resource: "r1",
    entropy: new SeededEntropy(`opt2/${user}/${Date.now()}/${jti++}`),
    server: { host: server.host, port: server.port },
    tls: { anchors: [server.caPem] },
    machine: { mechanisms: ["OAUTHBEARER"], bearerToken: token },
    reconnect: false,
  });
}

/** The typed code a failed connect rejected with. */
export const codeOf = (e: unknown): string => (e as { code?: string }).code ?? String(e);
