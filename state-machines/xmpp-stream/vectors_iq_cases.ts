/**
 * Vector scenarios for the initiator's iq bookkeeping: across XEP-0198
 * resumption the requests in flight travel in the resumption token, so a
 * response after `<resumed/>` is delivered (PD-106), and without them it is
 * refused as unknown; a request the application abandons (`cancel-iq`)
 * frees its slot and its late response is refused (PD-107).
 *
 * @module
 */
import { Element } from "ltx";
import { DOMAIN, iqGet } from "./testing.ts";
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

const answer = (id: string) => (p: Pair) =>
  p.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "result", id, from: ROMEO, to: FULL }),
  });
const ask = (id: string) => (p: Pair) => p.clientInput({ type: "send", stanza: iqGet(ROMEO, id) });
const cancel = (id: string) => (p: Pair) => p.clientInput({ type: "cancel-iq", id });
const run = (...steps: ((p: Pair) => void)[]) => (p: Pair) => steps.forEach((f) => f(p));
/** One iq slot, so that freeing it shows. */
const ONE_SLOT = { maxPendingIq: 1 };

export const IQ_INITIATOR_VALID: Scenario[] = [
  {
    comment: "an abandoned iq request (cancel-iq) frees its slot: with one slot the next is sent",
    flags: ["Transcript", "IqCancel"],
    spec: ["PD-107", "PD-75", "RFC6120-8.2.3"],
    role: "initiator",
    client: ONE_SLOT,
    script: run(ask("c1"), cancel("c1"), ask("c2"), answer("c2"), cancel("not-in-flight")),
    phase: "bound",
  },
  resumed({
    comment: "an iq request open before the loss is answered after <resumed/>: delivered",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-5.continue", "XEP0198-5.resume", "PD-106", "RFC6120-8.2.3"],
    script: lateResponse,
    phase: "bound",
  }, WITH_OPEN_IQ),
];

export const IQ_INITIATOR_INVALID: Scenario[] = [
  {
    comment: "the response to an abandoned iq request is refused as unknown",
    flags: ["IqCancel"],
    spec: ["PD-107", "PD-75"],
    role: "initiator",
    script: run(ask("c1"), cancel("c1"), answer("c1")),
    error: "xmpp/iq-unknown-id",
    phase: "bound",
  },
  {
    comment: "with its one slot taken, a second iq request is refused without being sent",
    flags: ["IqCancel"],
    spec: ["PD-75", "PD-107"],
    role: "initiator",
    client: ONE_SLOT,
    script: run(ask("c1"), ask("c2")),
    error: "xmpp/iq-limit",
    phase: "bound",
  },
  resumed({
    comment: "after <resumed/>, a response to a request the session never had is refused",
    flags: ["StreamManagement"],
    spec: ["PD-75", "PD-106", "RFC6120-8.2.3"],
    script: lateResponse,
    error: "xmpp/iq-unknown-id",
    phase: "bound",
  }, RESUME_TOKEN),
];
