/**
 * The group command payload (PD-195): exact bytes of an example, codec
 * round trip over generated commands, and refusal of everything else.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import fc from "fast-check";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { isDerlinkError } from "../../core/errors.ts";
import type { ControlParameters, MmsData } from "../../state-machines/association/services.ts";
import {
  decodeGroupCommand,
  encodeGroupCommand,
  type GroupCommand,
  MAX_OPERATIONS,
  tryDecodeGroupCommand,
} from "./group_command.ts";

const T = 1_700_000_000_000;
const params = (ctlVal: MmsData, ctlNum: number): ControlParameters => ({
  ctlVal,
  origin: { orCat: "remote-control", orIdent: "dno@grid.example" },
  ctlNum,
  t: T,
  test: false,
  check: { synchrocheck: false, interlockCheck: false },
});

const RED: GroupCommand = {
  group: "feeder-7",
  id: 12,
  light: "red",
  issued: T,
  operations: [
    {
      kind: "write",
      ref: "DRCC1.WMaxLimPctRvrtTms.setVal",
      fc: "SP",
      value: { type: "integer", value: 900 },
    },
    {
      kind: "operate",
      control: "DRCC1.WMaxLimPct",
      params: params({ type: "float", value: 60, width: 32 }, 7),
    },
  ],
};

Deno.test("PD-195 PAPER-TL3 a red group command encodes to the documented XML", () => {
  assertEquals(
    fromUtf8(encodeGroupCommand(RED)),
    '<group-command xmlns="urn:derlink:der-group-command:1" group="feeder-7" id="12" light="red" issued="1700000000000">' +
      '<write ref="DRCC1.WMaxLimPctRvrtTms.setVal" fc="SP"><integer>900</integer></write>' +
      '<operate control="DRCC1.WMaxLimPct" ctlNum="7" orCat="remote-control" orIdent="dno@grid.example" ' +
      't="1700000000000" test="false" synchrocheck="false" interlockCheck="false"><float width="32">60</float></operate>' +
      "</group-command>",
  );
  assertEquals(decodeGroupCommand(encodeGroupCommand(RED)), RED);
});

const mms: fc.Arbitrary<MmsData> = fc.letrec<{ v: MmsData }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.boolean().map((value): MmsData => ({ type: "boolean", value })),
    fc.maxSafeInteger().map((value): MmsData => ({ type: "integer", value })),
    fc.maxSafeNat().map((value): MmsData => ({ type: "unsigned", value })),
    fc.float().map((value): MmsData => ({ type: "float", value, width: 32 })),
    fc.double().map((value): MmsData => ({ type: "float", value, width: 64 })),
    fc.stringMatching(/^[\x20-\x7e]{0,12}$/).map((value): MmsData => ({
      type: "visible-string",
      value,
    })),
    fc.uint8Array({ maxLength: 8 }).map((value): MmsData => ({ type: "octet-string", value })),
    fc.array(fc.constantFrom("0", "1"), { maxLength: 13 }).map((b): MmsData => ({
      type: "bit-string",
      value: b.join(""),
    })),
    fc.maxSafeInteger().map((value): MmsData => ({ type: "utc-time", value })),
    fc.array(tie("v"), { maxLength: 3 }).map((members): MmsData => ({
      type: "structure",
      members,
    })),
    fc.array(tie("v"), { maxLength: 3 }).map((elements): MmsData => ({ type: "array", elements })),
  ),
})).v;

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/);
const ref = fc.array(name, { minLength: 2, maxLength: 4 }).map((p) => p.join("."));
/** Any Unicode text without control characters (they do not survive attribute normalisation). */
const xmlText = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) =>
  // deno-lint-ignore no-control-regex
  !/[\u0000-\u001f\u007f\ufffe\uffff]/.test(s)
);

