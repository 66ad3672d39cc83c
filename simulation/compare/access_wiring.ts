/**
 * Access options 2 and 3 of the paper's §V as switches of the compared
 * system (PD-242, PD-243): the simulation option that makes the scenario
 * create the grid operator's token service, and for Option 2 the in-memory
 * router's delegated logins — every receiver offers OAUTHBEARER only and
 * asks the operator's in-process login decision over the scenario's ACL
 * (the same file Option 1 enforces, PD-224), and every client presents a
 * login token the operator issues at that moment.
 *
 * @module
 */
import type { MemoryNetwork } from "../memory_network.ts";
import type { NetworkSetup } from "../network.ts";
import type { SimulationOptions } from "../options.ts";
import type { OAuthBearerLogin } from "../../state-machines/xmpp-stream/sasl_server.ts";
import type { ScramHash } from "../../state-machines/xmpp-stream/sasl/mod.ts";
import type { Combination } from "./combinations.ts";
import { scenarioAcl } from "./scenario_acl.ts";

/** Why Option 2 does not run at a real server from the comparison. */
export const OPTION2_AT_SERVER =
  "Option 2 at a real server: the fleet's Prosody is not started with the operator's login " +
  "service (tests/interop/operator_auth_prosody_test.ts runs it there)";

/** The access value as simulation options (none for "none" and "option-1"). */
// spec: PD-242 PD-243 DL-CMP-ACC-1
export function accessOptions(c: Combination): Pick<SimulationOptions, "access"> {
  switch (c.access) {
    case "none":
    case "option-1":
      return {};
    case "option-2":
    case "option-3":
      return { access: c.access };
    default:
      throw new Error(`access: unknown value ${c.access}`);
  }
}

/**
 * Option 2 on the in-memory router: logins go to the grid operator. Like
 * enforceAcl, this changes the router's receiver settings before anyone
 * connects (the router reads them for each new connection).
 */
// spec: PD-242 PAPER-OPT2 DL-OPT2-1 DL-OPT2-2
export function delegateLogins(net: MemoryNetwork, setup: NetworkSetup, groupSize: number): void {
  const operator = setup.operator;
  if (!operator) throw new Error("Option 2 needs the scenario's grid operator (access option-2)");
  const receiver = net.router.options.receiver as
    | { oauthBearer?: OAuthBearerLogin; scramHashes?: readonly ScramHash[] }
    | undefined;
  if (!receiver) throw new Error("memory network without receiver settings: cannot delegate");
  if (net.router.all.length > 0) throw new Error("logins must be delegated before the first one");
  receiver.oauthBearer = operator.decider(scenarioAcl(setup, groupSize));
  // No SCRAM: a password logs nobody in; the operator decides every login.
  receiver.scramHashes = [];
  net.bearerTokens = (account, now) => operator.loginToken(account, now);
}
