/**
 * The grid operator's login decision for Option 2 (PD-223), pure apart from
 * the asynchronous signature check: the XMPP server asks "may `username` of
 * `host` log in with this token?" and the answer comes from the operator's
 * own data — its access-control list (core/acl, the same file Option 1
 * compiles for the server) and the keys it signs login tokens with.
 *
 * Order, which decides the code: the host is the ACL's domain
 * (`operator-auth/wrong-host`) → the token verifies (`access/*`, PD-222) →
 * its subject is this account (`operator-auth/wrong-account`) → the ACL
 * lists the account (`operator-auth/not-listed`). A listed account's roles
 * are the ACL groups it belongs to.
 *
 * @module
 */
import { constantTimeEqual, utf8 } from "../bytes.ts";
import { DerlinkError, type ErrorCode } from "../errors.ts";
import type { TokenSigner } from "../access/issue.ts";
import type { OperatorKey } from "../access/types.ts";
import type { Acl } from "../acl/types.ts";
import { OperatorAuthError } from "./errors.ts";
import {
  createLoginVerifier,
  createSyncLoginVerifier,
  issueLoginToken,
  loginAudience,
  type LoginClaims,
  type LoginTokenOutcome,
  type LoginVerifier,
  type SyncLoginVerifier,
} from "./login_token.ts";

/** One login question from the XMPP server. The token is a secret. */
export interface LoginRequest {
  /** The account's localpart, as the server prepared it. */
  readonly username: string;
  /** The XMPP domain the account logs in to. */
  readonly host: string;
  readonly token: string;
}

export type LoginDecision =
  | {
    readonly allow: true;
    /** The account's bare JID (the token's subject). */
    readonly jid: string;
    /** ACL groups holding the account, sorted: its roles. */
    readonly groups: readonly string[];
    /** When the token stops being accepted (seconds). */
    readonly exp: number;
  }
  | { readonly allow: false; readonly code: ErrorCode; readonly detail: string };

/** What the login service is built from. */
export interface LoginServiceConfig {
  readonly acl: Acl;
  /** The operator's issuer identifier (the login tokens' `iss`). */
  readonly issuer: string;
  readonly keys: readonly OperatorKey[];
  /**
   * The secret the XMPP server presents as `Authorization: Bearer …`:
   * 32..256 characters of base64url, so it fits an HTTP header and Lua text.
   */
  readonly callerSecret: string;
  readonly leewaySeconds?: number;
  readonly maxLifetimeSeconds?: number;
}

export interface LoginService {
  readonly acl: Acl;
  readonly verifier: LoginVerifier;
  /** Every account the ACL names, with its groups. */
  readonly accounts: ReadonlyMap<string, readonly string[]>;
  /** True when `presented` is the caller secret (constant time). */
  callerAllowed(presented: string): boolean;
  decide(request: LoginRequest, now: number): Promise<LoginDecision>;
}

// spec: PD-223
const CALLER_SECRET = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * The accounts an ACL lists: members of its groups and JIDs named in its
 * rules (`*` lists nobody), each with the groups holding it.
 */
// spec: PD-223 DL-OPT2-2
export function listedAccounts(acl: Acl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (jid: string) => out.has(jid) || out.set(jid, []);
  for (const [name, members] of acl.groups) {
    for (const jid of members) {
      add(jid);
      out.get(jid)!.push(name);
    }
  }
  const principals = [
    ...acl.addressing.flatMap((r) => [r.from, r.to]),
    ...[...acl.rooms.values()].flatMap((r) => [r.moderators, r.members]),
    ...[...acl.nodes.values()].flatMap((
      r,
    ) => [r.publishers, ...(r.subscribers ? [r.subscribers] : [])]),
  ];
  for (const p of principals) for (const jid of p.jids) add(jid);
  for (const groups of out.values()) groups.sort();
  return out;
}

const no = (code: ErrorCode, detail: string): LoginDecision => ({ allow: false, code, detail });

