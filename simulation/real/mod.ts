/**
 * The real-server side of the simulation and the fleet driver.
 *
 * `deno task simulate --server SPEC` loads {@link scenarioNetworkFactory}
 * from here (simulation/run.ts): the scenario's nodes then log in to a real
 * XMPP server through derlink's adapter instead of the in-memory router.
 * SPEC is one of
 *
 * - `xmpp://127.0.0.1:PORT` (loopback, no `ca`), `prosody://127.0.0.1:PORT`
 *   or `prosody` (a free port): a private Prosody started by the test
 *   harness for this run and listening there, provisioned from the
 *   scenario's setup — every account with the scenario's password, the
 *   roster groups, the disco items, the pubsub admins, the SCRAM iteration
 *   count — and stopped (by PID) at the end. When PORT is taken the start
 *   fails: to use a server already running there, give its CA;
 * - `xmpp://HOST:PORT?ca=FILE`: a server that is already running and
 *   already has the scenario's accounts (password of account `a`:
 *   `sim-<seed>-<a>`, memory_network.ts `passwordOf`), roster groups and
 *   disco items; `FILE` holds the PEM CA its certificate must chain to;
 *   add `&tls=direct` for XEP-0368 direct TLS.
 *
 * Both take `scale=N` (query parameter, e.g. `prosody?scale=10`): scenario
 * time runs N times faster than the wall clock (default 1: a 10-minute
 * scenario takes 10 minutes). The scenario's clock starts at its `start`,
 * so its certificates stay valid whatever the date.
 *
 * The run's access option (simulation/access.ts) reaches the private
 * Prosody through access_server.ts: Option 1's compiled firewall rules,
 * Option 2's login service and provider, with OAUTHBEARER logins. A server
 * already running takes options 3 and none only.
 *
 * @module
 */
import { freeLoopbackPort, LOOPBACK } from "../../tests/harness/prosody.ts";
import { passwordOf } from "../memory_network.ts";
import type { Network, NetworkSetup } from "../network.ts";
import type { NetworkFactory } from "../scenario.ts";
import { type FleetProsody, startFleetProsody } from "./prosody_setup.ts";
import { ACCESS_AT_EXTERNAL_SERVER, serverAccessPlan } from "./access_server.ts";
import { loginTokens, usesServerAcl } from "../access.ts";
import { RealNetwork, type ServerAccess } from "./real_network.ts";
import { WallClock } from "./wall_clock.ts";

export { IqIdMux } from "./iq_mux.ts";
export { type FleetResult, type FleetRunOptions, runFleet } from "./fleet.ts";
export { type FleetPki, issueFleetPki } from "./fleet_pki.ts";
export { bulkAccountsPlugin, rosterGroupsFile, startFleetProsody } from "./prosody_setup.ts";
export {
  RealLink,
  RealNetwork,
  type RealNetworkOptions,
  type ServerAccess,
} from "./real_network.ts";
export { WallClock } from "./wall_clock.ts";
export { type Distribution, distribution, formatDistribution } from "./stats.ts";

/** A parsed `--server` value. */
export type ServerSpec =
  | { readonly kind: "prosody"; readonly port?: number; readonly scale: number }
  | {
    readonly kind: "external";
    readonly host: string;
    readonly port: number;
    readonly caFile: string;
    readonly directTls: boolean;
    readonly scale: number;
  };

const bad = (text: string, why: string): never => {
  throw new Error(`--server ${text}: ${why}`);
};