const operation = fc.oneof(
  fc.record({
    kind: fc.constant("write" as const),
    ref,
    fc: fc.constantFrom("SP", "CO", "MX" as const),
    value: mms,
  }),
  fc.record({
    kind: fc.constant("operate" as const),
    control: fc.tuple(name, name).map(([a, b]) => `${a}.${b}`),
    params: fc.record({
      ctlVal: mms,
      origin: fc.record({
        orCat: fc.constantFrom("remote-control", "automatic-remote" as const),
        orIdent: xmlText,
      }),
      ctlNum: fc.integer({ min: 0, max: 255 }),
      t: fc.maxSafeNat(),
      test: fc.boolean(),
      check: fc.record({ synchrocheck: fc.boolean(), interlockCheck: fc.boolean() }),
    }),
  }),
);

/** fast-check's records have no prototype; the decoder builds plain objects. */
function plain<T>(x: T): T {
  if (Array.isArray(x)) return x.map(plain) as T;
  if (x instanceof Uint8Array || x === null || typeof x !== "object") return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
}

const command: fc.Arbitrary<GroupCommand> = fc.record({
  group: xmlText.filter((s) => s.length > 0),
  id: fc.integer({ min: 0, max: 0xffffffff }),
  light: fc.constantFrom("green", "yellow", "red" as const),
  issued: fc.maxSafeNat(),
  operations: fc.array(operation, { minLength: 1, maxLength: 4 }) as fc.Arbitrary<
    GroupCommand["operations"]
  >,
}).map(plain);

// deepStrictEqual compares with Object.is, so NaN and -0 must come back as they went.
Deno.test("PD-195 property: decode(encode(c)) = c", () => {
  fc.assert(
    fc.property(command, (c) => {
      assertEquals(decodeGroupCommand(encodeGroupCommand(c)), c);
    }),
    { numRuns: 300 },
  );
});

const wrap = (inner: string, attrs = 'group="g" id="1" light="red" issued="5"') =>
  utf8(`<group-command xmlns="urn:derlink:der-group-command:1" ${attrs}>${inner}</group-command>`);
const OP = (value: string, extra = "") =>
  `<operate control="DRCC1.WMaxLimPct" ctlNum="1" orCat="remote-control" orIdent="x" t="5" test="false" synchrocheck="false" interlockCheck="false"${extra}>${value}</operate>`;
const F60 = '<float width="32">60</float>';

