/**
 * Unit tests of the harness parts that need no Prosody: the generated
 * configuration, Lua quoting, the groups file, /proc parsing, finding the
 * binaries and picking a loopback port. Run by `deno task test`.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type ErrorCode, isDerlinkError } from "../../core/errors.ts";
import {
  groupsFile,
  HarnessError,
  luaString,
  prosodyConfig,
  type ProsodyConfigInput,
  validateConfigInput,
  validateUser,
} from "./prosody_config.ts";
import { findProsody, freeLoopbackPort, PROSODY_INSTALL_HINT } from "./prosody.ts";
import { parseProcNetTcp } from "./proc_net.ts";

const BASE: ProsodyConfigInput = {
  dir: "/tmp/run",
  domain: "derlink.test",
  mucDomain: "rooms.derlink.test",
  pubsubDomain: "pubsub.derlink.test",
  port: 40001,
  directTlsPort: 40002,
  auth: { storage: "internal_hashed", passwordHash: "SHA-256" },
  certFile: "/tmp/run/certs/derlink.test.crt",
  keyFile: "/tmp/run/certs/derlink.test.key",
  caFile: "/tmp/run/certs/ca.pem",
  groupsFile: "/tmp/run/groups.txt",
  smacksHibernationSeconds: 60,
  disableSaslMechanisms: [],
  pubsubAdmins: ["der1@derlink.test"],
  plugins: [],
  readyFile: "/tmp/run/ready",
  logLevel: "info",
  extraGlobalLua: "",
  extraHostLua: "",
};

function assertCode(f: () => unknown, code: ErrorCode): void {
  assert.throws(f, (e) => isDerlinkError(e, code));
}

/** Our own reading of the escapes luaString emits (Lua's rules for \\ \" \ddd). */
function unquote(literal: string): string {
  // deno-lint-ignore no-control-regex
  assert.match(literal, /^"(?:[^"\\\u0000-\u001f\u007f]|\\["\\]|\\\d{3})*"$/);
  return literal.slice(1, -1).replace(
    /\\(["\\]|\d{3})/g,
    (_, e: string) => e.length === 3 ? String.fromCharCode(Number(e)) : e,
  );
}

Deno.test("DL-HARNESS-7: luaString literals stay on one line and decode to the input", () => {
  assert.equal(luaString(`a"b\\c\nd`), `"a\\"b\\\\c\\010d"`);
  assert.equal(luaString("é—漢"), `"é—漢"`);
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 64 }), (s) => {
      const literal = luaString(s);
      assert.ok(!literal.includes("\n"));
      assert.equal(unquote(literal), s);
    }),
    { numRuns: 500 },
  );
});

Deno.test("DL-HARNESS-1 PD-52: configuration binds client ports to 127.0.0.1 and turns every other listener off", () => {
  const cfg = prosodyConfig(BASE);
  for (
    const line of [
      'interfaces = { "127.0.0.1" }',
      'local_interfaces = { "127.0.0.1" }',
      "c2s_ports = { 40001 }",
      'c2s_interfaces = { "127.0.0.1" }',
      "c2s_direct_tls_ports = { 40002 }",
      'c2s_direct_tls_interfaces = { "127.0.0.1" }',
      "legacy_ssl_ports = { }",
      "s2s_ports = { }",
      "component_ports = { }",
      "http_ports = { }",
      "https_ports = { }",
      'modules_disabled = { "s2s" }',
      "network_settings = { nagle = false }",
      "run_as_root = true",
      "daemonize = false",
      'pidfile = "/tmp/run/prosody.pid"',
      'data_path = "/tmp/run/data"',
      'log = { info = "/tmp/run/prosody.log" }',
    ]
  ) assert.ok(cfg.split("\n").includes(line), `missing line: ${line}`);
  // No address other than loopback appears anywhere.
  const addresses = cfg.match(/\d+\.\d+\.\d+\.\d+|::/g) ?? [];
  assert.deepEqual([...new Set(addresses)], ["127.0.0.1"]);
});

Deno.test("DL-HARNESS-6: configuration requires TLS and asks for a client certificate against the CA", () => {
  const cfg = prosodyConfig(BASE);
  assert.match(cfg, /^c2s_require_encryption = true$/m);
  const ssl = '{ certificate = "/tmp/run/certs/derlink.test.crt", ' +
    'key = "/tmp/run/certs/derlink.test.key", cafile = "/tmp/run/certs/ca.pem", ' +
    'verify = { "peer", "client_once" } }';
  assert.ok(cfg.includes(`c2s_ssl = ${ssl}`));
  assert.ok(cfg.includes(`c2s_direct_tls_ssl = ${ssl}`));
  assert.doesNotMatch(cfg, /fail_if_no_peer_cert/);
});

