/**
 * The reference access-token relying party at protocol level
 * ("access.relying-party"): the config is the verifier's (issuer, audience,
 * operator keys with public keys in hex, leeway, lifetime and size bounds,
 * replay capacity); `present` {token, now, peer?} verifies a token and
 * remembers it (and its id against replay), `authorize` {request, now}
 * checks the last accepted token grants the request's service on its
 * logical devices. Each answers `accepted` or an `error` output.
 *
 * @module
 */
import { fromHex } from "../../core/bytes.ts";
import { authorize, type ServiceNeed } from "../../core/access/grant.ts";
import { EMPTY_REPLAY, type ReplayState } from "../../core/access/replay.ts";
import type { OperatorKey, VerifiedToken, VerifierConfig } from "../../core/access/types.ts";
import { createAccessVerifier } from "../../core/access/verify.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { asIs, num } from "./args.ts";

const relyingParty: MachineBinding = async (config) => {
  const keys = (config.keys as { kid: string; suite: string; publicKey: string }[]).map((
    k,
  ): OperatorKey => ({
    kid: k.kid,
    suite: k.suite as OperatorKey["suite"],
    publicKey: fromHex(k.publicKey),
  }));
  const verifier = await createAccessVerifier({ ...asIs<VerifierConfig>(config), keys });
  let replay: ReplayState = EMPTY_REPLAY;
  let last: VerifiedToken | undefined;
  let phase = "ready";
  const refused = (code: string, detail: string): StepReply => ({
    out: [{ type: "error", code, detail }],
    phase,
  });
  return {
    reply: { out: [], phase },
    session: {
      async step(input) {
        if (input.type === "present") {
          const r = await verifier.verify(input.token, {
            now: num(input, "now"),
            replay,
            peer: input.peer as string | undefined,
          });
          replay = r.replay;
          if (!r.ok) return refused(r.error.code, r.error.detail);
          last = r.token;
          phase = "token-accepted";
          return { out: [{ type: "accepted" }], phase };
        }
        if (input.type === "authorize" && last) {
          const a = authorize(
            last,
            asIs<ServiceNeed>(input.request as JsonObject),
            num(input, "now"),
            verifier.config.leewaySeconds,
          );
          return a.ok
            ? { out: [{ type: "accepted" }], phase }
            : refused(a.error.code, a.error.detail);
        }
        return refused("core/invalid-argument", `${input.type} in phase ${phase}`);
      },
    },
  };
};

export const accessTokenBindings = {
  functions: {},
  machines: { "access.relying-party": relyingParty },
};
