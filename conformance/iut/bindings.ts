/**
 * Bindings: an implementation's functions and machines expressed at the
 * level of the IUT protocol (JSON in, JSON out), and the one dispatcher that
 * answers protocol requests from them. The reference implementation's
 * bindings (`conformance/bindings/`) are served two ways by this dispatcher:
 * in process as the default IUT ({@link bindingBackend}), and over stdio by
 * `conformance/examples/deno_iut.ts` — so a run through the protocol and a run
 * in process execute the same code.
 *
 * @module
 */
import { CoreError, DerlinkError, isDerlinkError } from "../../core/errors.ts";
import {
  type CallOutcome,
  type IutBackend,
  IutBroken,
  IutUnsupported,
  type JsonObject,
  type StepReply,
} from "./backend.ts";
import { type Hello, PROTOCOL_VERSION, type Reply, type Request } from "./protocol.ts";

type MaybePromise<T> = T | Promise<T>;

/** A function: JSON arguments to a JSON result; a refusal throws a DerlinkError. */
export type FunctionBinding = (args: JsonObject) => MaybePromise<JsonObject>;

/** A live machine session. */
export interface Session {
  step(input: JsonObject): MaybePromise<StepReply>;
}

/** Starts a session from a configuration; returns it with the reply to `init`. */
export type MachineBinding = (
  config: JsonObject,
) => MaybePromise<{ session: Session; reply: StepReply }>;

export interface Bindings {
  readonly name: string;
  readonly version?: string;
  readonly functions: Readonly<Record<string, FunctionBinding>>;
  readonly machines: Readonly<Record<string, MachineBinding>>;
}

/** Combines the bindings of several areas under one name; a name bound twice is a bug. */
export function combineBindings(
  name: string,
  parts: readonly Pick<Bindings, "functions" | "machines">[],
  version?: string,
): Bindings {
  const functions: Record<string, FunctionBinding> = {};
  const machines: Record<string, MachineBinding> = {};
  for (const p of parts) {
    for (const [k, f] of Object.entries(p.functions)) {
      if (k in functions) throw new Error(`function ${k} bound twice`);
      functions[k] = f;
    }
    for (const [k, m] of Object.entries(p.machines)) {
      if (k in machines) throw new Error(`machine ${k} bound twice`);
      machines[k] = m;
    }
  }
  return { name, ...(version ? { version } : {}), functions, machines };
}

/** The hello an implementation with these bindings sends. */
export const helloOf = (b: Bindings): Hello => ({
  name: b.name,
  ...(b.version ? { version: b.version } : {}),
  protocol: PROTOCOL_VERSION,
  functions: Object.keys(b.functions).sort(),
  machines: Object.keys(b.machines).sort(),
});

const message = (e: unknown) => e instanceof Error ? e.message : String(e);

/**
 * Answers protocol requests from bindings, holding the current session.
 * Refusals become `error` replies, {@link IutUnsupported} an `unsupported`
 * reply; anything else a function or machine throws is a bug and becomes an
 * `error` reply with `core/internal`.
 */
export class BindingServer {
  #session: Session | undefined;
  constructor(readonly bindings: Bindings) {}

  async answer(request: Request): Promise<Reply> {
    const { id } = request;
    try {
      switch (request.op) {
        case "hello":
          return { id, hello: helloOf(this.bindings) };
        case "bye":
          return { id, bye: true };
        case "call": {
          const fn = this.bindings.functions[request.fn];
          if (!fn) return { id, unsupported: `function ${request.fn}` };
          return { id, result: await fn(request.args) };
        }
        // spec: PD-165
        case "init": {
          this.#session = undefined;
          const start = this.bindings.machines[request.machine];
          if (!start) return { id, unsupported: `machine ${request.machine}` };
          const { session, reply } = await start(request.config);
          this.#session = session;
          return { id, ...reply };
        }
        case "step":
          if (!this.#session) {
            throw new DerlinkError(CoreError["invalid-argument"], "step without a session");
          }
          return { id, ...await this.#session.step(request.input) };
      }
    } catch (e) {
      if (e instanceof IutUnsupported) return { id, unsupported: e.message };
      if (isDerlinkError(e)) {
        return { id, error: { code: e.code, ...(e.detail ? { detail: e.detail } : {}) } };
      }
      return { id, error: { code: CoreError.internal, detail: message(e) } };
    }
  }
}

/** Turns a reply into what a checker sees: a value, or IutUnsupported / IutBroken thrown. */
// spec: PD-166
export function unwrapReply(op: Request["op"], reply: Reply): StepReply | CallOutcome | Hello {
  if ("unsupported" in reply) throw new IutUnsupported(reply.unsupported);
  if ("error" in reply) {
    if (op === "call") {
      return {
        ok: false,
        code: reply.error.code,
        ...(reply.error.detail ? { detail: reply.error.detail } : {}),
      };
    }
    const detail = reply.error.detail ? `: ${reply.error.detail}` : "";
    throw new IutBroken(`the IUT refused the ${op} request with ${reply.error.code}${detail}`);
  }
  if ("result" in reply) return { ok: true, result: reply.result };
  if ("hello" in reply) return reply.hello;
  if ("out" in reply) {
    const { id: _, ...step } = reply;
    return step;
  }
  throw new IutBroken(`the IUT answered a ${op} request with ${Object.keys(reply).join(",")}`);
}

/** The bindings as an in-process backend (the default IUT). */
export function bindingBackend(bindings: Bindings): IutBackend {
  const server = new BindingServer(bindings);
  let id = 0;
  const ask = async (request: Request) => unwrapReply(request.op, await server.answer(request));
  return {
    implements: (kind, name) =>
      name in (kind === "function" ? bindings.functions : bindings.machines),
    call: async (fn, args) => await ask({ id: id++, op: "call", fn, args }) as CallOutcome,
    init: async (machine, config) =>
      await ask({ id: id++, op: "init", machine, config }) as StepReply,
    step: async (input) => await ask({ id: id++, op: "step", input }) as StepReply,
  };
}
