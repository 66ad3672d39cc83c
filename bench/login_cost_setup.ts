/**
 * Servers and clients for bench/login_cost.ts: three harness Prosodys (one
 * per way of logging in) with N accounts each, the operator's login service
 * in a process of its own, and one `attempt(i)` per method that logs client
 * i in (TCP, TLS, SASL, bind) and closes it, returning the milliseconds to
 * the bound stream. The references stop at the SASL offer: the client finds
 * no mechanism it may use and closes, so they cost everything but the
 * authentication and the bind.
 *
 * Setup work (PBKDF2 for the stored SCRAM keys, client certificates, login
 * tokens) is done here, before any timing.
 *
 * @module
 */
import { toHex } from "../core/bytes.ts";
import { SeededEntropy } from "../core/entropy.ts";
import { isDerlinkError } from "../core/errors.ts";
import { fixtureKeys, ISSUER } from "../core/access/fixtures.ts";
import { loginTokenFor } from "../core/operator-auth/mod.ts";
import type { IssuedCert } from "../core/pki/testca.ts";
import { scramCredentialsFromSaltedPassword } from "../state-machines/xmpp-stream/sasl/mod.ts";
import { type ClientOptions, XmppClient } from "../adapters/xmpp_client.ts";
import { type ProsodyServer, startProsody } from "../tests/harness/prosody.ts";
import {
  CALLER_SECRET,
  delegatingProsody,
  DOMAIN,
  J,
} from "../tests/interop/operator_auth_helpers.ts";
import type { ServiceConfigFile } from "./login_cost_service.ts";

export type MethodKey =
  | "ref-starttls"
  | "scram-sha-256"
  | "ref-direct-tls"
  | "external"
  | "option2-ed25519"
  | "option2-es256";

export interface Method {
  readonly key: MethodKey;
  readonly label: string;
  /** The reference measured in the same run that this method is compared with. */
  readonly reference?: MethodKey;
  readonly prosodyPid: number;
  readonly servicePid?: number;
  /** Logs client `i` in and out; resolves with ms to bound (to the SASL offer for references). */
  attempt(i: number): Promise<number>;
}

export interface Setup {
  readonly methods: readonly Method[];
  stop(): Promise<void>;
}

const ITERATIONS = 10_000; // Prosody 0.12's default_iteration_count
export const user = (i: number) => `der${String(i).padStart(4, "0")}`;
const password = (i: number) => `login-cost-password-${i}`;

/** Stored SCRAM-SHA-256 keys as Prosody's internal_hashed keeps them (native PBKDF2, setup only). */
async function accountFile(i: number): Promise<string> {
  // Prosody keeps the salt as text and uses its bytes as the SCRAM salt.
  const saltText = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const salt = new TextEncoder().encode(saltText);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password(i)),
    "PBKDF2",
    false,
    [
      "deriveBits",
    ],
  );
  const salted = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS },
    key,
    256,
  );
  const c = scramCredentialsFromSaltedPassword("SHA-256", new Uint8Array(salted), salt, ITERATIONS);
  if (!c.ok) throw c.error;
  return `return {\n\t["iteration_count"] = ${ITERATIONS};\n\t["salt"] = "${saltText}";\n` +
    `\t["server_key"] = "${toHex(c.value.serverKey)}";\n` +
    `\t["stored_key"] = "${toHex(c.value.storedKey)}";\n};\n`;
}

/** Resolves with ms until bound; a reference resolves when the client finds no usable mechanism. */
async function timed(options: ClientOptions, reference: boolean): Promise<number> {
  const t0 = performance.now();
  try {
    const c = await XmppClient.connect(options);
    const ms = performance.now() - t0;
    if (reference) throw new Error("a reference run logged in");
    await c.close();
    return ms;
  } catch (e) {
    if (reference && isDerlinkError(e, "sasl/no-acceptable-mechanism")) {
      return performance.now() - t0;
    }
    throw e;
  }
}

const base = (server: ProsodyServer, i: number, directTls: boolean): ClientOptions => ({
  jid: J(user(i)),
  resource: "r",
  entropy: new SeededEntropy(`login-cost/${i}/${directTls}`),
  server: { host: server.host, port: directTls ? server.directTlsPort : server.port, directTls },
  tls: { anchors: [server.caPem] },
  reconnect: false,
});

