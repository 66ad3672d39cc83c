/**
 * The reference per-message channel at protocol level
 * ("per-message.channel"). The config is the vectors' JSON channel
 * (certificates base64, the certificate key hex, `seed`, `policy`); inputs
 * are `{type: "receive", xml, from, now}` and the local inputs (`start`,
 * `send` with a hex payload, `release`, `abort`, `tick`); outputs are in
 * canonical JSON form (an error keeps only its code, data its payload hex).
 *
 * @module
 */
import {
  type JsonChannelConfig,
  type JsonInput,
  startJsonChannel,
} from "../../state-machines/per-message/json.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs } from "./args.ts";

const channel: MachineBinding = (config) => {
  const run = startJsonChannel(asIs<JsonChannelConfig>(config));
  return {
    reply: { out: [], phase: run.phase },
    session: {
      step(input) {
        const r = run.step(asIs<JsonInput>(input));
        return { out: r.out as JsonObject[], phase: r.phase };
      },
    },
  };
};

export const perMessageBindings = {
  functions: {},
  machines: { "per-message.channel": channel },
};
