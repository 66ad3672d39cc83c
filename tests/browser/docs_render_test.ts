/**
 * The generated documentation and a conformance report, opened in headless
 * Chromium (PD-177): the docs are built into a temporary directory the way
 * `deno task docs` builds them (API reference included) and served over
 * HTTP on loopback as they would be published (typedoc's pages need an
 * origin); a report is written by `deno task conformance` and opened from
 * disk, as a user opens it. Every page must load without a console error,
 * an exception or an error log entry. On each state diagram every
 * phase and every edge must be drawn with a non-empty extent, every text
 * must fit its box and nothing may fall outside the picture. Each page is
 * photographed into report/browser/ (or $DERLINK_SCREENSHOT_DIR) and each
 * PNG checked to be a real picture.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Browser, findChromium, type Page } from "./chromium.ts";
import { summarisePng } from "./png.ts";
import { serveDirectory } from "./static_server.ts";
import { buildDocs } from "../../tools/docs.ts";
import { machines } from "../../conformance/suites/index.ts";
import { machineDiagram } from "../../tools/diagrams/graph.ts";
import { diagramStem } from "../../tools/diagrams/pages.ts";
import { layoutWithCopies } from "../../tools/diagrams/svg.ts";

const ROOT = new URL("../../", import.meta.url);
const SHOTS = Deno.env.get("DERLINK_SCREENSHOT_DIR") ?? new URL("report/browser/", ROOT).pathname;

Deno.test("DL-SITE-5 PD-177: without Chromium the test fails and says how to install it", () => {
  assert.throws(
    () => findChromium("/nonexistent-dir", ""),
    (e: Error) =>
      e.message.includes("no chromium on PATH") &&
      e.message.includes("apt-get install -y chromium"),
  );
  assert.throws(
    () => findChromium("/usr/bin", "/nonexistent-dir/chromium"),
    /CHROMIUM=\/nonexistent-dir\/chromium does not exist.*apt-get install -y chromium/,
  );
});

interface Drawn {
  machine: string;
  width: number;
  height: number;
  nodes: { id: string; phase: string | null; box: number[]; fits: boolean }[];
  edges: { from: string; to: string; length: number }[];
  labelsFit: boolean[];
  rulesFit: boolean;
  outside: string[];
}

/** Measures the page's state diagram with the browser's own geometry. */
const MEASURE_DIAGRAM = `(() => {
  const svg = document.querySelector("svg.state-diagram");
  if (!svg) return null;
  const frame = svg.getBoundingClientRect();
  const bb = (el) => { const b = el.getBBox(); return [b.x, b.y, b.width, b.height]; };
  const inside = (a, b, slack) => a[0] >= b[0] - slack && a[1] >= b[1] - slack &&
    a[0] + a[2] <= b[0] + b[2] + slack && a[1] + a[3] <= b[1] + b[3] + slack;
  const nodes = [...svg.querySelectorAll("g.node")].map((g) => {
    const shape = g.querySelector("rect, circle");
    const text = g.querySelector("text");
    return { id: g.dataset.id, phase: g.dataset.phase ?? null, box: bb(shape),
      fits: text === null || inside(bb(text), bb(shape), 0.5) };
  });
  const edges = [...svg.querySelectorAll("g.edge")].map((g) => ({
    from: g.dataset.from, to: g.dataset.to, length: g.querySelector("path").getTotalLength() }));
  const labelsFit = [...svg.querySelectorAll("g.label")].map((g) => {
    const r = bb(g.querySelector("rect"));
    return [...g.querySelectorAll("text")].every((t) => inside(bb(t), r, 0.5));
  });
  const view = [0, 0, frame.width, frame.height];
  const rel = (e) => { const r = e.getBoundingClientRect();
    return [r.left - frame.left, r.top - frame.top, r.width, r.height]; };
  const rulesFit = [...svg.querySelectorAll("text.rule, text.title")].every((t) => inside(rel(t), view, 1));
  const outside = [...svg.querySelectorAll("rect, circle, path, text")]
    .filter((e) => !e.closest("marker") && !inside(rel(e), view, 1.5))
    .map((e) => e.outerHTML.slice(0, 120));
  return { machine: svg.dataset.machine, width: frame.width, height: frame.height, nodes, edges,
    labelsFit, rulesFit, outside };
})()`;

