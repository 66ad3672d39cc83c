/**
 * The reference MUC room machine at protocol level ("muc.room"): the config
 * is the vector's room configuration, each input a vector input (stanzas as
 * XML text), each output the vectors' summary form. Every step is checked
 * against the declared transitions and reports its edge.
 *
 * @module
 */
import { runChecked } from "../../core/machine.ts";
import { room } from "../../state-machines/muc/machine.ts";
import type { RoomConfig, RoomState } from "../../state-machines/muc/types.ts";
import { summarize, toInput, type VectorInput } from "../../state-machines/muc/vectors.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs } from "./args.ts";

const mucRoom: MachineBinding = (config) => {
  let state: RoomState = room.init(asIs<RoomConfig>(config));
  return {
    reply: { out: [], phase: state.phase },
    session: {
      step(input) {
        const { state: next, trace } = runChecked(room, state, [toInput(asIs<VectorInput>(input))]);
        state = next;
        const t = trace[0];
        return {
          out: t.out.map((o) => summarize(o) as unknown as JsonObject),
          phase: state.phase,
          edges: [`${t.from} --${t.edge.on}--> ${t.to}`],
        };
      },
    },
  };
};

export const mucBindings = { functions: {}, machines: { "muc.room": mucRoom } };
