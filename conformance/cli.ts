/**
 * `deno task conformance [--suite NAME ...] [--requirement ID] [--report DIR] [--iut CMD]`
 *
 * Runs the selected vector suites against the implementation under test
 * (default: the reference implementation in process), shows progress on
 * stderr, and writes `report.json`, `junit.xml` and `index.html` to DIR
 * (default `report/`). Exit status: 0 when nothing failed, 1 when a case
 * failed or the run had a problem, 2 for a usage error.
 *
 * @module
 */
import { type Iut, referenceIut } from "./iut.ts";
import { openStdioIut, splitCommand } from "./iut/stdio_iut.ts";
import { runConformance } from "./runner.ts";
import { toJunitXml } from "./junit.ts";
import { toHtml } from "./html.ts";
import { progressPrinter, writeStderr } from "./progress.ts";
import { loadRequirementDir, REQUIREMENTS_DIR } from "../tools/requirements.ts";
import type { RequirementInfo } from "./report.ts";
import { withMutation } from "./mutation/section.ts";
import { isLiveCommand, liveMain } from "./live/cli.ts";

export const USAGE = `usage: deno task conformance [options]
  --suite NAME        run only this suite and its NAME.* sub-suites (repeatable)
  --requirement ID    run only the cases that check requirement ID
  --report DIR        write report.json, junit.xml and index.html to DIR (default: report)
  --iut CMD           check the program CMD (any language) over the stdio protocol of
                      docs/conformance.md instead of the reference implementation
  --iut-timeout MS    time limit for each answer of the --iut program (default 10000)
  --mutants           also run the mutation check for a selection (default: only without one)
  --no-mutants        skip the mutation check
  --live xmpp://HOST:PORT --ca FILE --account JID:PASSWORD ...
                      check a running XMPP server instead (--live --help for its options)
  --help              show this text`;

export interface CliArgs {
  readonly suites: string[];
  requirement?: string;
  reportDir: string;
  iut?: string;
  iutTimeoutMs?: number;
  /** --mutants / --no-mutants; absent: the default of PD-173. */
  mutants?: boolean;
  help: boolean;
}

/** Parses the arguments; throws an Error with a usage message on a bad one. */
export function parseArgs(args: readonly string[]): CliArgs {
  const out: CliArgs = { suites: [], reportDir: "report", help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq > 0 && arg.startsWith("--")) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === "--help" || name === "-h") out.help = true;
    else if (name === "--suite") out.suites.push(value());
    else if (name === "--requirement") out.requirement = value();
    else if (name === "--report") out.reportDir = value();
    else if (name === "--iut") out.iut = value();
    else if (name === "--iut-timeout") {
      const ms = Number(value());
      if (!Number.isInteger(ms) || ms <= 0) throw new Error("--iut-timeout needs milliseconds > 0");
      out.iutTimeoutMs = ms;
    } else if (arg === "--mutants" || arg === "--no-mutants") out.mutants = arg === "--mutants";
    else throw new Error(`unknown argument ${arg}`);
  }
  return out;
}

export interface CliDeps {
  readonly iut?: Iut;
  readonly vectorsRoot?: URL;
  readonly requirements?: readonly RequirementInfo[];
  readonly write?: (text: string) => void;
  readonly tty?: boolean;
}

function tableRequirements(): RequirementInfo[] {
  try {
    return loadRequirementDir(REQUIREMENTS_DIR).requirements;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** The whole command; returns the exit status. */
export async function main(args: readonly string[], deps: CliDeps = {}): Promise<number> {
  const write = deps.write ?? writeStderr;
  // spec: DL-LIVE-9
  if (isLiveCommand(args)) {
    return await liveMain(args, { write, requirements: deps.requirements ?? tableRequirements() });
  }
  let parsed: CliArgs;
  try {
    parsed = parseArgs(args);
  } catch (e) {
    write(`conformance: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    write(USAGE + "\n");
    return 0;
  }
  // spec: DL-CONF-10 DL-IUT-2
  let iut: Iut;
  if (parsed.iut !== undefined) {
    try {
      iut = await openStdioIut({
        command: splitCommand(parsed.iut),
        timeoutMs: parsed.iutTimeoutMs,
        note: (text) => write(`conformance: ${text}\n`),
      });
    } catch (e) {
      write(`conformance: --iut: ${(e as Error).message}\n`);
      return 2;
    }
  } else iut = deps.iut ?? referenceIut();
  write(`conformance: ${iut.name}\n`);
  const conformance = await runConformance({
    iut,
    vectorsRoot: deps.vectorsRoot,
    suites: parsed.suites,
    requirement: parsed.requirement,
    requirements: deps.requirements ?? tableRequirements(),
    onProgress: progressPrinter(write, deps.tty ?? Deno.stderr.isTerminal()),
  });
  await iut.close?.();
  const report = await withMutation(conformance, {
    flag: parsed.mutants,
    suites: parsed.suites,
    requirement: parsed.requirement,
    externalIut: parsed.iut !== undefined || deps.iut !== undefined,
  }, write);

  const dir = parsed.reportDir.replace(/\/+$/, "") || ".";
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(`${dir}/report.json`, JSON.stringify(report, null, 2) + "\n");
  Deno.writeTextFileSync(`${dir}/junit.xml`, toJunitXml(report));
  Deno.writeTextFileSync(`${dir}/index.html`, toHtml(report));

  for (const p of report.problems) write(`conformance: problem: ${p}\n`);
  const s = report.summary;
  write(
    `conformance: ${report.verdict.toUpperCase()} — ${s.total} cases: ${s.pass} pass, ` +
      `${s.fail} fail, ${s.notApplicable} not applicable; report in ${dir}/index.html\n`,
  );
  return report.verdict === "pass" ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
