/**
 * Negative client vectors, second part: inputs in the wrong phase, initiate
 * answers out of bounds, spoofed senders and presence, malformed and
 * oversize PDUs.
 *
 * @module
 */
import { AssociationError as E } from "./errors.ts";
import type { Carriage } from "./pdus.ts";
import { DEFAULT_PROPOSAL } from "./settings.ts";
import { CLIENT_JID, OTHER_JID, presence, SERVER_JID, T0, type Timeless } from "./testing.ts";
import type { ClientInput } from "./types.ts";
import {
  associated,
  CLIENT_SETTINGS,
  CONTROL,
  operated,
  report,
  SERVER_SETTINGS,
} from "./vectorgen_scenarios.ts";
import { type NegativeAdder, pduInput, scenario } from "./vectorgen_tools.ts";
import { pendingRead, READ_REQUEST as readReq, readAnswer } from "./vectorgen_scenarios.ts";
import { MALFORMED } from "./vectorgen_xer_malformed.ts";

const result = (id: string): Carriage => ({ kind: "iq", type: "result", id });
const MSG: Carriage = { kind: "message" };

export function clientPhaseNegatives(add: NegativeAdder<ClientInput>): void {
  // Phases.
  const aborted = () => {
    const sc = associated();
    sc.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") });
    return sc;
  };
  add("request after abort", ["phase"], ["PD-149", "PAPER-MAP3"], aborted, {
    type: "request",
    request: readReq,
  }, E.aborted);
  add(
    "response after abort",
    ["phase"],
    ["PD-149"],
    () => {
      const sc = pendingRead();
      sc.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") });
      return sc;
    },
    pduInput(readAnswer(1), result("m1"), SERVER_JID),
    E.aborted,
  );
  add(
    "request before associate",
    ["phase"],
    ["IEC61850-ASSOCIATE"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    { type: "request", request: readReq },
    E["not-associated"],
  );
  add(
    "request while concluding",
    ["phase"],
    ["IEC61850-CONCLUDE"],
    () => {
      const sc = associated();
      sc.p.deliver = false;
      sc.client({ type: "conclude" });
      return sc;
    },
    { type: "request", request: readReq },
    E["unexpected-input"],
  );
  add("associate while associated", ["phase"], ["IEC61850-ASSOCIATE"], associated, {
    type: "associate",
  }, E["unexpected-input"]);
  add(
    "abort before associate",
    ["phase"],
    ["PD-146"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    { type: "abort" },
    E["not-associated"],
  );
  add(
    "conclude with a request outstanding",
    ["phase"],
    ["IEC61850-CONCLUDE", "PD-146"],
    pendingRead,
    { type: "conclude" },
    E["requests-outstanding"],
  );
  add(
    "conclude with a command owing its termination",
    ["phase"],
    ["IEC61850-CMDTERM", "PD-146"],
    () => operated(associated()),
    { type: "conclude" },
    E["requests-outstanding"],
  );
  add(
    "too many requests outstanding",
    ["limit"],
    ["PD-143", "PD-145"],
    () => {
      const sc = associated();
      sc.p.deliver = false;
      for (let i = 0; i < 3; i++) sc.client({ type: "request", request: readReq });
      return sc;
    },
    { type: "request", request: readReq },
    E["too-many-outstanding"],
  );
  add(
    "service not negotiated",
    ["limit"],
    ["PD-143"],
    () =>
      associated(
        CLIENT_SETTINGS,
        { ...SERVER_SETTINGS, services: ["read", "information-report"] } as typeof SERVER_SETTINGS,
      ),
    { type: "request", request: { service: "select", control: CONTROL } },
    E["service-unsupported"],
  );
  add("request with 65 items", ["limit"], ["PD-142"], associated, {
    type: "request",
    request: { service: "read", items: Array(65).fill(readReq.items[0]) },
  }, E["too-many-items"]);
  add("write with a string over the limit", ["limit"], ["PD-142"], associated, {
    type: "request",
    request: {
      service: "write",
      items: [{
        ref: { ref: "A", fc: "SP" },
        value: { type: "visible-string", value: "x".repeat(1025) },
      }],
    },
  }, E["string-too-long"]);
  add(
    "unexpected PDU: a confirmed request at the client",
    ["unexpected"],
    ["PD-153"],
    associated,
    pduInput({ kind: "confirmed-request", invokeId: 1, request: readReq }, {
      kind: "iq",
      type: "set",
      id: "s1",
    }, SERVER_JID),
    E["unexpected-pdu"],
  );
  add(
    "unexpected PDU: initiate response while associated",
    ["unexpected"],
    ["PD-143"],
    associated,
    pduInput({ kind: "initiate-response", params: DEFAULT_PROPOSAL }, result("a1"), SERVER_JID),
    E["unexpected-pdu"],
  );
  add(
    "report before the association",
    ["unexpected"],
    ["PD-143"],
    () => {
      const sc = scenario(CLIENT_SETTINGS, SERVER_SETTINGS);
      sc.p.deliver = false;
      sc.client({ type: "associate" });
      return sc;
    },
    pduInput({ kind: "information-report", report: report(1) }, MSG, SERVER_JID),
    E["unexpected-pdu"],
  );

  add(
    "conclude refused by the server",
    ["phase"],
    ["IEC61850-CONCLUDE", "PD-146"],
    () => {
      const sc = associated();
      sc.p.deliver = false;
      sc.client({ type: "conclude" });
      return sc;
    },
    pduInput({ kind: "conclude-error" }, result("c1"), SERVER_JID),
    E["conclude-refused"],
  );

  // Initiate (PD-143).
  const associating = () => {
    const sc = scenario(CLIENT_SETTINGS, SERVER_SETTINGS);
    sc.p.deliver = false;
    sc.client({ type: "associate" });
    return sc;
  };
  const answer = (over: Partial<typeof DEFAULT_PROPOSAL>) =>
    pduInput(
      { kind: "initiate-response", params: { ...DEFAULT_PROPOSAL, ...over } },
      result("a1"),
      SERVER_JID,
    );
  add(
    "initiate response raising max outstanding",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ maxOutstanding: 17 }),
    E["over-limit"],
  );
  add(
    "initiate response raising max PDU size",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ maxPduSize: 65537 }),
    E["over-limit"],
  );
  add(
    "initiate response raising nesting",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ maxNesting: 11 }),
    E["over-limit"],
  );
  add(
    "initiate response below the PDU size bound",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ maxPduSize: 512 }),
    E["over-limit"],
  );
  add(
    "initiate response with zero outstanding",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ maxOutstanding: 0 }),
    E["over-limit"],
  );
  add(
    "initiate response of version 2",
    ["initiate"],
    ["PD-143"],
    associating,
    answer({ version: 2 }),
    E["over-limit"],
  );
  add(
    "initiate response adding a service not proposed",
    ["initiate"],
    ["PD-143"],
    () => {
      const sc = scenario(
        { ...CLIENT_SETTINGS, proposal: { services: ["read"] } } as typeof CLIENT_SETTINGS,
        SERVER_SETTINGS,
      );
      sc.p.deliver = false;
      sc.client({ type: "associate" });
      return sc;
    },
    answer({ services: ["read", "write"] }),
    E["over-limit"],
  );
  add(
    "initiate refused by the server",
    ["initiate"],
    ["PD-143"],
    associating,
    pduInput({ kind: "initiate-error", code: "other" }, result("a1"), SERVER_JID),
    E["initiate-refused"],
  );
  add(
    "initiate answer in the wrong iq",
    ["initiate"],
    ["PD-143", "RFC6120-8.2.3"],
    associating,
    pduInput({ kind: "initiate-response", params: DEFAULT_PROPOSAL }, result("a9"), SERVER_JID),
    E["unsolicited-response"],
  );
  add("initiate unanswered", ["initiate"], ["PD-145"], associating, {
    type: "tick",
    now: T0 + 30_000,
  }, E.timeout);

  // Senders and presence (PD-149, PD-152).
  for (
    const from of [
      OTHER_JID,
      "der1@grid.example",
      "der1@grid.example/other",
      "der1@evil.example/iec61850",
      CLIENT_JID,
    ]
  ) {
    add(
      `PDU from ${from}`,
      ["spoof"],
      ["PD-152", "RFC6120-8.1.2.1"],
      pendingRead,
      pduInput(readAnswer(1), result("m1"), from),
      E["wrong-sender"],
    );
    add(`presence unavailable from ${from}`, ["spoof"], ["PD-149", "PAPER-MAP3"], pendingRead, {
      type: "presence",
      stanza: presence(from, "unavailable"),
    }, E["spoofed-presence"]);
  }
  add("presence without from", ["spoof"], ["PD-149"], pendingRead, {
    type: "presence",
    stanza: presence(undefined, "unavailable"),
  }, E["spoofed-presence"]);
  add("pong from another address", ["spoof"], ["PD-150"], associated, {
    type: "pong",
    id: "p1",
    from: OTHER_JID,
  }, E["wrong-sender"]);

  // Malformed and oversize PDUs (PD-141, PD-142).
  for (const [name, xml, error] of MALFORMED.filter((_, i) => i % 3 === 0)) {
    add(
      `malformed response: ${name}`,
      ["malformed"],
      ["PD-141", "PD-142"],
      pendingRead,
      pduInput(xml, result("m1"), SERVER_JID),
      error,
    );
  }
  add(
    "response larger than the negotiated PDU size",
    ["limit"],
    ["PD-142", "PD-143"],
    () =>
      associated({ ...CLIENT_SETTINGS, proposal: { maxPduSize: 1024 } } as typeof CLIENT_SETTINGS),
    pduInput(
      {
        kind: "confirmed-response",
        invokeId: 1,
        response: {
          service: "read",
          results: [{ type: "visible-string", value: "x".repeat(1000) }],
        },
      },
      result("m1"),
      SERVER_JID,
    ),
    E["pdu-too-large"],
  );
  add("input with a negative time", ["input"], ["DL-MACHINE-1"], associated, {
    type: "tick",
    now: -1,
  }, E["invalid-input"]);
  add(
    "request without a request",
    ["input"],
    ["DL-MACHINE-1"],
    associated,
    { type: "request" } as unknown as Timeless<ClientInput>,
    E["invalid-input"],
  );
}
