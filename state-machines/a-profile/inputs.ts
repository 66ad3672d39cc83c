/**
 * Shape checks for inputs: the machines accept anything and refuse what is
 * not one of their input shapes with `aprofile/invalid-input`, so no
 * garbage reaches the protocol logic.
 *
 * @module
 */
import type { AProfileInput } from "./types.ts";

const TYPES = new Set([
  "start",
  "signature",
  "signer-failed",
  "receive",
  "send",
  "update-keys",
  "rehandshake",
  "release",
  "abort",
  "tick",
]);

const finite = (n: unknown): n is number =>
  typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** Why an input is not well formed, or undefined when it is. */
export function inputProblem(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return "input is not an object";
  const i = input as Record<string, unknown>;
  if (typeof i.type !== "string" || !TYPES.has(i.type)) {
    return `unknown input type ${String(i.type)}`;
  }
  const now = i.now;
  if (i.type === "signature" || i.type === "signer-failed") {
    if (now !== undefined && !finite(now)) return "now";
    if (!Number.isSafeInteger(i.id)) return "id";
    if (i.type === "signature" && !(i.value instanceof Uint8Array)) return "signature value";
    return undefined;
  }
  if (!finite(now)) return "now must be a non-negative integer (ms)";
  if (i.type === "receive") {
    const e = i.element as
      | { name?: unknown; attrs?: unknown; children?: unknown; getNS?: unknown }
      | null;
    if (
      typeof e !== "object" || e === null || typeof e.name !== "string" ||
      typeof e.attrs !== "object" ||
      e.attrs === null || !Array.isArray(e.children) || typeof e.getNS !== "function"
    ) return "element";
    if (i.from !== undefined && typeof i.from !== "string") return "from";
  }
  if (i.type === "send" && !(i.payload instanceof Uint8Array)) return "payload";
  return undefined;
}

/** The input's time, or the state's when the input has none. */
export const timeOf = (input: AProfileInput, now: number): number =>
  input.now !== undefined ? Math.max(input.now, 0) : now;
