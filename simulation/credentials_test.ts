/**
 * The credential plans (PD-254) and the key server's placement (PD-258) in
 * the scenario: every plan and placement runs end to end with the checks
 * passing; the default plan is the grid hierarchy the simulation always
 * used; the others issue what their name says; certificate plans log in by
 * client certificate only; the key server at the control centre has no
 * login of its own and members take their keys from the control centre.
 *
 * @module
 */
import assert from "node:assert/strict";
import { toHex } from "../core/bytes.ts";
import { mint } from "../core/pki/credential_plan.ts";
import { CREDENTIAL_CHOICES, LOGIN_OF } from "./credentials.ts";
import { MemoryNetwork } from "./memory_network.ts";
import type { NetworkSetup } from "./network.ts";
import { DEFAULTS, parseArgs, type SimulationOptions } from "./options.ts";
import { provision, type ProvisionOptions } from "./pki.ts";
import { simulate } from "./run.ts";
import { runScenario, START } from "./scenario.ts";

const small: SimulationOptions = {
  ...DEFAULTS,
  ders: 8,
  minutes: 5,
  groupSize: 4,
  dropoutPct: 25,
  pkiCache: undefined,
};

const pkiRequest = (credentials?: ProvisionOptions["credentials"]): ProvisionOptions => ({
  seed: "credentials-test",
  suite: "x25519-ed25519",
  domain: "grid.example",
  cc: "dno",
  ks: "kdc",
  market: "market",
  ders: ["der01", "der02"],
  now: START,
  credentials,
});

const hex = (chain: readonly Uint8Array[]) => chain.map(toHex).join(",");

Deno.test("credential plans: each one runs the scenario with every check passing (PD-254 DL-CRED-3)", async () => {
  // spec: PD-254 DL-CRED-3 DL-CRED-4 PAPER-OPT4
  for (const credentials of CREDENTIAL_CHOICES) {
    const out = await simulate({ ...small, credentials });
    assert.ok(out.passed, `${credentials}:\n${out.checks.join("\n")}`);
    assert.equal(out.result.checks.joined, small.ders, credentials);
    assert.ok(out.result.checks.evictedRefused > 0, credentials);
  }
  // The default plan is the run the simulation always made: the same digest.
  const plain = await simulate(small);
  const named = await simulate({ ...small, credentials: "separate/grid-ca" });
  assert.equal(named.digest, plain.digest);
});

Deno.test("credential plans: the default is the grid hierarchy; the others issue what they say (PD-254)", async () => {
  // spec: PD-254 PD-230 DL-CRED-3
  const grid = await provision(pkiRequest());
  const same = await provision(pkiRequest("separate/grid-ca"));
  assert.equal(hex(same.grid.ders[0].chain), hex(grid.grid.ders[0].chain));
  assert.equal(grid.plan, undefined);
  assert.equal(grid.logins, undefined);

  const one = await provision(pkiRequest("one/grid-ca"));
  const gridRoot = one.plan!.operators["grid-operator"].root.der;
  assert.equal(hex(one.logins!.chains.der01), hex(one.grid.ders[0].chain), "one certificate");
  assert.equal(hex(one.logins!.anchors), hex([gridRoot]));
  assert.equal(hex(one.grid.anchors), hex([gridRoot]));

  const e2eServer = await provision(pkiRequest("end-to-end/server-ca"));
  const serverRoot = e2eServer.plan!.operators["xmpp-operator"].root.der;
  assert.equal(hex(e2eServer.grid.anchors), hex([serverRoot]));
  assert.equal(e2eServer.logins, undefined, "passwords");

  const sepServer = await provision(pkiRequest("separate/server-ca"));
  const sepServerRoot = sepServer.plan!.operators["xmpp-operator"].root.der;
  assert.equal(hex(sepServer.logins!.anchors), hex([sepServerRoot]));
  assert.notEqual(hex(sepServer.logins!.chains.der01), hex(sepServer.grid.ders[0].chain));
  assert.equal(
    hex(sepServer.grid.anchors),
    hex([sepServer.plan!.operators["grid-operator"].root.der]),
  );
  for (const c of CREDENTIAL_CHOICES) {
    const p = await provision(pkiRequest(c));
    assert.equal(p.logins !== undefined, LOGIN_OF[c] === "certificate", c);
  }
});

