/**
 * The DER's access gate: which token each end-to-end association presented,
 * and the replay cache, as one plain state threaded through pure functions.
 *
 * Two carriages (PD-208): a token presented once on an A-profile association
 * (its subject must be the peer the association authenticated) and then
 * checked for every service request on that association; or a one-time
 * token carried with a single command (group commands, tariff
 * publications), verified and used at once. Both go through the same
 * verifier and the same replay cache.
 *
 * @module
 */
import { fail, ok, type Result } from "../errors.ts";
import { AccessError } from "./errors.ts";
import { authorize, type ServiceNeed } from "./grant.ts";
import { EMPTY_REPLAY, type ReplayState } from "./replay.ts";
import type { VerifiedToken, VerifierConfig } from "./types.ts";
import type { AccessVerifier, SyncAccessVerifier, VerifyOutcome } from "./verify.ts";

export interface GateState {
  readonly replay: ReplayState;
  /** Association id (hex) → the token presented on it. */
  readonly grants: Readonly<Record<string, VerifiedToken>>;
}

export const EMPTY_GATE: GateState = Object.freeze({ replay: EMPTY_REPLAY, grants: {} });

export interface GateStep {
  readonly state: GateState;
  readonly result: Result<true>;
}

/** A token presented on an association; a later one replaces it (renewal). */
// spec: PD-208 PD-205
export async function presentToken(
  v: AccessVerifier,
  s: GateState,
  p: { association: string; peer: string; token: unknown; now: number },
): Promise<GateStep> {
  return presented(s, p.association, await v.verify(p.token, verifyInput(s, p)));
}

/** {@link presentToken} with a synchronous verifier (PD-240). */
export function presentTokenSync(
  v: SyncAccessVerifier,
  s: GateState,
  p: { association: string; peer: string; token: unknown; now: number },
): GateStep {
  return presented(s, p.association, v.verify(p.token, verifyInput(s, p)));
}

const verifyInput = (s: GateState, p: { peer: string; now: number }) => ({
  now: p.now,
  replay: s.replay,
  peer: p.peer,
});

function presented(s: GateState, association: string, r: VerifyOutcome): GateStep {
  if (!r.ok) return { state: s, result: { ok: false, error: r.error } };
  return {
    state: { replay: r.replay, grants: { ...s.grants, [association]: r.token } },
    result: ok(true),
  };
}

/** A service request on an association, checked against the token presented there. */
// spec: PD-208 PAPER-OPT3
export function authorizeOnAssociation(
  v: { readonly config: Required<VerifierConfig> },
  s: GateState,
  p: { association: string; need: ServiceNeed; now: number },
): Result<true> {
  const t = Object.hasOwn(s.grants, p.association) ? s.grants[p.association] : undefined;
  if (!t) return fail(AccessError["no-grant"], "no token on this association");
  return authorize(t, p.need, p.now, v.config.leewaySeconds);
}

/** One command with its own one-time token: verify, remember the jti, authorize. */
// spec: PD-208
export async function authorizeWithToken(
  v: AccessVerifier,
  s: GateState,
  p: { peer: string; token: unknown; need: ServiceNeed; now: number },
): Promise<GateStep> {
  return usedOnce(v, s, p, await v.verify(p.token, verifyInput(s, p)));
}

/** {@link authorizeWithToken} with a synchronous verifier (PD-240). */
export function authorizeWithTokenSync(
  v: SyncAccessVerifier,
  s: GateState,
  p: { peer: string; token: unknown; need: ServiceNeed; now: number },
): GateStep {
  return usedOnce(v, s, p, v.verify(p.token, verifyInput(s, p)));
}

function usedOnce(
  v: { readonly config: Required<VerifierConfig> },
  s: GateState,
  p: { need: ServiceNeed; now: number },
  r: VerifyOutcome,
): GateStep {
  if (!r.ok) return { state: s, result: { ok: false, error: r.error } };
  const allowed = authorize(r.token, p.need, p.now, v.config.leewaySeconds);
  // A refused command still used up its token: the jti stays remembered.
  return { state: { ...s, replay: r.replay }, result: allowed };
}

/** The association ended (released, aborted, peer gone): its grant goes. */
export function endAssociation(s: GateState, association: string): GateState {
  if (!Object.hasOwn(s.grants, association)) return s;
  const grants = { ...s.grants };
  delete grants[association];
  return { ...s, grants };
}
