/**
 * Positive scenarios of the two-party association, each run between a real
 * client and server (testing.ts): every service, select-before-operate with
 * enhanced security, reports, conclude, abort, presence loss and pings.
 * Each scenario becomes one valid transcript vector per role.
 *
 * @module
 */
import type { MmsPdu } from "./pdus.ts";
import type { ControlParameters, Report } from "./services.ts";
import { T0 } from "./testing.ts";
import { type Scenario, scenario } from "./vectorgen_tools.ts";

export const CONTROL = "DER1/DRCC1.OutWSet";
export const BREAKER = "DER1/XCBR1.Pos";
export const params = (
  ctlNum: number,
  extra: Partial<ControlParameters> = {},
): ControlParameters => ({
  ctlVal: { type: "float", value: 1500, width: 32 },
  origin: { orCat: "remote-control", orIdent: "vpp@grid.example" },
  ctlNum,
  t: T0,
  test: false,
  check: { synchrocheck: false, interlockCheck: true },
  ...extra,
});
export const report = (sqNum: number, rptId = "DER1/LLN0$BR$brcb01"): Report => ({
  rptId,
  sqNum,
  time: T0,
  entries: [{
    ref: { ref: "DER1/MMXU1.TotW", fc: "MX" },
    value: { type: "float", value: 4200, width: 32 },
  }],
});
/** Client settings of the vectors: breaker direct with enhanced security, gaps as errors. */
export const CLIENT_SETTINGS = {
  controls: { [BREAKER]: "direct-enhanced" as const, "DER1/CSWI1.Pos": "sbo-normal" as const },
  reportGapIsError: true,
  requestTimeoutMs: 5_000,
};
export const SERVER_SETTINGS = {
  maxOutstanding: 3,
  controls: { [BREAKER]: "direct-enhanced" as const, "DER1/CSWI1.Pos": "sbo-normal" as const },
};

/** A scenario already associated. */
export function associated(client = CLIENT_SETTINGS, server = SERVER_SETTINGS): Scenario {
  const sc = scenario(client, server);
  sc.client({ type: "associate" });
  return sc;
}

/** SBOw then its positive answer. */
export function selected(sc: Scenario, ctlNum = 3): Scenario {
  sc.client({
    type: "request",
    request: { service: "select-with-value", control: CONTROL, params: params(ctlNum) },
  });
  sc.server({
    type: "respond",
    invokeId: sc.lastIndication,
    answer: { service: "select-with-value", control: CONTROL, ctlNum },
  });
  return sc;
}

/** SBOw, operate, both answered positively: a termination is owed. */
export function operated(sc: Scenario, ctlNum = 3): Scenario {
  selected(sc, ctlNum);
  sc.client({
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(ctlNum) },
  });
  sc.server({
    type: "respond",
    invokeId: sc.lastIndication,
    answer: { service: "operate", control: CONTROL, ctlNum },
  });
  return sc;
}

export interface Positive {
  readonly comment: string;
  readonly spec: string[];
  readonly build: () => Scenario;
}

const ask = (sc: Scenario, request: Parameters<Scenario["client"]>[0] & { type: "request" }) =>
  sc.client(request);

