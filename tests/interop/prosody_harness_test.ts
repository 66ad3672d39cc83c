/**
 * Smoke test of the real-server harness against Debian's Prosody.
 *
 * Run by `deno task interop` (not by `deno task test`). It fails — never skips —
 * when Prosody is not installed (PD-54). The protocol checks here are plain
 * string matches on purpose: the real stream machine is tested elsewhere;
 * this file only shows that the harness starts a server that behaves as the
 * interop tests assume, and stops it again.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { fromUtf8, toHex, utf8 } from "../../core/bytes.ts";
import { createTestCa, issueClientCert } from "../../core/pki/testca.ts";
import {
  findProsody,
  freeLoopbackPort,
  LOOPBACK,
  PROSODY_INSTALL_HINT,
  type ProsodyAuth,
  type ProsodyServer,
  startProsody,
} from "../harness/prosody.ts";
import { luaString } from "../harness/prosody_config.ts";
import { listeningSocketsOf } from "../harness/proc_net.ts";

const NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls";
const READ_TIMEOUT_MS = 5_000;

function streamHeader(domain: string): Uint8Array {
  return utf8(
    `<?xml version='1.0'?><stream:stream xmlns='jabber:client' ` +
      `xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`,
  );
}

/** Reads until `pattern` matches the text received so far on this call. */
async function readUntil(conn: Deno.Conn, pattern: RegExp): Promise<string> {
  const buf = new Uint8Array(16384);
  const decoder = new TextDecoder();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; got: ${text}`)),
      READ_TIMEOUT_MS,
    );
  });
  try {
    while (!pattern.test(text)) {
      const n = await Promise.race([conn.read(buf), timeout]);
      if (n === null) throw new Error(`connection closed waiting for ${pattern}; got: ${text}`);
      text += decoder.decode(buf.subarray(0, n), { stream: true });
    }
    return text;
  } finally {
    clearTimeout(timer);
  }
}

function mechanismsIn(features: string): string[] {
  const block = /<mechanisms[^>]*>([\s\S]*?)<\/mechanisms>/.exec(features)?.[1] ?? "";
  return [...block.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((m) => m[1]).sort();
}

async function withProsody(
  auth: ProsodyAuth,
  f: (server: ProsodyServer) => Promise<void>,
  extra: Parameters<typeof startProsody>[0] = {},
): Promise<void> {
  const server = await startProsody({
    auth,
    users: [{ username: "der1", password: "der1-secret" }],
    ...extra,
  });
  try {
    await f(server);
  } finally {
    const t0 = performance.now();
    await server.stop();
    console.log(
      `prosody ready in ${server.readyMs.toFixed(0)} ms, stopped in ${
        (performance.now() - t0).toFixed(0)
      } ms`,
    );
  }
}

/** STARTTLS handshake by hand; returns the pre-TLS and post-TLS stream features. */
async function starttls(server: ProsodyServer): Promise<{ before: string; after: string }> {
  const tcp = await Deno.connect({ hostname: LOOPBACK, port: server.port });
  let conn: Deno.Conn = tcp;
  try {
    await tcp.write(streamHeader(server.domain));
    const before = await readUntil(tcp, /<\/stream:features>/);
    await tcp.write(utf8(`<starttls xmlns='${NS_TLS}'/>`));
    await readUntil(tcp, /<proceed[^>]*\/>/);
    conn = await Deno.startTls(tcp, { hostname: server.domain, caCerts: [server.caPem] });
    await conn.write(streamHeader(server.domain));
    const after = await readUntil(conn, /<\/stream:features>/);
    return { before, after };
  } finally {
    conn.close();
  }
}

function procExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

Deno.test("DL-HARNESS-4: prosody and prosodyctl are installed", () => {
  // spec: DL-HARNESS-4 PD-54
  // findProsody() throws harness/prosody-missing with the install command;
  // this test (and every test below) then fails, in CI and out of it.
  const bins = findProsody();
  assert.match(bins.prosody, /\/prosody$/, PROSODY_INSTALL_HINT);
});

for (
  const [label, auth, disable, expected] of [
    ["internal_hashed SHA-1", { storage: "internal_hashed", passwordHash: "SHA-1" }, [], [
      "PLAIN",
      "SCRAM-SHA-1",
    ]],
    ["internal_hashed SHA-256", { storage: "internal_hashed", passwordHash: "SHA-256" }, [], [
      "PLAIN",
      "SCRAM-SHA-256",
    ]],
    ["internal_plain, PLAIN disabled", { storage: "internal_plain" }, ["PLAIN"], [
      "SCRAM-SHA-1",
      "SCRAM-SHA-256",
    ]],
  ] as const
) {
  Deno.test(`DL-HARNESS-6: STARTTLS required, then SASL mechanisms with ${label}`, async () => {
    await withProsody(auth, async (server) => {
      const { before, after } = await starttls(server);
      // spec: DL-HARNESS-6
      assert.match(before, new RegExp(`<starttls xmlns=['"]${NS_TLS}['"]><required/></starttls>`));
      assert.doesNotMatch(before, /<mechanisms/, "no SASL before TLS");
      assert.doesNotMatch(after, /<starttls/, "no second STARTTLS");
      const mechanisms = mechanismsIn(after);
      console.log(`prosody ${label}: SASL mechanisms after STARTTLS (TLS 1.3): ${mechanisms}`);
      // No -PLUS on TLS 1.3 (Prosody 0.12 binds only tls-unique).
      assert.deepEqual(mechanisms, [...expected]);
    }, { disableSaslMechanisms: disable });
  });
}

