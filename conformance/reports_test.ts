/**
 * Tests of the JUnit XML, HTML and progress outputs, on a report built by
 * the runner from synthetic vectors carrying hostile text.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";
import { runConformance } from "./runner.ts";
import { toJunitXml, xmlAttr, xmlText } from "./junit.ts";
import { esc, toHtml } from "./html.ts";
import { progressLine, progressPrinter } from "./progress.ts";
import type { Report } from "./report.ts";
import { fakeIut, fixedClock, vectorFile, writeVectorTree } from "./testing.ts";

const HOSTILE = `<script>alert("x")</script> & ' \u0000\u0007 \uD800 ]]>`;

async function hostileReport(): Promise<Report> {
  const root = writeVectorTree({
    "evil/e.json": vectorFile("evil", {
      echo: [
        { tcId: 1, spec: ["FIX-1"], comment: HOSTILE },
        { tcId: 2, spec: ["FIX-1"], comment: "fails", want: "fail", observed: HOSTILE },
      ],
      [`<img src=x>`]: [{ tcId: 3, spec: ["FIX-2"] }],
    }),
    "fine/f.json": vectorFile("fine", { throws: [{ tcId: 1, spec: ["FIX-2"] }] }),
    "fine/bad.json": "{",
  });
  return await runConformance({
    iut: fakeIut({ name: `IUT <"&">` }),
    vectorsRoot: root,
    requirements: [{ id: "FIX-1", level: "MUST", source: "s", paraphrase: `<b>bold</b> & "q"` }],
    now: fixedClock(),
  });
}

/** Parses XML strictly; returns element names in document order. */
function parseXml(xml: string): { names: string[]; attrs: Record<string, string>[] } {
  const parser = new SaxesParser({ xmlns: false });
  const names: string[] = [];
  const attrs: Record<string, string>[] = [];
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("opentag", (t) => {
    names.push(t.name);
    attrs.push(t.attributes as Record<string, string>);
  });
  parser.write(xml).close();
  return { names, attrs };
}

Deno.test("DL-CONF-6: the JUnit XML is well-formed and counts cases, failures, skips and problems", async () => {
  const report = await hostileReport();
  const xml = toJunitXml(report);
  const { names, attrs } = parseXml(xml);
  assert.equal(names.filter((n) => n === "testcase").length, 4 + 1);
  assert.equal(names.filter((n) => n === "failure").length, 2);
  assert.equal(names.filter((n) => n === "skipped").length, 1);
  assert.equal(names.filter((n) => n === "error").length, 1);
  assert.deepEqual(
    { tests: attrs[0].tests, failures: attrs[0].failures, errors: attrs[0].errors },
    { tests: "5", failures: "2", errors: "1" },
  );
  const suites = attrs.filter((_, i) => names[i] === "testsuite").map((a) => a.name);
  assert.deepEqual(suites, ["run", "evil", "fine"]);
  const hostileCase = attrs.find((a) =>
    a.classname === "evil.evil/e" && a.name.startsWith("tcId 1")
  );
  assert.equal(
    hostileCase?.name,
    `tcId 1: <script>alert("x")</script> & ' \uFFFD\uFFFD \uFFFD ]]> [FIX-1]`,
  );
});

Deno.test("DL-CONF-6: XML escaping removes characters XML 1.0 forbids", () => {
  assert.equal(xmlText("a<b>&\u0001"), "a&lt;b&gt;&amp;\uFFFD");
  assert.equal(xmlAttr(`"'\n\t`), "&quot;&apos;&#10;&#9;");
  assert.equal(xmlText("\u{1F600}\uFFFE"), "\u{1F600}\uFFFD");
});

const ALLOWED_TAGS = new Set([
  "!DOCTYPE",
  "html",
  "head",
  "meta",
  "title",
  "style",
  "body",
  "h1",
  "h2",
  "p",
  "span",
  "table",
  "tr",
  "th",
  "td",
  "code",
  "pre",
  "details",
  "summary",
  "div",
  "strong",
  "ul",
  "li",
  "br",
]); // deno-fmt-ignore

Deno.test("DL-CONF-7: the HTML page is self-contained, script-free and escapes every text", async () => {
  const html = toHtml(await hostileReport());
  const tags = [...html.matchAll(/<\/?([!A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(tags)].filter((t) => !ALLOWED_TAGS.has(t)), []);
  assert.doesNotMatch(html, /<script|<img|<link|<[^>]*\s(?:src|href)=|url\(|@import/i);
  // deno-lint-ignore no-control-regex -- the point is to find control characters
  assert.doesNotMatch(html, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;/);
  assert.match(html, /IUT &lt;&quot;&amp;&quot;&gt;/);
  assert.match(html, /&lt;b&gt;bold&lt;\/b&gt; &amp; &quot;q&quot;/);
  assert.match(html, /has no checker for group type &quot;&lt;img src=x&gt;&quot;/);
});

Deno.test("DL-CONF-7: the HTML page shows each failure with expected and observed", async () => {
  const html = toHtml(await hostileReport());
  const failures = html.slice(html.indexOf('id="failures"'), html.indexOf('id="requirements"'));
  assert.match(failures, /Failures \(2\)/);
  assert.match(failures, /evil\/e\.json tcId 2[\s\S]*Expected<\/th><td><pre>pass<\/pre>/);
  assert.match(failures, /Observed<\/th><td><pre>&lt;script&gt;/);
  assert.match(
    failures,
    /fine\/f\.json tcId 1[\s\S]*checker threw: boom &lt;b&gt;&amp;&lt;\/b&gt;/,
  );
  assert.match(html, /Run problems[\s\S]*vector file fine\/bad\.json did not load/);
  const reqs = html.slice(html.indexOf('id="requirements"'), html.indexOf('id="coverage"'));
  assert.match(reqs, /<code>FIX-1<\/code><\/td><td>MUST<\/td><td>s<\/td>/);
  assert.match(reqs, /<code>FIX-2<\/code><\/td><td>\?<\/td><td>not in the requirement tables/);
});

Deno.test("DL-CONF-7: esc escapes the five HTML-significant characters", () => {
  assert.equal(esc(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

Deno.test("DL-CONF-9: progress rewrites one line per suite on a terminal, prints final lines elsewhere", () => {
  const p = (done: number, finished = false) => ({
    suite: "xml",
    done,
    total: 20,
    pass: done,
    fail: 0,
    notApplicable: 0,
    finished,
  });
  const tty: string[] = [];
  const printTty = progressPrinter((s) => tty.push(s), true, 10);
  for (let i = 0; i <= 20; i++) printTty(p(i));
  printTty(p(20, true));
  assert.deepEqual(tty, [
    "\r\x1b[2K" + progressLine(p(0)),
    "\r\x1b[2K" + progressLine(p(10)),
    "\r\x1b[2K" + progressLine(p(20)),
    "\r\x1b[2K" + progressLine(p(20, true)) + "\n",
  ]);
  const log: string[] = [];
  const printLog = progressPrinter((s) => log.push(s), false);
  for (let i = 0; i <= 20; i++) printLog(p(i));
  printLog(p(20, true));
  assert.deepEqual(log, [progressLine(p(20, true)) + "\n"]);
  assert.equal(progressLine(p(20, true)), "  xml                       20/20  pass 20  fail 0  ok");
});
