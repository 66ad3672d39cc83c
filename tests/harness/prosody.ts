/**
 * Starts a real Prosody (Debian's package) for one test run and stops it.
 *
 * `startProsody()` makes a temp dir, a fresh CA and server certificate, a
 * generated configuration (loopback only, TLS required, client certificates
 * requested), registers the test users with prosodyctl, runs
 * `prosody --config CFG -F` as a child process and waits until both client
 * ports accept TCP. `stop()` ends the process (SIGTERM, then SIGKILL) and
 * removes the dir. Use it in try/finally so a failing test still stops it.
 *
 * Never run `prosody --version`: it starts a server.
 *
 * @module
 */

import { DerlinkError, isDerlinkError } from "../../core/errors.ts";
import { fromUtf8 } from "../../core/bytes.ts";
import {
  createTestCa,
  issueClientCert,
  type IssuedCert,
  issueServerCert,
  type TestCa,
} from "../../core/pki/testca.ts";
import {
  groupsFile,
  HarnessError,
  LOOPBACK,
  type ProsodyAuth,
  prosodyConfig,
  type ProsodyPlugin,
  type ProsodyUser,
  validateUser,
  withReadyPlugin,
} from "./prosody_config.ts";
import {
  drainTo,
  isExecutable,
  PORT_TAKEN,
  readLogs,
  signal,
  terminate,
  waitForStart,
} from "./process.ts";

export { HarnessError, LOOPBACK };
export type { ProsodyAuth, ProsodyPlugin, ProsodyUser };

/** The command that installs what the harness needs on Debian/Ubuntu. */
export const PROSODY_INSTALL_HINT =
  "install it as root with: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prosody prosody-modules (or run: bash .ci/install-prosody.sh)";

/** Options of one server start; every field has a default. */
export interface ProsodyOptions {
  /** XMPP domain of the virtual host. Default "derlink.test". */
  readonly domain?: string;
  /** Accounts registered before the server starts. */
  readonly users?: readonly ProsodyUser[];
  /** Password storage. Default internal_hashed with SHA-256 (offers SCRAM-SHA-256 only). */
  readonly auth?: ProsodyAuth;
  /** One shared roster group holding every user (PD-53), or null for none. Default "derlink". */
  readonly sharedRosterGroup?: string | null;
  /** Seconds a dropped XEP-0198 session stays resumable. Default 60. */
  readonly smacksHibernationSeconds?: number;
  /** SASL mechanisms not to offer, e.g. ["PLAIN"]. Default none. */
  readonly disableSaslMechanisms?: readonly string[];
  /** Bare JIDs allowed to create pubsub nodes. Default every registered user. */
  readonly pubsubAdmins?: readonly string[];
  /** Extra Lua modules to load on the host. */
  readonly plugins?: readonly ProsodyPlugin[];
  /** Trusted raw Lua for the global section / the VirtualHost. */
  readonly extraGlobalLua?: string;
  readonly extraHostLua?: string;
  readonly logLevel?: "debug" | "info" | "warn";
  /** Reuse a CA (e.g. to share it with other servers); default a fresh one. */
  readonly ca?: TestCa;
  /** Fixed ports (still on 127.0.0.1) instead of free ones picked at start; no retry then. */
  readonly ports?: { readonly port: number; readonly directTlsPort: number };
  /** Bound on waiting for the ports. Default 15 s. */
  readonly readyTimeoutMs?: number;
  /** Bound on waiting after SIGTERM before SIGKILL. Default 5 s. */
  readonly stopTimeoutMs?: number;
}

