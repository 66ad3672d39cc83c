/**
 * Progress while the suites run: one line per suite with its counts on
 * stderr. On a terminal the line is rewritten in place as cases complete;
 * elsewhere (CI logs, pipes) only the final line of each suite is written.
 *
 * @module
 */
import type { SuiteProgress } from "./runner.ts";

const CLEAR_LINE = "\r\x1b[2K";

/** The text of one progress line. */
export function progressLine(p: SuiteProgress): string {
  const na = p.notApplicable ? `  n/a ${p.notApplicable}` : "";
  return `  ${p.suite.padEnd(22)} ${String(p.done).padStart(5)}/${p.total}  pass ${p.pass}` +
    `  fail ${p.fail}${na}${p.finished ? (p.fail ? "  FAIL" : "  ok") : ""}`;
}

/**
 * A progress callback writing to `write`. On a terminal it redraws at most
 * every `every` cases (and always at the end) to keep output cheap.
 */
// spec: DL-CONF-9
export function progressPrinter(
  write: (text: string) => void,
  tty: boolean,
  every = 10,
): (p: SuiteProgress) => void {
  return (p) => {
    if (!tty) {
      if (p.finished) write(progressLine(p) + "\n");
      return;
    }
    if (p.finished) write(CLEAR_LINE + progressLine(p) + "\n");
    else if (p.done % every === 0 || p.done === p.total) write(CLEAR_LINE + progressLine(p));
  };
}

/** Writes text to stderr synchronously. */
export function writeStderr(text: string): void {
  const bytes = new TextEncoder().encode(text);
  let off = 0;
  while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
}