async function photograph(
  page: Page,
  name: string,
  maxHeight = 2500,
  selector?: string,
): Promise<string> {
  const png = await page.screenshot(maxHeight, selector);
  const s = await summarisePng(png);
  assert.ok(s.width >= 300 && s.height >= 150, `${name}: ${s.width}x${s.height} is too small`);
  assert.ok(png.length > 4000, `${name}: ${png.length} bytes is too little for a page`);
  assert.ok(s.distinctBytes >= 16, `${name}: the picture is (nearly) blank`);
  Deno.mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS.replace(/\/$/, "")}/${name}.png`;
  Deno.writeFileSync(path, png);
  console.log(`  screenshot ${path}: ${s.width}x${s.height}, ${Math.round(png.length / 1024)} KiB`);
  return path;
}

async function open(page: Page, url: URL): Promise<void> {
  page.problems.length = 0;
  await page.goto(url.href);
  // Let late errors (a failed resource, a script running after load) arrive.
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))");
  assert.deepEqual(page.problems, [], `${url.pathname}: console errors`);
}

Deno.test("DL-SITE-3: the docs, every state diagram, the API reference and a conformance report render in headless Chromium", async (t) => {
  findChromium(); // fail at once, with the install command, when Chromium is missing
  const started = performance.now();
  const since = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const work = Deno.makeTempDirSync({ prefix: "derlink-docs-render-" });
  const server = serveDirectory(work);
  const docs = new URL("docs/", server.base);
  try {
    // The docs build (typedoc), the conformance run and Chromium's start overlap.
    const conformanceRun = new Deno.Command(Deno.execPath(), {
      args: ["task", "conformance", "--no-mutants", "--report", `${work}/report`],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output().then((r) => {
      console.log(`  conformance report written, exit ${r.code} (${since()})`);
      return r;
    });
    const built = buildDocs(`${work}/docs`, { api: true }).then(() =>
      console.log(`  docs built with the API reference (${since()})`)
    );
    const [launched, ...others] = await Promise.allSettled([
      Browser.launch(),
      built,
      conformanceRun,
    ]);
    const browser = launched.status === "fulfilled" ? launched.value : null;
    for (const r of [launched, ...others]) {
      if (r.status === "rejected") {
        await browser?.close();
        throw r.reason;
      }
    }
    const conformance = await conformanceRun;
    // Exit 1 means some case failed: the report is still written and must still render.
    if (conformance.code !== 0 && conformance.code !== 1) {
      await browser!.close();
      assert.fail(
        `deno task conformance exited ${conformance.code}: ` +
          new TextDecoder().decode(conformance.stderr).slice(-2000),
      );
    }
    try {
      const page = await browser!.newPage();
      await t.step("docs/index.html", async () => {
        await open(page, new URL("index.html", docs));
        const links = await page.evaluate<string[]>(
          `[...document.querySelectorAll("a")].map((a) => a.getAttribute("href"))`,
        );
        for (const m of machines) assert.ok(links.includes(`diagrams/${diagramStem(m.name)}.html`));
        await photograph(page, "docs-index");
      });
      for (const m of machines) {
        await t.step(`diagram ${m.name}`, async () => {
          await open(page, new URL(`diagrams/${diagramStem(m.name)}.html`, docs));
          const drawn = await page.evaluate<Drawn | null>(MEASURE_DIAGRAM);
          assert.ok(drawn, "the page has a state diagram");
          assert.equal(drawn.machine, m.name);
          assert.ok(drawn.width > 100 && drawn.height > 50, `drawn ${drawn.width}x${drawn.height}`);
          const source = machineDiagram(m);
          const { diagram } = layoutWithCopies(source);
          for (const phase of source.phases) {
            const boxes = drawn.nodes.filter((n) => n.phase === phase);
            assert.ok(boxes.length > 0, `phase ${phase} is drawn`);
            for (const b of boxes) {
              assert.ok(b.box[2] > 0 && b.box[3] > 0, `phase ${phase} has a size`);
            }
          }
          const loops = diagram.nodes.filter((n) => n.loops.length).length;
          assert.equal(
            drawn.edges.length,
            diagram.edges.length + loops,
            "one arrow per edge and loop",
          );
          for (const e of drawn.edges) {
            assert.ok(e.length > 5, `edge ${e.from} -> ${e.to} is drawn`);
          }
          assert.deepEqual(
            drawn.nodes.filter((n) => !n.fits).map((n) => n.id),
            [],
            "names fit boxes",
          );
          assert.ok(drawn.labelsFit.length > 0 && drawn.labelsFit.every(Boolean), "labels fit");
          assert.ok(drawn.rulesFit, "title and rules fit the picture");
          assert.deepEqual(drawn.outside, [], "nothing is drawn outside the picture");
          await photograph(page, `diagram-${diagramStem(m.name)}`, 4000, "svg.state-diagram");
        });
      }
      await t.step("docs/api/index.html (typedoc)", async () => {
        await open(page, new URL("api/index.html", docs));
        const title = await page.evaluate<string>("document.title");
        assert.match(title, /derlink/);
        await photograph(page, "api-index", 2000);
      });
      await t.step("conformance report", async () => {
        await open(page, new URL(`file://${work}/report/index.html`));
        const heading = await page.evaluate<string>(`document.querySelector("h1").textContent`);
        assert.equal(heading, "derlink conformance report");
        const rows = await page.evaluate<number>(`document.querySelectorAll("tr").length`);
        assert.ok(rows > 100, `the report has its tables (${rows} rows)`);
        await photograph(page, "conformance-report", 2500);
      });
      page.close();
    } finally {
      await browser!.close();
    }
    console.log(`  done (${since()})`);
  } finally {
    await server.close();
    Deno.removeSync(work, { recursive: true });
  }
});