/** A running server. */
export interface ProsodyServer {
  readonly host: typeof LOOPBACK;
  /** STARTTLS client port. */
  readonly port: number;
  /** Direct TLS client port (XEP-0368). */
  readonly directTlsPort: number;
  readonly domain: string;
  readonly mucDomain: string;
  readonly pubsubDomain: string;
  readonly ca: TestCa;
  readonly caPem: string;
  readonly users: readonly ProsodyUser[];
  readonly pid: number;
  /** The run's temp dir (config, certs, data, logs). Gone after stop(). */
  readonly dir: string;
  readonly configPath: string;
  /** Milliseconds from spawning the process until both ports accepted TCP. */
  readonly readyMs: number;
  /** A client certificate for `jid`, issued by the run's CA. */
  clientCert(jid: string): Promise<IssuedCert>;
  /** Prosody's log so far (plus anything it printed on stdout/stderr). */
  readLog(): Promise<string>;
  /** Ends the process and removes the dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Paths of the Prosody executables. */
export interface ProsodyBinaries {
  readonly prosody: string;
  readonly prosodyctl: string;
}

/**
 * Finds prosody and prosodyctl in `dirs` (default: PATH, then /usr/bin);
 * throws `harness/prosody-missing` with the install command.
 */
export function findProsody(
  dirs: readonly string[] = [
    ...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean),
    "/usr/bin",
  ],
): ProsodyBinaries {
  const find = (name: string) => dirs.map((d) => `${d}/${name}`).find(isExecutable);
  const prosody = find("prosody");
  const prosodyctl = find("prosodyctl");
  // spec: DL-HARNESS-4 PD-54
  if (!prosody || !prosodyctl) {
    throw new DerlinkError(
      HarnessError["prosody-missing"],
      `prosody/prosodyctl not found on PATH or in /usr/bin; ${PROSODY_INSTALL_HINT}`,
    );
  }
  return { prosody, prosodyctl };
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freeLoopbackPort(): number {
  // spec: DL-HARNESS-1
  const l = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const START_ATTEMPTS = 3;

/** Children not yet stopped, killed if the test process exits without stopping them. */
const live = new Set<Deno.ChildProcess>();
globalThis.addEventListener("unload", () => {
  for (const child of live) signal(child, "SIGKILL");
});

/** Starts Prosody; retries with new ports when one was taken in between. */
export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyServer> {
  const bins = findProsody();
  for (let attempt = 1;; attempt++) {
    try {
      return await startOnce(bins, options);
    } catch (e) {
      const portRace = options.ports === undefined &&
        isDerlinkError(e, HarnessError["start-failed"]) && PORT_TAKEN.test(e.detail);
      if (!portRace || attempt >= START_ATTEMPTS) throw e;
    }
  }
}

async function startOnce(bins: ProsodyBinaries, options: ProsodyOptions): Promise<ProsodyServer> {
  const domain = options.domain ?? "derlink.test";
  const users = options.users ?? [];
  users.forEach(validateUser);
  // spec: DL-HARNESS-2
  const dir = await Deno.makeTempDir({ prefix: "derlink-prosody-" });
  let child: Deno.ChildProcess | undefined;
  let drained: Promise<unknown> = Promise.resolve();
  try {
    const ca = options.ca ?? await createTestCa({ commonName: `derlink test CA for ${domain}` });
    const server = await issueServerCert(ca, {
      dnsNames: [domain, "localhost"],
      ipAddresses: [LOOPBACK],
    });
    await Deno.mkdir(`${dir}/certs`, { mode: 0o700 });
    await Deno.mkdir(`${dir}/data`, { mode: 0o700 });
    const certFile = `${dir}/certs/${domain}.crt`;
    const keyFile = `${dir}/certs/${domain}.key`;
    const caFile = `${dir}/certs/ca.pem`;
    await Deno.writeTextFile(certFile, server.certPem);
    await Deno.writeTextFile(keyFile, server.keyPem, { mode: 0o600 });
    await Deno.writeTextFile(caFile, ca.certPem);
    const jids = users.map((u) => `${u.username}@${domain}`);
    const group = options.sharedRosterGroup === undefined ? "derlink" : options.sharedRosterGroup;
    const groups = group === null ? null : `${dir}/groups.txt`;
    if (groups !== null && group !== null) {
      await Deno.writeTextFile(groups, groupsFile(group, jids));
    }
    const plugins = options.plugins ?? [];
    await Deno.mkdir(`${dir}/plugins`);
    for (const p of withReadyPlugin(plugins)) {
      await Deno.writeTextFile(`${dir}/plugins/mod_${p.name}.lua`, p.source);
    }
    // spec: DL-HARNESS-1
    let { port, directTlsPort } = options.ports ?? { port: freeLoopbackPort(), directTlsPort: 0 };
    if (!options.ports) {
      do directTlsPort = freeLoopbackPort(); while (directTlsPort === port);
    }
    const configPath = `${dir}/prosody.cfg.lua`;
    await Deno.writeTextFile(
      configPath,
      prosodyConfig({
        dir,
        domain,
        mucDomain: `rooms.${domain}`,
        pubsubDomain: `pubsub.${domain}`,
        port,
        directTlsPort,
        auth: options.auth ?? { storage: "internal_hashed", passwordHash: "SHA-256" },
        certFile,
        keyFile,
        caFile,
        groupsFile: groups,
        smacksHibernationSeconds: options.smacksHibernationSeconds ?? 60,
        disableSaslMechanisms: options.disableSaslMechanisms ?? [],
        pubsubAdmins: options.pubsubAdmins ?? jids,
        plugins,
        readyFile: `${dir}/ready`,
        logLevel: options.logLevel ?? "info",
        extraGlobalLua: options.extraGlobalLua ?? "",
        extraHostLua: options.extraHostLua ?? "",
      }),
    );
    for (const u of users) await register(bins, configPath, u, domain);

    const started = performance.now();
    child = new Deno.Command(bins.prosody, {
      args: ["--config", configPath, "-F"],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    live.add(child);
    drained = Promise.all([
      drainTo(child.stdout, `${dir}/stdout.log`),
      drainTo(child.stderr, `${dir}/stderr.log`),
    ]);
    const running = child;
    const exited = child.status.then((s) => {
      live.delete(running);
      return s;
    });
    await waitForStart(
      `${dir}/ready`,
      child.pid,
      [port, directTlsPort],
      exited,
      options.readyTimeoutMs ?? 15_000,
      () => readLogs(dir),
    );
    const readyMs = performance.now() - started;
    return makeServer({
      dir,
      configPath,
      child,
      drained,
      port,
      directTlsPort,
      domain,
      ca,
      users,
      readyMs,
      stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
    });
  } catch (e) {
    if (child) await terminate(child, 2_000);
    await drained.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}

interface ServerParts {
  dir: string;
  configPath: string;
  child: Deno.ChildProcess;
  drained: Promise<unknown>;
  port: number;
  directTlsPort: number;
  domain: string;
  ca: TestCa;
  users: readonly ProsodyUser[];
  readyMs: number;
  stopTimeoutMs: number;
}

function makeServer(p: ServerParts): ProsodyServer {
  let stopping: Promise<void> | undefined;
  return {
    host: LOOPBACK,
    port: p.port,
    directTlsPort: p.directTlsPort,
    domain: p.domain,
    mucDomain: `rooms.${p.domain}`,
    pubsubDomain: `pubsub.${p.domain}`,
    ca: p.ca,
    caPem: p.ca.certPem,
    users: p.users,
    pid: p.child.pid,
    dir: p.dir,
    configPath: p.configPath,
    readyMs: p.readyMs,
    clientCert: (jid) => issueClientCert(p.ca, { jid }),
    readLog: () => readLogs(p.dir),
    stop() {
      stopping ??= (async () => {
        try {
          // spec: DL-HARNESS-3
          await terminate(p.child, p.stopTimeoutMs);
        } finally {
          await p.drained.catch(() => {});
          await Deno.remove(p.dir, { recursive: true }).catch(() => {});
        }
      })();
      return stopping;
    },
  };
}

async function register(
  bins: ProsodyBinaries,
  configPath: string,
  user: ProsodyUser,
  domain: string,
): Promise<void> {
  const r = await new Deno.Command(bins.prosodyctl, {
    args: ["--config", configPath, "register", user.username, domain, user.password],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    // prosodyctl does not echo the password; its output helps find the cause.
    const said = (fromUtf8(r.stdout) + fromUtf8(r.stderr)).split(user.password).join("***");
    throw new DerlinkError(
      HarnessError["register-failed"],
      `${user.username}@${domain}: exit ${r.code}: ${said.trim().slice(-2000)}`,
    );
  }
}
