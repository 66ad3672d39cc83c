/**
 * Checkers for the restricted-XML reader vectors (`vectors/xml/`).
 *
 * `xml-stream`: the input is fed to an {@link XmlStreamReader} whole and
 * again one byte at a time; both runs must report exactly the expected
 * events (stream header attributes, stanzas as ltx serialises them with their
 * byte counts, stream close) and, for an invalid case, then the expected
 * error code. `xml-document`: the input is read by `tryParseElement`.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { fromHex, utf8 } from "../../core/bytes.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { readDocument, type XmlEvent, type XmlLimits, XmlStreamReader } from "../../core/xml.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

/** An event as vectors write it. */
export type VectorEvent =
  | { type: "stream-open"; name: string; attrs: Record<string, string> }
  | { type: "stanza"; xml: string; bytes: number }
  | { type: "stream-close" };

/** What a run produced: the events, then the error code if it failed. */
export interface Observed {
  readonly events: VectorEvent[];
  readonly error?: string;
}

/** The bytes of a test's input (`input` as UTF-8, or `inputHex`). */
export function inputBytes(test: VectorTest): Uint8Array {
  return typeof test.inputHex === "string" ? fromHex(test.inputHex) : utf8(String(test.input));
}

/** Converts reader events to the vectors' form. */
export function observe(events: readonly XmlEvent[]): Observed {
  const out: VectorEvent[] = [];
  for (const e of events) {
    if (e.type === "error") return { events: out, error: e.error.code };
    if (e.type === "stream-open") out.push({ type: e.type, name: e.name, attrs: { ...e.attrs } });
    else if (e.type === "stanza") {
      out.push({ type: e.type, xml: e.element.toString(), bytes: e.bytes });
    } else out.push({ type: e.type });
  }
  return { events: out };
}

/** Feeds `bytes` to a fresh reader in pieces of `step` bytes (all at once when 0). */
export function readStream(bytes: Uint8Array, limits: Partial<XmlLimits>, step = 0): XmlEvent[] {
  const reader = new XmlStreamReader(limits);
  if (step <= 0) return reader.feed(bytes);
  const events: XmlEvent[] = [];
  for (let at = 0; at < bytes.length; at += step) {
    events.push(...reader.feed(bytes.subarray(at, at + step)));
  }
  return events;
}

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

const limitsOf = (group: VectorGroup) => (group.limits ?? {}) as Partial<XmlLimits>;

const streamChecker: GroupChecker = {
  groupType: "xml-stream",
  check(test, group) {
    const bytes = inputBytes(test);
    const limits = limitsOf(group);
    return verdict(expectedOf(test), {
      "whole": observe(readStream(bytes, limits)),
      "one byte at a time": observe(readStream(bytes, limits, 1)),
    });
  },
};

const documentChecker: GroupChecker = {
  groupType: "xml-document",
  check(test, group) {
    return verdict(expectedOf(test), {
      whole: observe(readDocument(inputBytes(test), limitsOf(group))),
    });
  },
};

export const checkers: GroupChecker[] = [streamChecker, documentChecker];
