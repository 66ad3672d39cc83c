/**
 * The reference market at protocol level: the function `tariff.verify`
 * {policy, xml, now, lastSeq, itemId?} → {tariff} (refused with the
 * tariff's error code), and the machines "pubsub.publisher" and
 * "pubsub.subscriber" (configs as in the vectors, key material in hex;
 * inputs as vector inputs with stanzas as XML text; outputs in the vectors'
 * summary form). Every step is checked against the declared transitions.
 *
 * @module
 */
import { DerlinkError, type ErrorCode } from "../../core/errors.ts";
import { runChecked } from "../../core/machine.ts";
import { publisher } from "../../state-machines/pubsub/publisher.ts";
import { subscriber } from "../../state-machines/pubsub/subscriber.ts";
import {
  type PolicyJson,
  publisherFromJson,
  type PublisherJson,
  runTariffCase,
  subscriberFromJson,
  type SubscriberJson,
  summarize,
  toPublisherInput,
  toSubscriberInput,
} from "../../state-machines/pubsub/vectors.ts";
import type { FunctionBinding, MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs, num, obj, str } from "./args.ts";

/** A machine binding for one of the two market machines. */
function binding<C, S extends { phase: string }, I extends { type: string }, O>(
  machine: {
    name: string;
    init(c: C): S;
    step(s: S, i: I): { state: S; out: readonly O[] };
    phases: readonly string[];
    transitions: readonly { from: string; on: string; to: string; spec: readonly string[] }[];
  },
  config: (json: JsonObject) => C,
  input: (json: JsonObject) => I,
): MachineBinding {
  return (json) => {
    let state = machine.init(config(json));
    return {
      reply: { out: [], phase: state.phase },
      session: {
        step(i) {
          const { state: next, trace } = runChecked(machine, state, [input(i)]);
          state = next;
          const t = trace[0];
          return {
            out: JSON.parse(
              JSON.stringify(t.out.map((o) => summarize(o as never))),
            ) as JsonObject[],
            phase: state.phase,
            edges: [`${machine.name}: ${t.from} --${t.edge.on}--> ${t.to}`],
          };
        },
      },
    };
  };
}

const functions: Record<string, FunctionBinding> = {
  "tariff.verify": (args) => {
    const r = runTariffCase(asIs<PolicyJson>(obj(args, "policy")), {
      xml: str(args, "xml"),
      now: num(args, "now"),
      lastSeq: num(args, "lastSeq"),
      ...(args.itemId !== undefined ? { itemId: str(args, "itemId") } : {}),
    });
    if ("error" in r) throw new DerlinkError(r.error as ErrorCode, "tariff refused");
    return r as JsonObject;
  },
};

export const pubsubBindings = {
  functions,
  machines: {
    "pubsub.publisher": binding(
      publisher,
      (j) => publisherFromJson(asIs<PublisherJson>(j)),
      (j) => toPublisherInput(asIs(j)),
    ),
    "pubsub.subscriber": binding(
      subscriber,
      (j) => subscriberFromJson(asIs<SubscriberJson>(j)),
      (j) => toSubscriberInput(asIs(j)),
    ),
  },
};
