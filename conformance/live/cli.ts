/**
 * `deno task conformance --live xmpp://HOST:PORT --ca FILE --account JID:PASSWORD ...`
 *
 * Checks a running XMPP server for what the architecture relies on
 * (conformance/live/types.ts lists the checks) and writes the same three
 * reports as a vector run, plus Markdown with `--doc`. It connects to the
 * host given, whatever it is: point it only at servers you may test, with
 * test accounts (the check may add the accounts to each other's rosters and
 * creates a temporary room). Passwords on a command line are visible to
 * other local users; they never go into a report.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { toHtml } from "../html.ts";
import { toJunitXml } from "../junit.ts";
import type { RequirementInfo } from "../report.ts";
import { liveMarkdown } from "./doc.ts";
import { liveReport, runLiveChecks } from "./run.ts";
import { type LiveAccount, LiveError, type LiveOptions } from "./types.ts";

export const LIVE_USAGE =
  `usage: deno task conformance --live xmpp://HOST:PORT --ca FILE --account JID:PASSWORD [options]
  --live xmpp://HOST:PORT  the server to check: the checker connects to this host and port
  --ca FILE                PEM file with the trust anchor(s) for the server certificate
  --account JID:PASSWORD   a test account (repeatable): the 1st observes, the 2nd is its contact
                           and room member and gets disconnected, the 3rd is a stranger
  --room-service DOMAIN    MUC service for the room checks (e.g. muc.example.org)
  --max-delay-ms N         longest acceptable presence-unavailable delay (default 5000)
  --report DIR             write report.json, junit.xml and index.html to DIR (default: report/live)
  --doc FILE               also write the results as Markdown to FILE
  --server-label TEXT      the server software's name for the Markdown`;

export interface LiveArgs {
  readonly host: string;
  readonly port: number;
  readonly caFile: string;
  readonly accounts: readonly LiveAccount[];
  readonly roomService?: string;
  readonly maxDelayMs?: number;
  readonly reportDir: string;
  readonly doc?: string;
  readonly serverLabel?: string;
}

/** True when the command line asks for a live run. */
export const isLiveCommand = (args: readonly string[]): boolean =>
  args.some((a) => a === "--live" || a.startsWith("--live="));

const usage = (detail: string): never => {
  throw new DerlinkError(LiveError.usage, detail);
};

/** `xmpp://host:port` (IPv6 in brackets). */
export function parseServer(url: string): { host: string; port: number } {
  const m = /^xmpp:\/\/(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/\[\]]+)):([0-9]{1,5})\/?$/.exec(url);
  if (!m) return usage(`--live takes xmpp://HOST:PORT, not ${url}`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) usage(`port ${port} out of range`);
  return { host: m[1] ?? m[2], port };
}

/** `JID:PASSWORD`, split at the first colon (a bare JID has none; a password may). */
export function parseAccount(text: string): LiveAccount {
  const at = text.indexOf(":");
  const jid = at < 0 ? "" : text.slice(0, at);
  const password = at < 0 ? "" : text.slice(at + 1);
  if (!/^[^@/\s:]+@[^@/\s:]+$/.test(jid) || password === "") {
    // The text may hold a password: it is not repeated.
    usage("--account takes BAREJID:PASSWORD, e.g. alice@example.org:secret");
  }
  return { jid, password };
}

/** Each PEM certificate block of a file (a CA bundle may hold several). */
export const pemCertificates = (text: string): string[] =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];

