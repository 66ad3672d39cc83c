/**
 * Negative transcript vectors of the client role: each runs a real
 * scenario to a point, then gives the client one input it must refuse with
 * its code (or ignore as spoofed), leaving a defined phase.
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import { AssociationError as E } from "./errors.ts";
import type { Carriage, MmsPdu } from "./pdus.ts";
import { DEFAULT_PROPOSAL } from "./settings.ts";
import { CLIENT_JID, OTHER_JID, presence, SERVER_JID, T0, type Timeless } from "./testing.ts";
import type { ClientInput } from "./types.ts";
import {
  associated,
  BREAKER,
  CLIENT_SETTINGS,
  CONTROL,
  operated,
  params,
  report,
  selected,
  SERVER_SETTINGS,
} from "./vectorgen_scenarios.ts";
import { pduInput, roleCase, type Scenario, scenario } from "./vectorgen_tools.ts";
import { MALFORMED } from "./vectorgen_xer.ts";

const result = (id: string): Carriage => ({ kind: "iq", type: "result", id });
const MSG: Carriage = { kind: "message" };
const readReq = {
  service: "read" as const,
  items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" as const }],
};
const readAnswer = (invokeId: number): MmsPdu => ({
  kind: "confirmed-response",
  invokeId,
  response: { service: "read", results: [{ type: "boolean", value: true }] },
});

/** A scenario with one read outstanding (invoke 1, iq m1). */
function pendingRead(): Scenario {
  const sc = associated();
  sc.client({ type: "request", request: readReq });
  return sc;
}

interface Neg {
  comment: string;
  spec: string[];
  flags: string[];
  setup: () => Scenario;
  input: Timeless<ClientInput>;
  error: string;
}

