/**
 * Generates the Prosody configuration (a Lua file) and the shared-roster
 * groups file for one test run. Pure functions, no I/O: `prosody.ts` writes
 * what these return into the run's temp dir.
 *
 * The configuration keeps the server on 127.0.0.1 with every listener other
 * than client-to-server off, requires TLS, asks clients for a certificate
 * issued by the run's CA, and sets up one virtual host plus a MUC and a
 * pubsub component (facts measured on Prosody 0.12.3: see
 * shared/notes/servers.md and docs/interop.md).
 *
 * @module
 */

import { defineErrorCodes, DerlinkError } from "../../core/errors.ts";

/** Failure codes of the real-server harness. */
export const HarnessError = defineErrorCodes("harness", {
  "prosody-missing": "Prosody is not installed on this machine",
  "invalid-option": "a harness option is outside what the generated configuration allows",
  "start-failed": "the server process exited or did not accept connections in time",
  "register-failed": "prosodyctl could not register a test user",
  "stop-failed": "the server process did not end after SIGTERM and SIGKILL",
});

/** The only address a harness-started server listens on. */
export const LOOPBACK = "127.0.0.1";

/** How Prosody stores passwords, which decides the SCRAM variants it offers. */
export type ProsodyAuth =
  | { readonly storage: "internal_hashed"; readonly passwordHash: "SHA-1" | "SHA-256" }
  | { readonly storage: "internal_plain" };

/** A test account. */
export interface ProsodyUser {
  readonly username: string;
  readonly password: string;
}

/** A Lua plugin written into the run's plugin dir and enabled on the virtual host. */
export interface ProsodyPlugin {
  /** Module name without the `mod_` prefix. */
  readonly name: string;
  readonly source: string;
}

/** Everything the generated configuration depends on. */
export interface ProsodyConfigInput {
  readonly dir: string;
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly port: number;
  readonly directTlsPort: number;
  readonly auth: ProsodyAuth;
  /** Paths inside `dir` of the server certificate, its key and the CA certificate. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** Written by the ready plugin when start-up is complete. */
  readonly readyFile: string;
  /** Path of the groups file, or null for no shared roster group. */
  readonly groupsFile: string | null;
  readonly smacksHibernationSeconds: number;
  readonly disableSaslMechanisms: readonly string[];
  readonly pubsubAdmins: readonly string[];
  readonly plugins: readonly ProsodyPlugin[];
  readonly logLevel: "debug" | "info" | "warn";
  /** Trusted raw Lua appended to the global section and to the VirtualHost. */
  readonly extraGlobalLua: string;
  readonly extraHostLua: string;
}

/**
 * Always loaded: writes `derlink_ready_file` once Prosody has fired
 * "server-started", i.e. every host and module is loaded. Listening sockets
 * alone appear earlier in start-up.
 */
export const READY_PLUGIN: ProsodyPlugin = {
  name: "derlink_ready",
  source: `-- derlink test harness: marks the end of Prosody's start-up.
module:set_global();
local path = module:get_option_string("derlink_ready_file");
module:hook_global("server-started", function()
  local f = assert(io.open(path, "w"));
  f:write("started\\n");
  f:close();
end);
`,
};

/** The ready plugin followed by the caller's plugins. */
export function withReadyPlugin(plugins: readonly ProsodyPlugin[]): ProsodyPlugin[] {
  return [READY_PLUGIN, ...plugins];
}

/** Core modules (Prosody 0.12 names; smacks is in core since 0.12). Carbons stay off. */
export const BASE_MODULES = ["roster", "saslauth", "tls", "disco", "ping", "smacks"] as const;

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MODULE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SASL_MECHANISM = /^[A-Z0-9_-]{1,20}$/;

/** Quotes `text` as a Lua string literal that cannot end early or add code. */
export function luaString(text: string): string {
  // spec: DL-HARNESS-7
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    // Decimal escapes for every control character, newline included, so the
    // literal always stays on one line.
    else if (code < 0x20 || code === 0x7f) out += "\\" + code.toString().padStart(3, "0");
    else out += ch;
  }
  return out + '"';
}

/** A Lua list of string literals. */
export function luaList(items: readonly string[]): string {
  return `{ ${items.map(luaString).join(", ")} }`;
}

/** Checks the options that end up in the configuration; throws `harness/invalid-option`. */
export function validateConfigInput(input: ProsodyConfigInput): void {
  for (const d of [input.domain, input.mucDomain, input.pubsubDomain]) {
    if (!DOMAIN.test(d)) invalid(`not a lower-case DNS domain: ${d}`);
  }
  for (const port of [input.port, input.directTlsPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) invalid(`bad port ${port}`);
  }
  if (input.port === input.directTlsPort) invalid("the two ports must differ");
  if (!Number.isInteger(input.smacksHibernationSeconds) || input.smacksHibernationSeconds < 0) {
    invalid("smacksHibernationSeconds must be a non-negative integer");
  }
  for (const m of input.disableSaslMechanisms) {
    if (!SASL_MECHANISM.test(m)) invalid(`not a SASL mechanism name: ${m}`);
  }
  for (const p of input.plugins) {
    if (!MODULE_NAME.test(p.name)) invalid(`not a module name: ${p.name}`);
    if (p.name === READY_PLUGIN.name) invalid(`${p.name} is the harness's own plugin`);
  }
}

