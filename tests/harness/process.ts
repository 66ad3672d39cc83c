/**
 * Process plumbing for the real-server harness: waiting for a child server
 * to finish start-up, ending it with bounded waits, and collecting its logs.
 *
 * @module
 */

import { DerlinkError } from "../../core/errors.ts";
import { HarnessError, LOOPBACK } from "./prosody_config.ts";
import { listeningSocketsOf } from "./proc_net.ts";

/** What Prosody logs when it cannot bind a port; it then keeps running without it. */
export const PORT_TAKEN = /Failed to open server port/;

/** SIGTERM, bounded wait, SIGKILL, bounded wait; throws `harness/stop-failed` if still alive. */
export async function terminate(child: Deno.ChildProcess, timeoutMs: number): Promise<void> {
  const status = child.status;
  if (await settlesWithin(status, 0)) return;
  signal(child, "SIGTERM");
  if (await settlesWithin(status, timeoutMs)) return;
  signal(child, "SIGKILL");
  if (await settlesWithin(status, 5_000)) return;
  throw new DerlinkError(HarnessError["stop-failed"], `pid ${child.pid} survived SIGKILL`);
}

/** Sends `sig`, ignoring a child that has already exited. */
export function signal(child: Deno.ChildProcess, sig: Deno.Signal): void {
  try {
    child.kill(sig);
  } catch {
    // Already exited between the check and the signal.
  }
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((r) => timer = setTimeout(() => r(false), ms));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ready means: Prosody has finished start-up (the ready plugin wrote its
 * file), the child itself owns listening sockets on every port (read
 * from /proc, so another program on a port cannot pass for Prosody) and each
 * port accepts TCP. Prosody keeps running when it cannot bind a port, so its
 * log is watched for that too.
 */
export async function waitForStart(
  readyFile: string,
  pid: number,
  ports: readonly number[],
  exited: Promise<Deno.CommandStatus>,
  timeoutMs: number,
  logs: () => Promise<string>,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let gone: Deno.CommandStatus | undefined;
  exited.then((s) => gone = s);
  for (;;) {
    const owned = new Set(
      (await listeningSocketsOf(pid).catch(() => [])).filter((s) => s.address === LOOPBACK)
        .map((s) => s.port),
    );
    const pending = ports.filter((p) => !owned.has(p));
    const started = await Deno.stat(readyFile).then(() => true, () => false);
    if (pending.length === 0 && started) {
      for (const port of ports) {
        if (!await accepts(port)) pending.push(port);
      }
      if (pending.length === 0) return;
    }
    const log = await logs();
    // spec: DL-HARNESS-5
    if (gone || performance.now() > deadline || PORT_TAKEN.test(log)) {
      const why = gone
        ? `prosody exited with code ${gone.code}`
        : PORT_TAKEN.test(log)
        ? "prosody could not bind a port"
        : `not started and listening after ${timeoutMs} ms`;
      throw new DerlinkError(
        HarnessError["start-failed"],
        `${why} (ports ${pending.join(", ")}); log tail:\n${tail(log, 40)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function accepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: LOOPBACK, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

export async function drainTo(stream: ReadableStream<Uint8Array>, path: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  await stream.pipeTo(file.writable);
}

export async function readLogs(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of ["prosody.log", "stdout.log", "stderr.log"]) {
    const text = await Deno.readTextFile(`${dir}/${name}`).catch(() => "");
    if (text) parts.push(`== ${name}\n${text}`);
  }
  return parts.join("\n");
}

export function tail(text: string, lines: number): string {
  return text.split("\n").slice(-lines).join("\n");
}

export function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}
