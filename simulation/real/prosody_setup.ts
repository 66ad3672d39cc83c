/**
 * A harness Prosody provisioned for a fleet: hundreds of accounts, roster
 * groups of any shape, disco items and the SCRAM iteration count, with no
 * change to the harness itself (tests/harness/prosody.ts).
 *
 * - Accounts: `prosodyctl register` costs ≈ 70–150 ms per account (a Lua
 *   process each; 201 took 30 s here), so a small start-up plugin creates
 *   them inside the server instead, through Prosody's own usermanager (its
 *   auth provider hashes the password as for any account): 201 accounts in
 *   ≈ 0.5 s of server CPU. It runs on "server-started" ahead of the
 *   harness's ready marker (higher priority), so the server is reported
 *   ready only once every account exists.
 * - Roster groups: Prosody's `groups` module reads a groups file; the
 *   harness writes one group of everyone at most, so this file (any number
 *   of groups; members of a group see each other's presence, PD-53 style)
 *   lives in a temp dir of our own, enabled on the VirtualHost by
 *   `extraHostLua` (a host's `modules_enabled` adds to the global list).
 *
 * @module
 */
import {
  luaList,
  luaString,
  type ProsodyPlugin,
  type ProsodyUser,
} from "../../tests/harness/prosody_config.ts";
import {
  type ProsodyOptions,
  type ProsodyServer,
  startProsody,
} from "../../tests/harness/prosody.ts";

/** The plugin that creates `accounts` at start-up (the harness validates names as usual). */
export function bulkAccountsPlugin(accounts: readonly ProsodyUser[]): ProsodyPlugin {
  // spec: DL-FLEET-1
  const rows = accounts.map((a) => `  { ${luaString(a.username)}, ${luaString(a.password)} },`);
  return {
    name: "derlink_bulk_accounts",
    source:
      `-- derlink fleet driver: creates the run's accounts in-process (one prosodyctl each is slow).
local usermanager = require "core.usermanager";
local accounts = {
${rows.join("\n")}
};
module:hook_global("server-started", function()
  local started = os.clock();
  for _, a in ipairs(accounts) do
    local ok, err = usermanager.create_user(a[1], a[2], module.host);
    if not ok then module:log("error", "account %s not created: %s", a[1], tostring(err)); end
  end
  module:log("info", "derlink: created %d accounts in %.3f s CPU", #accounts, os.clock() - started);
end, 100); -- before the harness's ready marker (priority 0)
`,
  };
}

/** A groups file for Prosody's `groups` module: each group's members see each other. */
export function rosterGroupsFile(
  domain: string,
  groups: Readonly<Record<string, readonly string[]>>,
): string {
  // spec: PD-216
  const out: string[] = [];
  for (const [name, members] of Object.entries(groups)) {
    // Not public ("+"): only members get the group in their roster.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new RangeError(`bad group name ${name}`);
    out.push(`[${name}]`);
    for (const m of members) {
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(m)) throw new RangeError(`bad localpart ${m}`);
      out.push(`${m}@${domain}=${m}`);
    }
  }
  return out.join("\n") + "\n";
}

export interface FleetProsodyOptions {
  readonly domain?: string;
  readonly accounts: readonly ProsodyUser[];
  /** Group name → member localparts. Default none (no presence between accounts). */
  readonly rosterGroups?: Readonly<Record<string, readonly string[]>>;
  /** Extra items of the domain's disco#items (mod_disco `disco_items`). */
  readonly discoItems?: readonly { readonly jid: string; readonly name?: string }[];
  /** Localparts allowed to create pubsub nodes. Default none. */
  readonly pubsubAdmins?: readonly string[];
  /** PBKDF2 iterations of the accounts' SCRAM credentials (Prosody default 10,000). */
  readonly scramIterations?: number;
  /**
   * More VirtualHost lines (an access option's, access_server.ts). A host
   * takes one `modules_enabled`: this gets the modules the fleet enables
   * there and returns lines that enable them along with its own.
   */
  readonly hostLua?: (modules: readonly string[]) => string;
  /** Anything else the harness takes (not users, plugins, groups or the Lua hooks used here). */
  readonly harness?: Omit<
    ProsodyOptions,
    "users" | "sharedRosterGroup" | "extraHostLua" | "extraGlobalLua" | "pubsubAdmins" | "domain"
  >;
}

/** A running server and what it took to start it. */
export interface FleetProsody {
  readonly server: ProsodyServer;
  /** Wall time of the whole start, accounts included, ms. */
  readonly startMs: number;
  /** Stops the server (by its PID, through the harness) and removes our temp dir. */
  stop(): Promise<void>;
}

/** Starts Prosody with the fleet's accounts, groups and disco items. */
export async function startFleetProsody(o: FleetProsodyOptions): Promise<FleetProsody> {
  const started = performance.now();
  const domain = o.domain ?? "derlink.test";
  const own = await Deno.makeTempDir({ prefix: "derlink-fleet-" });
  const host: string[] = [];
  const global: string[] = [];
  const modules: string[] = [];
  try {
    if (o.rosterGroups && Object.keys(o.rosterGroups).length > 0) {
      const file = `${own}/groups.txt`;
      await Deno.writeTextFile(file, rosterGroupsFile(domain, o.rosterGroups));
      modules.push("groups");
      host.push(`  groups_file = ${luaString(file)}`);
    }
    if (o.discoItems && o.discoItems.length > 0) {
      const items = o.discoItems.map((d) =>
        `{ ${luaString(d.jid)}${d.name === undefined ? "" : `, ${luaString(d.name)}`} }`
      );
      host.push(`  disco_items = { ${items.join(", ")} }`);
    }
    if (o.scramIterations !== undefined) {
      if (!Number.isSafeInteger(o.scramIterations) || o.scramIterations < 1) {
        throw new RangeError("scramIterations must be a positive integer");
      }
      global.push(`default_iteration_count = ${o.scramIterations}`);
    }
    if (o.hostLua) host.push(o.hostLua(modules));
    else if (modules.length > 0) host.push(`  modules_enabled = ${luaList(modules)}`);
    const server = await startProsody({
      ...o.harness,
      domain,
      users: [],
      sharedRosterGroup: null,
      plugins: [...(o.harness?.plugins ?? []), bulkAccountsPlugin(o.accounts)],
      pubsubAdmins: (o.pubsubAdmins ?? []).map((l) => `${l}@${domain}`),
      extraHostLua: host.join("\n"),
      extraGlobalLua: global.join("\n"),
    });
    return {
      server,
      startMs: performance.now() - started,
      async stop() {
        try {
          await server.stop();
        } finally {
          await Deno.remove(own, { recursive: true }).catch(() => {});
        }
      },
    };
  } catch (e) {
    await Deno.remove(own, { recursive: true }).catch(() => {});
    throw e;
  }
}