/** Starts everything for `n` clients. */
export async function setUp(n: number, log: (s: string) => void = () => {}): Promise<Setup> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    // 1. SCRAM-SHA-256 against internal_hashed, and the STARTTLS reference.
    const scram = await startProsody({ domain: DOMAIN, sharedRosterGroup: null, logLevel: "warn" });
    stops.push(() => scram.stop());
    const accounts = `${scram.dir}/data/${DOMAIN.replaceAll(".", "%2e")}/accounts`;
    await Deno.mkdir(accounts, { recursive: true });
    for (let i = 0; i < n; i++) {
      await Deno.writeTextFile(`${accounts}/${user(i)}.dat`, await accountFile(i));
    }
    log(`scram: ${n} accounts written`);

    // 2. EXTERNAL with client certificates (mod_auth_ccert), and the direct TLS reference.
    const ccert = await startProsody({
      domain: DOMAIN,
      sharedRosterGroup: null,
      logLevel: "warn",
      extraHostLua: '  authentication = "ccert"',
    });
    stops.push(() => ccert.stop());
    const certs: IssuedCert[] = [];
    for (let i = 0; i < n; i++) certs.push(await ccert.clientCert(J(user(i))));
    log(`external: ${n} client certificates issued`);

    // 3. Option 2: the operator's login service in its own process, Prosody asking it.
    const keys = fixtureKeys();
    const dir = await Deno.makeTempDir({ prefix: "derlink-login-cost-" });
    stops.push(() => Deno.remove(dir, { recursive: true }));
    const config: ServiceConfigFile = {
      acl: {
        version: 1,
        domain: DOMAIN,
        mucService: `rooms.${DOMAIN}`,
        pubsubService: `pubsub.${DOMAIN}`,
        groups: { ders: Array.from({ length: n }, (_, i) => J(user(i))) },
        addressing: [],
        rooms: {},
        nodes: {},
      },
      issuer: ISSUER,
      keys: [keys.es256, keys.ed25519].map((k) => ({
        kid: k.signer.kid,
        suite: k.signer.suite,
        publicKeyHex: toHex(k.publicKey),
      })),
      callerSecret: CALLER_SECRET,
    };
    await Deno.writeTextFile(`${dir}/service.json`, JSON.stringify(config));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net=127.0.0.1",
        "--allow-read",
        new URL("./login_cost_service.ts", import.meta.url).pathname,
        `${dir}/service.json`,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    stops.push(async () => {
      child.kill("SIGTERM");
      await child.status;
    });
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let first = "";
    while (!first.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the login service exited");
      first += value;
    }
    const url = /listening (\S+)/.exec(first)?.[1];
    if (!url) throw new Error(`unexpected service output: ${first}`);
    const delegating = await startProsody({ ...delegatingProsody(url), logLevel: "warn" });
    stops.push(() => delegating.stop());
    const now = Math.floor(Date.now() / 1000);
    const tokens = (signer: typeof keys.es256.signer) =>
      Array.from(
        { length: n },
        (_, i) =>
          loginTokenFor(
            J(user(i)),
            DOMAIN,
            ISSUER,
            signer,
            now,
            `login-cost-${signer.kid}-${i}`.padEnd(16, "0"),
            3600,
          ),
      );
    const ed = tokens(keys.ed25519.signer);
    const es = tokens(keys.es256.signer);
    log(`option 2: login service at ${url}, ${2 * n} login tokens issued`);

    const methods: Method[] = [
      {
        key: "ref-starttls",
        label: "reference: TCP + STARTTLS to the SASL offer",
        prosodyPid: scram.pid,
        attempt: (i) =>
          timed({ ...base(scram, i, false), machine: { mechanisms: ["EXTERNAL"] } }, true),
      },
      {
        key: "scram-sha-256",
        label: "SCRAM-SHA-256 (internal_hashed, 10k iterations)",
        reference: "ref-starttls",
        prosodyPid: scram.pid,
        attempt: (i) =>
          timed({
            ...base(scram, i, false),
            password: password(i),
            machine: { mechanisms: ["SCRAM-SHA-256"] },
          }, false),
      },
      {
        key: "ref-direct-tls",
        label: "reference: direct TLS to the SASL offer",
        prosodyPid: ccert.pid,
        attempt: (i) =>
          timed({ ...base(ccert, i, true), machine: { mechanisms: ["SCRAM-SHA-256"] } }, true),
      },
      {
        key: "external",
        label: "EXTERNAL, client certificate over direct TLS (mod_auth_ccert)",
        reference: "ref-direct-tls",
        prosodyPid: ccert.pid,
        attempt: (i) =>
          timed({
            ...base(ccert, i, true),
            tls: { anchors: [ccert.caPem], clientCertificate: certs[i] },
            machine: { mechanisms: ["EXTERNAL"], clientCertificate: true },
          }, false),
      },
      ...([["option2-ed25519", ed, "Ed25519"], ["option2-es256", es, "ES256"]] as const).map((
        [key, list, alg],
      ): Method => ({
        key,
        label: `Option 2: OAUTHBEARER, operator checks a ${alg} login token`,
        reference: "ref-starttls",
        prosodyPid: delegating.pid,
        servicePid: child.pid,
        attempt: (i) =>
          timed({
            ...base(delegating, i, false),
            machine: { mechanisms: ["OAUTHBEARER"], bearerToken: list[i] },
          }, false),
      })),
    ];
    return { methods, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
