/**
 * The generated part of `docs/` besides the API reference: the state
 * diagrams of every registered machine (`docs/diagrams/`) and the two index
 * pages, `docs/index.html` and `docs/README.md`, built from one list of
 * documents so they never disagree. Pure: returns paths relative to `docs/`
 * and their text; `tools/docs.ts` writes them and the tests compare them.
 *
 * @module
 */
import { esc } from "../conformance/html.ts";
import type { MachineDescription } from "../conformance/iut.ts";
import { machineDiagram } from "./diagrams/graph.ts";
import { diagramFiles, diagramStem, type GeneratedFile, pageHead } from "./diagrams/pages.ts";

/** One document the indexes link to, relative to `docs/`. */
export interface DocEntry {
  readonly path: string;
  readonly title: string;
  readonly what: string;
  /** The task that produces it when it is not in the repository. */
  readonly builtBy?: string;
}

export interface DocSection {
  readonly title: string;
  readonly entries: readonly DocEntry[];
}

/** Every document of the docs index, by section. */
export const SECTIONS: readonly DocSection[] = [
  {
    title: "Guides",
    entries: [
      {
        path: "guides/quick-start.md",
        title: "Quick start",
        what:
          "install nothing but Node.js, run the tests and the conformance suite, read the report",
      },
      {
        path: "guides/checking-your-implementation.md",
        title: "Checking your implementation",
        what: "run derlink's suites against your own stack, in process or over stdio",
      },
      {
        path: "guides/validating-a-draft.md",
        title: "Validating a draft",
        what:
          "how the paper's open options map to configuration switches today, and what is still to come",
      },
      {
        path: "guides/threat-model.md",
        title: "Threat model",
        what:
          "who is trusted for what, the attacks, and which mechanism and requirement answers each",
      },
    ],
  },
  {
    title: "Reference",
    entries: [
      {
        path: "api/index.html",
        title: "API reference",
        what: "every export of mod.ts (typedoc)",
        builtBy: "deno task docs",
      },
      {
        path: "diagrams/README.md",
        title: "State diagrams",
        what:
          "every machine drawn from its declared transitions, edges labelled with inputs and requirement IDs",
      },
      {
        path: "traceability.md",
        title: "Traceability matrix",
        what: "requirement → code sites → tests → vector cases",
      },
      {
        path: "conformance.md",
        title: "Conformance suite",
        what:
          "running the suites, the stdio protocol for implementations in any language, the reports",
      },
      {
        path: "../report/index.html",
        title: "Conformance report",
        what: "the last run's per-requirement verdicts and edge coverage",
        builtBy: "deno task conformance",
      },
      { path: "errors.md", title: "Error codes", what: "every stable error code and its meaning" },
    ],
  },
  {
    title: "Design notes and measurements",
    entries: [
      { path: "a-profile.md", title: "A-profile", what: "the 62351-4-style end-to-end session" },
      {
        path: "group-keying.md",
        title: "Group keying",
        what: "GDOI-style registration, rekeys, LKH and group-protected messages",
      },
      { path: "muc.md", title: "MUC rooms", what: "multicast associations as moderated rooms" },
      {
        path: "association.md",
        title: "Association",
        what: "the 61850-8-2-style association inside the A-profile session, presence monitoring",
      },
      {
        path: "mms-xer.md",
        title: "MMS XER encoding",
        what: "the XML encoding of the MMS service subset, with examples",
      },
      {
        path: "access-control.md",
        title: "Access control",
        what:
          "the paper's options 1 (operator's ACL), 2 (delegated login) and 3 (operator-signed tokens) side by side",
      },
      {
        path: "options-design.md",
        title: "Design option switches",
        what:
          "per-message protection, credential plans, key server placement: defaults and trust consequences",
      },
      {
        path: "options.md",
        title: "Options compared",
        what: "the paper's options run side by side by deno task compare, with the attack table",
      },
      {
        path: "simulation.md",
        title: "Fleet simulation",
        what: "deno task simulate: the scenario, its outputs, the digest, over a real server",
      },
      {
        path: "adapters.md",
        title: "Adapters",
        what: "the Deno TCP/TLS transport and the in-memory router",
      },
      { path: "interop.md", title: "Interop", what: "tests against a real Prosody" },
      {
        path: "live.md",
        title: "Live checks",
        what: "deno task conformance --live: checking a running XMPP server",
      },
      {
        path: "mutation.md",
        title: "Mutation check",
        what: "broken variants of the reference that the suite must catch",
      },
      {
        path: "live-prosody.md",
        title: "Live checks of Prosody",
        what: "what the architecture relies on from the server, measured on a running one",
      },
      {
        path: "performance.md",
        title: "Performance",
        what: "benchmarks and their reference ratios",
      },
    ],
  },
  {
    title: "Specification notes",
    entries: [
      {
        path: "../spec-notes/requirements/paper.md",
        title: "Requirements from the paper",
        what: "R1–R6, trust assumptions, measures and open options with their IDs",
      },
      {
        path: "../spec-notes/open-issues.md",
        title: "Open issues",
        what: "the paper's open questions and the switch each becomes",
      },
      {
        path: "../spec-notes/profile-decisions.md",
        title: "Profile decisions",
        what: "every numbered choice the public material leaves open",
      },
    ],
  },
];

