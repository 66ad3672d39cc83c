/**
 * Vector scenarios for the initiator's iq bookkeeping across XEP-0198
 * resumption: the requests in flight travel in the resumption token, so a
 * response after `<resumed/>` is delivered (PD-106); without them it is
 * refused as unknown.
 *
 * @module
 */
import { Element } from "ltx";
import { DOMAIN } from "./testing.ts";
import type { Scenario } from "./stream_vectors.ts";
import { RESUME_TOKEN } from "./vectors_initiator_cases.ts";
import type { Pair } from "./pair.ts";

const FULL = `juliet@${DOMAIN}/balcony`;
const ROMEO = "romeo@example.net/garden";
const SM = {
  client: { streamManagement: { resume: true } },
  server: { streamManagement: { resume: true, max: 300 } },
};
/** The server's view of RESUME_TOKEN's session (as in the resumption transcript). */
const SERVER_VIEW = { ...RESUME_TOKEN, unacked: [], inbound: 3, outbound: 3 };
const WITH_OPEN_IQ = { ...RESUME_TOKEN, pendingOut: { "q-open": ROMEO } };

const lateResponse = (p: Pair) =>
  p.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "result", id: "q-open", from: ROMEO, to: FULL }),
  });

const resumed = (s: Omit<Scenario, "role" | "client" | "server">, token: object): Scenario => ({
  ...s,
  role: "initiator",
  client: { ...SM.client, resumeFrom: token as typeof RESUME_TOKEN },
  server: { ...SM.server, resumable: { [RESUME_TOKEN.id]: SERVER_VIEW } },
});

export const IQ_INITIATOR_VALID: Scenario[] = [
  resumed({
    comment: "an iq request open before the loss is answered after <resumed/>: delivered",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-5.continue", "XEP0198-5.resume", "PD-106", "RFC6120-8.2.3"],
    script: lateResponse,
    phase: "bound",
  }, WITH_OPEN_IQ),
];

export const IQ_INITIATOR_INVALID: Scenario[] = [
  resumed({
    comment: "after <resumed/>, a response to a request the session never had is refused",
    flags: ["StreamManagement"],
    spec: ["PD-75", "PD-106", "RFC6120-8.2.3"],
    script: lateResponse,
    error: "xmpp/iq-unknown-id",
    phase: "bound",
  }, RESUME_TOKEN),
];
