/**
 * The suite against implementations under test out of process: the Python
 * example (conformance/examples/python_iut.py), broken on purpose in several
 * ways, and the reference served over the same stdio protocol
 * (conformance/examples/deno_iut.ts). python3 must be installed: without it
 * these tests fail and say how to install it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadVectorFile } from "../core/vectors.ts";
import { checkers as referenceCheckers } from "./suites/index.ts";
import type { CaseResult, Report } from "./report.ts";
import { denoIutCommand, pythonIut, runAgainst } from "./iut/testing.ts";
import { openStdioIut } from "./iut/stdio_iut.ts";

const byVerdict = (r: Report, verdict: CaseResult["verdict"]) =>
  r.cases.filter((c) => c.verdict === verdict);
const ref = (c: CaseResult) => `${c.file}#${c.tcId}`;

Deno.test("DL-IUT-6 DL-IUT-7 DL-IUT-11: the Python IUT passes every case it implements; the rest are not applicable", async () => {
  const { report, iut } = await runAgainst(await pythonIut());
  assert.deepEqual(byVerdict(report, "fail").map(ref), []);
  assert.deepEqual(report.problems, []);
  // Every SCRAM case, client and server, computed in Python.
  const scram = loadVectorFile("sasl/scram.json").numberOfTests;
  const sasl = report.cases.filter((c) => c.suite === "sasl.scram");
  assert.equal(sasl.length, scram);
  assert.deepEqual(sasl.filter((c) => c.verdict !== "pass").map(ref), []);
  // The first stream up to STARTTLS, both roles.
  const stream = byVerdict(report, "pass").filter((c) => c.suite === "xmpp-stream");
  assert.ok(stream.length >= 51, `${stream.length} stream cases passed`);
  assert.ok(stream.some((c) => c.error === "xmpp/starttls-required"));
  // Everything else is not applicable, with the reason.
  const na = byVerdict(report, "not-applicable");
  assert.equal(na.length + sasl.length + stream.length, report.cases.length);
  assert.ok(na.every((c) => c.message && c.message.length > 10), "every n/a says why");
  assert.ok(
    na.some((c) => c.message === "the IUT does not implement function jid.parse"),
    "a function the IUT did not declare",
  );
  assert.ok(
    na.some((c) => /^unsupported by the IUT: /.test(c.message ?? "")),
    "an unsupported reply",
  );
  // Requirements only the n/a cases exercise are not applicable, not failed.
  const jidOnly = report.requirements.find((r) => r.id === "RFC7622-3.5");
  assert.equal(jidOnly?.verdict, "not-applicable");
  assert.equal(report.requirements.find((r) => r.id === "RFC5802-5.example")?.verdict, "pass");
  // The report names the IUT as it introduced itself and the command.
  assert.match(report.meta.iut, /^python example IUT 1\.0 \(stdio protocol 1: .*python_iut\.py\)$/);
  const details = report.meta.iutDetails as {
    machines: string[];
    functions: string[];
    command: string[];
  };
  assert.deepEqual(details.functions, []);
  assert.ok(details.machines.includes("sasl.scram-server"));
  assert.match(details.command.at(-1)!, /python_iut\.py$/);
  assert.equal(iut.backend.starts, 1);
});

Deno.test("DL-IUT-7 PD-168: a Python client that skips the server signature fails those cases, with expected and observed", async () => {
  const { report } = await runAgainst(await pythonIut("skip-server-signature"), {
    suites: ["sasl"],
  });
  const failed = byVerdict(report, "fail");
  assert.ok(failed.length >= 3, `${failed.length} failed`);
  for (const c of failed) {
    assert.equal(c.error, "sasl/bad-server-signature", ref(c));
    assert.deepEqual(c.expected, { stage: "server-final", code: "sasl/bad-server-signature" });
    assert.deepEqual(c.observed, { stage: "server-final", ok: true });
    assert.equal(c.message, "server-final accepted what it must refuse");
  }
  const tc42 = failed.find((c) => c.tcId === 42);
  assert.ok(tc42, "the changed signature of RFC 5802's exchange is caught");
  assert.equal(report.verdict, "fail");
  assert.equal(report.requirements.find((r) => r.id === "RFC5802-5.v")?.verdict, "fail");
});

Deno.test("DL-IUT-4 PD-167: a hung IUT fails each case with a time-out verdict, is restarted, and the run ends", async () => {
  const { report, iut, notes } = await runAgainst(
    { ...await pythonIut("hang"), timeoutMs: 400 },
    { requirement: "RFC5802-5.example" },
  );
  assert.equal(report.cases.length, 2);
  for (const c of report.cases) {
    assert.equal(c.verdict, "fail");
    assert.match(
      c.message ?? "",
      /^the IUT did not answer the step request \(id \d+\) within 400 ms; the IUT was stopped and is restarted for the next case$/,
    );
  }
  assert.equal(iut.backend.starts, 2, "started again for the second case");
  assert.equal(notes.length, 2);
});

Deno.test("DL-IUT-3: garbage, a reply outside the schema, and a crash each fail the case with what was seen", async () => {
  const cases = [
    ["garbage", /a line that is not JSON: "this is not JSON \{"/],
    [
      "bad-reply",
      /does not match the protocol \(.*\): "\{\\"id\\":\d+,\\"out\\":\\"not a list\\"\}"/,
    ],
    ["crash", /the IUT exited with code 3; its stderr ends: "python_iut: crashing on purpose/],
  ] as const;
  for (const [fault, expected] of cases) {
    const { report, iut } = await runAgainst(await pythonIut(fault), {
      requirement: "RFC5802-5.example",
    });
    assert.equal(report.cases.length, 2, fault);
    for (const c of report.cases) {
      assert.equal(c.verdict, "fail", fault);
      assert.match(c.message ?? "", expected, fault);
    }
    assert.equal(iut.backend.starts, 2, `${fault}: restarted once`);
  }
});

Deno.test("DL-IUT-2: an IUT speaking another protocol version is refused before any case", async () => {
  await assert.rejects(
    openStdioIut(await pythonIut("wrong-protocol")),
    /the IUT speaks protocol version 2; this runner speaks 1/,
  );
});

Deno.test("DL-IUT-10 DL-IUT-1 DL-CONF-11: the reference served over stdio passes every case a checker exists for", async () => {
  const { report, iut } = await runAgainst({ command: denoIutCommand(), timeoutMs: 60_000 });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(byVerdict(report, "fail").map((c) => `${ref(c)} ${c.message}`), []);
  // Not applicable only where the repository has no checker for the group type at all
  // (an area whose checker is not registered yet); every registered type is covered.
  const registered = new Set(referenceCheckers.map((c) => c.groupType));
  const unbound = byVerdict(report, "not-applicable").filter((c) => registered.has(c.groupType));
  assert.deepEqual(
    [...new Set(unbound.map((c) => `${c.groupType}: ${c.message}`))],
    [],
    "group types with a reference checker but no protocol binding",
  );
  assert.ok(byVerdict(report, "pass").length > 3000);
  assert.equal(iut.backend.starts, 1);
  // Coverage comes through the protocol too.
  assert.ok(
    report.coverage.some((m) => m.machine === "a-profile.initiator" && m.covered.length > 10),
  );
});
