/**
 * The runner's side of the stdio protocol: an implementation under test run
 * as a child process, spoken to in JSON lines (docs/conformance.md).
 *
 * Theory of operation: requests go out one at a time, each with the next id;
 * the reply is the next line on the child's stdout, which must parse, match
 * `protocol.schema.json`, carry the same id and answer with the member the
 * request calls for. Whatever goes wrong — no reply within the time limit,
 * the child exiting or closing stdout, a malformed line — is turned into an
 * {@link IutBroken} naming the request, and the child is killed so that the
 * next request starts a fresh one (with a new hello). The case that saw the
 * failure fails; the run goes on. After `maxStartFailures` failed starts in
 * a row the backend stops trying and fails every later request at once.
 * stderr is drained continuously and its last lines quoted in failures.
 *
 * @module
 */
import denoConfig from "../../deno.json" with { type: "json" };
import { type CallOutcome, type IutBackend, IutBroken, type StepReply } from "./backend.ts";
import { unwrapReply } from "./bindings.ts";
import {
  type Hello,
  PROTOCOL_VERSION,
  protocolProblem,
  type Reply,
  REPLY_FOR,
  type Request,
} from "./protocol.ts";

export interface StdioOptions {
  /** Program and arguments. */
  readonly command: readonly string[];
  /** Milliseconds each request may take. Default 10 000. */
  readonly timeoutMs?: number;
  /** Milliseconds from starting the program to its hello. Default 30 000 (or timeoutMs if longer). */
  readonly startTimeoutMs?: number;
  /** Failed starts in a row after which no more are tried. Default 3. */
  readonly maxStartFailures?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Notes about restarts, for the progress output. */
  readonly note?: (text: string) => void;
}

/** A request before it gets its id. */
type Unnumbered = Request extends infer R ? R extends unknown ? Omit<R, "id"> : never : never;

const MAX_LINE = 16 << 20;
const STDERR_TAIL = 2000;
const quote = (s: string, n = 300) => JSON.stringify(s.length > n ? s.slice(0, n) + "…" : s);

/** Lines from a byte stream, with a waiter per line and end-of-stream. */
class LineQueue {
  #lines: string[] = [];
  #ended = false;
  #waiters: (() => void)[] = [];
  #pending = "";
  overlong = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#pump(stream);
  }

  async #pump(stream: ReadableStream<Uint8Array>) {
    try {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        this.#pending += chunk;
        let nl: number;
        while ((nl = this.#pending.indexOf("\n")) >= 0) {
          this.#lines.push(this.#pending.slice(0, nl).replace(/\r$/, ""));
          this.#pending = this.#pending.slice(nl + 1);
        }
        if (this.#pending.length > MAX_LINE) {
          this.overlong = true;
          this.#lines.push(this.#pending.slice(0, 300));
          this.#pending = "";
        }
        this.#wakeAll();
      }
    } catch {
      // A killed child's pipe may end with an error; that is the end of its lines.
    }
    this.#ended = true;
    this.#wakeAll();
  }

  #wakeAll() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** The next line, or null at end of stream. */
  async next(): Promise<string | null> {
    while (this.#lines.length === 0 && !this.#ended) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#lines.shift() ?? null;
  }
}

/** One running child. */
class Child {
  readonly process: Deno.ChildProcess;
  readonly lines: LineQueue;
  readonly status: Promise<Deno.CommandStatus>;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #drained: Promise<void>;
  stderr = "";
  hello: Hello | undefined;

  constructor(options: StdioOptions) {
    const [program, ...args] = options.command;
    this.process = new Deno.Command(program, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: options.env ? { ...options.env } : undefined,
      cwd: options.cwd,
    }).spawn();
    this.lines = new LineQueue(this.process.stdout);
    this.#stdin = this.process.stdin.getWriter();
    this.#drained = this.#drain();
    this.status = this.process.status;
  }

  async #drain() {
    try {
      for await (const chunk of this.process.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
      }
    } catch {
      // ignore: the tail so far is what we quote
    }
  }

  async write(line: string): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(line + "\n"));
  }

  /** Stops the child now and waits until its pipes are closed. */
  async kill(): Promise<void> {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.release();
  }

  /** Closes stdin and waits for the child and its pipes. */
  async release(): Promise<Deno.CommandStatus> {
    try {
      await this.#stdin.close();
    } catch {
      // the child may have closed its end already
    }
    const status = await this.status;
    while (await this.lines.next() !== null) { /* drop what is left */ }
    await this.#drained;
    return status;
  }

  /**
   * How the child ended — "exited with code 3", "was killed by SIGSEGV", or
   * "closed its stdout but kept running" when it has not exited within a
   * second — with the end of its stderr.
   */
  async endText(): Promise<string> {
    const s = await within(this.status, 1000);
    if (s === TIMEOUT) return "closed its stdout but kept running";
    const how = s.signal ? `was killed by ${s.signal}` : `exited with code ${s.code}`;
    await within(this.#drained, 1000);
    const tail = this.stderr.trim().split("\n").slice(-5).join("\n");
    return tail ? `${how}; its stderr ends: ${quote(tail, 600)}` : `${how} (stderr empty)`;
  }
}

/** An IUT run as a child process and spoken to over stdio. */
export class StdioBackend implements IutBackend {
  readonly #options: StdioOptions;
  readonly #timeoutMs: number;
  readonly #startTimeoutMs: number;
  #child: Child | undefined;
  #nextId = 0;
  #startFailures = 0;
  #lastStartProblem = "";
  #busy = false;
  /** The hello of the first successful start (what capabilities are judged by). */
  hello: Hello | undefined;
  /** How many times a child was started. */
  starts = 0;