Deno.test("harness config: modules, auth, components and plugins", () => {
  const cfg = prosodyConfig(BASE);
  assert.match(
    cfg,
    /^modules_enabled = \{ "roster", "saslauth", "tls", "disco", "ping", "smacks", "groups", "derlink_ready" \}$/m,
  );
  assert.doesNotMatch(cfg, /carbons/);
  assert.match(cfg, /^authentication = "internal_hashed"\npassword_hash = "SHA-256"$/m);
  assert.match(cfg, /^VirtualHost "derlink.test"$/m);
  assert.match(cfg, /^Component "rooms.derlink.test" "muc"\n {2}muc_room_locking = false$/m);
  assert.match(
    cfg,
    /^Component "pubsub.derlink.test" "pubsub"\n {2}admins = \{ "der1@derlink.test" \}/m,
  );
  assert.match(cfg, /^smacks_hibernation_time = 60$/m);

  const plain = prosodyConfig({
    ...BASE,
    auth: { storage: "internal_plain" },
    groupsFile: null,
    disableSaslMechanisms: ["PLAIN"],
    plugins: [{ name: "probe", source: "" }],
  });
  assert.match(plain, /^authentication = "internal_plain"$/m);
  assert.doesNotMatch(plain, /password_hash|groups/);
  assert.match(plain, /^disable_sasl_mechanisms = \{ "PLAIN" \}$/m);
  assert.match(plain, /^modules_enabled = \{ .*"smacks", "derlink_ready", "probe" \}$/m);
  assert.match(plain, /^derlink_ready_file = "\/tmp\/run\/ready"$/m);
  assert.match(plain, /^plugin_paths = \{ "\/tmp\/run\/plugins" \}$/m);
});

Deno.test("DL-HARNESS-7: option values cannot add configuration", () => {
  const hostile = 'x.test"\nadmins = { "evil@x.test" }\n--';
  assertCode(() => prosodyConfig({ ...BASE, domain: hostile }), HarnessError["invalid-option"]);
  // Paths are not validated but quoted: the payload stays inside one literal.
  const cfg = prosodyConfig({ ...BASE, caFile: hostile });
  assert.doesNotMatch(cfg, /^admins = /m);
  assert.ok(cfg.includes(`cafile = ${luaString(hostile)}`));
});

Deno.test("harness config: options outside the allowed shapes are refused", () => {
  const bad: Partial<ProsodyConfigInput>[] = [
    { domain: "Derlink.Test" },
    { domain: "" },
    { mucDomain: "rooms..derlink.test" },
    { port: 0 },
    { directTlsPort: 70000 },
    { directTlsPort: 40001 },
    { port: 1.5 },
    { smacksHibernationSeconds: -1 },
    { disableSaslMechanisms: ["PLAIN }"] },
    { plugins: [{ name: "../x", source: "" }] },
    { plugins: [{ name: "derlink_ready", source: "" }] },
  ];
  for (const b of bad) {
    assertCode(() => validateConfigInput({ ...BASE, ...b }), HarnessError["invalid-option"]);
  }
  validateConfigInput(BASE);
  for (
    const u of [
      { username: "", password: "p" },
      { username: "Der1", password: "p" },
      { username: "a b", password: "p" },
      { username: "der1", password: "" },
      { username: "der1", password: "line\nbreak" },
    ]
  ) assertCode(() => validateUser(u), HarnessError["invalid-option"]);
  validateUser({ username: "der-1.x_y", password: "pässwörd with spaces" });
});

Deno.test("DL-HARNESS-7: a refused password is never echoed in the error", () => {
  try {
    validateUser({ username: "der1", password: "s3cret\u0001" });
    assert.fail("expected a refusal");
  } catch (e) {
    assert.ok(isDerlinkError(e, HarnessError["invalid-option"]));
    assert.doesNotMatch(e.message, /s3cret/);
  }
});

Deno.test("DL-HARNESS-8 PD-53: groups file puts every user in one public group", () => {
  assert.equal(
    groupsFile("derlink", ["der1@derlink.test", "cc1@derlink.test"]),
    "[+derlink]\nder1@derlink.test=der1\ncc1@derlink.test=cc1\n",
  );
  assertCode(() => groupsFile("a]b", []), HarnessError["invalid-option"]);
});

Deno.test("proc_net: listening sockets and their addresses are decoded", () => {
  const tcp = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:9C41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0 100 0 0 10 0",
    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0 100 0 0 10 0",
    "   2: 0100007F:9C41 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 5678 1 0 100 0 0 10 0",
  ].join("\n");
  assert.deepEqual(parseProcNetTcp(tcp), [
    { address: "127.0.0.1", port: 40001, inode: 1234 },
    { address: "0.0.0.0", port: 22, inode: 99 },
  ]);
  const tcp6 = [
    "  sl  local_address                         remote_address                        st",
    "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42 1",
  ].join("\n");
  assert.deepEqual(parseProcNetTcp(tcp6), [{ address: "0:0:0:0:0:0:0:1", port: 8080, inode: 42 }]);
});

Deno.test("DL-HARNESS-4 PD-54: a missing Prosody is an error that names the install command", async () => {
  const empty = await Deno.makeTempDir();
  try {
    assert.throws(() => findProsody([empty]), (e) => {
      assert.ok(isDerlinkError(e, HarnessError["prosody-missing"]));
      assert.ok(e.message.includes("apt-get install -y prosody prosody-modules"));
      return true;
    });
    assert.ok(PROSODY_INSTALL_HINT.includes(".ci/install-prosody.sh"));
  } finally {
    await Deno.remove(empty);
  }
});

Deno.test("DL-HARNESS-1: freeLoopbackPort gives a port that can be bound on 127.0.0.1", () => {
  const port = freeLoopbackPort();
  assert.ok(port > 0 && port < 65536);
  const l = Deno.listen({ hostname: "127.0.0.1", port });
  l.close();
});