/** Parses a `--server` value; throws an Error with a message for the user. */
export function parseServerSpec(text: string): ServerSpec {
  // "prosody" and "prosody?scale=4" are short for prosody://127.0.0.1.
  const full = /^prosody(\?|$)/.test(text)
    ? text.replace(/^prosody/, `prosody://${LOOPBACK}`)
    : text;
  if (!URL.canParse(full)) bad(text, "not a URL");
  const url = new URL(full);
  const scale = Number(url.searchParams.get("scale") ?? 1);
  if (!(scale > 0) || !Number.isFinite(scale)) bad(text, "scale must be a positive number");
  const port = url.port === "" ? undefined : Number(url.port);
  const caFile = url.searchParams.get("ca");
  const local = url.hostname === LOOPBACK;
  if (url.protocol === "prosody:" || (url.protocol === "xmpp:" && !caFile && local)) {
    if (!local) bad(text, `a private Prosody listens on ${LOOPBACK} only`);
    if (url.protocol === "xmpp:" && port === undefined) {
      bad(text, "xmpp://HOST:PORT needs the port");
    }
    return port === undefined ? { kind: "prosody", scale } : { kind: "prosody", port, scale };
  }
  if (url.protocol !== "xmpp:") {
    bad(text, "expected xmpp://HOST:PORT[?ca=FILE] or prosody[://127.0.0.1:PORT]");
  }
  if (port === undefined) bad(text, "xmpp://HOST:PORT needs the port");
  if (!caFile) bad(text, "add ?ca=FILE (the PEM CA the server's certificate chains to)");
  const tls = url.searchParams.get("tls") ?? "starttls";
  if (tls !== "starttls" && tls !== "direct") bad(text, "tls must be starttls or direct");
  return {
    kind: "external",
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: port!,
    caFile: caFile!,
    directTls: tls === "direct",
    scale,
  };
}

/**
 * Starts the private Prosody of a scenario, provisioned from its setup,
 * under its access option (access_server.ts) on the scenario clock.
 */
async function privateProsody(
  setup: NetworkSetup,
  clock: WallClock,
  port?: number,
): Promise<ServerAccess> {
  const ports = port === undefined ? undefined : { port, directTlsPort: freeLoopbackPort() };
  // spec: DL-SIM-ACC-2 DL-SIM-ACC-3
  const access = await serverAccessPlan(setup, clock);
  let p: FleetProsody | undefined;
  try {
    p = await startFleetProsody({
      domain: setup.domain,
      accounts: access.createAccounts
        ? setup.accounts.map((a) => ({ username: a, password: passwordOf(setup.seed, a) }))
        : [],
      rosterGroups: setup.rosterGroups,
      discoItems: setup.discoItems,
      pubsubAdmins: setup.pubsubAdmins,
      scramIterations: setup.scramIterations,
      ...(access.hostLua ? { hostLua: access.hostLua } : {}),
      harness: { ...(ports ? { ports } : {}), plugins: access.plugins },
    });
    access.checkLog(await p.server.readLog());
  } catch (e) {
    await p?.stop();
    await access.close();
    throw e;
  }
  const fleet = p;
  return {
    endpoint: { host: fleet.server.host, port: fleet.server.port },
    anchors: [fleet.server.caPem],
    stop: async () => {
      try {
        await fleet.stop();
      } finally {
        await access.close();
      }
    },
    pid: fleet.server.pid,
    logs: () => fleet.server.readLog(),
  };
}

/** The scenario's network over the server `spec` names. */
export function openNetwork(spec: ServerSpec, setup: NetworkSetup, caPem?: string): Network {
  // spec: DL-SIM-ACC-2 DL-SIM-ACC-3
  if (spec.kind === "external" && usesServerAcl(setup.access)) {
    throw new Error(`--access ${setup.access} ${ACCESS_AT_EXTERNAL_SERVER}`);
  }
  const clock = new WallClock(setup.start, spec.scale);
  const server: Promise<ServerAccess> = spec.kind === "prosody"
    ? privateProsody(setup, clock, spec.port)
    : Promise.resolve({
      endpoint: { host: spec.host, port: spec.port, directTls: spec.directTls },
      anchors: [caPem ?? bad(spec.caFile, "CA not read")],
    });
  return new RealNetwork({
    server,
    domain: setup.domain,
    password: (a) => passwordOf(setup.seed, a),
    // spec: PD-246
    ...(setup.access === "option-2" ? { bearerToken: loginTokens(setup) } : {}),
    seed: setup.seed,
    clock,
    scramIterations: { min: setup.scramIterations, max: setup.scramIterations },
    // One stream per control centre carries an association per DER (PD-215).
    maxPendingIq: 4096,
  });
}

/** What simulation/run.ts asks for: the network factory of `--server` values (one server). */
export async function scenarioNetworkFactory(servers: readonly string[]): Promise<NetworkFactory> {
  if (servers.length !== 1) {
    throw new Error(`--server: give exactly one server per run (got ${servers.length})`);
  }
  const spec = parseServerSpec(servers[0]);
  const caPem = spec.kind === "external" ? await Deno.readTextFile(spec.caFile) : undefined;
  return (setup) => openNetwork(spec, setup, caPem);
}