  constructor(options: StdioOptions) {
    this.#options = options;
    // spec: PD-167
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#startTimeoutMs = options.startTimeoutMs ?? Math.max(30_000, this.#timeoutMs);
  }

  /** Starts the child and completes the hello; throws IutBroken with the reason when it cannot. */
  async start(): Promise<Hello> {
    if (this.#child?.hello) return this.#child.hello;
    const limit = this.#options.maxStartFailures ?? 3;
    if (this.#startFailures >= limit) {
      throw new IutBroken(
        `the IUT could not be started ${limit} times in a row; not trying again (last: ${this.#lastStartProblem})`,
      );
    }
    this.starts++;
    let child: Child;
    try {
      child = new Child(this.#options);
    } catch (e) {
      return this.#startFailed(`cannot run ${quote(this.#options.command.join(" "))}: ${e}`);
    }
    this.#child = child;
    let reply: Reply;
    try {
      reply = await this.#exchange(child, {
        id: this.#nextId++,
        op: "hello",
        protocol: PROTOCOL_VERSION,
        runner: `derlink conformance ${denoConfig.version}`,
      }, this.#startTimeoutMs);
    } catch (e) {
      return this.#startFailed((e as Error).message);
    }
    if (!("hello" in reply)) {
      await this.#stop();
      return this.#startFailed(
        `the IUT answered hello with ${Object.keys(reply).filter((k) => k !== "id")}`,
      );
    }
    // spec: DL-IUT-2
    if (reply.hello.protocol !== PROTOCOL_VERSION) {
      await this.#stop();
      return this.#startFailed(
        `the IUT speaks protocol version ${reply.hello.protocol}; this runner speaks ${PROTOCOL_VERSION}`,
      );
    }
    child.hello = reply.hello;
    this.hello ??= reply.hello;
    this.#startFailures = 0;
    return reply.hello;
  }

  async #startFailed(problem: string): Promise<never> {
    this.#startFailures++;
    this.#lastStartProblem = problem;
    await this.#stop();
    throw new IutBroken(`the IUT did not start: ${problem}`);
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    await child?.kill();
  }

  /** Sends one request to `child` and reads its reply; on any failure kills the child and throws IutBroken. */
  // spec: DL-CONF-11 DL-IUT-1 DL-IUT-3 DL-IUT-4 DL-IUT-5
  async #exchange(child: Child, request: Request, timeoutMs = this.#timeoutMs): Promise<Reply> {
    const what = `the ${request.op} request (id ${request.id})`;
    const broken = async (problem: string): Promise<never> => {
      await this.#stop();
      this.#options.note?.(`IUT stopped after ${what}: ${problem}`);
      throw new IutBroken(`${problem}; the IUT was stopped and is restarted for the next case`);
    };
    try {
      await child.write(JSON.stringify(request));
    } catch {
      return broken(`the IUT ${await child.endText()} before ${what} could be written`);
    }
    const line = await within(child.lines.next(), timeoutMs);
    if (line === TIMEOUT) return broken(`the IUT did not answer ${what} within ${timeoutMs} ms`);
    if (line === null) return broken(`the IUT ${await child.endText()} during ${what}`);
    if (child.lines.overlong) return broken(`the IUT wrote a line longer than ${MAX_LINE} bytes`);
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      return broken(`the IUT answered ${what} with a line that is not JSON: ${quote(line)}`);
    }
    const problem = protocolProblem("reply", reply);
    if (problem) {
      return broken(
        `the IUT's answer to ${what} does not match the protocol (${problem}): ${quote(line)}`,
      );
    }
    const r = reply as Reply;
    if (r.id !== request.id) return broken(`the IUT answered ${what} with id ${r.id}`);
    const member = REPLY_FOR[request.op];
    if (!(member in r) && !("error" in r) && !("unsupported" in r)) {
      const got = Object.keys(r).filter((k) => k !== "id").join(",");
      return broken(
        `the IUT answered ${what} with "${got}" where "${member}" was expected: ${quote(line)}`,
      );
    }
    return r;
  }

  /** One request on a running (or freshly started) child. */
  async #request(request: Unnumbered): Promise<Reply> {
    if (this.#busy) throw new Error("StdioBackend: one request at a time");
    this.#busy = true;
    try {
      await this.start();
      return await this.#exchange(this.#child!, { id: this.#nextId++, ...request } as Request);
    } finally {
      this.#busy = false;
    }
  }

  implements(kind: "function" | "machine", name: string): boolean {
    const list = kind === "function" ? this.hello?.functions : this.hello?.machines;
    return list?.includes(name) ?? false;
  }

  async call(fn: string, args: Parameters<IutBackend["call"]>[1]): Promise<CallOutcome> {
    return unwrapReply("call", await this.#request({ op: "call", fn, args })) as CallOutcome;
  }

  async init(machine: string, config: Parameters<IutBackend["init"]>[1]): Promise<StepReply> {
    return unwrapReply("init", await this.#request({ op: "init", machine, config })) as StepReply;
  }

  async step(input: Parameters<IutBackend["step"]>[0]): Promise<StepReply> {
    return unwrapReply("step", await this.#request({ op: "step", input })) as StepReply;
  }

  /** Says bye (when the child runs), then waits for it to end; kills it after a grace period. */
  async close(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child) return;
    try {
      await child.write(JSON.stringify({ id: this.#nextId++, op: "bye" }));
    } catch {
      // gone already
    }
    const released = child.release();
    if (await within(released, 2000) === TIMEOUT) {
      await child.kill();
      await released;
    }
  }
}

const TIMEOUT = Symbol("timeout");

/** `p`'s value, or TIMEOUT when it takes longer than `ms`; the timer never outlives the call. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<typeof TIMEOUT>((resolve) => timer = setTimeout(() => resolve(TIMEOUT), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
