/**
 * The live checks (conformance/live/) against a real Prosody started by the
 * harness: three accounts, the MUC component, the command line as a user
 * runs it, reports written; every check must pass. Once with the shared
 * roster group (the accounts are contacts from the start) and once without
 * (the check subscribes them to each other).
 *
 * @module
 */
import assert from "node:assert/strict";
import { main } from "../../conformance/cli.ts";
import type { Report } from "../../conformance/report.ts";
import { type ProsodyServer, startProsody } from "../harness/prosody.ts";

const USERS = [
  { username: "observer", password: "observer-live-secret" },
  { username: "member", password: "member-live-secret:with-colon" },
  { username: "stranger", password: "stranger-live-secret" },
];

/** The live command line for a harness server (passwords included: test accounts). */
export function liveArgs(server: ProsodyServer): string[] {
  return [
    "--live",
    `xmpp://${server.host}:${server.port}`,
    "--ca",
    `${server.dir}/certs/ca.pem`,
    ...USERS.flatMap((u) => ["--account", `${u.username}@${server.domain}:${u.password}`]),
    "--room-service",
    server.mucDomain,
  ];
}

async function runAgainst(sharedRosterGroup: string | null): Promise<Report> {
  const server = await startProsody({ users: USERS, sharedRosterGroup });
  const out = Deno.makeTempDirSync({ prefix: "derlink-live-" });
  try {
    const lines: string[] = [];
    const code = await main([...liveArgs(server), "--report", out], {
      write: (t) => lines.push(t),
    });
    const text = lines.join("");
    console.log(text.trimEnd());
    for (const u of USERS) assert.ok(!text.includes(u.password), "no password in the output");
    const report = JSON.parse(Deno.readTextFileSync(`${out}/report.json`)) as Report;
    assert.ok(!JSON.stringify(report).includes(USERS[0].password), "no password in the report");
    assert.match(Deno.readTextFileSync(`${out}/junit.xml`), /<testsuite name="live" tests="8"/);
    assert.match(Deno.readTextFileSync(`${out}/index.html`), /DL-LIVE-5/);
    assert.equal(code, 0, text);
    return report;
  } finally {
    Deno.removeSync(out, { recursive: true });
    await server.stop();
  }
}

function assertAllPass(report: Report): void {
  assert.deepEqual(
    report.cases.map((c) => [c.comment.split(":")[0], c.verdict]),
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`DL-LIVE-${n}`, "pass"]),
  );
}

Deno.test({
  name:
    "DL-LIVE-1 DL-LIVE-2 DL-LIVE-3 DL-LIVE-4 DL-LIVE-5 DL-LIVE-6 DL-LIVE-7 DL-LIVE-8 DL-LIVE-9 PD-174: every live check passes against Prosody (shared roster group)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const report = await runAgainst("derlink");
    assertAllPass(report);
    const observed = (n: number) => report.cases[n - 1].observed as Record<string, unknown>;
    assert.deepEqual(observed(1).mechanismsBeforeTls, []);
    assert.equal(observed(2).condition, "encryption-required");
    assert.match(String(observed(3).usedForLogin), /^SCRAM-SHA-/);
    assert.match(String(observed(5).contacts), /already contacts/);
    assert.ok(Number(observed(5).delayMs) < 5_000 && Number(observed(6).delayMs) < 5_000);
  },
});

Deno.test({
  name: "DL-LIVE-5 PD-174: without a shared roster group the check subscribes the accounts itself",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const report = await runAgainst(null);
    assertAllPass(report);
    assert.match(
      String((report.cases[4].observed as Record<string, unknown>).contacts),
      /subscribed/,
    );
  },
});