/** One login of `account` on a fresh in-memory network; resolves with the bound JID or the end. */
function loginOnce(net: MemoryNetwork, account: string): Promise<string> {
  return new Promise((resolve) => {
    const codes: string[] = [];
    net.connect(account, "probe", {
      established: (jid) => resolve(`bound ${jid}`),
      stanza: () => {},
      closed: (why) => resolve(`closed ${why} ${codes.join(",")}`),
      error: (code) => codes.push(code),
    });
    void net.runUntil(START + 5_000);
  });
}

const setup = (accounts: string[]): NetworkSetup => ({
  domain: "grid.example",
  accounts,
  pubsubAdmins: [],
  rosterGroups: {},
  discoItems: [],
  start: START,
  seed: "credentials-test",
  scramIterations: 4,
});

Deno.test("certificate plans: a party logs in with its client certificate only (PD-255 DL-CRED-2 DL-CRED-4)", async () => {
  // spec: PD-254 PD-255 DL-CRED-2 DL-CRED-4 XEP0178-3
  const pki = await provision(pkiRequest("separate/server-ca"));
  const s = setup(["dno", "der01", "der02"]);
  assert.equal(
    await loginOnce(new MemoryNetwork(s, pki.xmpp, pki.logins), "der01"),
    "bound der01@grid.example/probe",
  );
  // The same account, presenting a certificate the server operator's CA did not issue.
  const minted = mint(pki.plan!, "grid-operator", "der01@grid.example", "test").chain;
  const foreign = { ...pki.logins!, chains: { ...pki.logins!.chains, der01: minted } };
  const refused = await loginOnce(new MemoryNetwork(s, pki.xmpp, foreign), "der01");
  assert.match(refused, /^closed .*sasl\//);
  // Without client certificates the accounts have passwords again (the default plan's logins).
  assert.equal(
    await loginOnce(new MemoryNetwork(s, pki.xmpp), "der02"),
    "bound der02@grid.example/probe",
  );
});

Deno.test("key server at the control centre: no login of its own, members keyed by the control centre (PD-258 DL-CRED-7)", async () => {
  // spec: PD-258 PD-231 DL-CRED-7 PAPER-OPT5
  const seen: { setup?: NetworkSetup; net?: MemoryNetwork } = {};
  const r = await runScenario({ ...small, keyPlacement: "control-centre" }, (st, pki) => {
    seen.setup = st;
    return seen.net = new MemoryNetwork(st, pki.xmpp);
  });
  assert.ok(r.checks.allAcked && r.checks.evictionsAreDropouts && r.checks.curtailed);
  assert.equal(r.checks.evictedRefused, r.checks.dropped.length);
  assert.ok(!seen.setup!.accounts.includes("kdc"), "no key server account");
  assert.deepEqual(seen.setup!.discoItems, [{
    jid: "dno@grid.example/cc",
    name: "derlink key server",
  }]);
  // The control centre and the market log in, then each DER (and each dropped one again).
  assert.equal(seen.net!.traffic.logins, 2 + small.ders + r.checks.dropped.length);
  assert.equal(r.metrics.counts.registrations, small.ders);
  const kdc = await runScenario(small, (st, pki) => (seen.net = new MemoryNetwork(st, pki.xmpp)));
  assert.equal(seen.net!.traffic.logins, 3 + small.ders + kdc.checks.dropped.length);
});

Deno.test("command line: --credentials and --key-placement (PD-254 PD-258)", () => {
  // spec: PD-254 PD-258
  const o = parseArgs(["--credentials", "one/grid-ca", "--key-placement", "control-centre"]);
  assert.equal(o.credentials, "one/grid-ca");
  assert.equal(o.keyPlacement, "control-centre");
  assert.throws(() => parseArgs(["--credentials", "two/any-ca"]), /--credentials is/);
  assert.throws(() => parseArgs(["--key-placement", "vpp"]), /--key-placement is/);
});
