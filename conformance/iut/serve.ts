/**
 * The IUT side of the stdio protocol for implementations written with
 * derlink's bindings: read one request per line from stdin, answer it with
 * {@link BindingServer}, write one reply per line to stdout, stop after
 * `bye` or at the end of input. A line that is not a valid request is
 * answered with `core/invalid-argument` (its id when one can be read).
 * `conformance/examples/deno_iut.ts` serves the reference implementation
 * this way.
 *
 * @module
 */
import { CoreError } from "../../core/errors.ts";
import { type Bindings, BindingServer } from "./bindings.ts";
import { protocolProblem, type Reply, type Request } from "./protocol.ts";

/** Answers one line; returns the reply and whether it ended the conversation. */
export async function answerLine(
  server: BindingServer,
  line: string,
): Promise<{ reply: Reply; bye: boolean }> {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return {
      reply: { id: 0, error: { code: CoreError["invalid-argument"], detail: "not JSON" } },
      bye: false,
    };
  }
  const problem = protocolProblem("request", request);
  if (problem) {
    const raw = (request as { id?: unknown } | null)?.id;
    const id = typeof raw === "number" && Number.isInteger(raw) && raw >= 0 ? raw : 0;
    return {
      reply: { id, error: { code: CoreError["invalid-argument"], detail: problem } },
      bye: false,
    };
  }
  const reply = await server.answer(request as Request);
  return { reply, bye: (request as Request).op === "bye" };
}

/** Serves `bindings` on stdin/stdout until `bye` or end of input. */
export async function serveStdio(bindings: Bindings): Promise<void> {
  const server = new BindingServer(bindings);
  const encoder = new TextEncoder();
  const write = (reply: Reply) => {
    const bytes = encoder.encode(JSON.stringify(reply) + "\n");
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  };
  let pending = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() === "") continue;
      const { reply, bye } = await answerLine(server, line);
      write(reply);
      if (bye) return;
    }
  }
}
