/**
 * Negative transcript vectors of the server role: requests it rejects,
 * controls it answers negatively, initiates it refuses, application
 * answers it refuses, spoofed senders — each with its code.
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import { AssociationError as E } from "./errors.ts";
import type { Carriage, MmsPdu } from "./pdus.ts";
import type { ServiceRequest } from "./services.ts";
import { DEFAULT_PROPOSAL } from "./settings.ts";
import { CLIENT_JID, OTHER_JID, presence, SERVER_JID, T0, type Timeless } from "./testing.ts";
import type { ServerInput } from "./types.ts";
import {
  associated,
  CLIENT_SETTINGS,
  CONTROL,
  operated,
  params,
  report,
  selected,
  SERVER_SETTINGS,
} from "./vectorgen_scenarios.ts";
import { pduInput, roleCase, type Scenario, scenario } from "./vectorgen_tools.ts";
import { MALFORMED } from "./vectorgen_xer_malformed.ts";

const set = (id: string): Carriage => ({ kind: "iq", type: "set", id });
const request = (invokeId: number, r: ServiceRequest, id = `x${invokeId}`) =>
  pduInput({ kind: "confirmed-request", invokeId, request: r }, set(id), CLIENT_JID);
const operate = (ctlNum: number, extra = {}) =>
  request(90, { service: "operate", control: CONTROL, params: params(ctlNum, extra) });
const readReq: ServiceRequest = { service: "read", items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" }] };

/** One read indicated and not answered (invoke 1). */
function indicated(): Scenario {
  const sc = associated();
  sc.client({ type: "request", request: readReq });
  return sc;
}

interface Neg {
  comment: string;
  flags: string[];
  spec: string[];
  setup: () => Scenario;
  input: Timeless<ServerInput>;
  error: string;
}

