/**
 * Helpers for the tests of out-of-process IUTs: the example programs'
 * commands, a python3 that must exist (a missing one fails the test with
 * instructions, it never skips), and a run of selected suites against a
 * command. Imported by tests only.
 *
 * @module
 */
import { runConformance } from "../runner.ts";
import type { Report } from "../report.ts";
import { type OpenedIut, openStdioIut } from "./stdio_iut.ts";
import type { StdioOptions } from "./stdio.ts";

const EXAMPLES = new URL("../examples/", import.meta.url);
const CONFIG = new URL("../../deno.json", import.meta.url);

export const PYTHON_IUT = new URL("python_iut.py", EXAMPLES).pathname;
export const DENO_IUT = new URL("deno_iut.ts", EXAMPLES).pathname;

/** The command that runs the reference over stdio. */
export const denoIutCommand = (): string[] => [
  Deno.execPath(),
  "run",
  "--quiet",
  `--config=${CONFIG.pathname}`,
  DENO_IUT,
];

/** `python3`, or an Error saying how to install it. */
export async function python3(): Promise<string> {
  try {
    const out = await new Deno.Command("python3", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    if (out.success) return "python3";
  } catch {
    // not on PATH
  }
  throw new Error(
    "python3 is required by this test and was not found on PATH. Install Python 3 " +
      "(Debian/Ubuntu: apt-get install python3; Fedora: dnf install python3; macOS: brew install python); " +
      "this test does not skip itself.",
  );
}

/** The Python example IUT's command, with DERLINK_IUT_FAULTS when given. */
export async function pythonIut(faults = ""): Promise<Pick<StdioOptions, "command" | "env">> {
  return {
    command: [await python3(), PYTHON_IUT],
    ...(faults ? { env: { DERLINK_IUT_FAULTS: faults } } : {}),
  };
}

/** Runs the selection against a started IUT and closes it; returns the report and the IUT. */
export async function runAgainst(
  options: StdioOptions,
  selection: { suites?: string[]; requirement?: string } = {},
): Promise<{ report: Report; iut: OpenedIut; notes: string[] }> {
  const notes: string[] = [];
  const iut = await openStdioIut({ ...options, note: (t) => notes.push(t) });
  try {
    const report = await runConformance({ iut, requirements: [], ...selection });
    return { report, iut, notes };
  } finally {
    await iut.close?.();
  }
}
