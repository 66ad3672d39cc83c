/**
 * The access options (simulation/access.ts) at a run's private Prosody:
 *
 * - Option 1: the scenario's ACL compiled into mod_firewall rules and list
 *   files (core/acl/prosody.ts, the compiler the ACL's interop test uses,
 *   PD-212) in a temp dir of ours, loaded on the VirtualHost. mod_firewall
 *   only logs a script it cannot compile and then filters nothing, so the
 *   start fails when Prosody's log shows a compile error (fail closed).
 * - Option 2: the grid operator's login service (adapters/
 *   operator_auth_service.ts) on loopback, deciding from the scenario's ACL
 *   with the run's operator keys on the scenario's clock, and the host's
 *   authentication set to derlink's provider (core/operator-auth/prosody.ts,
 *   PD-220) with OAUTHBEARER. The accounts are not created at the server:
 *   the operator holds them (PD-246).
 * - Option 3 and none: nothing changes at the server.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { systemEntropy } from "../../core/entropy.ts";
import { compileProsodyFirewall } from "../../core/acl/prosody.ts";
import {
  createLoginService,
  OPERATOR_AUTH_MODULE,
  OPERATOR_AUTH_PLUGIN_SOURCE,
  operatorAuthHostLua,
} from "../../core/operator-auth/mod.ts";
import {
  type RunningOperatorAuthService,
  startOperatorAuthService,
} from "../../adapters/operator_auth_service.ts";
import { luaList, type ProsodyPlugin } from "../../tests/harness/prosody_config.ts";
import { aclOf } from "../access.ts";
import type { Clock, NetworkSetup } from "../network.ts";

/** What an access option adds to a private Prosody's start, and what it leaves running. */
export interface ServerAccessPlan {
  /** Create the scenario's accounts at the server (not under Option 2). */
  readonly createAccounts: boolean;
  readonly plugins: readonly ProsodyPlugin[];
  /** VirtualHost lines, given the modules the fleet enables there (prosody_setup.ts). */
  readonly hostLua?: (modules: readonly string[]) => string;
  /** Throws when the started server's log shows the option did not take. */
  checkLog(log: string): void;
  /** Stops what the option started (after the server stopped). */
  close(): Promise<void>;
}

const NOTHING: ServerAccessPlan = {
  createAccounts: true,
  plugins: [],
  checkLog: () => {},
  close: () => Promise.resolve(),
};

/** How Prosody says a firewall script did not compile (it then filters nothing). */
export const FIREWALL_COMPILE_ERROR = /Error compiling|Compilation error/;

/** Why an access option does not run over a server derlink did not start. */
export const ACCESS_AT_EXTERNAL_SERVER =
  "runs only at a private Prosody (--server prosody): at a server already running, its operator " +
  "loads the compiled rules (core/acl/prosody.ts) or derlink's login provider (core/operator-auth/prosody.ts)";

/** Prepares the setup's access option for a private Prosody on the scenario clock `clock`. */
// spec: DL-SIM-ACC-2 DL-SIM-ACC-3
export async function serverAccessPlan(
  setup: NetworkSetup,
  clock: Clock,
): Promise<ServerAccessPlan> {
  if (setup.access === "option-1") return await firewallPlan(setup);
  if (setup.access === "option-2") return await loginServicePlan(setup, clock);
  return NOTHING;
}

/** Option 1: the compiled rules in a temp dir, loaded on the host. */
// spec: DL-SIM-ACC-2 PD-212 PAPER-OPT1
async function firewallPlan(setup: NetworkSetup): Promise<ServerAccessPlan> {
  const dir = await Deno.makeTempDir({ prefix: "derlink-fleet-acl-" });
  try {
    const compiled = compileProsodyFirewall(aclOf(setup), dir);
    const script = `${dir}/acl.pfw`;
    await Deno.writeTextFile(script, compiled.script);
    for (const [name, text] of Object.entries(compiled.lists)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    return {
      createAccounts: true,
      plugins: [],
      hostLua: (modules) =>
        `  modules_enabled = ${luaList([...modules, "firewall"])}\n` +
        `  firewall_scripts = ${luaList([script])}`,
      checkLog(log) {
        if (FIREWALL_COMPILE_ERROR.test(log)) {
          throw new Error("access option-1: Prosody did not compile the ACL's firewall script");
        }
      },
      close: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
    };
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}

/** Option 2: the operator's login service on loopback, and Prosody asking it. */
// spec: DL-SIM-ACC-3 PD-246 PD-220 PD-223 PAPER-OPT2
async function loginServicePlan(setup: NetworkSetup, clock: Clock): Promise<ServerAccessPlan> {
  const operator = setup.operator;
  if (!operator) throw new Error("Option 2 needs the scenario's grid operator (access option-2)");
  // A fresh caller secret per run (hex fits the provider's base64url pattern).
  const callerSecret = toHex(systemEntropy.bytes(32));
  const service = await createLoginService({
    acl: aclOf(setup),
    issuer: operator.issuer,
    keys: operator.keys,
    callerSecret,
  });
  const running: RunningOperatorAuthService = startOperatorAuthService(service, {
    // Tokens are issued in scenario time: the service judges them on the same clock.
    clock: () => clock.now,
    onAnswer: (_status, body) => {
      operator.loginDecisions++;
      if (body.active !== true) operator.loginRefusals.push(String(body.error));
    },
  });
  return {
    createAccounts: false,
    plugins: [{ name: OPERATOR_AUTH_MODULE, source: OPERATOR_AUTH_PLUGIN_SOURCE }],
    hostLua: (modules) =>
      operatorAuthHostLua({ url: running.url, callerSecret, alsoModules: modules }),
    checkLog: () => {},
    close: () => running.close(),
  };
}
