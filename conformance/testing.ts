/**
 * Test helpers for the conformance runner: synthetic vector files written to
 * a temporary folder, and fake checkers with known behaviour. Imported by
 * tests only.
 *
 * @module
 */
import type { VectorTest } from "../core/vectors.ts";
import type { Iut } from "./iut.ts";
import type { GroupChecker } from "./suite.ts";

type Case = Partial<VectorTest> & { tcId: number; spec: string[] };

/** A vector file body validated by the common schema only. */
export function vectorFile(suite: string, groups: Record<string, Case[]>): unknown {
  const testGroups = Object.entries(groups).map(([type, tests]) => ({
    type,
    tests: tests.map((t) => ({ comment: `case ${t.tcId}`, flags: [], result: "valid", ...t })),
  }));
  return {
    suite,
    schema: "vector-file.schema.json",
    version: 1,
    source: "synthetic test fixture",
    notes: {},
    numberOfTests: testGroups.reduce((n, g) => n + g.tests.length, 0),
    testGroups,
  };
}

const created: string[] = [];
// Temporary trees go away with the test process.
globalThis.addEventListener("unload", () => {
  for (const dir of created) Deno.removeSync(dir, { recursive: true });
});

/** Writes `files` (relative path → JSON body or raw text) under a new temporary root. */
export function writeVectorTree(files: Record<string, unknown>): URL {
  const dir = Deno.makeTempDirSync({ prefix: "derlink-conformance-" });
  created.push(dir);
  for (const [rel, body] of Object.entries(files)) {
    const path = `${dir}/${rel}`;
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  }
  return new URL(`file://${dir}/`);
}

/**
 * Fake checkers: `echo` passes when the test's `want` is "pass" (or absent)
 * and fails otherwise, reporting the test's `edges`; `throws` always throws;
 * `async` passes after a microtask; `broken` returns no verdict.
 */
export const fakeCheckers: readonly GroupChecker[] = [
  {
    groupType: "echo",
    check(test) {
      const want = (test.want as string | undefined) ?? "pass";
      const edges = test.edges as string[] | undefined;
      return want === "pass" ? { verdict: "pass", ...(edges ? { edges } : {}) } : {
        verdict: "fail",
        expected: test.error ?? "pass",
        observed: test.observed ?? "something else",
        message: `wanted ${want}`,
        ...(edges ? { edges } : {}),
      };
    },
  },
  {
    groupType: "throws",
    check() {
      throw new Error("boom <b>&</b>");
    },
  },
  {
    groupType: "async",
    async check() {
      await Promise.resolve();
      return { verdict: "pass", observed: new Uint8Array([0xde, 0xad]) };
    },
  },
  {
    groupType: "broken",
    check() {
      return { verdict: "maybe" } as never;
    },
  },
];

export const fakeIut = (over: Partial<Iut> = {}): Iut => ({
  name: "fake IUT",
  checkers: fakeCheckers,
  machines: [],
  ...over,
});

/** A fixed clock: the first call is `start`, later calls 1.5 s after it. */
export function fixedClock(start = "2026-01-02T03:04:05.000Z"): () => Date {
  let calls = 0;
  return () => new Date(Date.parse(start) + (calls++ === 0 ? 0 : 1500));
}
