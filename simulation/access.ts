/**
 * The paper's §V access-control options as a switch of the simulation
 * (`deno task simulate --access`, `SimulationOptions.access`), one code
 * path for `simulate` and `deno task compare`:
 *
 * - `option-1`: the grid operator's ACL for the scenario (scenario_acl.ts)
 *   enforced by the server. The in-memory router's receivers apply it as
 *   their stanza policy (PD-211); a private Prosody loads it compiled into
 *   mod_firewall rules (real/access_server.ts, PD-212).
 * - `option-2`: logins delegated to the grid operator (PD-242), who decides
 *   from the same ACL (PD-224). The in-memory router offers OAUTHBEARER only
 *   and asks the operator's in-process decision; a private Prosody asks the
 *   operator's login service over HTTP through derlink's provider (PD-220).
 *   Every client logs in with a login token issued at that moment.
 * - `option-3`: operator access tokens the DERs check (PD-243, PD-244); no
 *   change at the server, so it runs over any server.
 *
 * @module
 */
import type { Acl } from "../core/acl/types.ts";
import type { MemoryNetwork } from "./memory_network.ts";
import type { NetworkSetup } from "./network.ts";
import type { SimAccess } from "./options.ts";
import type { OAuthBearerLogin } from "../state-machines/xmpp-stream/sasl_server.ts";
import type { ScramHash } from "../state-machines/xmpp-stream/sasl/mod.ts";
import { enforceAcl, scenarioAcl } from "./scenario_acl.ts";

/** The values of `--access`; "none" is the default (no option set). */
export const ACCESS_CHOICES = ["none", "option-1", "option-2", "option-3"] as const;
export type AccessChoice = (typeof ACCESS_CHOICES)[number];

export const isAccessChoice = (v: unknown): v is AccessChoice =>
  (ACCESS_CHOICES as readonly unknown[]).includes(v);

/** Options 2 and 3 need the grid operator's token service (simulation/operator.ts). */
export const usesOperatorTokens = (a: SimAccess | undefined): boolean =>
  a === "option-2" || a === "option-3";

/** Options 1 and 2 give the server the operator's ACL: to enforce (1) or to decide logins (2). */
export const usesServerAcl = (a: SimAccess | undefined): boolean =>
  a === "option-1" || a === "option-2";

/** What the network of a run learns about its access control (NetworkSetup fields). */
// spec: PD-224 PD-242
export function accessSetup(
  access: SimAccess | undefined,
  fleet: Pick<NetworkSetup, "domain" | "accounts">,
  groupSize: number,
): Pick<NetworkSetup, "access" | "acl"> {
  if (!access) return {};
  return usesServerAcl(access) ? { access, acl: scenarioAcl(fleet, groupSize) } : { access };
}

/** The setup's ACL, which options 1 and 2 cannot run without. */
export function aclOf(setup: NetworkSetup): Acl {
  if (!setup.acl) throw new Error(`access ${setup.access}: the scenario's ACL is missing`);
  return setup.acl;
}

/**
 * The in-memory router under the setup's access option, changed before
 * anyone connects (the router reads its receiver settings per connection).
 */
// spec: PD-236 PD-242 DL-CMP-3
export function withAccess(net: MemoryNetwork, setup: NetworkSetup): MemoryNetwork {
  if (setup.access === "option-1") enforceAcl(net, aclOf(setup));
  if (setup.access === "option-2") delegateLogins(net, setup);
  return net;
}

/**
 * Option 2 on the in-memory router: every receiver offers OAUTHBEARER only
 * and asks the operator's in-process login decision over the scenario's ACL
 * (PD-240); every client presents a login token the operator issues at that
 * moment.
 */
// spec: PD-242 PAPER-OPT2 DL-OPT2-1 DL-OPT2-2
export function delegateLogins(net: MemoryNetwork, setup: NetworkSetup): void {
  const operator = setup.operator;
  if (!operator) throw new Error("Option 2 needs the scenario's grid operator (access option-2)");
  const tokens = loginTokens(setup);
  const receiver = net.router.options.receiver as
    | { oauthBearer?: OAuthBearerLogin; scramHashes?: readonly ScramHash[] }
    | undefined;
  if (!receiver) throw new Error("memory network without receiver settings: cannot delegate");
  if (net.router.all.length > 0) throw new Error("logins must be delegated before the first one");
  receiver.oauthBearer = operator.decider(aclOf(setup));
  // No SCRAM: a password logs nobody in; the operator decides every login.
  receiver.scramHashes = [];
  net.bearerTokens = tokens;
}

/** Option 2's clients: the login token an account (bare JID) presents at `now`, fresh each login. */
// spec: PD-242 PD-246
export function loginTokens(setup: NetworkSetup): (account: string, now: number) => string {
  const operator = setup.operator;
  if (!operator) throw new Error("Option 2 needs the scenario's grid operator (access option-2)");
  return (account, now) => operator.loginToken(account, now);
}
