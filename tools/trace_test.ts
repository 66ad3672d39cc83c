/**
 * Tests of the requirement-table parser, the tracer and the Markdown renderer
 * on small fixture inputs (never on the real tree, which others change).
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseRequirementTables, splitRow } from "./requirements.ts";
import { idsIn, isTestFile, type TextFile, trace, type TraceInput } from "./trace_lib.ts";
import { renderTraceability } from "./trace_render.ts";

const HEADER = [
  "| ID | Level | Source | Requirement (our paraphrase) | Status |",
  "|---|---|---|---|---|",
];
const table = (...rows: string[]) => [...HEADER, ...rows].join("\n");
const reqFile = (text: string, path = "spec-notes/requirements/fix.md"): TextFile => ({
  path,
  text,
});
// Annotation lines are assembled from parts so this file never contains one itself.
const SPEC = "//" + " spec:";
const EXC = "//" + " spec-exception:";
const src = (path: string, ...lines: string[]): TextFile => ({ path, text: lines.join("\n") });

const baseTable = table(
  "| FIX-1 | MUST | RFC 9999 §1 | The thing is done. | |",
  "| FIX-2 | SHOULD | RFC 9999 §2 | The other thing is done. | |",
  "| FIX-3 | MUST | RFC 9999 §3 | A later thing. | planned: later machine |",
);
const codeFix1 = src("core/fix.ts", "export const a = 1;", `${SPEC} FIX-1`, "export const b = 2;");
const testFix1 = src("core/fix_test.ts", `Deno.test("FIX-1 is done", () => {});`);

const run = (over: Partial<TraceInput>) =>
  trace({
    requirementFiles: [reqFile(baseTable)],
    sources: [codeFix1, testFix1],
    vectorCases: [],
    ...over,
  });

Deno.test("DL-TRACE-1: a clean fixture has no problems and finds code and test sites", () => {
  const r = run({});
  assert.deepEqual(r.problems, []);
  const fix1 = r.requirements.find((x) => x.id === "FIX-1")!;
  assert.deepEqual(fix1.code, [{ path: "core/fix.ts", line: 2 }]);
  assert.deepEqual(fix1.tests, [{ path: "core/fix_test.ts", line: 1 }]);
  assert.equal(r.requirements.find((x) => x.id === "FIX-3")!.planned, "later machine");
});

Deno.test("DL-TRACE-1: an unknown ID in an annotation fails", () => {
  const r = run({ sources: [codeFix1, testFix1, src("core/x.ts", `${SPEC} FIX-1 NOPE-7`)] });
  assert.deepEqual(r.problems, ["core/x.ts:1: unknown requirement ID NOPE-7"]);
});

Deno.test("DL-TRACE-1: an unknown ID in a spec-exception fails, and so does one without reason", () => {
  const r = run({
    sources: [codeFix1, testFix1, src("a.ts", `${EXC} NOPE-1 why`, `${EXC} FIX-2`)],
  });
  assert.deepEqual(r.problems, [
    "a.ts:1: unknown requirement ID NOPE-1",
    "a.ts:2: // spec-exception: FIX-2 needs a reason",
  ]);
});

Deno.test("DL-TRACE-1: an annotation that names no ID fails", () => {
  const r = run({ sources: [codeFix1, testFix1, src("core/y.ts", `${SPEC} see above`)] });
  assert.deepEqual(r.problems, ["core/y.ts:1: // spec: names no requirement ID"]);
});

Deno.test("DL-TRACE-1: an unknown ID in a vector fails", () => {
  const r = run({
    vectorCases: [{ file: "a/b.json", suite: "a", tcId: 4, spec: ["FIX-1", "GONE-2"] }],
  });
  assert.deepEqual(r.problems, ["vectors/a/b.json: tcId 4 names unknown requirement GONE-2"]);
  assert.equal(r.requirements.find((x) => x.id === "FIX-1")!.vectorCases.length, 1);
});

Deno.test("DL-TRACE-1: a duplicate ID across tables fails", () => {
  const other = reqFile(table("| FIX-2 | MAY | x | y | |"), "spec-notes/requirements/other.md");
  const r = run({ requirementFiles: [reqFile(baseTable), other] });
  assert.deepEqual(r.problems, [
    "spec-notes/requirements/other.md:3: duplicate requirement ID FIX-2 " +
    "(first at spec-notes/requirements/fix.md:4)",
  ]);
});

Deno.test("DL-TRACE-1: malformed rows and headers are reported with their line", () => {
  const text = [
    "# title",
    ...HEADER,
    "| FIX-1 | MUST | s | p | |",
    "| FIX-2 | MUST | s | p |",
    "| fix-3 | MUST | s | p | |",
    "| FIX-4 | MUSTN'T | s | p | |",
    "| FIX-5 | MAY | s | p | done |",
    "| FIX-6 | MAY |  | p | |",
    "| FIX-7 | MAY | s | p \\| with bar | planned: x |",
    "",
    "| ID | Level | Source | Text | Status |",
    "|---|---|---|---|---|",
    "",
    "| Other | table |",
    "|---|---|",
    "| is | ignored |",
  ].join("\n");
  const { requirements, problems } = parseRequirementTables("f.md", text);
  assert.deepEqual(requirements.map((r) => r.id), ["FIX-1", "FIX-7"]);
  assert.equal(requirements[1].paraphrase, "p | with bar");
  assert.deepEqual(problems.map((p) => `${p.line}: ${p.message}`), [
    "5: row must have 5 cells",
    '6: malformed requirement ID "fix-3"',
    '7: FIX-4: level must be MUST, SHOULD or MAY, not "MUSTN\'T"',
    '8: FIX-5: status must be empty or "planned: <topic>", not "done"',
    "9: FIX-6: empty source",
    "12: table header must be | ID | Level | Source | Requirement (our paraphrase) | Status |",
  ]);
});

Deno.test("DL-TRACE-1: a requirement table without separator row is refused", () => {
  const text = [HEADER[0], "| FIX-1 | MUST | s | p | |"].join("\n");
  const { requirements, problems } = parseRequirementTables("f.md", text);
  assert.equal(requirements.length, 0);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 2);
});

Deno.test("DL-TRACE-1: splitRow keeps escaped bars and refuses non-rows", () => {
  assert.deepEqual(splitRow("| a | b \\| c |"), ["a", "b | c"]);
  assert.equal(splitRow("not a row"), undefined);
});

Deno.test("DL-TRACE-2: a MUST without a test fails, one without code fails", () => {
  let r = run({ sources: [codeFix1] });
  assert.deepEqual(r.problems, [
    "spec-notes/requirements/fix.md:3: MUST FIX-1 has no test and no vector case",
  ]);
  r = run({ sources: [testFix1] });
  assert.deepEqual(r.problems, [
    "spec-notes/requirements/fix.md:3: MUST FIX-1 has no code site (// spec: FIX-1)",
  ]);
});

Deno.test("DL-TRACE-2: tests count from test annotations, tests/ files, test names and vectors", () => {
  const viaAnnotation = run({ sources: [codeFix1, src("core/z_test.ts", `  ${SPEC} FIX-1`)] });
  assert.deepEqual(viaAnnotation.problems, []);
  const viaTestsDir = run({ sources: [codeFix1, src("tests/sim/a_test.ts", `${SPEC} FIX-1`)] });
  assert.deepEqual(viaTestsDir.problems, []);
  const viaStep = run({
    sources: [codeFix1, src("a_test.ts", `await t.step("covers FIX-1.", f);`)],
  });
  assert.deepEqual(viaStep.problems, []);
  const viaObject = run({
    sources: [codeFix1, src("a_test.ts", "Deno.test({", '  name: "x FIX-1",', "  fn() {},", "});")],
  });
  assert.deepEqual(viaObject.problems, []);
  assert.deepEqual(viaObject.requirements[0].tests, [{ path: "a_test.ts", line: 2 }]);
  const viaVector = run({
    sources: [codeFix1],
    vectorCases: [{ file: "f/v.json", suite: "f", tcId: 1, spec: ["FIX-1"] }],
  });
  assert.deepEqual(viaVector.problems, []);
});

Deno.test("DL-TRACE-2 PD-63: test files are the ones deno test runs; harness code under tests/ is code", () => {
  assert.deepEqual(
    ["a_test.ts", "x/b.test.ts", "test.ts", "tests/h/test.ts", "tests/h/run.ts", "latest.ts"]
      .map(isTestFile),
    [true, true, true, true, false, false],
  );
  const r = run({ sources: [testFix1, src("tests/harness/launch.ts", `${SPEC} FIX-1`)] });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.requirements[0].code, [{ path: "tests/harness/launch.ts", line: 1 }]);
});

Deno.test("DL-TRACE-2: a test name in a non-test file and a trailing comment do not count", () => {
  const r = run({
    sources: [
      codeFix1,
      src("core/notes.ts", `Deno.test("FIX-1", f);`, `const x = 1; ${SPEC} FIX-1`),
    ],
  });
  assert.deepEqual(r.problems, [
    "spec-notes/requirements/fix.md:3: MUST FIX-1 has no test and no vector case",
  ]);
});

Deno.test("DL-TRACE-2 PD-61: an exception exempts a MUST and is counted", () => {
  const r = run({ sources: [src("core/w.ts", `${EXC} FIX-1 the paper leaves this open`)] });
  assert.deepEqual(r.problems, []);
  const md = renderTraceability(r);
  assert.match(md, /\| MUST \| 2 \| 1 \| 1 \| 0 \| 0 \| 1 \|/);
  assert.match(md, /\| FIX-1 \| \[core\/w\.ts:1\]\(\.\.\/core\/w\.ts#L1\) \| the paper leaves/);
});

Deno.test("DL-TRACE-3: planned requirements are listed in their own section, without obligations", () => {
  const r = run({});
  const md = renderTraceability(r);
  const planned = md.slice(md.indexOf("## Planned"), md.indexOf("## Exceptions"));
  const inForce = md.slice(md.indexOf("## Requirements in force"), md.indexOf("## Planned"));
  assert.match(planned, /\| FIX-3 \| MUST \| RFC 9999 §3 \| A later thing\. \| later machine \|/);
  assert.doesNotMatch(inForce, /FIX-3/);
  assert.match(
    inForce,
    /\| FIX-1 \| MUST \| RFC 9999 §1 \| The thing is done\. \| \[core\/fix\.ts:2\]\(\.\.\/core\/fix\.ts#L2\) \| \[core\/fix_test\.ts:1\]/,
  );
  assert.match(md, /\| MUST \| 2 \| 1 \| 1 \| 1 \| 1 \| 0 \|/);
});

Deno.test("DL-TRACE-3: the document is deterministic, escapes bars and lists problems", () => {
  const piped = reqFile(table("| FIX-1 | MUST | a \\| b | p | |"));
  const r = run({ requirementFiles: [piped], sources: [codeFix1] });
  const md = renderTraceability(r);
  assert.equal(md, renderTraceability(run({ requirementFiles: [piped], sources: [codeFix1] })));
  assert.match(md, /\| a \\\| b \|/);
  assert.match(md, /## Problems[\s\S]*MUST FIX-1 has no test/);
});

Deno.test("DL-TRACE-2: idsIn finds IDs in prose and strips trailing punctuation", () => {
  assert.deepEqual(idsIn("RFC6120-4.3.2. and PD-1/PD-2, not xFIX-1"), [
    "RFC6120-4.3.2",
    "PD-1",
    "PD-2",
  ]);
});