/** Parses the live command line; throws `live/usage`. */
export function parseLiveArgs(args: readonly string[]): LiveArgs {
  let server: { host: string; port: number } | undefined;
  let caFile: string | undefined, roomService: string | undefined, doc: string | undefined;
  let serverLabel: string | undefined, maxDelayMs: number | undefined;
  let reportDir = "report/live";
  const accounts: LiveAccount[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq > 0 && arg.startsWith("--")) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) return usage(`${name} needs a value`);
      return v;
    };
    if (name === "--live") server = parseServer(value());
    else if (name === "--ca") caFile = value();
    else if (name === "--account") accounts.push(parseAccount(value()));
    else if (name === "--room-service") roomService = value();
    else if (name === "--report") reportDir = value();
    else if (name === "--doc") doc = value();
    else if (name === "--server-label") serverLabel = value();
    else if (name === "--max-delay-ms") {
      maxDelayMs = Number(value());
      if (!Number.isInteger(maxDelayMs) || maxDelayMs < 0) usage("--max-delay-ms takes an integer");
    } else usage(`unknown argument for a live run: ${arg}`);
  }
  if (!server) return usage("--live xmpp://HOST:PORT is required");
  if (!caFile) return usage("--ca FILE is required");
  if (accounts.length === 0) return usage("at least one --account is required");
  return {
    ...server,
    caFile,
    accounts,
    reportDir,
    ...(roomService ? { roomService } : {}),
    ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
    ...(doc ? { doc } : {}),
    ...(serverLabel ? { serverLabel } : {}),
  };
}

export interface LiveDeps {
  readonly write: (text: string) => void;
  readonly requirements: readonly RequirementInfo[];
  /** Overrides for tests (entropy, timeouts). */
  readonly options?: Partial<LiveOptions>;
  /** The command shown in the Markdown instead of the (redacted) arguments. */
  readonly docCommand?: string;
}

/** The command line as it may be shown: passwords replaced. */
export function redacted(args: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--account" && i + 1 < args.length) {
      out.push(a, `${args[++i].split(":")[0]}:***`);
    } else if (a.startsWith("--account=")) out.push(`--account=${a.slice(10).split(":")[0]}:***`);
    else out.push(/\s/.test(a) ? `"${a}"` : a);
  }
  return `deno task conformance ${out.join(" ")}`;
}

/** The live command; returns the exit status (0 all pass, 1 a check failed, 2 usage). */
export async function liveMain(args: readonly string[], deps: LiveDeps): Promise<number> {
  if (args.includes("--help")) {
    deps.write(LIVE_USAGE + "\n");
    return 0;
  }
  let parsed: LiveArgs;
  let anchors: string[];
  try {
    parsed = parseLiveArgs(args);
    anchors = pemCertificates(Deno.readTextFileSync(parsed.caFile));
    if (anchors.length === 0) usage(`no PEM certificate in ${parsed.caFile}`);
  } catch (e) {
    const msg = e instanceof DerlinkError ? e.detail : (e as Error).message;
    deps.write(`conformance: ${msg}\n${LIVE_USAGE}\n`);
    return 2;
  }
  deps.write(
    `conformance: live checks of xmpp://${parsed.host}:${parsed.port} with ` +
      `${parsed.accounts.length} account(s)\n`,
  );
  const started = new Date();
  const results = await runLiveChecks({
    host: parsed.host,
    port: parsed.port,
    anchors,
    accounts: parsed.accounts,
    ...(parsed.roomService ? { roomService: parsed.roomService } : {}),
    ...(parsed.maxDelayMs !== undefined ? { maxDelayMs: parsed.maxDelayMs } : {}),
    ...deps.options,
  }, (r) => deps.write(`  ${r.id.padEnd(10)} ${r.verdict.padEnd(14)} ${r.message}\n`));
  const report = liveReport(parsed, results, started, new Date(), deps.requirements);
  const dir = parsed.reportDir.replace(/\/+$/, "") || ".";
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(`${dir}/report.json`, JSON.stringify(report, null, 2) + "\n");
  Deno.writeTextFileSync(`${dir}/junit.xml`, toJunitXml(report));
  Deno.writeTextFileSync(`${dir}/index.html`, toHtml(report));
  if (parsed.doc) {
    Deno.writeTextFileSync(
      parsed.doc,
      liveMarkdown(report, {
        serverLabel: parsed.serverLabel,
        command: deps.docCommand ?? redacted(args),
      }, deps.requirements),
    );
  }
  const s = report.summary;
  deps.write(
    `conformance: live ${report.verdict.toUpperCase()} — ${s.total} checks: ${s.pass} pass, ` +
      `${s.fail} fail, ${s.notApplicable} not applicable; report in ${dir}/index.html\n`,
  );
  return report.verdict === "pass" ? 0 : 1;
}
