/**
 * Tests of runConformance on synthetic vector files and fake checkers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runConformance, type SuiteProgress } from "./runner.ts";
import { attributeEdge, jsonSafe, type RequirementInfo } from "./report.ts";
import { checkerRegistry } from "./iut.ts";
import { fakeCheckers, fakeIut, fixedClock, vectorFile, writeVectorTree } from "./testing.ts";
import { isDerlinkError } from "../core/errors.ts";

const known: RequirementInfo[] = ["FIX-1", "FIX-2", "FIX-3", "FIX-4", "FIX-9"].map((id) => ({
  id,
  level: "MUST",
  source: `fixture ${id}`,
  paraphrase: `paraphrase of ${id}`,
}));

const tree = () =>
  writeVectorTree({
    "alpha/a.json": vectorFile("alpha", {
      echo: [
        { tcId: 1, spec: ["FIX-1", "FIX-4"] },
        { tcId: 2, spec: ["FIX-2"], result: "invalid", error: "x/y", want: "fail" },
        { tcId: 3, spec: ["FIX-2"] },
      ],
      "no-such-type": [{ tcId: 4, spec: ["FIX-3", "FIX-4"] }],
    }),
    "alpha/b.json": vectorFile("alpha", { async: [{ tcId: 1, spec: ["FIX-1"] }] }),
    "beta/c.json": vectorFile("beta", {
      throws: [{ tcId: 7, spec: ["FIX-1"] }],
      broken: [{ tcId: 8, spec: ["FIX-1"] }],
    }),
    "schemas/ignored.json": "this folder is skipped by the loader",
  });

const run = (over: Partial<Parameters<typeof runConformance>[0]> = {}) =>
  runConformance({
    iut: fakeIut(),
    vectorsRoot: tree(),
    requirements: known,
    now: fixedClock(),
    ...over,
  });

Deno.test("DL-CONF-1 DL-CONF-2: every case gets a verdict; no checker is n/a, a throw is a fail", async () => {
  const r = await run();
  const brief = r.cases.map((c) =>
    `${c.suite} ${c.file}#${c.tcId} ${c.verdict} ${c.message ?? ""}`
  );
  assert.deepEqual(brief, [
    "alpha alpha/a.json#1 pass ",
    "alpha alpha/a.json#2 fail wanted fail",
    "alpha alpha/a.json#3 pass ",
    'alpha alpha/a.json#4 not-applicable fake IUT has no checker for group type "no-such-type"',
    "alpha alpha/b.json#1 pass ",
    "beta beta/c.json#7 fail checker threw: boom <b>&</b>",
    "beta beta/c.json#8 fail checker returned no valid verdict",
  ]);
  assert.deepEqual(r.summary, { total: 7, pass: 3, fail: 3, notApplicable: 1 });
  assert.equal(r.verdict, "fail");
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.suites.map((s) => [s.suite, s.files, s.total, s.pass, s.fail, s.notApplicable]),
    [["alpha", ["alpha/a.json", "alpha/b.json"], 5, 3, 1, 1], [
      "beta",
      ["beta/c.json"],
      2,
      0,
      2,
      0,
    ]],
  );
});

Deno.test("DL-CONF-5: a case carries the vector's fields and the checker's values, made JSON-safe", async () => {
  const r = await run();
  const failed = r.cases[1];
  assert.deepEqual(failed, {
    suite: "alpha",
    file: "alpha/a.json",
    groupType: "echo",
    tcId: 2,
    comment: "case 2",
    flags: [],
    spec: ["FIX-2"],
    result: "invalid",
    error: "x/y",
    verdict: "fail",
    expected: "x/y",
    observed: "something else",
    message: "wanted fail",
  });
  assert.equal(r.cases[4].observed, "dead");
  assert.doesNotThrow(() => JSON.stringify(r));
});

Deno.test("DL-CONF-5: run metadata names the date, Deno, the IUT and the selection", async () => {
  const r = await run({ suites: ["beta"] });
  assert.equal(r.meta.date, "2026-01-02T03:04:05.000Z");
  assert.equal(r.meta.durationMs, 1500);
  assert.equal(r.meta.deno, Deno.version.deno);
  assert.equal(r.meta.iut, "fake IUT");
  assert.deepEqual(r.meta.selection, { suites: ["beta"] });
  assert.match(r.meta.derlinkVersion, /^\d+\.\d+\.\d+/);
});

Deno.test("DL-CONF-4 PD-60: requirement verdicts aggregate their cases", async () => {
  const r = await run();
  const verdicts = Object.fromEntries(r.requirements.map((q) => [q.id, q.verdict]));
  assert.deepEqual(verdicts, {
    "FIX-1": "fail", // one throwing checker among passes
    "FIX-2": "fail",
    "FIX-3": "not-applicable", // only a case without checker
    "FIX-4": "pass", // a pass and a not-applicable
    "FIX-9": "not-applicable", // listed, no case names it
  });
  const fix2 = r.requirements.find((q) => q.id === "FIX-2")!;
  assert.deepEqual(fix2.failedCases, ["alpha/a.json#2"]);
  assert.equal(fix2.paraphrase, "paraphrase of FIX-2");
  assert.deepEqual([fix2.pass, fix2.fail, fix2.notApplicable], [1, 1, 0]);
});

Deno.test("DL-CONF-4: a filtered run lists only the requirements its cases name", async () => {
  const r = await run({ suites: ["alpha"] });
  assert.deepEqual(r.requirements.map((q) => q.id), ["FIX-1", "FIX-2", "FIX-3", "FIX-4"]);
  assert.deepEqual(r.suites.map((s) => s.suite), ["alpha"]);
});

Deno.test("DL-CONF-3: a suite name also selects its dotted sub-suites", async () => {
  const root = writeVectorTree({
    "c/a.json": vectorFile("crypto.aes", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
    "c/b.json": vectorFile("crypto.sha", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
    "c/c.json": vectorFile("cryptography", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
  });
  const r = await run({ vectorsRoot: root, suites: ["crypto"] });
  assert.deepEqual(r.suites.map((s) => s.suite), ["crypto.aes", "crypto.sha"]);
  const one = await run({ vectorsRoot: root, suites: ["crypto.sha"] });
  assert.deepEqual(one.suites.map((s) => s.suite), ["crypto.sha"]);
});

Deno.test("DL-CONF-3: selecting by requirement runs only the cases naming it", async () => {
  const r = await run({ requirement: "FIX-2" });
  assert.deepEqual(r.cases.map((c) => c.tcId), [2, 3]);
  const none = await run({ requirement: "FIX-9" });
  assert.deepEqual(none.problems, ["no selected case names requirement FIX-9"]);
  assert.equal(none.verdict, "fail");
});

Deno.test("DL-CONF-3: an unknown suite and an empty tree are run problems", async () => {
  const r = await run({ suites: ["gamma"] });
  assert.deepEqual(r.problems, [
    'no suite named "gamma" (known: alpha, beta)',
    "no vector case was selected",
  ]);
  const empty = await run({ vectorsRoot: writeVectorTree({}) });
  assert.deepEqual(empty.problems, ["no vector case was selected"]);
  assert.equal(empty.verdict, "fail");
});

Deno.test("DL-CONF-2: a vector file that does not load fails the run; the others still run", async () => {
  const bad = vectorFile("alpha", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }) as Record<
    string,
    unknown
  >;
  const root = writeVectorTree({
    "alpha/good.json": vectorFile("alpha", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
    "alpha/count.json": { ...bad, numberOfTests: 5 },
    "alpha/syntax.json": "{ not json",
  });
  const r = await run({ vectorsRoot: root });
  assert.equal(r.problems.length, 2);
  assert.match(
    r.problems[0],
    /^vector file alpha\/count\.json did not load: vectors\/invalid-file/,
  );
  assert.match(r.problems[1], /^vector file alpha\/syntax\.json did not load/);
  assert.deepEqual(r.summary, { total: 1, pass: 1, fail: 0, notApplicable: 0 });
  assert.equal(r.verdict, "fail");
});

Deno.test("DL-CONF-1: a run where everything passes has verdict pass", async () => {
  const root = writeVectorTree({
    "alpha/a.json": vectorFile("alpha", { echo: [{ tcId: 1, spec: ["FIX-1"] }] }),
  });
  const r = await run({ vectorsRoot: root });
  assert.equal(r.verdict, "pass");
});

Deno.test("DL-CONF-9: progress reports each suite from 0 to its total, then finished", async () => {
  const seen: SuiteProgress[] = [];
  await run({ onProgress: (p) => seen.push(p) });
  const beta = seen.filter((p) => p.suite === "beta");
  assert.deepEqual(beta.map((p) => [p.done, p.total, p.fail, p.finished]), [
    [0, 2, 0, false],
    [1, 2, 1, false],
    [2, 2, 2, false],
    [2, 2, 2, true],
  ]);
  assert.equal(seen.findIndex((p) => p.suite === "beta") > seen.findIndex((p) => p.finished), true);
});

Deno.test("DL-CONF-8 PD-62: edges are attributed to machines and compared with declared ones", async () => {
  const root = writeVectorTree({
    "alpha/a.json": vectorFile("alpha", {
      echo: [
        { tcId: 1, spec: ["FIX-1"], edges: ["m.one: idle --go--> busy", "loose --x--> y"] },
        {
          tcId: 2,
          spec: ["FIX-1"],
          edges: ["m.one: idle --go--> busy", "m.one: busy --bad--> idle"],
        },
      ],
    }),
  });
  const machines = [{
    name: "m.one",
    transitions: [
      { from: "idle", on: "go", to: "busy", spec: [] },
      { from: "busy", on: "done", to: "idle", spec: [] },
    ],
  }];
  const r = await run({ vectorsRoot: root, iut: fakeIut({ machines }) });
  assert.deepEqual(r.coverage, [
    {
      machine: "alpha",
      declared: null,
      covered: [{ edge: "loose --x--> y", cases: 1 }],
      uncovered: [],
      undeclared: [],
    },
    {
      machine: "m.one",
      declared: 2,
      covered: [{ edge: "busy --bad--> idle", cases: 1 }, { edge: "idle --go--> busy", cases: 2 }],
      uncovered: ["busy --done--> idle"],
      undeclared: ["busy --bad--> idle"],
    },
  ]);
  assert.deepEqual(attributeEdge("a --b--> c", "s"), { machine: "s", edge: "a --b--> c" });
});

Deno.test("DL-CONF-1: two checkers for one group type are refused", () => {
  assert.throws(
    () => checkerRegistry([...fakeCheckers, fakeCheckers[0]]),
    (e) => isDerlinkError(e, "core/invalid-argument"),
  );
});

Deno.test("DL-CONF-5: jsonSafe turns bytes, bigints, errors and cycles into JSON", () => {
  const cyclic: Record<string, unknown> = { a: 1n };
  cyclic.self = cyclic;
  assert.deepEqual(
    jsonSafe({ b: new Uint8Array([1, 255]), e: new TypeError("t"), c: cyclic, u: undefined }),
    { b: "01ff", e: "TypeError: t", c: { a: "1", self: "[circular]" } },
  );
  assert.deepEqual(jsonSafe([NaN, "s", null]), ["NaN", "s", null]);
});