// Logs what the server saw of the client certificate, so the test can tell
// "TLS worked" from "the certificate reached Prosody and chained to the CA".
const CERT_PROBE = `
module:hook("stream-features", function(event)
  local conn = event.origin.conn;
  local sock = conn and conn:socket();
  if not (sock and sock.getpeercertificate) then return; end
  local cert = sock:getpeercertificate();
  if not cert then module:log("info", "derlink-probe: no client certificate"); return; end
  local valid = sock:getpeerverification();
  local san = (cert:extensions() or {})["2.5.29.17"] or {};
  local addrs = san["1.3.6.1.5.5.7.8.5"] or {};
  module:log("info", "derlink-probe: chain=%s xmppAddr=%s", valid and "valid" or "invalid",
    table.concat(addrs, ","));
end, 1000);
`;

Deno.test("DL-HARNESS-6 DL-TESTCA-5: direct TLS with a client certificate reaches Prosody and chains to the run CA", async () => {
  await withProsody({ storage: "internal_hashed", passwordHash: "SHA-256" }, async (server) => {
    const connect = async (cert: { certPem: string; keyPem: string }) => {
      const tls = await Deno.connectTls({
        hostname: LOOPBACK, // verified against the certificate's IP SAN
        port: server.directTlsPort,
        caCerts: [server.caPem],
        cert: cert.certPem,
        key: cert.keyPem,
      });
      try {
        await tls.write(streamHeader(server.domain));
        return await readUntil(tls, /<\/stream:features>/);
      } finally {
        tls.close();
      }
    };
    const features = await connect(await server.clientCert(`der1@${server.domain}`));
    assert.doesNotMatch(features, /<starttls/, "direct TLS offers no STARTTLS");
    assert.deepEqual(mechanismsIn(features), ["PLAIN", "SCRAM-SHA-256"]);
    // A certificate from a foreign CA still gets a TLS session (Prosody checks
    // chains after the handshake) but is reported as invalid.
    const foreign = await issueClientCert(await createTestCa(), { jid: `der1@${server.domain}` });
    await connect(foreign);
    const log = await server.readLog();
    assert.match(log, /derlink-probe: chain=valid xmppAddr=der1@derlink\.test/);
    assert.match(log, /derlink-probe: chain=invalid xmppAddr=der1@derlink\.test/);
  }, { plugins: [{ name: "derlink_cert_probe", source: CERT_PROBE }] });
});

