/**
 * Transcript vectors of the association machines: the JSON form of inputs
 * and outputs (PDUs and stanzas as XML text, bytes as `{"$hex"}`, numbers
 * JSON cannot hold as `{"$num"}`), and the runner the generator, the unit
 * tests and the conformance checker share (one code path).
 *
 * @module
 */
import { fromHex, fromUtf8, toHex, utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import { associationClient } from "./client.ts";
import {
  multicastAssociation,
  type MulticastConfig,
  type MulticastInput,
  type MulticastOutput,
} from "./multicast.ts";
import { type Carriage, carriageText } from "./pdus.ts";
import { associationServer } from "./server.ts";
import type {
  AssociationOutput,
  ClientConfig,
  ClientInput,
  ServerConfig,
  ServerInput,
} from "./types.ts";
import type { Xel } from "./xer_dom.ts";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Any value to JSON: bytes as hex, NaN/±Infinity/-0 spelled out, undefined fields dropped. */
export function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return { $hex: toHex(v) };
  if (typeof v === "number") {
    if (Number.isNaN(v) || !Number.isFinite(v) || Object.is(v, -0)) {
      return { $num: Object.is(v, -0) ? "-0" : String(v) };
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === "object" && v !== null) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return v as Json;
}

/** The inverse of {@link toJson}. */
export function fromJson(j: unknown): unknown {
  if (Array.isArray(j)) return j.map(fromJson);
  if (typeof j === "object" && j !== null) {
    const o = j as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$hex === "string") return fromHex(o.$hex);
    if (keys.length === 1 && typeof o.$num === "string") return Number(o.$num);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = fromJson(o[k]);
    return out;
  }
  return j;
}

/** `iq-set:<id>`, `iq-result:<id>` or `message`, back to a carriage. */
export function carriageOf(text: string): Carriage {
  if (text === "message") return { kind: "message" };
  const m = /^iq-(set|result):(.*)$/.exec(text);
  if (!m) throw new Error(`carriage ${text}`);
  return { kind: "iq", type: m[1] as "set" | "result", id: m[2] };
}

/** An input as JSON. PDUs as XER text (or `hex` when not UTF-8), presence as stanza text. */
export type JsonInput = { readonly type: string; readonly now: number; readonly [k: string]: Json };

export function inputToJson(i: ClientInput | ServerInput | MulticastInput): JsonInput {
  switch (i.type) {
    case "pdu": {
      let xml: string | undefined;
      try {
        xml = fromUtf8(i.data);
      } catch { /* not UTF-8: carried as hex */ }
      return {
        type: i.type,
        ...(xml === undefined ? { hex: toHex(i.data) } : { xml }),
        carriage: carriageText(i.carriage),
        from: i.from,
        now: i.now,
      };
    }
    case "presence":
      return { type: i.type, xml: i.stanza.toString(), now: i.now };
    case "report":
      if ("data" in i) {
        return {
          type: i.type,
          xml: fromUtf8(i.data),
          ...(i.from ? { from: i.from } : {}),
          now: i.now,
        };
      }
      return toJson(i) as JsonInput;
    default:
      return toJson(i) as JsonInput;
  }
}

export function inputFromJson(j: JsonInput): ClientInput & ServerInput & MulticastInput {
  switch (j.type) {
    case "pdu":
      return {
        type: "pdu",
        data: typeof j.hex === "string" ? fromHex(j.hex) : utf8(j.xml as string),
        carriage: carriageOf(j.carriage as string),
        from: j.from,
        now: j.now,
      } as never;
    case "presence":
      return {
        type: "presence",
        stanza: parseElement(j.xml as string) as unknown as Xel,
        now: j.now,
      } as never;
    case "report":
      if (typeof j.xml === "string") return { ...j, data: utf8(j.xml), xml: undefined } as never;
      return fromJson(j) as never;
    default:
      return fromJson(j) as never;
  }
}

/** An output as JSON, for comparison. */
export type OutputSummary =
  | { readonly send: string; readonly carriage?: string }
  | { readonly ping: string }
  | { readonly timer: number }
  | { readonly event: Json }
  | { readonly error: string };

export function summarize(o: AssociationOutput | MulticastOutput): OutputSummary {
  switch (o.type) {
    case "send":
      return "carriage" in o
        ? { send: fromUtf8(o.data), carriage: carriageText(o.carriage) }
        : { send: fromUtf8(o.data) };
    case "ping":
      return { ping: o.id };
    case "timer":
      return { timer: o.at };
    case "event":
      return { event: toJson(o.event) };
    case "error":
      return { error: o.code };
  }
}

export type Role = "client" | "server" | "multicast";

export interface TranscriptRun {
  readonly phase: string;
  /** Outputs of the last input. */
  readonly last: OutputSummary[];
  /** Error codes of the inputs before the last (a clean prefix has none). */
  readonly earlier: string[];
  readonly edges: string[];
}

/** Runs a transcript with declared-edge checking (throws on an undeclared step). */
export function runTranscript(
  role: Role,
  config: unknown,
  inputs: readonly JsonInput[],
): TranscriptRun {
  const decoded = inputs.map(inputFromJson);
  const run = (): {
    phase: string;
    trace: {
      from: string;
      to: string;
      edge: { on: string };
      out: readonly (AssociationOutput | MulticastOutput)[];
    }[];
  } => {
    if (role === "client") {
      const r = runChecked(
        associationClient,
        associationClient.init(config as ClientConfig),
        decoded as ClientInput[],
      );
      return { phase: r.state.phase, trace: r.trace };
    }
    if (role === "server") {
      const r = runChecked(
        associationServer,
        associationServer.init(config as ServerConfig),
        decoded as ServerInput[],
      );
      return { phase: r.state.phase, trace: r.trace };
    }
    const r = runChecked(
      multicastAssociation,
      multicastAssociation.init(config as MulticastConfig),
      decoded as MulticastInput[],
    );
    return { phase: r.state.phase, trace: r.trace };
  };
  const { phase, trace } = run();
  const codes = (out: readonly (AssociationOutput | MulticastOutput)[]) =>
    out.flatMap((o) => o.type === "error" ? [o.code] : []);
  return {
    phase,
    last: trace.length === 0 ? [] : trace[trace.length - 1].out.map(summarize),
    earlier: trace.slice(0, -1).flatMap((t) => codes(t.out)),
    edges: trace.map((t) => `${t.from} --${t.edge.on}--> ${t.to}`),
  };
}

/** The refusal codes among outputs: errors, and inputs ignored with a code. */
export function refusalCodes(out: readonly OutputSummary[]): string[] {
  return out.flatMap((o) => {
    if ("error" in o) return [o.error];
    if ("event" in o) {
      const e = o.event as { type?: string; code?: string };
      if (e.type === "ignored" && typeof e.code === "string") return [e.code];
    }
    return [];
  });
}
