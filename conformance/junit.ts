/**
 * JUnit XML for CI systems: one `<testsuite>` per conformance suite, one
 * `<testcase>` per vector case (`<failure>` for fail, `<skipped>` for not
 * applicable), and a `run` suite holding run-level problems as `<error>`s so
 * a CI dashboard shows them too.
 *
 * @module
 */
import { type CaseResult, display, markupSafe, type Report } from "./report.ts";
import { mutationJunit, mutationTotals } from "./mutation/render.ts";

/** Escapes text content. */
export function xmlText(s: string): string {
  return markupSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Escapes an attribute value (double-quoted), keeping line breaks as references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

const caseName = (c: CaseResult) => `tcId ${c.tcId}: ${c.comment} [${c.spec.join(" ")}]`;
const className = (c: CaseResult) => `${c.suite}.${c.file.replace(/\.json$/, "")}`;

function detail(c: CaseResult): string {
  const lines = [
    `file: ${c.file} tcId ${c.tcId} (group ${c.groupType})`,
    `vector result: ${c.result}${c.error ? ` (${c.error})` : ""}`,
  ];
  if (c.expected !== undefined) lines.push(`expected: ${display(c.expected)}`);
  if (c.observed !== undefined) lines.push(`observed: ${display(c.observed)}`);
  if (c.message) lines.push(`message: ${c.message}`);
  return lines.join("\n");
}

function testcase(c: CaseResult): string {
  const open = `    <testcase classname="${xmlAttr(className(c))}" name="${
    xmlAttr(caseName(c))
  }" time="0"`;
  if (c.verdict === "pass") return `${open}/>`;
  if (c.verdict === "not-applicable") {
    return `${open}>\n      <skipped message="${
      xmlAttr(c.message ?? "not applicable")
    }"/>\n    </testcase>`;
  }
  return `${open}>\n      <failure message="${xmlAttr(c.message ?? "fail")}" type="fail">` +
    `${xmlText(detail(c))}</failure>\n    </testcase>`;
}

/** The whole JUnit document. */
// spec: DL-CONF-6
export function toJunitXml(report: Report): string {
  const seconds = (report.meta.durationMs / 1000).toFixed(3);
  const stamp = xmlAttr(report.meta.date);
  const m = mutationTotals(report.mutation);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="derlink conformance" tests="${
      report.summary.total + report.problems.length + m.tests
    }" failures="${report.summary.fail + m.failures}" errors="${
      report.problems.length + m.errors
    }" skipped="${report.summary.notApplicable}" time="${seconds}">`,
  ];
  if (report.problems.length) {
    out.push(
      `  <testsuite name="run" tests="${report.problems.length}" failures="0" errors="${report.problems.length}" skipped="0" time="0" timestamp="${stamp}">`,
    );
    report.problems.forEach((p, i) => {
      out.push(
        `    <testcase classname="run" name="problem ${i + 1}" time="0">`,
        `      <error message="${xmlAttr(p)}" type="problem">${xmlText(p)}</error>`,
        `    </testcase>`,
      );
    });
    out.push(`  </testsuite>`);
  }
  for (const s of report.suites) {
    out.push(
      `  <testsuite name="${
        xmlAttr(s.suite)
      }" tests="${s.total}" failures="${s.fail}" errors="0" skipped="${s.notApplicable}" time="0" timestamp="${stamp}">`,
      `    <properties>`,
      `      <property name="iut" value="${xmlAttr(report.meta.iut)}"/>`,
      `      <property name="files" value="${xmlAttr(s.files.join(" "))}"/>`,
      `    </properties>`,
    );
    for (const c of report.cases) if (c.suite === s.suite) out.push(testcase(c));
    out.push(`  </testsuite>`);
  }
  out.push(...mutationJunit(report.mutation, xmlAttr, xmlText), `</testsuites>`, "");
  return out.join("\n");
}
