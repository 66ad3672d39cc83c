/**
 * Room machine transcript vectors: the input format (stanzas as XML text),
 * the output summary both the generator and the checker use, and the
 * runner. One code path for generation, unit tests and conformance.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { room } from "./machine.ts";
import type { RoomConfig, RoomInput, RoomOutput, RoomState } from "./types.ts";

/** A room input as JSON: stanzas and payloads as XML text. */
export type VectorInput =
  | { readonly type: "join" | "leave" }
  | { readonly type: "stanza"; readonly xml: string }
  | { readonly type: "grant" | "revoke"; readonly jid: string }
  | { readonly type: "publish"; readonly xml: string };

/** An output as JSON, for comparison. */
export type OutputSummary =
  | { readonly send: string }
  | { readonly event: string }
  | { readonly spdu: string; readonly nick: string; readonly from?: string }
  | { readonly gdoi: string; readonly kind: string; readonly via: string; readonly from?: string }
  | { readonly error: string };

export function toInput(v: VectorInput): RoomInput {
  switch (v.type) {
    case "stanza":
      return { type: "stanza", stanza: parseElement(v.xml) as unknown as Xel };
    case "publish":
      return { type: "publish", payload: parseElement(v.xml) as unknown as Xel };
    default:
      return v as RoomInput;
  }
}

export function summarize(o: RoomOutput): OutputSummary {
  switch (o.type) {
    case "send":
      return { send: o.stanza.toString() };
    case "event":
      return { event: o.event.type };
    case "spdu":
      return { spdu: toHex(o.data), nick: o.nick, ...(o.from ? { from: o.from } : {}) };
    case "gdoi":
      return { gdoi: toHex(o.data), kind: o.kind, via: o.via, ...(o.from ? { from: o.from } : {}) };
    case "error":
      return { error: o.code };
  }
}

/** Runs a transcript with declared-edge checking; returns the final phase, last step's outputs and covered edges. */
export function runTranscript(config: RoomConfig, inputs: readonly VectorInput[]): {
  state: RoomState;
  last: OutputSummary[];
  edges: string[];
} {
  const { state, trace } = runChecked(room, room.init(config), inputs.map(toInput));
  const last = trace.length === 0 ? [] : trace[trace.length - 1].out.map(summarize);
  return { state, last, edges: trace.map((t) => `${t.from} --${t.edge.on}--> ${t.to}`) };
}