Deno.test("DL-HARNESS-1 DL-HARNESS-2 DL-HARNESS-3: loopback-only listeners; stop ends the process and removes the dir", async () => {
  const server = await startProsody({ users: [{ username: "cc1", password: "cc1-secret" }] });
  let stopped = false;
  try {
    // spec: DL-HARNESS-1
    const sockets = await listeningSocketsOf(server.pid);
    assert.deepEqual(
      sockets.map((s) => `${s.address}:${s.port}`).sort(),
      [`${LOOPBACK}:${server.port}`, `${LOOPBACK}:${server.directTlsPort}`].sort(),
    );
    const pidFile = (await Deno.readTextFile(`${server.dir}/prosody.pid`)).trim();
    assert.equal(Number(pidFile), server.pid);
    // An open client connection must not keep the server alive.
    const idle = await Deno.connect({ hostname: LOOPBACK, port: server.port });
    const t0 = performance.now();
    await server.stop();
    stopped = true;
    console.log(
      `prosody ready in ${server.readyMs.toFixed(0)} ms, stopped in ${
        (performance.now() - t0).toFixed(0)
      } ms`,
    );
    idle.close();
    // spec: DL-HARNESS-3
    assert.equal(procExists(server.pid), false, `pid ${server.pid} still exists`);
    // spec: DL-HARNESS-2
    await assert.rejects(Deno.stat(server.dir), Deno.errors.NotFound);
    await server.stop(); // idempotent
  } finally {
    if (!stopped) await server.stop();
  }
});

Deno.test("DL-HARNESS-2: two servers run side by side with their own ports, CAs and dirs", async () => {
  const a = await startProsody();
  try {
    const b = await startProsody();
    try {
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.dir, b.dir);
      assert.notEqual(a.caPem, b.caPem);
      assert.notEqual(a.pid, b.pid);
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
  }
});

