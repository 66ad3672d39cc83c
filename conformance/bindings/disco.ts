/**
 * The reference service discovery (XEP-0030) at protocol level: the
 * requester machine ("disco.requester": config as in the vectors, inputs as
 * vector inputs with stanzas as XML text, outputs in the vectors' summary
 * form) and the responder function `disco.respond` {entity, request} →
 * {answer} (XML text, or null when the entity does not answer).
 *
 * @module
 */
import { runChecked } from "../../core/machine.ts";
import { discoRequester } from "../../state-machines/disco/requester.ts";
import type { DiscoEntity } from "../../state-machines/disco/responder.ts";
import type { RequesterConfig, RequesterState } from "../../state-machines/disco/types.ts";
import {
  type RequesterVectorInput,
  runResponder,
  summarizeRequester,
  toRequesterInput,
} from "../../state-machines/disco/vectors.ts";
import type { FunctionBinding, MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs, obj, str } from "./args.ts";

const requester: MachineBinding = (config) => {
  let state: RequesterState = discoRequester.init(asIs<RequesterConfig>(config));
  return {
    reply: { out: [], phase: state.phase },
    session: {
      step(input) {
        const { state: next, trace } = runChecked(discoRequester, state, [
          toRequesterInput(asIs<RequesterVectorInput>(input)),
        ]);
        state = next;
        const t = trace[0];
        // JSON round trip: what a vector file holds (no undefined members).
        return {
          out: JSON.parse(JSON.stringify(t.out.map(summarizeRequester))) as JsonObject[],
          phase: state.phase,
          edges: [`${discoRequester.name}: ${t.from} --${t.edge.on}--> ${t.to}`],
        };
      },
    },
  };
};

const functions: Record<string, FunctionBinding> = {
  "disco.respond": (args) => ({
    answer: runResponder(asIs<DiscoEntity>(obj(args, "entity")), str(args, "request")),
  }),
};

export const discoBindings = { functions, machines: { "disco.requester": requester } };
