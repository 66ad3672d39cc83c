/**
 * Tests of the conformance command: arguments, exit status, report files.
 *
 * @module
 */
import assert from "node:assert/strict";
import { main, parseArgs } from "./cli.ts";
import { fakeIut, vectorFile, writeVectorTree } from "./testing.ts";
import type { Report } from "./report.ts";

Deno.test("parseArgs reads repeated suites, = forms and defaults", () => {
  assert.deepEqual(parseArgs([]), { suites: [], reportDir: "report", help: false });
  assert.deepEqual(
    parseArgs(["--suite", "xml", "--suite=jid", "--requirement", "RFC7622-3", "--report=out/r"]),
    { suites: ["xml", "jid"], requirement: "RFC7622-3", reportDir: "out/r", help: false },
  );
  assert.throws(() => parseArgs(["--suite"]), /--suite needs a value/);
  assert.throws(() => parseArgs(["--suite", "--report", "x"]), /--suite needs a value/);
  assert.throws(() => parseArgs(["--frobnicate"]), /unknown argument --frobnicate/);
});

async function cli(args: string[], root?: URL) {
  const out: string[] = [];
  const code = await main(args, {
    iut: fakeIut(),
    vectorsRoot: root,
    requirements: [],
    write: (s) => out.push(s),
    tty: false,
  });
  return { code, text: out.join("") };
}

Deno.test("DL-CONF-10 DL-IUT-2: an --iut program that cannot start ends the run with exit status 2", async () => {
  const { code, text } = await cli(["--iut", "derlink-no-such-program --flag"]);
  assert.equal(code, 2);
  assert.match(text, /--iut: the IUT did not start: cannot run "derlink-no-such-program --flag"/);
  const bad = await cli(["--iut", "python3 'unterminated"]);
  assert.equal(bad.code, 2);
  assert.match(bad.text, /unterminated single quote/);
  assert.throws(() => parseArgs(["--iut-timeout", "0"]), /--iut-timeout needs milliseconds > 0/);
});

Deno.test("DL-CONF-3: a usage error exits 2 and prints the usage; --help exits 0", async () => {
  const bad = await cli(["--nope"]);
  assert.equal(bad.code, 2);
  assert.match(bad.text, /unknown argument --nope[\s\S]*usage: deno task conformance/);
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.text, /--requirement ID/);
});

Deno.test("DL-CONF-3 DL-CONF-5: a failing run exits 1 and writes the three reports", async () => {
  const root = writeVectorTree({
    "a/x.json": vectorFile("alpha", {
      echo: [{ tcId: 1, spec: ["FIX-1"] }, { tcId: 2, spec: ["FIX-1"], want: "fail" }],
    }),
  });
  const dir = Deno.makeTempDirSync({ prefix: "derlink-report-" });
  try {
    const { code, text } = await cli(["--report", `${dir}/out/`], root);
    assert.equal(code, 1);
    assert.match(text, /alpha +2\/2 {2}pass 1 {2}fail 1 {2}FAIL\n/);
    assert.match(text, /FAIL — 2 cases: 1 pass, 1 fail, 0 not applicable/);
    const report = JSON.parse(Deno.readTextFileSync(`${dir}/out/report.json`)) as Report;
    assert.equal(report.verdict, "fail");
    assert.equal(report.cases.length, 2);
    assert.match(Deno.readTextFileSync(`${dir}/out/junit.xml`), /^<\?xml/);
    assert.match(Deno.readTextFileSync(`${dir}/out/index.html`), /^<!DOCTYPE html>/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("DL-CONF-3: a passing run exits 0", async () => {
  const root = writeVectorTree({
    "a/x.json": vectorFile("alpha", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
  });
  const dir = Deno.makeTempDirSync({ prefix: "derlink-report-" });
  try {
    const { code } = await cli(["--report", dir, "--suite", "alpha"], root);
    assert.equal(code, 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