/** Checks a test account; throws `harness/invalid-option`. */
export function validateUser(user: ProsodyUser): void {
  if (!USERNAME.test(user.username)) invalid(`username must match ${USERNAME}`);
  // deno-lint-ignore no-control-regex
  if (user.password.length === 0 || /[\u0000-\u001f\u007f]/.test(user.password)) {
    // The password itself never goes into the error text.
    invalid(`password of ${user.username} is empty or has control characters`);
  }
}

/** The groups file: every user in one public group, so rosters include each other. */
export function groupsFile(group: string, jids: readonly string[]): string {
  if (!/^[A-Za-z0-9 _-]{1,64}$/.test(group)) invalid(`bad group name ${group}`);
  // spec: DL-HARNESS-8 PD-53
  // "+" makes the group public: it is injected into every member's roster.
  return `[+${group}]\n${jids.map((j) => `${j}=${j.split("@")[0]}`).join("\n")}\n`;
}

/** The complete prosody.cfg.lua for one run. */
export function prosodyConfig(c: ProsodyConfigInput): string {
  validateConfigInput(c);
  const q = luaString;
  const modules: string[] = [...BASE_MODULES];
  if (c.groupsFile !== null) modules.push("groups");
  // spec: DL-HARNESS-6
  // verify = peer asks for a certificate; client_once stops renegotiation.
  // Without fail_if_no_peer_cert a client without one still gets in.
  const ssl = `{ certificate = ${q(c.certFile)}, key = ${q(c.keyFile)}, cafile = ${
    q(c.caFile)
  }, verify = { "peer", "client_once" } }`;
  const lines = [
    "-- Generated by derlink tests/harness for one test run; removed with its directory.",
    "run_as_root = true",
    "daemonize = false",
    `pidfile = ${q(c.dir + "/prosody.pid")}`,
    `data_path = ${q(c.dir + "/data")}`,
    `certificates = ${q(c.dir + "/certs")}`,
    `log = { ${c.logLevel} = ${q(c.dir + "/prosody.log")} }`,
    "network_settings = { nagle = false }",
    // spec: DL-HARNESS-1 PD-52
    `interfaces = { ${q(LOOPBACK)} }`,
    `local_interfaces = { ${q(LOOPBACK)} }`,
    `c2s_ports = { ${c.port} }`,
    `c2s_interfaces = { ${q(LOOPBACK)} }`,
    `c2s_direct_tls_ports = { ${c.directTlsPort} }`,
    `c2s_direct_tls_interfaces = { ${q(LOOPBACK)} }`,
    "legacy_ssl_ports = { }",
    "s2s_ports = { }",
    "component_ports = { }",
    "http_ports = { }",
    "https_ports = { }",
    'modules_disabled = { "s2s" }',
    `modules_enabled = ${luaList([...modules, ...withReadyPlugin(c.plugins).map((p) => p.name)])}`,
    `plugin_paths = { ${q(c.dir + "/plugins")} }`,
    `derlink_ready_file = ${q(c.readyFile)}`,
    // spec: DL-HARNESS-6
    "c2s_require_encryption = true",
    "s2s_require_encryption = true",
    `c2s_ssl = ${ssl}`,
    `c2s_direct_tls_ssl = ${ssl}`,
    `authentication = ${q(c.auth.storage)}`,
    ...(c.auth.storage === "internal_hashed" ? [`password_hash = ${q(c.auth.passwordHash)}`] : []),
    `disable_sasl_mechanisms = ${luaList(c.disableSaslMechanisms)}`,
    `smacks_hibernation_time = ${c.smacksHibernationSeconds}`,
    ...(c.groupsFile !== null ? [`groups_file = ${q(c.groupsFile)}`] : []),
    c.extraGlobalLua,
    "",
    `VirtualHost ${q(c.domain)}`,
    `  ssl = { certificate = ${q(c.certFile)}, key = ${q(c.keyFile)} }`,
    c.extraHostLua,
    "",
    `Component ${q(c.mucDomain)} "muc"`,
    // Rooms are otherwise locked until the creator configures them.
    "  muc_room_locking = false",
    "",
    `Component ${q(c.pubsubDomain)} "pubsub"`,
    `  admins = ${luaList(c.pubsubAdmins)}`,
    "  autocreate_on_publish = true",
    "",
  ];
  return lines.join("\n");
}

function invalid(detail: string): never {
  throw new DerlinkError(HarnessError["invalid-option"], detail);
}
