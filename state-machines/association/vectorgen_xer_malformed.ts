/**
 * Malformed, out-of-range and over-limit MMS XER, each with the code the
 * codec refuses it with (PD-141, PD-142). Used by the codec vectors and,
 * inside PDUs to either role, by the transcript vectors.
 *
 * @module
 */
import { AssociationError as E } from "./errors.ts";
import { MMS_XER_NS as NS } from "./xer_dom.ts";

/** A confirmed request around a service body. */
export const wrap = (body: string, id = "1") =>
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
