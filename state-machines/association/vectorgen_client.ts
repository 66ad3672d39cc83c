/**
 * Negative transcript vectors of the client role: each runs a real
 * scenario to a point, then gives the client one input it must refuse with
 * its code (or ignore as spoofed), leaving a defined phase.
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import { AssociationError as E } from "./errors.ts";
import type { Carriage } from "./pdus.ts";
import { SERVER_JID, T0, type Timeless } from "./testing.ts";
import type { ClientInput } from "./types.ts";
import { clientPhaseNegatives } from "./vectorgen_client_phases.ts";
import {
  associated,
  BREAKER,
  CONTROL,
  operated,
  params,
  report,
  selected,
} from "./vectorgen_scenarios.ts";
import { type NegativeAdder, pduInput, roleCase, type Scenario } from "./vectorgen_tools.ts";
import { pendingRead, readAnswer } from "./vectorgen_scenarios.ts";

const result = (id: string): Carriage => ({ kind: "iq", type: "result", id });
const MSG: Carriage = { kind: "message" };

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
  const add: NegativeAdder<ClientInput> = (comment, flags, spec, setup, input, error) =>
    n.push({ comment, flags, spec, setup, input, error });

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

  clientPhaseNegatives(add);

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