export function clientNegatives(): TestCase[] {
  const n: Neg[] = [];
  const add = (
    comment: string,
    flags: string[],
    spec: string[],
    setup: () => Scenario,
    input: Timeless<ClientInput>,
    error: string,
  ) => n.push({ comment, flags, spec, setup, input, error });

  // Correlation (PD-144).
  for (const id of [0, 2, 99, 4294967295]) {
    add(
      `response with unknown invoke id ${id}`,
      ["invoke"],
      ["PD-144"],
      pendingRead,
      pduInput(readAnswer(id), result(`m${id}`), SERVER_JID),
      E["unknown-invoke-id"],
    );
  }
  add(
    "response in another iq's result (response to an unsent request)",
    ["invoke"],
    ["PD-144", "RFC6120-8.2.3"],
    pendingRead,
    pduInput(readAnswer(1), result("m7"), SERVER_JID),
    E["unsolicited-response"],
  );
  add(
    "reject matching no request",
    ["invoke"],
    ["PD-144"],
    pendingRead,
    pduInput({ kind: "reject", reason: "malformed" }, result("zz"), SERVER_JID),
    E["unsolicited-response"],
  );
  add(
    "response in a message",
    ["carriage"],
    ["PAPER-MAP1", "PD-140"],
    pendingRead,
    pduInput(readAnswer(1), MSG, SERVER_JID),
    E["wrong-carriage"],
  );
  add(
    "report in an iq result",
    ["carriage"],
    ["PAPER-MAP2", "PD-140"],
    associated,
    pduInput({ kind: "information-report", report: report(1) }, result("m1"), SERVER_JID),
    E["wrong-carriage"],
  );
  add(
    "duplicate response",
    ["invoke"],
    ["PD-144"],
    () => {
      const sc = pendingRead();
      sc.server({
        type: "respond",
        invokeId: 1,
        answer: { service: "read", results: [{ type: "boolean", value: true }] },
      });
      return sc;
    },
    pduInput(readAnswer(1), result("m1"), SERVER_JID),
    E["duplicate-response"],
  );
  add(
    "response after the request timed out",
    ["invoke"],
    ["PD-145"],
    () => {
      const sc = pendingRead();
      sc.p.now = T0 + 5_000;
      sc.client({ type: "tick" });
      return sc;
    },
    pduInput(readAnswer(1), result("m1"), SERVER_JID),
    E["late-response"],
  );
  add(
    "response for another service",
    ["mismatch"],
    ["PD-144"],
    pendingRead,
    pduInput(
      { kind: "confirmed-response", invokeId: 1, response: { service: "write", results: [null] } },
      result("m1"),
      SERVER_JID,
    ),
    E["service-mismatch"],
  );
  add(
    "read response with more results than items",
    ["mismatch"],
    ["PD-144"],
    pendingRead,
    pduInput(
      {
        kind: "confirmed-response",
        invokeId: 1,
        response: { service: "read", results: ["object-undefined", "object-undefined"] },
      },
      result("m1"),
      SERVER_JID,
    ),
    E["service-mismatch"],
  );
  const pendingSelect = () => {
    const sc = associated();
    sc.client({
      type: "request",
      request: { service: "select-with-value", control: CONTROL, params: params(3) },
    });
    return sc;
  };
  add(
    "control response with another ctlNum",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    pendingSelect,
    pduInput(
      {
        kind: "confirmed-response",
        invokeId: 1,
        response: { service: "select-with-value", control: CONTROL, ctlNum: 4 },
      },
      result("m1"),
      SERVER_JID,
    ),
    E["ctlnum-mismatch"],
  );
  add(
    "control response for another control",
    ["control"],
    ["PD-147"],
    pendingSelect,
    pduInput(
      {
        kind: "confirmed-response",
        invokeId: 1,
        response: { service: "select-with-value", control: BREAKER, ctlNum: 3 },
      },
      result("m1"),
      SERVER_JID,
    ),
    E["service-mismatch"],
  );

  // Controls refused before they are sent (PD-147).
  add(
    "operate without select (enhanced security)",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    associated,
    { type: "request", request: { service: "operate", control: CONTROL, params: params(3) } },
    E["not-selected"],
  );
  add(
    "operate with a stale ctlNum",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    () => selected(associated()),
    { type: "request", request: { service: "operate", control: CONTROL, params: params(2) } },
    E["ctlnum-mismatch"],
  );
  add(
    "operate with another value than selected",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    () => selected(associated()),
    {
      type: "request",
      request: {
        service: "operate",
        control: CONTROL,
        params: params(3, { ctlVal: { type: "float", value: 9000, width: 32 } }),
      },
    },
    E["parameters-mismatch"],
  );
  add(
    "operate with the test flag changed",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    () => selected(associated()),
    {
      type: "request",
      request: { service: "operate", control: CONTROL, params: params(3, { test: true }) },
    },
    E["parameters-mismatch"],
  );
  add(
    "operate after the select timed out",
    ["control"],
    ["IEC61850-SBO-TIMEOUT", "PD-147"],
    () => {
      const sc = selected(associated());
      sc.p.now = T0 + 30_000;
      return sc;
    },
    { type: "request", request: { service: "operate", control: CONTROL, params: params(3) } },
    E["select-expired"],
  );
  add(
    "operate a second time on one select",
    ["control"],
    ["PD-147"],
    () => operated(associated()),
    { type: "request", request: { service: "operate", control: CONTROL, params: params(3) } },
    E["not-selected"],
  );
  add(
    "command termination for an unknown control",
    ["control"],
    ["IEC61850-CMDTERM", "PD-147"],
    associated,
    pduInput(
      { kind: "command-termination", termination: { control: CONTROL, ctlNum: 3 } },
      MSG,
      SERVER_JID,
    ),
    E["unknown-control"],
  );
  add(
    "command termination with a stale ctlNum",
    ["control"],
    ["IEC61850-CMDTERM", "PD-147"],
    () => operated(associated()),
    pduInput(
      { kind: "command-termination", termination: { control: CONTROL, ctlNum: 2 } },
      MSG,
      SERVER_JID,
    ),
    E["ctlnum-mismatch"],
  );
  add(
    "second command termination",
    ["control"],
    ["IEC61850-CMDTERM", "PD-147"],
    () => {
      const sc = operated(associated());
      sc.server({ type: "terminate", termination: { control: CONTROL, ctlNum: 3 } });
      return sc;
    },
    pduInput(
      { kind: "command-termination", termination: { control: CONTROL, ctlNum: 3 } },
      MSG,
      SERVER_JID,
    ),
    E["unknown-control"],
  );

  // Reports (PD-148).
  const reported = (...sqs: number[]) => () => {
    const sc = associated();
    for (const sq of sqs) sc.server({ type: "report", report: report(sq) });
    return sc;
  };
  const rep = (sq: number) =>
    pduInput({ kind: "information-report", report: report(sq) }, MSG, SERVER_JID);
  add(
    "report sequence gap",
    ["report"],
    ["PD-148", "IEC61850-SQNUM"],
    reported(5),
    rep(7),
    E["report-gap"],
  );
  add(
    "report sequence gap across the wrap",
    ["report"],
    ["PD-148"],
    reported(65534),
    rep(1),
    E["report-gap"],
  );
  add("duplicate report", ["report"], ["PD-148"], reported(5), rep(5), E["duplicate-report"]);
  add("stale report", ["report"], ["PD-148"], reported(5, 6), rep(4), E["stale-report"]);
  add(
    "stale report far behind",
    ["report"],
    ["PD-148"],
    reported(40000),
    rep(7300),
    E["stale-report"],
  );

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

  return n.map((c) => {
    const sc = c.setup();
    sc.p.deliver = false;
    sc.client(c.input);
    return roleCase("client", sc, {
      comment: c.comment,
      spec: c.spec,
      flags: c.flags,
      error: c.error,
    });
  });
}