function indexHtml(machines: readonly MachineDescription[]): string {
  const entry = (e: DocEntry) =>
    `<li><a href="${esc(e.path)}">${esc(e.title)}</a> — ${esc(e.what)}${
      e.builtBy ? ` <span class="muted">(written by <code>${esc(e.builtBy)}</code>)</span>` : ""
    }</li>`;
  const sections = SECTIONS.map((s) =>
    `<h2>${esc(s.title)}</h2>\n<ul>\n${s.entries.map(entry).join("\n")}\n</ul>`
  ).join("\n");
  const diagrams = machines.map((m) => {
    const d = machineDiagram(m);
    return `<li><a href="diagrams/${esc(diagramStem(m.name))}.html"><code>${
      esc(m.name)
    }</code></a>` +
      ` — ${d.phases.length} phases, ${d.declared} declared transitions</li>`;
  }).join("\n");
  return `${pageHead("derlink documentation")}
<h1>derlink documentation</h1>
<p>derlink is a reference implementation and conformance suite for the security architecture of DER
integration over IEC 61850-8-2 / XMPP described by Fries, Falk, Dawidczak and Dufaure: TLS and SASL hop to
hop, a 62351-4-style A-profile end to end, GDOI-style group keys over MUC rooms. It implements a profile
<em>inspired by</em> the IEC texts, which are not public; it is not a claim of conformance to them.</p>
<p class="muted">Generated by <code>deno task docs</code> (tools/docs_site.ts); do not edit.</p>
${sections}
<h2>State diagrams, one page per machine</h2>
<ul>
${diagrams}
</ul>
</body></html>
`;
}

function indexMarkdown(machines: readonly MachineDescription[]): string {
  const lines = [
    "# derlink documentation",
    "",
    "Generated by `deno task docs` (tools/docs_site.ts); do not edit. The same list as",
    "[`index.html`](index.html), for reading on a forge.",
  ];
  for (const s of SECTIONS) {
    lines.push("", `## ${s.title}`, "");
    for (const e of s.entries) {
      lines.push(
        `- [${e.title}](${e.path}) — ${e.what}${e.builtBy ? ` (written by \`${e.builtBy}\`)` : ""}`,
      );
    }
  }
  lines.push("", "## State diagrams, one page per machine", "");
  for (const m of machines) {
    const d = machineDiagram(m);
    const stem = diagramStem(m.name);
    lines.push(
      `- \`${m.name}\`: [picture](diagrams/${stem}.svg), [page with the transition table]` +
        `(diagrams/${stem}.html) — ${d.phases.length} phases, ${d.declared} declared transitions`,
    );
  }
  return lines.join("\n") + "\n";
}

// spec: DL-SITE-1 DL-SITE-2
/** Every generated file of docs/ except the API reference, relative to docs/. */
export function siteFiles(
  machines: readonly MachineDescription[],
  folderExists: (folder: string) => boolean = () => true,
): GeneratedFile[] {
  return [
    ...diagramFiles(machines, folderExists).map((f) => ({ ...f, path: `diagrams/${f.path}` })),
    { path: "index.html", text: indexHtml(machines) },
    { path: "README.md", text: indexMarkdown(machines) },
  ];
}

// spec: DL-SITE-4
/**
 * The relative link targets of a Markdown or HTML text (`[t](x)`, `![t](x)`,
 * `href`, `src`), fragments dropped; absolute URLs and pure anchors are left
 * out. The docs test resolves each against the page.
 */
export function linksIn(text: string): string[] {
  const raw = [
    ...[...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/\b(?:href|src)=(?:"([^"]*)"|'([^']*)')/g)].map((m) => m[1] ?? m[2]),
  ];
  return raw.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith("#"))
    .map((l) => l.replace(/#.*$/, ""));
}
