/**
 * The committed generated docs are what `deno task docs` writes today, and
 * the docs' links and requirement IDs point at things that exist.
 *
 * @module
 */
import assert from "node:assert/strict";
import { machines } from "../conformance/suites/index.ts";
import { loadRequirementDir, REQUIREMENTS_DIR } from "./requirements.ts";
import { linksIn, SECTIONS, siteFiles } from "./docs_site.ts";
import { idsIn } from "./trace_lib.ts";

const ROOT = new URL("../", import.meta.url);
const DOCS = new URL("docs/", ROOT);

const exists = (url: URL) => {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
};

Deno.test("DL-SITE-2 PD-176: docs/diagrams/, docs/index.html and docs/README.md are up to date", () => {
  const files = siteFiles(machines, (folder) => exists(new URL(folder, ROOT)));
  const stale: string[] = [];
  for (const f of files) {
    const url = new URL(f.path, DOCS);
    if (!exists(url) || Deno.readTextFileSync(url) !== f.text) stale.push(f.path);
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const e of Deno.readDirSync(new URL("diagrams/", DOCS))) {
    if (!wanted.has(`diagrams/${e.name}`)) stale.push(`diagrams/${e.name} (no machine draws it)`);
  }
  assert.deepEqual(stale, [], `out of date in docs/: ${stale.join(", ")}; run \`deno task docs\``);
  assert.deepEqual(siteFiles(machines), siteFiles(machines), "deterministic");
});

/** The hand-written and generated pages whose links must resolve. */
function pages(): URL[] {
  const out = [new URL("README.md", DOCS), new URL("index.html", DOCS)];
  out.push(new URL("diagrams/README.md", DOCS));
  for (
    const e of [...Deno.readDirSync(new URL("guides/", DOCS))].sort((a, b) =>
      a.name < b.name ? -1 : 1
    )
  ) {
    if (e.name.endsWith(".md")) out.push(new URL(`guides/${e.name}`, DOCS));
  }
  return out;
}

Deno.test("DL-SITE-4: every relative link of the docs indexes and guides resolves", () => {
  const built = new Set(
    SECTIONS.flatMap((s) => s.entries).filter((e) => e.builtBy).map((e) =>
      new URL(e.path, DOCS).href
    ),
  );
  const broken: string[] = [];
  for (const page of pages()) {
    const text = Deno.readTextFileSync(page);
    for (const link of linksIn(text)) {
      const target = new URL(link, page);
      if (built.has(target.href)) continue;
      if (!exists(target)) broken.push(`${page.pathname.slice(ROOT.pathname.length)}: ${link}`);
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("DL-SITE-4: the guides name only requirement IDs that exist", () => {
  const ids = new Set(loadRequirementDir(REQUIREMENTS_DIR).requirements.map((r) => r.id));
  const prefixes = new Set([...ids].map((id) => id.slice(0, id.indexOf("-"))));
  const unknown: string[] = [];
  let named = 0;
  for (const page of pages()) {
    for (const id of idsIn(Deno.readTextFileSync(page))) {
      if (!prefixes.has(id.slice(0, id.indexOf("-")))) continue; // SHA-256, XEP-0368, ...
      named++;
      if (!ids.has(id)) unknown.push(`${page.pathname.split("/").pop()}: ${id}`);
    }
  }
  assert.deepEqual(unknown, []);
  assert.ok(named > 50, `the guides cite requirement IDs (${named} found)`);
});

Deno.test("DL-SITE-4: linksIn finds Markdown and HTML links, not anchors or absolute URLs", () => {
  const text = `[a](x.md) ![b](d/y.svg#frag) [c](https://e.org) [d](#top) <a href="z.html">` +
    `<img src="p.png"> <a href='q.md'>`;
  assert.deepEqual(linksIn(text), ["x.md", "d/y.svg", "z.html", "p.png", "q.md"]);
});
