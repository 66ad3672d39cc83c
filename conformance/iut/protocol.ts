/**
 * The IUT protocol, version 1: the messages the conformance runner and an
 * implementation under test exchange as JSON lines (docs/conformance.md),
 * their TypeScript shapes, and their validation against
 * `protocol.schema.json` with ajv. Both ends in this repository (the stdio
 * client in `stdio.ts` and the server loop in `serve.ts`) validate with the
 * same schema that ships to implementers.
 *
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import schema from "./protocol.schema.json" with { type: "json" };

/** The protocol version this runner speaks. */
export const PROTOCOL_VERSION = 1;

export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export type Request =
  | { readonly id: number; readonly op: "hello"; readonly protocol: 1; readonly runner: string }
  | {
    readonly id: number;
    readonly op: "init";
    readonly machine: string;
    readonly config: JsonObject;
  }
  | { readonly id: number; readonly op: "step"; readonly input: JsonObject }
  | { readonly id: number; readonly op: "call"; readonly fn: string; readonly args: JsonObject }
  | { readonly id: number; readonly op: "bye" };

/** What an IUT declares about itself in its hello reply. */
export interface Hello {
  readonly name: string;
  readonly version?: string;
  readonly protocol: number;
  readonly functions: readonly string[];
  readonly machines: readonly string[];
}

/** The outputs and phase after an init or a step. */
export interface StepReply {
  readonly out: readonly JsonObject[];
  readonly phase: string;
  readonly edges?: readonly string[];
  readonly view?: JsonObject;
}

export interface CodedError {
  readonly code: string;
  readonly detail?: string;
}

export type Reply =
  | { readonly id: number; readonly hello: Hello }
  | ({ readonly id: number } & StepReply)
  | { readonly id: number; readonly result: JsonObject }
  | { readonly id: number; readonly error: CodedError }
  | { readonly id: number; readonly unsupported: string }
  | { readonly id: number; readonly bye: true };

let ajv: Ajv2020 | undefined;
function validatorFor(def: "request" | "reply") {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: false, strict: false });
    ajv.addSchema(schema, "iut");
  }
  return ajv.getSchema(`iut#/$defs/${def}`)!;
}

/** Why `value` is not a valid message of this kind, or undefined when it is. */
export function protocolProblem(kind: "request" | "reply", value: unknown): string | undefined {
  const check = validatorFor(kind);
  if (check(value)) return undefined;
  // oneOf errors list every branch; the most specific one is usually the deepest.
  const errors = [...(check.errors ?? [])].sort((a, b) =>
    b.instancePath.length - a.instancePath.length
  );
  const e = errors[0];
  return e ? `${e.instancePath || "/"} ${e.message}` : "does not match the protocol schema";
}

/** Which reply members answer which request (beside `error` and `unsupported`, always allowed). */
export const REPLY_FOR: Readonly<Record<Request["op"], string>> = {
  hello: "hello",
  init: "out",
  step: "out",
  call: "result",
  bye: "bye",
};
