/**
 * Checker for the access-token vectors (`vectors/access-token/*.json`,
 * schema `access-token.schema.json`): `access-token-verify` builds the
 * relying party the group describes, presents the `before` tokens (each must
 * be accepted), then the test's token, and — when the test names a request —
 * authorizes it at the request's time. The verdict compares acceptance or the
 * refusal code.
 *
 * The verifier is asynchronous (jose over WebCrypto) and the IUT protocol's
 * functions are synchronous, so for now these cases run the reference in
 * process only; another IUT gets them as not applicable.
 *
 * @module
 */
import { fromHex } from "../../core/bytes.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { authorize, type ServiceNeed } from "../../core/access/grant.ts";
import { EMPTY_REPLAY, type ReplayState } from "../../core/access/replay.ts";
import type { OperatorKey, VerifierConfig } from "../../core/access/types.ts";
import { type AccessVerifier, createAccessVerifier } from "../../core/access/verify.ts";
import type { IutBackend } from "../iut/backend.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const verifiers = new WeakMap<VectorGroup, Promise<AccessVerifier>>();

function verifierOf(group: VectorGroup): Promise<AccessVerifier> {
  let v = verifiers.get(group);
  if (!v) {
    const keys = (group.keys as { kid: string; suite: string; publicKey: string }[]).map((
      k,
    ): OperatorKey => ({
      kid: k.kid,
      suite: k.suite as OperatorKey["suite"],
      publicKey: fromHex(k.publicKey),
    }));
    const config: VerifierConfig = {
      issuer: group.issuer as string,
      audience: group.audience as string | string[],
      keys,
      leewaySeconds: group.leewaySeconds as number,
      maxLifetimeSeconds: group.maxLifetimeSeconds as number,
      maxTokenBytes: group.maxTokenBytes as number,
      replayCapacity: group.replayCapacity as number,
    };
    v = createAccessVerifier(config);
    verifiers.set(group, v);
  }
  return v;
}

interface Request extends ServiceNeed {
  readonly now?: number;
}

async function checkVerify(test: VectorTest, group: VectorGroup): Promise<CaseOutcome> {
  const v = await verifierOf(group);
  const now = test.now as number;
  const peer = test.peer as string | undefined;
  let replay: ReplayState = EMPTY_REPLAY;
  for (const [i, t] of ((test.before ?? []) as string[]).entries()) {
    const r = await v.verify(t, { now, replay, peer });
    if (!r.ok) {
      return { verdict: "fail", observed: r.error.code, message: `before[${i}] was refused` };
    }
    replay = r.replay;
  }
  const r = await v.verify(test.token, { now, replay, peer });
  let observed: string = r.ok ? "accepted" : r.error.code;
  const request = test.request as Request | undefined;
  if (r.ok && request) {
    const a = authorize(r.token, request, request.now ?? now, v.config.leewaySeconds);
    observed = a.ok ? "accepted" : a.error.code;
  }
  const expected = test.result === "invalid" ? test.error : "accepted";
  if (test.result === "acceptable") return { verdict: "pass", expected, observed };
  return observed === expected
    ? { verdict: "pass", expected, observed }
    : { verdict: "fail", expected, observed, message: r.ok ? undefined : r.error.detail };
}

/** The access-token checkers for `iut`: the reference in process, not applicable otherwise. */
export function accessTokenCheckers(iut: IutBackend): GroupChecker[] {
  return [{
    groupType: "access-token-verify",
    check: (test, group) =>
      iut === reference ? checkVerify(test, group) : {
        verdict: "not-applicable",
        message:
          "access tokens are checked in process only (the IUT protocol has no async functions)",
      },
  }];
}

export const checkers: readonly GroupChecker[] = accessTokenCheckers(reference);
