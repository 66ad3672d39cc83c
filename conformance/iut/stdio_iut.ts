/**
 * `--iut CMD`: an implementation under test in any language, run as a child
 * process speaking the stdio protocol. Its checkers are the same checkers
 * the reference runs, pointed at a {@link StdioBackend}; coverage is
 * measured against the reference machines the IUT says it implements.
 *
 * @module
 */
import type { Iut } from "../iut.ts";
import { checkersFor, machines as referenceMachines } from "../suites/index.ts";
import { isProtocolChecker } from "./backend.ts";
import { StdioBackend, type StdioOptions } from "./stdio.ts";

/**
 * Splits a command line into program and arguments (throws an Error saying
 * what is wrong with it): whitespace separates,
 * single quotes keep text as is, double quotes keep text with `\"` and `\\`
 * escapes, a backslash outside quotes escapes the next character. No shell
 * is involved (no variables, globs or pipes); run `sh -c '...'` for those.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = "", inWord = false, i = 0;
  const bad = (why: string) => new Error(why);
  while (i < line.length) {
    const c = line[i++];
    if (c === "'") {
      const end = line.indexOf("'", i);
      if (end < 0) throw bad("unterminated single quote");
      word += line.slice(i, end);
      i = end + 1;
      inWord = true;
    } else if (c === '"') {
      inWord = true;
      for (;;) {
        if (i >= line.length) throw bad("unterminated double quote");
        const d = line[i++];
        if (d === '"') break;
        if (d === "\\" && (line[i] === '"' || line[i] === "\\")) word += line[i++];
        else word += d;
      }
    } else if (c === "\\" && i < line.length) {
      word += line[i++];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw bad("empty command");
  return words;
}

export interface OpenedIut extends Iut {
  readonly backend: StdioBackend;
}

/**
 * Starts the IUT and completes the hello. Throws (with the reason) when the
 * program cannot run or does not introduce itself properly: a run against an
 * IUT that never started would only report failures.
 */
export async function openStdioIut(options: StdioOptions): Promise<OpenedIut> {
  const backend = new StdioBackend(options);
  let hello;
  try {
    hello = await backend.start();
  } catch (e) {
    await backend.close();
    throw new Error((e as Error).message);
  }
  const declared = new Set(hello.machines);
  const command = options.command.join(" ");
  return {
    // spec: DL-IUT-11
    name: `${hello.name}${
      hello.version ? ` ${hello.version}` : ""
    } (stdio protocol ${hello.protocol}: ${command})`,
    // spec: DL-IUT-7
    checkers: checkersFor(backend).filter(isProtocolChecker),
    details: { command: [...options.command], ...hello },
    machines: referenceMachines.filter((m) => declared.has(m.name)),
    backend,
    close: () => backend.close(),
  };
}
