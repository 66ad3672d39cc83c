/**
 * One simulation run with its outputs, for the CLI, the tests and the
 * bench: picks the network (the in-memory router, or a real server through
 * the fleet driver when `servers` are given), runs the scenario, and
 * returns the result with its summary texts and digest.
 *
 * A real-server network plugs in through `simulation/real/mod.ts`, which
 * must export `scenarioNetworkFactory(servers)` returning a
 * {@link NetworkFactory}; until it does, `--server` fails with a message
 * saying so.
 *
 * @module
 */
import { MemoryNetwork } from "./memory_network.ts";
import { withAccess } from "./access.ts";
import { DEFAULT_CREDENTIALS, LOGIN_OF } from "./credentials.ts";
import type { SimulationOptions } from "./options.ts";
import { allPassed, checkLines, runDigest, summaryTable, timeTable } from "./report.ts";
import {
  type NetworkFactory,
  type RunHooks,
  runScenario,
  type ScenarioResult,
  START,
} from "./scenario.ts";

export interface RunOutput {
  readonly result: ScenarioResult;
  readonly digest: string;
  /** Table of counters per phase (deterministic), wall/CPU table, check lines. */
  readonly summary: string;
  readonly times: string;
  readonly checks: readonly string[];
  readonly passed: boolean;
  readonly start: number;
}

/**
 * The in-memory router on the simulation's virtual clock (certificate logins
 * when the plan has them), under the setup's access option (access.ts).
 */
// spec: DL-SIM-ACC-1
export const memoryNetwork: NetworkFactory = (setup, pki) =>
  withAccess(new MemoryNetwork(setup, pki.xmpp, pki.logins), setup);

/** Why a credential plan with login certificates does not run at a real server yet. */
export const CERTIFICATE_LOGINS_AT_SERVER =
  "certificate logins at a real server: the fleet driver logs in by password and the private " +
  "Prosody is not configured with the plan's client CA yet";

/** The network for `servers`: a real server's fleet driver, or an error saying it is missing. */
// spec: DL-SIM-8
export async function networkFor(servers: readonly string[]): Promise<NetworkFactory> {
  if (servers.length === 0) return memoryNetwork;
  let mod: Record<string, unknown> | undefined;
  try {
    mod = await import(new URL("./real/mod.ts", import.meta.url).href);
  } catch {
    mod = undefined;
  }
  const factory = mod?.scenarioNetworkFactory;
  if (typeof factory !== "function") {
    throw new Error(
      "--server: running this scenario over a real XMPP server is not yet supported " +
        "(simulation/real/mod.ts does not export scenarioNetworkFactory(servers) yet); " +
        "the in-memory router runs it without --server",
    );
  }
  return await (factory as (s: readonly string[]) => Promise<NetworkFactory>)(servers);
}

export async function simulate(o: SimulationOptions, hooks: RunHooks = {}): Promise<RunOutput> {
  // spec: PD-254
  if (o.servers.length > 0 && LOGIN_OF[o.credentials ?? DEFAULT_CREDENTIALS] === "certificate") {
    throw new Error(`--credentials ${o.credentials}: ${CERTIFICATE_LOGINS_AT_SERVER}`);
  }
  const network = await networkFor(o.servers);
  const result = await runScenario(o, network, hooks);
  return {
    result,
    digest: runDigest(result, START),
    summary: summaryTable(result, START),
    times: timeTable(result),
    checks: checkLines(result),
    passed: allPassed(result),
    start: START,
  };
}
