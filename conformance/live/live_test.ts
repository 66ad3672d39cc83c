/**
 * The live checker without a server: command-line parsing (passwords never
 * echoed), the verdict rules of the stream checks on given features, and
 * the report and Markdown built from results. The checks against a real
 * server are in tests/interop/live_checks_test.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isDerlinkError } from "../../core/errors.ts";
import {
  isLiveCommand,
  liveMain,
  parseAccount,
  parseLiveArgs,
  parseServer,
  pemCertificates,
  redacted,
} from "./cli.ts";
import { judgeScram, judgeStarttls } from "./checks_stream.ts";
import { liveMarkdown } from "./doc.ts";
import { liveReport } from "./run.ts";
import { result } from "./types.ts";
import { toJunitXml } from "../junit.ts";

const features = (over: Record<string, unknown> = {}) => ({ bind: false, sm: false, ...over });

Deno.test("DL-LIVE-9: the live command line", () => {
  assert.deepEqual(parseServer("xmpp://127.0.0.1:5222"), { host: "127.0.0.1", port: 5222 });
  assert.deepEqual(parseServer("xmpp://[::1]:5222/"), { host: "::1", port: 5222 });
  for (const bad of ["127.0.0.1:5222", "xmpp://h", "xmpp://h:0", "xmpp://h:70000", "http://h:1"]) {
    assert.throws(() => parseServer(bad), (e) => isDerlinkError(e, "live/usage"), bad);
  }
  assert.deepEqual(parseAccount("a@example.org:pa:ss"), {
    jid: "a@example.org",
    password: "pa:ss",
  });
  for (const bad of ["a@example.org", "a@example.org:", "example.org:x", "a@b/res:x"]) {
    assert.throws(
      () => parseAccount(bad),
      (e) => isDerlinkError(e, "live/usage") && !e.detail.includes(bad),
      bad,
    );
  }
  const args = [
    "--live",
    "xmpp://h:1",
    "--ca",
    "ca.pem",
    "--account",
    "a@h:s1",
    "--account=b@h:s2",
  ];
  const p = parseLiveArgs([...args, "--room-service", "rooms.h", "--doc", "x.md"]);
  assert.equal(p.accounts.length, 2);
  assert.equal(p.roomService, "rooms.h");
  assert.equal(p.reportDir, "report/live");
  assert.throws(() => parseLiveArgs(["--live", "xmpp://h:1", "--ca", "c"]), /account/);
  assert.throws(() => parseLiveArgs([...args, "--suite", "x"]), /unknown argument/);
  assert.ok(isLiveCommand(args) && !isLiveCommand(["--suite", "live"]));
  const pem = (n: number) => `-----BEGIN CERTIFICATE-----\nAA${n}\n-----END CERTIFICATE-----`;
  assert.deepEqual(pemCertificates(`junk\n${pem(1)}\n\n${pem(2)}\n`), [pem(1), pem(2)]);
  assert.deepEqual(pemCertificates(""), []);
  const shown = redacted(args);
  assert.ok(!shown.includes("s1") && !shown.includes("s2"), shown);
  assert.match(shown, /--account a@h:\*\*\* --account=b@h:\*\*\*/);
});

Deno.test("DL-LIVE-9: a usage error exits 2 without echoing the password; --help exits 0", async () => {
  const out: string[] = [];
  const deps = { write: (t: string) => out.push(t), requirements: [] };
  assert.equal(await liveMain(["--live", "xmpp://h:1", "--account", "nojid:secret-1"], deps), 2);
  assert.ok(!out.join("").includes("secret-1"));
  assert.equal(await liveMain(["--live", "--help"], deps), 0);
  assert.match(out.join(""), /--room-service DOMAIN/);
});

Deno.test("DL-LIVE-1 DL-LIVE-3 PD-174: verdicts from the features seen", () => {
  const tls = {
    afterTls: features({ mechanisms: ["PLAIN", "SCRAM-SHA-256"] }),
    tlsProtocol: "TLSv1.3",
  };
  const good = judgeStarttls({ beforeTls: features({ starttls: { required: true } }), ...tls });
  assert.equal(good.verdict, "pass");
  assert.equal(
    judgeStarttls({ beforeTls: features({ starttls: { required: false } }), ...tls }).verdict,
    "fail",
  );
  assert.equal(
    judgeStarttls({ beforeTls: features(), tlsProblem: "STARTTLS not offered" }).verdict,
    "fail",
  );
  const early = judgeStarttls({
    beforeTls: features({ starttls: { required: true }, mechanisms: ["PLAIN"] }),
    ...tls,
  });
  assert.equal(early.verdict, "fail");
  assert.match(early.message, /before TLS: PLAIN/);
  const probe = { beforeTls: features({ starttls: { required: true } }), ...tls };
  assert.equal(judgeScram(probe, { error: new Error("x") }).verdict, "fail");
  const plainOnly = { ...probe, afterTls: features({ mechanisms: ["PLAIN"] }) };
  assert.match(judgeScram(plainOnly, {}).message, /no SCRAM mechanism offered \(PLAIN\)/);
});

Deno.test("DL-LIVE-9: live results become a report (JUnit, Markdown) with one case per check", () => {
  const results = [
    result("starttls", "pass", "ok", { mechanismsBeforeTls: [] }),
    result("rosterGone", "fail", "presence unavailable only after 9000 ms", { delayMs: 9000 }),
    result("nonMember", "not-applicable", "needs a third --account"),
  ];
  const t = new Date(Date.UTC(2026, 0, 1));
  const report = liveReport({ host: "127.0.0.1", port: 5222 }, results, t, t, [
    {
      id: "DL-LIVE-5",
      level: "MUST",
      source: "RFC 6121 §4.5.2",
      paraphrase: "unavailable presence",
    },
  ]);
  assert.equal(report.verdict, "fail");
  assert.deepEqual(report.summary, { total: 3, pass: 1, fail: 1, notApplicable: 1 });
  assert.equal(
    report.cases[1].comment,
    "DL-LIVE-5: a contact gets presence unavailable when the other's connection drops",
  );
  assert.match(
    toJunitXml(report),
    /<testsuite name="live" tests="3" failures="1" errors="0" skipped="1"/,
  );
  const md = liveMarkdown(report, {
    serverLabel: "Test server",
    command: "deno task conformance --live …",
  }, [
    {
      id: "DL-LIVE-5",
      level: "MUST",
      source: "RFC 6121 §4.5.2",
      paraphrase: "unavailable presence",
    },
  ]);
  assert.match(md, /^# Live checks of Test server/);
  assert.match(
    md,
    /\| DL-LIVE-5 \| .* \| \*\*fail\*\* \| presence unavailable only after 9000 ms \| delayMs: 9000 \|/,
  );
  assert.match(md, /\| DL-LIVE-5 \| RFC 6121 §4\.5\.2 \| unavailable presence \|/);
});