export function serverNegatives(): TestCase[] {
  const n: Neg[] = [];
  const add = (
    comment: string,
    flags: string[],
    spec: string[],
    setup: () => Scenario,
    input: Timeless<ServerInput>,
    error: string,
  ) => n.push({ comment, flags, spec, setup, input, error });

  // Select before operate with enhanced security (PD-147).
  add(
    "operate without select: object-not-selected",
    ["control"],
    ["IEC61850-SBOES", "PD-147", "PD-153"],
    associated,
    operate(3),
    E["not-selected"],
  );
  add(
    "operate with a stale ctlNum: inconsistent-parameters",
    ["control"],
    ["IEC61850-SBOES", "PD-147"],
    () => selected(associated()),
    operate(2),
    E["ctlnum-mismatch"],
  );
  for (
    const [what, extra] of [
      ["another value", { ctlVal: { type: "float", value: 1, width: 32 } }],
      ["another originator", { origin: { orCat: "maintenance", orIdent: "vpp@grid.example" } }],
      ["the test flag", { test: true }],
      ["the interlock check", { check: { synchrocheck: false, interlockCheck: false } }],
    ] as const
  ) {
    add(
      `operate changing ${what}: inconsistent-parameters`,
      ["control"],
      ["IEC61850-SBOES", "PD-147"],
      () => selected(associated()),
      operate(3, extra),
      E["parameters-mismatch"],
    );
  }
  add(
    "operate after the select timed out",
    ["control"],
    ["IEC61850-SBO-TIMEOUT", "PD-147"],
    () => {
      const sc = selected(associated());
      sc.p.now = T0 + 30_000;
      return sc;
    },
    operate(3),
    E["select-expired"],
  );
  add(
    "second operate on one select",
    ["control"],
    ["PD-147"],
    () => operated(associated()),
    operate(3),
    E["not-selected"],
  );
  add("terminate a control not operated", ["control"], ["IEC61850-CMDTERM", "PD-147"], associated, {
    type: "terminate",
    termination: { control: CONTROL, ctlNum: 3 },
  }, E["unknown-control"]);
  add(
    "terminate with a stale ctlNum",
    ["control"],
    ["IEC61850-CMDTERM", "PD-147"],
    () => operated(associated()),
    { type: "terminate", termination: { control: CONTROL, ctlNum: 4 } },
    E["ctlnum-mismatch"],
  );

  // Requests the server rejects (PD-153).
  add(
    "request reusing an outstanding invoke id",
    ["invoke"],
    ["PD-144", "PD-153"],
    indicated,
    request(1, readReq, "m99"),
    E["duplicate-invoke-id"],
  );
  add(
    "one request more than negotiated",
    ["limit"],
    ["PD-143", "PD-153"],
    () => {
      const sc = associated();
      for (let i = 0; i < 3; i++) sc.client({ type: "request", request: readReq });
      return sc;
    },
    request(50, readReq),
    E["too-many-outstanding"],
  );
  add(
    "request for a service not negotiated",
    ["limit"],
    ["PD-143", "PD-153"],
    () =>
      associated(
        {
          ...CLIENT_SETTINGS,
          proposal: { services: ["read", "information-report"] },
        } as typeof CLIENT_SETTINGS,
      ),
    request(5, { service: "select", control: CONTROL }),
    E["service-unsupported"],
  );
  add(
    "request before the association",
    ["phase"],
    ["IEC61850-ASSOCIATE"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    request(1, readReq),
    E["not-associated"],
  );
  add(
    "request after abort",
    ["phase"],
    ["PD-149", "PAPER-MAP3"],
    () => {
      const sc = associated();
      sc.server({ type: "presence", stanza: presence(CLIENT_JID, "unavailable") });
      return sc;
    },
    request(2, readReq),
    E.aborted,
  );
  add(
    "request in a message",
    ["carriage"],
    ["PAPER-MAP1", "PD-140"],
    associated,
    pduInput(
      { kind: "confirmed-request", invokeId: 3, request: readReq },
      { kind: "message" },
      CLIENT_JID,
    ),
    E["wrong-carriage"],
  );
  add(
    "request in an iq result",
    ["carriage"],
    ["PAPER-MAP1", "PD-140"],
    associated,
    pduInput({ kind: "confirmed-request", invokeId: 3, request: readReq }, {
      kind: "iq",
      type: "result",
      id: "x",
    }, CLIENT_JID),
    E["wrong-carriage"],
  );
  add(
    "a response sent to the server",
    ["unexpected"],
    ["PD-153"],
    associated,
    pduInput(
      { kind: "confirmed-response", invokeId: 1, response: { service: "select", selected: true } },
      { kind: "iq", type: "result", id: "m1" },
      CLIENT_JID,
    ),
    E["unexpected-pdu"],
  );
  add(
    "a report sent to the server",
    ["unexpected"],
    ["PD-153"],
    associated,
    pduInput({ kind: "information-report", report: report(1) }, { kind: "message" }, CLIENT_JID),
    E["unexpected-pdu"],
  );
  add(
    "conclude with an indication unanswered",
    ["phase"],
    ["IEC61850-CONCLUDE", "PD-146"],
    indicated,
    pduInput({ kind: "conclude-request" }, set("c1"), CLIENT_JID),
    E["requests-outstanding"],
  );
  add(
    "conclude with a command owing its termination",
    ["phase"],
    ["IEC61850-CMDTERM", "PD-146"],
    () => operated(associated()),
    pduInput({ kind: "conclude-request" }, set("c1"), CLIENT_JID),
    E["requests-outstanding"],
  );
  add(
    "conclude before the association",
    ["phase"],
    ["IEC61850-CONCLUDE"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    pduInput({ kind: "conclude-request" }, set("c1"), CLIENT_JID),
    E["not-associated"],
  );
  add(
    "abort PDU before the association",
    ["phase"],
    ["PD-146"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    pduInput({ kind: "abort", reason: "user" }, { kind: "message" }, CLIENT_JID),
    E["not-associated"],
  );

  // Initiate (PD-143).
  const initiate = (over: Partial<typeof DEFAULT_PROPOSAL>) =>
    pduInput(
      { kind: "initiate-request", params: { ...DEFAULT_PROPOSAL, ...over } } as MmsPdu,
      set("a1"),
      CLIENT_JID,
    );
  const fresh = () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS);
  for (
    const [what, over] of [
      ["max PDU size below the bound", { maxPduSize: 1023 }],
      ["max PDU size above the bound", { maxPduSize: (1 << 20) + 1 }],
      ["zero outstanding requests", { maxOutstanding: 0 }],
      ["1025 outstanding requests", { maxOutstanding: 1025 }],
      ["nesting 0", { maxNesting: 0 }],
      ["nesting 65", { maxNesting: 65 }],
      ["version 2", { version: 2 }],
      ["version 0", { version: 0 }],
    ] as const
  ) {
    add(`initiate with ${what}`, ["initiate"], ["PD-143"], fresh, initiate(over), E["over-limit"]);
  }
  add(
    "initiate with no confirmed service in common",
    ["initiate"],
    ["PD-143"],
    fresh,
    initiate({ services: ["information-report"] }),
    E["service-unsupported"],
  );
  add(
    "initiate while associated",
    ["initiate"],
    ["PD-143"],
    associated,
    initiate({}),
    E["unexpected-pdu"],
  );

  // The application's answers.
  add("answer to an invoke id not indicated", ["application"], ["PD-144"], indicated, {
    type: "respond",
    invokeId: 7,
    answer: { service: "read", results: [] },
  }, E["unknown-indication"]);
  add("answer of another service", ["application"], ["PD-144"], indicated, {
    type: "respond",
    invokeId: 1,
    answer: { service: "write", results: [null] },
  }, E["service-mismatch"]);
  add("control answer with another ctlNum", ["application"], ["PD-147"], () => {
    const sc = associated();
    sc.client({
      type: "request",
      request: { service: "select-with-value", control: CONTROL, params: params(3) },
    });
    return sc;
  }, {
    type: "respond",
    invokeId: 1,
    answer: { service: "select-with-value", control: CONTROL, ctlNum: 5 },
  }, E["ctlnum-mismatch"]);
  add("answer after the client left", ["phase"], ["PD-149", "PAPER-MAP3"], () => {
    const sc = indicated();
    sc.server({ type: "presence", stanza: presence(CLIENT_JID, "unavailable") });
    return sc;
  }, {
    type: "respond",
    invokeId: 1,
    answer: { service: "read", results: [{ type: "boolean", value: true }] },
  }, E.aborted);
  add("answer with 65 results", ["limit"], ["PD-142"], indicated, {
    type: "respond",
    invokeId: 1,
    answer: { service: "read", results: Array(65).fill("object-undefined") },
  }, E["too-many-items"]);
  add("report with 65 entries", ["limit"], ["PD-142"], associated, {
    type: "report",
    report: { ...report(1), entries: Array(65).fill(report(1).entries[0]) },
  }, E["too-many-items"]);
  add(
    "report when reports were not negotiated",
    ["limit"],
    ["PD-143"],
    () =>
      associated(
        { ...CLIENT_SETTINGS, proposal: { services: ["read"] } } as typeof CLIENT_SETTINGS,
      ),
    { type: "report", report: report(1) },
    E["service-unsupported"],
  );
  add(
    "report before the association",
    ["phase"],
    ["PAPER-MAP2"],
    () => scenario(CLIENT_SETTINGS, SERVER_SETTINGS),
    { type: "report", report: report(1) },
    E["not-associated"],
  );

  // Senders and presence.
  for (const from of [OTHER_JID, "vpp@grid.example", "vpp@grid.example/other", SERVER_JID]) {
    add(`request from ${from}`, ["spoof"], ["PD-152", "RFC6120-8.1.2.1"], associated, {
      ...request(4, readReq),
      from,
    }, E["wrong-sender"]);
    add(`presence unavailable from ${from}`, ["spoof"], ["PD-149", "PAPER-MAP3"], indicated, {
      type: "presence",
      stanza: presence(from, "unavailable"),
    }, E["spoofed-presence"]);
  }

  // Malformed PDUs in an iq set are rejected in its result.
  for (const [name, xml, error] of MALFORMED.filter((_, i) => i % 3 === 1)) {
    add(
      `malformed request: ${name}`,
      ["malformed"],
      ["PD-141", "PD-142", "PD-152"],
      associated,
      pduInput(xml, set("x1"), CLIENT_JID),
      error,
    );
  }

  return n.map((c) => {
    const sc = c.setup();
    sc.p.deliver = false;
    sc.server(c.input);
    return roleCase("server", sc, {
      comment: c.comment,
      spec: c.spec,
      flags: c.flags,
      error: c.error,
    });
  });
}
