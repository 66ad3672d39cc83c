/**
 * Checkers for the restricted-XML reader vectors (`vectors/xml/`).
 *
 * `xml-stream`: the IUT's `xml.read-stream` reads the input whole and again
 * one byte at a time; both runs must report exactly the expected events
 * (stream header attributes, stanzas as ltx serialises them with their byte
 * counts, stream close) and, for an invalid case, then the expected error
 * code. `xml-document`: the input is read by `xml.read-document`.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { toHex } from "../../core/bytes.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import { inputBytes, type Observed, type VectorEvent } from "../bindings/xml.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

export {
  inputBytes,
  observe,
  type Observed,
  readStream,
  type VectorEvent,
} from "../bindings/xml.ts";

function expectedOf(test: VectorTest): Observed {
  const events = test.events as VectorEvent[];
  return test.result === "invalid" ? { events, error: test.error } : { events };
}

function verdict(expected: Observed, runs: Record<string, Observed>): CaseOutcome {
  for (const [how, observed] of Object.entries(runs)) {
    if (!isDeepStrictEqual(observed, expected)) {
      return { verdict: "fail", expected, observed, message: `differs when fed ${how}` };
    }
  }
  return { verdict: "pass", expected, observed: Object.values(runs)[0] };
}

/** Calls a reader function; a refusal of the call itself is observed as its code. */
async function read(iut: IutBackend, fn: string, args: JsonObject): Promise<Observed> {
  const r = await iut.call(fn, args);
  if (!r.ok) return { events: [], error: r.code };
  return {
    events: r.result.events as unknown as VectorEvent[],
    ...(r.result.error !== undefined ? { error: String(r.result.error) } : {}),
  };
}

const argsOf = (test: VectorTest, group: VectorGroup) => ({
  input: toHex(inputBytes(test)),
  limits: (group.limits ?? {}) as JsonObject,
});

/** The XML checkers, run against `iut`. */
export function xmlCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "xml-stream",
      () => ({ functions: ["xml.read-stream"] }),
      async (test, group) =>
        verdict(expectedOf(test), {
          "whole": await read(iut, "xml.read-stream", { ...argsOf(test, group), chunk: 0 }),
          "one byte at a time": await read(iut, "xml.read-stream", {
            ...argsOf(test, group),
            chunk: 1,
          }),
        }),
    ),
    protocolChecker(
      iut,
      "xml-document",
      () => ({ functions: ["xml.read-document"] }),
      async (test, group) =>
        verdict(expectedOf(test), {
          whole: await read(iut, "xml.read-document", argsOf(test, group)),
        }),
    ),
  ];
}

export const checkers: GroupChecker[] = xmlCheckers(reference);