Deno.test("PD-195 malformed payloads are refused with a code", () => {
  const cases: [string, Uint8Array, string][] = [
    [
      "wrong namespace",
      utf8(
        `<group-command xmlns="urn:other" group="g" id="1" light="red" issued="5">${
          OP(F60)
        }</group-command>`,
      ),
      "group-command/malformed",
    ],
    [
      "wrong root",
      utf8(`<command xmlns="urn:derlink:der-group-command:1"/>`),
      "group-command/malformed",
    ],
    ["no operation", wrap(""), "group-command/malformed"],
    [
      "unknown light",
      wrap(OP(F60), 'group="g" id="1" light="blue" issued="5"'),
      "group-command/malformed",
    ],
    ["missing id", wrap(OP(F60), 'group="g" light="red" issued="5"'), "group-command/malformed"],
    [
      "id beyond uint32",
      wrap(OP(F60), 'group="g" id="4294967296" light="red" issued="5"'),
      "group-command/malformed",
    ],
    [
      "extra root attribute",
      wrap(OP(F60), 'group="g" id="1" light="red" issued="5" x="1"'),
      "group-command/malformed",
    ],
    [
      "empty group",
      wrap(OP(F60), 'group="" id="1" light="red" issued="5"'),
      "group-command/malformed",
    ],
    ["unknown operation", wrap("<delete/>"), "group-command/malformed"],
    ["two values", wrap(OP(F60 + F60)), "group-command/malformed"],
    ["no value", wrap(OP("")), "group-command/malformed"],
    ["text in operation", wrap(OP(`x${F60}`)), "group-command/malformed"],
    ["ctlNum 256", wrap(OP(F60).replace('ctlNum="1"', 'ctlNum="256"')), "group-command/malformed"],
    [
      "ctlNum with sign",
      wrap(OP(F60).replace('ctlNum="1"', 'ctlNum="+1"')),
      "group-command/malformed",
    ],
    [
      "test not boolean",
      wrap(OP(F60).replace('test="false"', 'test="0"')),
      "group-command/malformed",
    ],
    ["unknown orCat", wrap(OP(F60).replace("remote-control", "remote")), "group-command/malformed"],
    [
      "absolute reference",
      wrap(OP(F60).replace('control="DRCC1.WMaxLimPct"', 'control="DER1/DRCC1.WMaxLimPct"')),
      "group-command/malformed",
    ],
    [
      "control below DO",
      wrap(OP(F60).replace('control="DRCC1.WMaxLimPct"', 'control="DRCC1.WMaxLimPct.Oper"')),
      "group-command/malformed",
    ],
    ["float without width", wrap(OP("<float>60</float>")), "group-command/malformed"],
    ["float width 16", wrap(OP('<float width="16">60</float>')), "group-command/malformed"],
    ["float hex", wrap(OP('<float width="32">0x3c</float>')), "group-command/malformed"],
    ["integer with space", wrap(OP("<integer> 1</integer>")), "group-command/malformed"],
    [
      "integer beyond safe",
      wrap(OP("<integer>9007199254740993</integer>")),
      "group-command/malformed",
    ],
    ["negative unsigned", wrap(OP("<unsigned>-1</unsigned>")), "group-command/malformed"],
    ["boolean yes", wrap(OP("<boolean>yes</boolean>")), "group-command/malformed"],
    ["bit-string 2", wrap(OP("<bit-string>012</bit-string>")), "group-command/malformed"],
    ["octet-string odd", wrap(OP("<octet-string>abc</octet-string>")), "group-command/malformed"],
    ["unknown value", wrap(OP("<double>1</double>")), "group-command/malformed"],
    [
      "write with unknown fc",
      wrap('<write ref="A.B" fc="XX"><integer>1</integer></write>'),
      "group-command/malformed",
    ],
    ["not XML", utf8("<group-command"), "group-command/malformed"],
    [
      "DOCTYPE",
      utf8('<!DOCTYPE x><group-command xmlns="urn:derlink:der-group-command:1"/>'),
      "group-command/malformed",
    ],
    ["bad UTF-8", new Uint8Array([0x3c, 0xff, 0x3e]), "group-command/malformed"],
    ["too many operations", wrap(OP(F60).repeat(MAX_OPERATIONS + 1)), "group-command/too-large"],
    [
      "nesting too deep",
      wrap(OP("<structure>".repeat(10) + "</structure>".repeat(10))),
      "group-command/too-large",
    ],
    ["too many bytes", new Uint8Array(65_537), "group-command/too-large"],
    [
      "tab in orIdent",
      wrap(OP(F60).replace('orIdent="x"', 'orIdent="a&#9;b"')),
      "group-command/malformed",
    ],
    [
      "non-ASCII visible-string",
      wrap(OP("<visible-string>\u00e9</visible-string>")),
      "group-command/malformed",
    ],
  ];
  for (const [what, bytes, code] of cases) {
    const r = tryDecodeGroupCommand(bytes);
    assertEquals(r.ok ? "accepted" : r.error.code, code, what);
  }
  throws(
    () => encodeGroupCommand({ ...RED, operations: [] }),
    (e) => isDerlinkError(e, "group-command/too-large"),
  );
  // What the decoder could not give back is refused on the way out too.
  const malformedOut = (c: GroupCommand) =>
    throws(() => encodeGroupCommand(c), (e) => isDerlinkError(e, "group-command/malformed"));
  malformedOut({ ...RED, group: "a\nb" });
  malformedOut({
    ...RED,
    operations: [{
      kind: "write",
      ref: "A.B",
      fc: "SP",
      value: { type: "visible-string", value: "x\r\n" },
    }],
  });
});