/** The first step of the order: the login is for the ACL's domain. */
// spec: PD-223
function wrongHost(acl: Acl, request: LoginRequest): LoginDecision | undefined {
  return request.host === acl.domain
    ? undefined
    : no(OperatorAuthError["wrong-host"], `host ${request.host.slice(0, 64)}`);
}

/** The rest of the order, once the token was checked: its subject, then the ACL. */
function afterToken(
  accounts: ReadonlyMap<string, readonly string[]>,
  request: LoginRequest,
  v: LoginTokenOutcome,
): LoginDecision {
  // spec: PD-222 DL-OPT2-1
  if (!v.ok) return no(v.error.code, v.error.detail);
  const jid = `${request.username}@${request.host}`;
  // spec: PD-223 DL-OPT2-1
  if (v.claims.sub !== jid) {
    return no(OperatorAuthError["wrong-account"], "the token is for another account");
  }
  // spec: PD-223 DL-OPT2-2 PAPER-OPT2
  const groups = accounts.get(jid);
  if (!groups) return no(OperatorAuthError["not-listed"], jid);
  return { allow: true, jid, groups, exp: v.claims.exp };
}

const verifierConfig = (config: LoginDeciderConfig) => ({
  issuer: config.issuer,
  domain: config.acl.domain,
  keys: config.keys,
  ...(config.leewaySeconds !== undefined ? { leewaySeconds: config.leewaySeconds } : {}),
  ...(config.maxLifetimeSeconds !== undefined
    ? { maxLifetimeSeconds: config.maxLifetimeSeconds }
    : {}),
});

/** Builds the login service; throws `operator-auth/invalid-config` on an unusable setup. */
export async function createLoginService(config: LoginServiceConfig): Promise<LoginService> {
  if (!CALLER_SECRET.test(config.callerSecret)) {
    throw new DerlinkError(
      OperatorAuthError["invalid-config"],
      "the caller secret must be 32..256 base64url characters",
    );
  }
  const verifier = await createLoginVerifier(verifierConfig(config));
  const accounts = listedAccounts(config.acl);
  const secret = utf8(config.callerSecret);
  return {
    acl: config.acl,
    verifier,
    accounts,
    // spec: PD-223 DL-BYTES-1
    callerAllowed: (presented) => constantTimeEqual(utf8(presented), secret),
    async decide(request, now) {
      return wrongHost(config.acl, request) ??
        afterToken(accounts, request, await verifier.verify(request.token, now));
    },
  };
}

/** What the in-process login decision is built from: the service's data without an HTTP caller. */
export type LoginDeciderConfig = Omit<LoginServiceConfig, "callerSecret">;

/**
 * The operator's login decision in process, answering at once (PD-240): the
 * same order and codes as the login service, for a server that asks inside
 * a deterministic step (the in-memory router's receivers).
 */
export interface LoginDecider {
  readonly acl: Acl;
  readonly verifier: SyncLoginVerifier;
  readonly accounts: ReadonlyMap<string, readonly string[]>;
  decide(request: LoginRequest, now: number): LoginDecision;
}

/** Builds the in-process decision (throws on a bad key set). */
// spec: PD-240 PD-223 PAPER-OPT2
export function createLoginDecider(config: LoginDeciderConfig): LoginDecider {
  const verifier = createSyncLoginVerifier(verifierConfig(config));
  const accounts = listedAccounts(config.acl);
  return {
    acl: config.acl,
    verifier,
    accounts,
    decide: (request, now) =>
      wrongHost(config.acl, request) ??
        afterToken(accounts, request, verifier.verify(request.token, now)),
  };
}

/** The operator's side: a login token for `account` valid from `nowSeconds` for `lifetime` s. */
export function loginTokenFor(
  account: string,
  domain: string,
  issuer: string,
  signer: TokenSigner,
  nowSeconds: number,
  jti: string,
  lifetime = 3600,
): string {
  const claims: LoginClaims = {
    iss: issuer,
    sub: account,
    aud: loginAudience(domain),
    exp: nowSeconds + lifetime,
    nbf: nowSeconds - 60,
    iat: nowSeconds,
    jti,
    client_id: account,
  };
  return issueLoginToken(claims, signer);
}
