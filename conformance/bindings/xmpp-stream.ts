/**
 * The reference XMPP stream machines at protocol level
 * ("xmpp-stream.initiator", "xmpp-stream.receiver"), each behind its XML
 * reader. The config is the vector's JSON configuration (entropy `seed`,
 * SCRAM credentials in hex) with an optional `limits` member for the XML
 * reader; each input is one vector step (`peer` text, `peerHex`, a `tls`
 * completion or a control `input`), each output one of the JSON forms of
 * `JsonStreamOutput`.
 *
 * @module
 */
import type { XmlLimits } from "../../core/xml.ts";
import {
  type ReplayCase,
  type ReplayStep,
  startReplay,
} from "../../state-machines/xmpp-stream/replay.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { asIs } from "./args.ts";

const machine = (role: ReplayCase["role"]): MachineBinding => (config) => {
  const { limits, ...rest } = config;
  const run = startReplay(
    role,
    asIs<ReplayCase["config"]>(rest),
    limits === undefined ? undefined : asIs<Partial<XmlLimits>>(limits as JsonObject),
  );
  return {
    reply: { out: [], phase: run.phase },
    session: {
      step(input) {
        const r = run.step(asIs<ReplayStep>(input));
        return { out: r.out as unknown as JsonObject[], phase: run.phase, edges: r.edges };
      },
    },
  };
};

export const xmppStreamBindings = {
  functions: {},
  machines: {
    "xmpp-stream.initiator": machine("initiator"),
    "xmpp-stream.receiver": machine("receiver"),
  },
};
