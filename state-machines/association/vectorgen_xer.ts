/**
 * MMS XER codec vectors (`vectors/association/xer.json`): one encode/decode
 * pair per PDU kind and data type, and malformed, out-of-range and
 * over-limit XML each refused with its code (docs/mms-xer.md).
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import { AssociationError as E } from "./errors.ts";
import type { MmsPdu } from "./pdus.ts";
import type { ControlParameters, MmsData } from "./services.ts";
import { T0 } from "./testing.ts";
import { type Json, toJson } from "./vectors.ts";
import { pduText } from "./xer.ts";
import { MALFORMED, wrap } from "./vectorgen_xer_malformed.ts";
import { DEFAULT_XER_LIMITS } from "./xer_limits.ts";

const PARAMS: ControlParameters = {
  ctlVal: { type: "boolean", value: true },
  operTm: T0 + 1000,
  origin: { orCat: "remote-control", orIdent: "vpp@grid.example" },
  ctlNum: 255,
  t: T0,
  test: true,
  check: { synchrocheck: true, interlockCheck: false },
};
const DATA: [string, MmsData][] = [
  ["boolean", { type: "boolean", value: false }],
  ["integer", { type: "integer", value: -9007199254740991 }],
  ["unsigned", { type: "unsigned", value: 4294967295 }],
  ["float32", { type: "float", value: 0.10000000149011612, width: 32 }],
  ["float64 -0", { type: "float", value: -0, width: 64 }],
  ["float64 NaN", { type: "float", value: NaN, width: 64 }],
  ["float32 -INF", { type: "float", value: -Infinity, width: 32 }],
  ["float64 tiny", { type: "float", value: 5e-324, width: 64 }],
  ["visible-string with markup characters", { type: "visible-string", value: `a<b>&"c'` }],
  ["empty octet-string", { type: "octet-string", value: new Uint8Array(0) }],
  ["octet-string", { type: "octet-string", value: new Uint8Array([0, 1, 254, 255]) }],
  ["bit-string (quality)", { type: "bit-string", value: "0000000000000" }],
  ["utc-time", { type: "utc-time", value: T0 + 123 }],
  ["nested structure and array", {
    type: "structure",
    members: [{
      type: "array",
      elements: [{ type: "integer", value: 1 }, { type: "integer", value: 2 }],
    }, {
      type: "structure",
      members: [],
    }],
  }],
];

export const POSITIVE_PDUS: [string, MmsPdu][] = [
  ["initiate-request", {
    kind: "initiate-request",
    params: {
      version: 1,
      maxPduSize: 65536,
      maxOutstanding: 16,
      maxNesting: 10,
      services: ["read", "operate", "information-report"],
    },
  }],
  ["initiate-response", {
    kind: "initiate-response",
    params: { version: 1, maxPduSize: 8192, maxOutstanding: 4, maxNesting: 5, services: ["read"] },
  }],
  ["initiate-error", { kind: "initiate-error", code: "over-limit" }],
  ["get-name-list request", {
    kind: "confirmed-request",
    invokeId: 1,
    request: {
      service: "get-name-list",
      scope: { objectClass: "logical-node", logicalDevice: "DER1" },
      continueAfter: "LLN0",
    },
  }],
  ["read request", {
    kind: "confirmed-request",
    invokeId: 4294967295,
    request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }] },
  }],
  ["write request", {
    kind: "confirmed-request",
    invokeId: 2,
    request: {
      service: "write",
      items: [{
        ref: { ref: "DER1/DRCC1.OutWSet.setMag.f", fc: "SP" },
        value: { type: "float", value: 1500, width: 32 },
      }],
    },
  }],
  ["select request", {
    kind: "confirmed-request",
    invokeId: 3,
    request: { service: "select", control: "DER1/CSWI1.Pos" },
  }],
  ["select-with-value request", {
    kind: "confirmed-request",
    invokeId: 4,
    request: { service: "select-with-value", control: "DER1/CSWI1.Pos", params: PARAMS },
  }],
  ["operate request", {
    kind: "confirmed-request",
    invokeId: 5,
    request: { service: "operate", control: "DER1/CSWI1.Pos", params: PARAMS },
  }],
  ["cancel request", {
    kind: "confirmed-request",
    invokeId: 6,
    request: { service: "cancel", control: "DER1/CSWI1.Pos", params: PARAMS },
  }],
  ["get-name-list response", {
    kind: "confirmed-response",
    invokeId: 1,
    response: { service: "get-name-list", names: ["MMXU1", "DRCC1"], moreFollows: true },
  }],
  ["read response with an access error", {
    kind: "confirmed-response",
    invokeId: 4294967295,
    response: {
      service: "read",
      results: [{ type: "float", value: 1.5, width: 32 }, "object-non-existent"],
    },
  }],
  ["write response", {
    kind: "confirmed-response",
    invokeId: 2,
    response: { service: "write", results: [null, "object-access-denied"] },
  }],
  ["select response", {
    kind: "confirmed-response",
    invokeId: 3,
    response: { service: "select", selected: false, addCause: "object-already-selected" },
  }],
  ["operate response (positive)", {
    kind: "confirmed-response",
    invokeId: 5,
    response: { service: "operate", control: "DER1/CSWI1.Pos", ctlNum: 255 },
  }],
  ["operate response (negative)", {
    kind: "confirmed-response",
    invokeId: 5,
    response: {
      service: "operate",
      control: "DER1/CSWI1.Pos",
      ctlNum: 255,
      addCause: "object-not-selected",
    },
  }],
  ["confirmed-error", { kind: "confirmed-error", invokeId: 7, code: "temporarily-unavailable" }],
  ["reject with invoke id", { kind: "reject", invokeId: 8, reason: "max-outstanding-exceeded" }],
  ["reject without invoke id", { kind: "reject", reason: "malformed" }],
  ["information-report", {
    kind: "information-report",
    report: {
      rptId: "DER1/LLN0$BR$brcb01",
      sqNum: 65535,
      time: T0,
      entries: DATA.map(([, value], i) => ({
        ref: { ref: `DER1/GGIO1.AnIn${i}`, fc: "MX" as const },
        value,
      })),
    },
  }],
  ["command-termination (negative)", {
    kind: "command-termination",
    termination: { control: "DER1/CSWI1.Pos", ctlNum: 9, addCause: "blocked-by-process" },
  }],
  ["conclude-request", { kind: "conclude-request" }],
  ["conclude-response", { kind: "conclude-response" }],
  ["conclude-error", { kind: "conclude-error" }],
  ["abort", { kind: "abort", reason: "protocol-error" }],
];

const INVALID_UTF8 =
  "3c61626f727420786d6c6e733d2275726e3a6465726c696e6b3a6d6d732d7865723a302220726561736f6e3d22ff222f3e";

/** XER decode and encode cases. */
export function xerCases(): { decode: TestCase[]; encode: TestCase[] } {
  const spec = ["PD-141", "PD-142"];
  const decode: TestCase[] = [];
  for (const [name, pdu] of POSITIVE_PDUS) {
    decode.push({
      comment: name,
      flags: ["valid"],
      spec: ["PD-141"],
      xml: pduText(pdu),
      pdu: toJson(pdu),
      result: "valid",
    });
  }
  for (const [name, data] of DATA) {
    const pdu: MmsPdu = {
      kind: "confirmed-response",
      invokeId: 1,
      response: { service: "read", results: [data] },
    };
    decode.push({
      comment: `data type: ${name}`,
      flags: ["valid"],
      spec: ["PD-141"],
      xml: pduText(pdu),
      pdu: toJson(pdu),
      result: "valid",
    });
  }
  for (const [name, xml, error] of MALFORMED) {
    const flag = error.startsWith("association/xer-") ? "malformed" : "limit";
    decode.push({ comment: name, flags: [flag], spec, xml, result: "invalid", error });
  }
  decode.push({
    comment: "bytes that are not UTF-8",
    flags: ["malformed"],
    spec,
    hex: INVALID_UTF8,
    result: "invalid",
    error: E["xer-not-xml"],
  });
  const big = wrap(
    `<write><item ref="A" fc="SP"><visible-string>${
      "x".repeat(1000)
    }</visible-string></item></write>`,
  );
  decode.push({
    comment: "PDU larger than max-pdu-size",
    flags: ["limit"],
    spec,
    xml: big,
    limits: { ...DEFAULT_XER_LIMITS, maxPduSize: 1024 },
    result: "invalid",
    error: E["pdu-too-large"],
  });

  const encode: TestCase[] = POSITIVE_PDUS.slice(0, 6).map(([name, pdu]) => ({
    comment: name,
    flags: ["valid"],
    spec: ["PD-141"],
    pdu: toJson(pdu),
    xml: pduText(pdu),
    result: "valid" as const,
  }));
  const bad: [string, unknown, string][] = [
    ["65 read items", {
      kind: "confirmed-request",
      invokeId: 1,
      request: { service: "read", items: Array(65).fill({ ref: "A", fc: "ST" }) },
    }, E["too-many-items"]],
    ["float32 that is not a float32", {
      kind: "confirmed-response",
      invokeId: 1,
      response: { service: "read", results: [{ type: "float", value: 0.1, width: 32 }] },
    }, E["xer-invalid-value"]],
    ["visible string of 1025 characters", {
      kind: "confirmed-response",
      invokeId: 1,
      response: { service: "read", results: [{ type: "visible-string", value: "x".repeat(1025) }] },
    }, E["string-too-long"]],
    [
      "ctlNum 256",
      { kind: "command-termination", termination: { control: "C", ctlNum: 256 } },
      E["xer-invalid-value"],
    ],
    ["reference with a space", {
      kind: "confirmed-request",
      invokeId: 1,
      request: { service: "select", control: "a b" },
    }, E["xer-invalid-value"]],
    ["time before 1970", {
      kind: "information-report",
      report: { rptId: "R", sqNum: 1, time: -1, entries: [] },
    }, E["xer-invalid-value"]],
    ["nesting 11 deep", {
      kind: "confirmed-response",
      invokeId: 1,
      response: { service: "read", results: [nestData(11)] },
    }, E["nesting-too-deep"]],
    [
      "invoke id beyond 32 bits",
      { kind: "reject", invokeId: 2 ** 32, reason: "malformed" },
      E["xer-invalid-value"],
    ],
  ];
  for (const [name, pdu, error] of bad) {
    encode.push({
      comment: name,
      flags: [error.startsWith("association/xer-") ? "malformed" : "limit"],
      spec,
      pdu: toJson(pdu),
      result: "invalid",
      error,
    });
  }
  return { decode, encode };
}

function nestData(n: number): Json {
  let d: MmsData = { type: "boolean", value: true };
  for (let i = 1; i < n; i++) d = { type: "structure", members: [d] };
  return toJson(d);
}
