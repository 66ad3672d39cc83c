/**
 * The grid operator's token service in the simulation (paper §V options 2
 * and 3, PD-243): one Ed25519 signing key drawn from the run's seed, the
 * issuer name, login tokens for Option 2 (PD-222: audience the XMPP
 * service) and access tokens for Option 3 (PD-200: audience a DER or a
 * group's room), all issued in virtual time with counter token ids, so a
 * seed replays a run byte for byte. The verifying sides use the same
 * synchronous checks as everywhere in process (PD-240): the in-memory
 * router's login decision (`decider`), the DERs' verifiers (`verifierFor`).
 *
 * An attack may make it issue stale tokens from some time on (the
 * expired-token attack, PD-245); what it refused at login is kept, as a
 * login service's log would (codes only).
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import { getSuite } from "../core/crypto/suite.ts";
import type { Acl } from "../core/acl/types.ts";
import { issueAccessToken, type TokenSigner } from "../core/access/issue.ts";
import { AUTHORIZATION_TYPE, type OperatorKey } from "../core/access/types.ts";
import type { AccessService } from "../core/access/types.ts";
import { createSyncAccessVerifier, type SyncAccessVerifier } from "../core/access/verify.ts";
import {
  createLoginDecider,
  type LoginDecider,
  loginTokenFor,
} from "../core/operator-auth/decide.ts";

/** Longest token lifetime the profile allows (PD-203, PD-222), seconds. */
export const TOKEN_LIFETIME_S = 3_600;
/** A stale token was issued this long before it is presented: expired for an hour (PD-245). */
const STALE_AGE_S = 2 * TOKEN_LIFETIME_S;

export class GridOperator {
  readonly issuer: string;
  readonly keys: readonly OperatorKey[];
  /** Tokens issued at or after this virtual time are issued already expired (attacks only). */
  staleFrom = Infinity;
  /** How many stale tokens were issued. */
  staleIssued = 0;
  /** Codes of the logins the operator refused (Option 2), in order. */
  readonly loginRefusals: string[] = [];
  /** Logins the operator was asked about (Option 2). */
  loginDecisions = 0;
  readonly #signer: TokenSigner;
  readonly #domain: string;
  #jti = 0;

  constructor(seed: string, domain: string) {
    this.#domain = domain;
    this.issuer = `https://operator.${domain}`;
    // spec: PD-243 PD-202
    const pair = getSuite("x25519-ed25519").sig.generate(
      new SeededEntropy(`${seed}/operator-token-key`),
    );
    this.#signer = { kid: "grid-operator-1", suite: "x25519-ed25519", privateKey: pair.privateKey };
    this.keys = [{ kid: "grid-operator-1", suite: "x25519-ed25519", publicKey: pair.publicKey }];
  }

  /** When a token issued at `now` (ms) says it was issued, seconds; stale ones two hours earlier. */
  #issuedAt(now: number): number {
    const s = Math.floor(now / 1000);
    if (now < this.staleFrom) return s;
    this.staleIssued++;
    return s - STALE_AGE_S;
  }

  #nextJti = () => `sim-${String(++this.#jti).padStart(12, "0")}`;

  /** Option 2: a login token for `account` (bare JID) issued at `now`. */
  // spec: PD-243 PD-222 PAPER-OPT2
  loginToken(account: string, now: number, issuedAt = this.#issuedAt(now)): string {
    return loginTokenFor(
      account,
      this.#domain,
      this.issuer,
      this.#signer,
      issuedAt,
      this.#nextJti(),
      TOKEN_LIFETIME_S,
    );
  }

  /** A login token that expired an hour before `now` (the expired-token attack, Option 2). */
  staleLoginToken(account: string, now: number): string {
    return this.loginToken(account, now, Math.floor(now / 1000) - STALE_AGE_S);
  }

  /** Option 3: what the control centre `sub` may do at `aud` (a DER or a group's room). */
  // spec: PD-243 PD-200 PAPER-OPT3
  accessToken(
    sub: string,
    aud: string,
    grants: readonly { actions: readonly AccessService[]; identifier: string }[],
    now: number,
  ): string {
    const iat = this.#issuedAt(now);
    return issueAccessToken({
      iss: this.issuer,
      sub,
      aud,
      exp: iat + TOKEN_LIFETIME_S,
      nbf: iat - 60,
      iat,
      jti: this.#nextJti(),
      client_id: sub,
      authorization_details: grants.map((g) => ({
        type: AUTHORIZATION_TYPE,
        actions: g.actions,
        identifier: g.identifier,
      })),
    }, this.#signer);
  }

  /** Option 2: the operator's login decision over `acl`, its refusals logged (codes only). */
  // spec: PD-242 PD-240 PD-223
  decider(acl: Acl): LoginDecider {
    const d = createLoginDecider({ acl, issuer: this.issuer, keys: this.keys });
    return {
      ...d,
      decide: (request, now) => {
        const r = d.decide(request, now);
        this.loginDecisions++;
        if (!r.allow) this.loginRefusals.push(r.code);
        return r;
      },
    };
  }

  /** Option 3: the synchronous verifier of a DER, accepting tokens for itself or its room. */
  // spec: PD-244 PD-240
  verifierFor(der: string, room: string): SyncAccessVerifier {
    return createSyncAccessVerifier({
      issuer: this.issuer,
      audience: [der, room],
      keys: this.keys,
    });
  }
}
