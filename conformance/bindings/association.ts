/**
 * The reference association at protocol level (vectors/association/):
 *
 * - machines `association.client`, `association.server`,
 *   `association.multicast`: the config as the vectors write it, each input
 *   in the vectors' JSON form (PDUs as XER text with their carriage,
 *   presence as stanza text), each output in their summary form; every step
 *   checked against the declared transitions, reporting its edge;
 * - `association.xer.decode` {xml | hex, limits?} → {pdu} (JSON form), or
 *   the codec's refusal code;
 * - `association.xer.encode` {pdu, limits?} → {xml}, or the refusal code.
 *
 * @module
 */
import { fromHex, fromUtf8, utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import type { Machine, Phased, Typed } from "../../core/machine.ts";
import { associationClient } from "../../state-machines/association/client.ts";
import { multicastAssociation } from "../../state-machines/association/multicast.ts";
import type { MmsPdu } from "../../state-machines/association/pdus.ts";
import { associationServer } from "../../state-machines/association/server.ts";
import {
  fromJson,
  inputFromJson,
  type JsonInput,
  summarize,
  toJson,
} from "../../state-machines/association/vectors.ts";
import { decodePdu, encodePdu } from "../../state-machines/association/xer.ts";
import { DEFAULT_XER_LIMITS, type XerLimits } from "../../state-machines/association/xer_limits.ts";
import type { FunctionBinding, MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs, obj } from "./args.ts";

function machine<C, S extends Phased, I extends Typed, O>(
  m: Machine<C, S, I, O>,
  summary: (o: O) => unknown,
): MachineBinding {
  return (config) => {
    let state = m.init(asIs<C>(config));
    return {
      reply: { out: [], phase: state.phase },
      session: {
        step(input) {
          const decoded = inputFromJson(asIs<JsonInput>(input)) as unknown as I;
          const { state: next, trace } = runChecked(m, state, [decoded]);
          state = next;
          const t = trace[0];
          return {
            out: t.out.map((o) => summary(o) as JsonObject),
            phase: state.phase,
            edges: [`${t.from} --${t.edge.on}--> ${t.to}`],
          };
        },
      },
    };
  };
}

const limitsOf = (args: JsonObject): XerLimits =>
  args.limits === undefined ? DEFAULT_XER_LIMITS : asIs<XerLimits>(obj(args, "limits"));

const functions: Record<string, FunctionBinding> = {
  "association.xer.decode": (args) => {
    const bytes = typeof args.hex === "string" ? fromHex(args.hex) : utf8(String(args.xml));
    const r = decodePdu(bytes, limitsOf(args));
    if (!r.ok) throw r.error;
    return { pdu: toJson(r.value) as JsonObject };
  },
  "association.xer.encode": (args) => {
    const r = encodePdu(fromJson(obj(args, "pdu")) as MmsPdu, limitsOf(args));
    if (!r.ok) throw r.error;
    return { xml: fromUtf8(r.value) };
  },
};

export const associationBindings = {
  functions,
  machines: {
    "association.client": machine(associationClient, summarize),
    "association.server": machine(associationServer, summarize),
    "association.multicast": machine(multicastAssociation, summarize),
  },
};