export const POSITIVES: Positive[] = [
  {
    comment: "associate: initiate negotiated down to the server's caps",
    spec: ["IEC61850-ASSOCIATE", "PD-143", "PD-140"],
    build: () => associated(),
  },
  {
    comment: "get-name-list with continue-after and more-follows",
    spec: ["PAPER-MAP1", "PD-144"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: {
          service: "get-name-list",
          scope: { objectClass: "data", logicalNode: "DER1/MMXU1" },
          continueAfter: "A",
        },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "get-name-list", names: ["TotW", "TotVAr"], moreFollows: true },
      });
      return sc;
    },
  },
  {
    comment: "read with a value and an access error",
    spec: ["PAPER-MAP1", "PD-144"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: {
          service: "read",
          items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }, { ref: "DER1/MMXU9.TotW", fc: "MX" }],
        },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: {
          service: "read",
          results: [{ type: "float", value: 4200, width: 32 }, "object-non-existent"],
        },
      });
      return sc;
    },
  },
  {
    comment: "write with success and a refusal",
    spec: ["PAPER-MAP1", "PD-144"],
    build: () => {
      const sc = associated();
      const value = { type: "float" as const, value: 5000, width: 32 as const };
      ask(sc, {
        type: "request",
        request: {
          service: "write",
          items: [{ ref: { ref: "DER1/DRCC1.OutWSet.setMag.f", fc: "SP" }, value }, {
            ref: { ref: "DER1/LLN0.Mod.stVal", fc: "ST" },
            value,
          }],
        },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "write", results: [null, "object-access-denied"] },
      });
      return sc;
    },
  },
  {
    comment: "select before operate, normal security",
    spec: ["IEC61850-SBO", "PD-147"],
    build: () => {
      const sc = associated();
      ask(sc, { type: "request", request: { service: "select", control: "DER1/CSWI1.Pos" } });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "select", selected: true },
      });
      ask(sc, {
        type: "request",
        request: {
          service: "operate",
          control: "DER1/CSWI1.Pos",
          params: params(0, { ctlVal: { type: "boolean", value: true } }),
        },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "operate", control: "DER1/CSWI1.Pos", ctlNum: 0 },
      });
      return sc;
    },
  },
  {
    comment: "SBOw with enhanced security",
    spec: ["IEC61850-SBOES", "PD-147"],
    build: () => selected(associated()),
  },
  {
    comment: "SBOw, operate and a positive command termination",
    spec: ["IEC61850-SBOES", "IEC61850-CMDTERM", "PD-147", "PAPER-MAP2"],
    build: () => {
      const sc = operated(associated());
      sc.server({ type: "terminate", termination: { control: CONTROL, ctlNum: 3 } });
      return sc;
    },
  },
  {
    comment: "SBOw then cancel",
    spec: ["IEC61850-SBOES", "PD-147"],
    build: () => {
      const sc = selected(associated());
      ask(sc, {
        type: "request",
        request: { service: "cancel", control: CONTROL, params: params(3) },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "cancel", control: CONTROL, ctlNum: 3 },
      });
      return sc;
    },
  },
  {
    comment: "direct operate with enhanced security and a negative termination",
    spec: ["IEC61850-CMDTERM", "PD-147"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: {
          service: "operate",
          control: BREAKER,
          params: params(9, { ctlVal: { type: "boolean", value: false } }),
        },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { service: "operate", control: BREAKER, ctlNum: 9 },
      });
      sc.server({
        type: "terminate",
        termination: { control: BREAKER, ctlNum: 9, addCause: "blocked-by-process" },
      });
      return sc;
    },
  },
  {
    comment: "SBOw refused by the DER with an AddCause",
    spec: ["IEC61850-SBOES", "PD-147"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: { service: "select-with-value", control: CONTROL, params: params(4) },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: {
          service: "select-with-value",
          control: CONTROL,
          ctlNum: 4,
          addCause: "blocked-by-mode",
        },
      });
      return sc;
    },
  },
  {
    comment: "a request answered with a service error",
    spec: ["PD-144"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: { service: "read", items: [{ ref: "DER1/LPHD1.PhyNam", fc: "DC" }] },
      });
      sc.server({
        type: "respond",
        invokeId: sc.lastIndication,
        answer: { error: "object-access-denied" },
      });
      return sc;
    },
  },
  {
    comment: "reports across the SqNum wrap (65534, 65535, 0)",
    spec: ["PAPER-MAP2", "PD-148", "IEC61850-SQNUM"],
    build: () => {
      const sc = associated();
      for (const sq of [65534, 65535, 0]) sc.server({ type: "report", report: report(sq) });
      return sc;
    },
  },
  {
    comment: "two report control blocks counted apart",
    spec: ["PD-148"],
    build: () => {
      const sc = associated();
      sc.server({ type: "report", report: report(7) });
      sc.server({ type: "report", report: report(100, "DER1/LLN0$RP$urcb01") });
      sc.server({ type: "report", report: report(8) });
      return sc;
    },
  },
  {
    comment: "a report gap surfaced as an event only (gap not configured as an error)",
    spec: ["PD-148"],
    build: () => {
      const sc = associated({ ...CLIENT_SETTINGS, reportGapIsError: false });
      sc.server({ type: "report", report: report(1) });
      sc.server({ type: "report", report: report(4) });
      return sc;
    },
  },
];

export const READ_REQUEST = {
  service: "read" as const,
  items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" as const }],
};

export const readAnswer = (invokeId: number): MmsPdu => ({
  kind: "confirmed-response",
  invokeId,
  response: { service: "read", results: [{ type: "boolean", value: true }] },
});

/** A scenario with one read outstanding (invoke 1, iq m1). */
export function pendingRead(): Scenario {
  const sc = associated();
  sc.client({ type: "request", request: READ_REQUEST });
  return sc;
}
