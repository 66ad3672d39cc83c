/**
 * Disco vector formats and runners, shared by the generator, the unit tests
 * and the conformance checkers: requester transcripts (inputs as JSON with
 * stanzas as XML text; the last input's outputs summarised) and responder
 * cases (an entity and a request; the answer as XML text).
 *
 * @module
 */
import { runChecked } from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { discoRequester } from "./requester.ts";
import { answerDisco, type DiscoEntity } from "./responder.ts";
import type { RequesterConfig, RequesterInput, RequesterOutput, RequesterState } from "./types.ts";

export type RequesterVectorInput =
  | {
    readonly type: "query";
    readonly kind: "info" | "items";
    readonly to: string;
    readonly node?: string;
    readonly now: number;
  }
  | { readonly type: "stanza"; readonly xml: string }
  | { readonly type: "tick"; readonly now: number };

export type RequesterOutputSummary = Record<string, unknown>;

export function toRequesterInput(v: RequesterVectorInput): RequesterInput {
  return v.type === "stanza"
    ? { type: "stanza", stanza: parseElement(v.xml) as unknown as Xel }
    : v as RequesterInput;
}

export function summarizeRequester(o: RequesterOutput): RequesterOutputSummary {
  switch (o.type) {
    case "send":
      return { send: o.stanza.toString() };
    case "set-timer":
      return { setTimer: o.name, at: o.at };
    case "clear-timer":
      return { clearTimer: o.name };
    case "info":
      return { info: o.id, from: o.from, node: o.node ?? null, ...o.info };
    case "items":
      return { items: o.id, from: o.from, node: o.node ?? null, list: o.items };
    case "failed":
      return { failed: o.id, code: o.code };
    case "error":
      return { error: o.code };
  }
}

/** Runs a requester transcript with declared-edge checking. */
export function runRequester(config: RequesterConfig, inputs: readonly RequesterVectorInput[]): {
  state: RequesterState;
  last: RequesterOutputSummary[];
  edges: string[];
} {
  const { state, trace } = runChecked(
    discoRequester,
    discoRequester.init(config),
    inputs.map(toRequesterInput),
  );
  const last = trace.length === 0 ? [] : trace[trace.length - 1].out.map(summarizeRequester);
  // JSON round trip: what a vector file holds (no undefined members).
  return {
    state,
    last: JSON.parse(JSON.stringify(last)),
    edges: trace.map((x) => `${x.from} --${x.edge.on}--> ${x.to}`),
  };
}

/** The responder's answer to `requestXml` as XML text, or null when it does not answer. */
export function runResponder(entity: DiscoEntity, requestXml: string): string | null {
  const answer = answerDisco(entity, parseElement(requestXml) as unknown as Xel);
  return answer === undefined ? null : answer.toString();
}