Deno.test("DL-HARNESS-7: Prosody's Lua reads every quoted string back unchanged", async () => {
  // spec: DL-HARNESS-7
  const samples = [
    `a"b\\c\nd]]--`,
    "\u0000\u0001\u007f",
    "é—漢😀",
    ...fc.sample(fc.string({ unit: "binary", maxLength: 40 }), 300),
  ];
  const script = `local t = { ${samples.map(luaString).join(",\n")} }\n` +
    `for _, s in ipairs(t) do io.write((s:gsub(".", function(c) ` +
    `return string.format("%02x", c:byte()) end)), "\\n") end\n`;
  const dir = await Deno.makeTempDir({ prefix: "derlink-lua-" });
  try {
    await Deno.writeTextFile(`${dir}/t.lua`, script);
    const r = await new Deno.Command("lua5.4", { args: [`${dir}/t.lua`], stdout: "piped" })
      .output();
    assert.equal(r.code, 0);
    assert.deepEqual(
      fromUtf8(r.stdout).split("\n").slice(0, -1),
      samples.map((s) => toHex(utf8(s))),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DL-HARNESS-5: a port held by another program is reported, not mistaken for Prosody", async () => {
  // spec: DL-HARNESS-5
  const squatter = Deno.listen({ hostname: LOOPBACK, port: 0 });
  try {
    const taken = (squatter.addr as Deno.NetAddr).port;
    const t0 = performance.now();
    await assert.rejects(
      startProsody({ ports: { port: taken, directTlsPort: freeLoopbackPort() } }),
      (e: Error) => {
        assert.match(e.message, /^harness\/start-failed: prosody could not bind a port/);
        assert.match(e.message, new RegExp(`Failed to open server port ${taken}`));
        return true;
      },
    );
    // Fails fast from the log instead of waiting for the ready timeout.
    assert.ok(performance.now() - t0 < 10_000);
  } finally {
    squatter.close();
  }
});

Deno.test("DL-HARNESS-5: a server that cannot start fails with the log tail", async () => {
  // A syntax error in the trusted extra Lua makes Prosody exit at once.
  await assert.rejects(
    startProsody({ extraGlobalLua: "this is not lua (", readyTimeoutMs: 10_000 }),
    (e: Error) => {
      assert.match(e.message, /^harness\/start-failed: prosody exited with code/);
      assert.match(e.message, /log tail:/);
      return true;
    },
  );
});

Deno.test("DL-HARNESS-8: users in the shared roster group get each other's presence, and unavailable on disconnect", async () => {
  const users = [{ username: "der1", password: "p1-secret" }, {
    username: "cc1",
    password: "p2-secret",
  }];
  await withProsody(
    { storage: "internal_hashed", passwordHash: "SHA-256" },
    async (server) => {
      // spec: DL-HARNESS-8 PD-53
      const cc1 = await plainLogin(server, "cc1", "p2-secret");
      try {
        assert.deepEqual(await rosterJids(cc1), [`der1@${server.domain}`]);
        await cc1.write(utf8("<presence/>"));
        const der1 = await plainLogin(server, "der1", "p1-secret");
        let der1Open = true;
        try {
          await der1.write(utf8("<presence/>"));
          const from = `der1@${server.domain}/`;
          await readUntil(cc1, new RegExp(`<presence[^>]*from=['"]${from}`));
          der1.close(); // abrupt: no </stream:stream>
          der1Open = false;
          await readUntil(cc1, new RegExp(`<presence[^>]*type=['"]unavailable['"]`));
        } finally {
          if (der1Open) der1.close();
        }
      } finally {
        cc1.close();
      }
    },
    { users },
  );
});

Deno.test("DL-HARNESS-8: without the shared group a fresh user's roster is empty", async () => {
  await withProsody(
    { storage: "internal_hashed", passwordHash: "SHA-256" },
    async (server) => {
      const cc1 = await plainLogin(server, "cc1", "p2-secret");
      try {
        assert.deepEqual(await rosterJids(cc1), []);
      } finally {
        cc1.close();
      }
    },
    {
      users: [{ username: "der1", password: "p1-secret" }, {
        username: "cc1",
        password: "p2-secret",
      }],
      sharedRosterGroup: null,
    },
  );
});

/** The contacts in the roster, by a roster get; only contacts with subscription both. */
async function rosterJids(conn: Deno.Conn): Promise<string[]> {
  await conn.write(utf8("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>"));
  const text = await readUntil(conn, /<iq[^>]*\sid=['"]r1['"][^>]*(\/>|>[\s\S]*?<\/iq>)/);
  // Prosody's attribute order follows Lua table order, which varies per process.
  const attr = (tag: string, name: string) =>
    new RegExp(`\\s${name}=['"]([^'"]*)['"]`).exec(tag)?.[1];
  return [...text.matchAll(/<item\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => attr(tag, "subscription") === "both")
    .map((tag) => attr(tag, "jid") ?? "").sort();
}

/** TLS + SASL PLAIN + bind by hand (PLAIN keeps this free of a SCRAM client). */
async function plainLogin(
  server: ProsodyServer,
  user: string,
  password: string,
): Promise<Deno.Conn> {
  const tcp = await Deno.connect({ hostname: LOOPBACK, port: server.port });
  let conn: Deno.Conn = tcp;
  try {
    await tcp.write(streamHeader(server.domain));
    await readUntil(tcp, /<\/stream:features>/);
    await tcp.write(utf8(`<starttls xmlns='${NS_TLS}'/>`));
    await readUntil(tcp, /<proceed[^>]*\/>/);
    conn = await Deno.startTls(tcp, { hostname: server.domain, caCerts: [server.caPem] });
    await conn.write(streamHeader(server.domain));
    await readUntil(conn, /<\/stream:features>/);
    const token = btoa(`\u0000${user}\u0000${password}`);
    await conn.write(
      utf8(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${token}</auth>`),
    );
    await readUntil(conn, /<success[^>]*(\/>|>)/);
    await conn.write(streamHeader(server.domain));
    await readUntil(conn, /<\/stream:features>/);
    await conn.write(
      utf8(`<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`),
    );
    await readUntil(conn, /<\/jid>/);
    return conn;
  } catch (e) {
    conn.close();
    throw e;
  }
}
