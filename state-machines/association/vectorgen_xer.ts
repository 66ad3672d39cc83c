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
import { MMS_XER_NS as NS } from "./xer_dom.ts";
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

const wrap = (body: string, id = "1") =>
  `<confirmed-request xmlns="${NS}" invoke-id="${id}">${body}</confirmed-request>`;
const read = (items: string) => wrap(`<read>${items}</read>`);
const value = (v: string) => wrap(`<write><item ref="A" fc="SP">${v}</item></write>`);
const response = (body: string) =>
  `<confirmed-response xmlns="${NS}" invoke-id="1">${body}</confirmed-response>`;
const ctl = (
  attrs: string,
  kids = `<origin cat="remote-control" ident="v"/><ctl-val><boolean>true</boolean></ctl-val>`,
) => wrap(`<operate control="C" ${attrs}>${kids}</operate>`);
const OK_CTL =
  `ctl-num="1" t="2025-01-15T12:00:00.000Z" test="false" synchrocheck="false" interlock-check="false"`;
const nest = (n: number) => "<structure>".repeat(n) + "</structure>".repeat(n);
const many = (n: number, s: string) => s.repeat(n);

/** Malformed, out-of-range and over-limit XML, with the code each is refused with. */
export const MALFORMED: [string, string, string][] = [
  ["not XML", "hello", E["xer-not-xml"]],
  ["truncated", `<abort xmlns="${NS}" reason="user"`, E["xer-not-xml"]],
  ["DTD", `<!DOCTYPE abort><abort xmlns="${NS}" reason="user"/>`, E["xer-not-xml"]],
  ["comment", `<abort xmlns="${NS}" reason="user"><!--x--></abort>`, E["xer-not-xml"]],
  [
    "processing instruction",
    `<abort xmlns="${NS}" reason="user"><?pi x?></abort>`,
    E["xer-not-xml"],
  ],
  ["undefined entity", `<abort xmlns="${NS}" reason="&user;"/>`, E["xer-not-xml"]],
  [
    "two roots",
    `<abort xmlns="${NS}" reason="user"/><abort xmlns="${NS}" reason="user"/>`,
    E["xer-not-xml"],
  ],
  ["no namespace", `<abort reason="user"/>`, E["xer-unknown-element"]],
  ["foreign namespace", `<abort xmlns="urn:other" reason="user"/>`, E["xer-unknown-element"]],
  ["prefixed root", `<m:abort xmlns:m="${NS}" reason="user"/>`, E["xer-unknown-element"]],
  ["unknown PDU", `<shutdown xmlns="${NS}"/>`, E["xer-unknown-element"]],
  ["missing attribute", `<abort xmlns="${NS}"/>`, E["xer-malformed"]],
  ["unknown enumerated value", `<abort xmlns="${NS}" reason="bored"/>`, E["xer-invalid-value"]],
  ["unknown attribute", `<abort xmlns="${NS}" reason="user" extra="1"/>`, E["xer-unknown-element"]],
  [
    "text where none belongs",
    `<abort xmlns="${NS}" reason="user">text</abort>`,
    E["xer-malformed"],
  ],
  [
    "child where none belongs",
    `<abort xmlns="${NS}" reason="user"><x/></abort>`,
    E["xer-malformed"],
  ],
  [
    "child in a foreign namespace",
    wrap(`<read xmlns="urn:other"><item ref="A" fc="ST"/></read>`),
    E["xer-unknown-element"],
  ],
  [
    "invoke id missing",
    `<confirmed-request xmlns="${NS}"><read><item ref="A" fc="ST"/></read></confirmed-request>`,
    E["xer-malformed"],
  ],
  [
    "invoke id with a leading zero",
    read(`<item ref="A" fc="ST"/>`).replace(`invoke-id="1"`, `invoke-id="01"`),
    E["xer-invalid-value"],
  ],
  [
    "negative invoke id",
    wrap(`<read><item ref="A" fc="ST"/></read>`, "-1"),
    E["xer-invalid-value"],
  ],
  [
    "invoke id beyond 32 bits",
    wrap(`<read><item ref="A" fc="ST"/></read>`, "4294967296"),
    E["xer-invalid-value"],
  ],
  ["no service element", wrap(""), E["xer-malformed"]],
  ["two service elements", wrap(`<select control="A"/><select control="B"/>`), E["xer-malformed"]],
  ["unknown service", wrap(`<delete control="A"/>`), E["xer-unknown-element"]],
  ["read without items", read(""), E["xer-malformed"]],
  ["item without fc", read(`<item ref="A"/>`), E["xer-malformed"]],
  ["unknown functional constraint", read(`<item ref="A" fc="XX"/>`), E["xer-invalid-value"]],
  ["reference with a space", read(`<item ref="DER1/MMXU1 TotW" fc="MX"/>`), E["xer-invalid-value"]],
  [
    "reference of 130 characters",
    read(`<item ref="${"R".repeat(130)}" fc="MX"/>`),
    E["string-too-long"],
  ],
  ["65 read items", read(many(65, `<item ref="A" fc="ST"/>`)), E["too-many-items"]],
  [
    "read item with a value",
    read(`<item ref="A" fc="ST"><boolean>true</boolean></item>`),
    E["xer-malformed"],
  ],
  ["write item without value", wrap(`<write><item ref="A" fc="SP"/></write>`), E["xer-malformed"]],
  [
    "write item with two values",
    value(`<boolean>true</boolean><boolean>false</boolean>`),
    E["xer-malformed"],
  ],
  ["unknown data type", value(`<double>1</double>`), E["xer-unknown-element"]],
  ["boolean in capitals", value(`<boolean>TRUE</boolean>`), E["xer-invalid-value"]],
  ["integer with a leading zero", value(`<integer>007</integer>`), E["xer-invalid-value"]],
  ["integer minus zero", value(`<integer>-0</integer>`), E["xer-invalid-value"]],
  ["integer beyond 2^53", value(`<integer>9007199254740992</integer>`), E["xer-invalid-value"]],
  ["negative unsigned", value(`<unsigned>-1</unsigned>`), E["xer-invalid-value"]],
  ["float width 16", value(`<float width="16">1</float>`), E["xer-invalid-value"]],
  ["float without width", value(`<float>1</float>`), E["xer-malformed"]],
  ["float32 that is not a float32", value(`<float width="32">0.1</float>`), E["xer-invalid-value"]],
  ["float with a trailing zero", value(`<float width="64">1.50</float>`), E["xer-invalid-value"]],
  [
    "float in exponent form where decimal is canonical",
    value(`<float width="64">1e5</float>`),
    E["xer-invalid-value"],
  ],
  ["float spelled Infinity", value(`<float width="64">Infinity</float>`), E["xer-invalid-value"]],
  ["float with white space", value(`<float width="64"> 1</float>`), E["xer-invalid-value"]],
  [
    "visible string with a tab",
    value(`<visible-string>a\tb</visible-string>`),
    E["xer-invalid-value"],
  ],
  [
    "visible string with a non-ASCII letter",
    value(`<visible-string>é</visible-string>`),
    E["xer-invalid-value"],
  ],
  [
    "visible string of 1025 characters",
    value(`<visible-string>${"x".repeat(1025)}</visible-string>`),
    E["string-too-long"],
  ],
  ["octet string not base64", value(`<octet-string>AAA</octet-string>`), E["xer-invalid-value"]],
  [
    "octet string with non-zero padding bits",
    value(`<octet-string>AB==</octet-string>`),
    E["xer-invalid-value"],
  ],
  [
    "octet string of 1025 bytes",
    value(`<octet-string>${"A".repeat(1368)}</octet-string>`),
    E["string-too-long"],
  ],
  ["bit string with a 2", value(`<bit-string>0120</bit-string>`), E["xer-invalid-value"]],
  [
    "bit string of 1025 bits",
    value(`<bit-string>${"1".repeat(1025)}</bit-string>`),
    E["string-too-long"],
  ],
  [
    "impossible date",
    value(`<utc-time>2025-02-30T00:00:00.000Z</utc-time>`),
    E["xer-invalid-value"],
  ],
  [
    "time without milliseconds",
    value(`<utc-time>2025-01-15T12:00:00Z</utc-time>`),
    E["xer-invalid-value"],
  ],
  [
    "time with an offset",
    value(`<utc-time>2025-01-15T12:00:00.000+01:00</utc-time>`),
    E["xer-invalid-value"],
  ],
  ["structure nested 11 deep", value(nest(11)), E["nesting-too-deep"]],
  ["structure nested 40 deep (the reader stops it)", value(nest(40)), E["nesting-too-deep"]],
  [
    "structure of 65 members",
    value(`<structure>${many(65, "<boolean>true</boolean>")}</structure>`),
    E["too-many-items"],
  ],
  ["attribute on a structure", value(`<structure kind="x"/>`), E["xer-unknown-element"]],
  [
    "operate without origin",
    ctl(OK_CTL, `<ctl-val><boolean>true</boolean></ctl-val>`),
    E["xer-malformed"],
  ],
  ["ctlNum 256", ctl(OK_CTL.replace(`ctl-num="1"`, `ctl-num="256"`)), E["xer-invalid-value"]],
  [
    "unknown orCat",
    ctl(OK_CTL, `<origin cat="satellite" ident="v"/><ctl-val><boolean>true</boolean></ctl-val>`),
    E["xer-invalid-value"],
  ],
  [
    "orIdent of 65 characters",
    ctl(
      OK_CTL,
      `<origin cat="remote-control" ident="${
        "o".repeat(65)
      }"/><ctl-val><boolean>true</boolean></ctl-val>`,
    ),
    E["string-too-long"],
  ],
  ["test flag 'yes'", ctl(OK_CTL.replace(`test="false"`, `test="yes"`)), E["xer-invalid-value"]],
  [
    "operate without t",
    ctl(OK_CTL.replace(` t="2025-01-15T12:00:00.000Z"`, "")),
    E["xer-malformed"],
  ],
  [
    "ctlVal with two values",
    ctl(
      OK_CTL,
      `<origin cat="remote-control" ident="v"/><ctl-val><boolean>true</boolean><boolean>true</boolean></ctl-val>`,
    ),
    E["xer-malformed"],
  ],
  [
    "unknown access error",
    response(`<read><access-error code="nope"/></read>`),
    E["xer-invalid-value"],
  ],
  [
    "name with a space",
    response(`<get-name-list more-follows="false"><name>a b</name></get-name-list>`),
    E["xer-invalid-value"],
  ],
  ["select response without selected", response(`<select/>`), E["xer-malformed"]],
  [
    "unknown AddCause",
    response(`<operate control="C" ctl-num="1" add-cause="bad-luck"/>`),
    E["xer-invalid-value"],
  ],
  [
    "SqNum 65536",
    `<information-report xmlns="${NS}" rpt-id="R" sq-num="65536" time="2025-01-15T12:00:00.000Z"/>`,
    E["xer-invalid-value"],
  ],
  [
    "report without rpt-id",
    `<information-report xmlns="${NS}" sq-num="1" time="2025-01-15T12:00:00.000Z"/>`,
    E["xer-malformed"],
  ],
  [
    "initiate with an unknown service",
    `<initiate-request xmlns="${NS}" version="1" max-pdu-size="65536" max-outstanding="1" max-nesting="1"><service name="teleport"/></initiate-request>`,
    E["xer-invalid-value"],
  ],
  [
    "initiate naming a service twice",
    `<initiate-request xmlns="${NS}" version="1" max-pdu-size="65536" max-outstanding="1" max-nesting="1"><service name="read"/><service name="read"/></initiate-request>`,
    E["xer-malformed"],
  ],
  [
    "initiate with a non-numeric size",
    `<initiate-request xmlns="${NS}" version="1" max-pdu-size="big" max-outstanding="1" max-nesting="1"/>`,
    E["xer-invalid-value"],
  ],
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
