/**
 * The reference restricted-XML reader at protocol level:
 * `xml.read-stream` {input, limits, chunk} and `xml.read-document`
 * {input, limits} → {events, error?}. `input` is hex; `chunk` > 0 feeds the
 * reader that many bytes at a time (0: all at once). Events are written as
 * the vectors write them; a read that fails gives the events before the
 * failure and the error code (the call itself succeeds).
 *
 * @module
 */
import { fromHex, utf8 } from "../../core/bytes.ts";
import type { VectorTest } from "../../core/vectors.ts";
import { readDocument, type XmlEvent, type XmlLimits, XmlStreamReader } from "../../core/xml.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs, bytes, num } from "./args.ts";

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

const limitsOf = (args: JsonObject) => asIs<Partial<XmlLimits>>((args.limits ?? {}) as JsonObject);
const json = (o: Observed) => o as unknown as JsonObject;

export const functions: Record<string, FunctionBinding> = {
  "xml.read-stream": (args) =>
    json(observe(readStream(bytes(args, "input"), limitsOf(args), num(args, "chunk")))),
  "xml.read-document": (args) => json(observe(readDocument(bytes(args, "input"), limitsOf(args)))),
};

export const xmlBindings = { functions, machines: {} };
