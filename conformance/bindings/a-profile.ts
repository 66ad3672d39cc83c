/**
 * The reference A-profile machines at protocol level ("a-profile.initiator",
 * "a-profile.responder"). The config is the vector's JSON configuration
 * (certificates base64, `signingKey` hex for the IUT's own signer, `seed` for
 * its entropy) plus `autoSignSteps`; each input is a vector input, each
 * output the vectors' canonical JSON form (an error keeps only its code).
 *
 * @module
 */
import {
  type JsonConfig,
  type JsonInput,
  type Role,
  startReplay,
} from "../../state-machines/a-profile/replay.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs } from "./args.ts";

const machine = (role: Role): MachineBinding => (config) => {
  const run = startReplay(role, asIs<JsonConfig>(config), Number(config.autoSignSteps ?? 0));
  return {
    reply: { out: [], phase: run.phase },
    session: {
      step(input) {
        const r = run.step(asIs<JsonInput>(input));
        return { out: r.out as unknown as JsonObject[], phase: r.phase, edges: r.edges };
      },
    },
  };
};

export const aProfileBindings = {
  functions: {},
  machines: {
    "a-profile.initiator": machine("initiator"),
    "a-profile.responder": machine("responder"),
  },
};
