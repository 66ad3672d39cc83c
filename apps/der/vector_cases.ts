/**
 * The DER model's vector cases, written by hand: each states a request and
 * the response a conforming DER gives, with the value worked out from the
 * profile (10 kW PV in constant full sun, exact grid, PD-160..164), never
 * computed by the model. vectorgen.ts turns them into vectors/der-model/.
 *
 * @module
 */
import type { Json, TestCase } from "../../tools/vector_file_builder.ts";

export const T0 = 1_700_000_000_000;
export const D = "dno@grid.example";
export const V = "vpp@market.example";
export const S = "someone@else.example";

type J = { [k: string]: Json };
export const f32 = (v: number): J => ({ type: "float", value: Math.fround(v), width: 32 });
export const f64 = (v: number): J => ({ type: "float", value: v, width: 64 });
export const int = (v: number): J => ({ type: "integer", value: v });
export const bool = (v: boolean): J => ({ type: "boolean", value: v });
export const str = (v: string): J => ({ type: "visible-string", value: v });
export const time = (v: number): J => ({ type: "utc-time", value: v });
export const struct = (...members: J[]): J => ({ type: "structure", members });
const GOOD = { type: "bit-string", value: "0000000000000" };

export const p = (ctlVal: J, ctlNum: number, orIdent = D, extra: J = {}): J => ({
  ctlVal,
  origin: { orCat: "remote-control", orIdent },
  ctlNum,
  t: T0,
  test: false,
  check: { synchrocheck: false, interlockCheck: false },
  ...extra,
});

export interface Step {
  caller: string;
  at: number;
  request: J;
}
const step = (request: J, caller = D, at = T0): Step => ({ caller, at, request });
const read = (ref: string, fc: string): J => ({ service: "read", items: [{ ref, fc }] });
export const write = (ref: string, value: J, fc = "SP"): J => ({
  service: "write",
  items: [{ ref: { ref, fc }, value }],
});
const swv = (control: string, params: J): J => ({ service: "select-with-value", control, params });
const operate = (control: string, params: J): J => ({ service: "operate", control, params });
/** Select-with-value and operate, as setup. */
export const sbow = (control: string, params: J, caller = D, at = T0): Step[] => [
  step(swv(control, params), caller, at),
  step(operate(control, params), caller, at),
];
const LIM = "DER1/DRCC1.WMaxLimPct";
const ENA = "DER1/DRCC1.WMaxLimEna";
const code = (cause: string) => `der-model/${cause}`;

function service(
  comment: string,
  spec: string[],
  s: { setup?: Step[]; caller?: string; at?: number; request: J; response: J; terminations?: J[] },
  refusal?: string,
  flags: string[] = [],
): TestCase {
  return {
    comment,
    flags,
    spec,
    setup: (s.setup ?? []) as unknown as Json,
    caller: s.caller ?? D,
    at: s.at ?? T0,
    request: s.request,
    response: s.response,
    ...(s.terminations ? { terminations: s.terminations } : {}),
    result: refusal ? "invalid" : "valid",
    ...(refusal ? { error: code(refusal) } : {}),
  };
}

const readOk = (
  comment: string,
  spec: string[],
  ref: string,
  fc: string,
  value: J,
  setup?: Step[],
  at?: number,
) =>
  service(comment, spec, {
    setup,
    at,
    request: read(ref, fc),
    response: { service: "read", results: [value] },
  });
const readNo = (comment: string, ref: string, fc: string, err: string) =>
  service(
    comment,
    ["ACSI-FC1"],
    { request: read(ref, fc), response: { service: "read", results: [err] } },
    err,
    ["read"],
  );
const writeNo = (
  comment: string,
  spec: string[],
  ref: string,
  value: J,
  err: string,
  fc = "SP",
  caller = D,
  setup?: Step[],
) =>
  service(
    comment,
    spec,
    {
      setup,
      caller,
      request: write(ref, value, fc),
      response: { service: "write", results: [err] },
    },
    err,
    ["write"],
  );
const ctlAnswer = (svc: string, control: string, ctlNum: number, addCause?: string): J => ({
  service: svc,
  control,
  ctlNum,
  ...(addCause ? { addCause } : {}),
});
const ctlNo = (
  comment: string,
  spec: string[],
  svc: string,
  control: string,
  params: J,
  cause: string,
  caller = D,
  setup?: Step[],
  at?: number,
) =>
  service(
    comment,
    spec,
    {
      setup,
      caller,
      at,
      request: { service: svc, control, params },
      response: ctlAnswer(svc, control, params.ctlNum as number, cause),
    },
    cause,
    ["control"],
  );

const limited = (
  pct: number,
): Step[] => [...sbow(LIM, p(f32(pct), 1)), ...sbow(ENA, p(bool(true), 2))];
const schedule80 = [
  step(write("DER1/FSCH1.StrTm1.setTm", time(T0)), V),
  step(write("DER1/FSCH1.Dur1.setVal", int(3600)), V),
  step(write("DER1/FSCH1.Val1.setMag.f", f32(80)), V),
  step(write("DER1/FSCH1.NumEntr.setVal", int(1)), V),
  step(write("DER1/FSCH1.SchdPrio.setVal", int(100)), V),
  step(write("DER1/FSCH1.SchdEna.setVal", bool(true)), V),
];
const mod = (value: number): Step[] => sbow("DER1/LLN0.Mod", p(int(value), 9));

/** Cases for the PV unit. */
export function pvCases(): TestCase[] {
  const totW = "DER1/MMXU1.TotW.mag.f";
  return [
    readOk("TotW of 10 kW PV in full sun", ["DER-MX1"], totW, "MX", f32(10_000)),
    readOk("frequency", ["DER-MX1"], "DER1/MMXU1.Hz.mag.f", "MX", f32(50)),
    readOk(
      "phase voltage raised 2 % at rated output",
      ["DER-MX1"],
      "DER1/MMXU1.PhV.phsA.cVal.mag.f",
      "MX",
      f32(234.6),
    ),
    readOk(
      "TotW as a data object: mag, q, t",
      ["DER-MX1", "PD-196"],
      "DER1/MMXU1.TotW",
      "MX",
      struct(struct(f32(10_000)), GOOD, time(T0)),
    ),
    readOk("Mod.stVal on", ["DER-LD1"], "DER1/LLN0.Mod.stVal", "ST", int(1)),
    readOk("Health ok", ["DER-LD1"], "DER1/LLN0.Health.stVal", "ST", int(1)),
    readOk(
      "LLN0 under EX is NamPlt.ldNs",
      ["DER-LD1", "PD-196"],
      "DER1/LLN0",
      "EX",
      struct(struct(str("derlink-der:1"))),
    ),
    readOk("rated power (CF)", ["PD-160"], "DER1/ZINV1.WRtg.setMag.f", "CF", f32(10_000)),
    readOk(
      "schedule priority starts at 0",
      ["DER-SCHD1"],
      "DER1/FSCH1.SchdPrio.setVal",
      "SP",
      int(0),
    ),
    readOk(
      "ctlModel sbo-with-enhanced-security",
      ["PD-162"],
      "DER1/DRCC1.WMaxLimPct.ctlModel",
      "CF",
      int(4),
    ),
    service("write the limit ramp time", ["ACSI-FC2"], {
      request: write("DER1/DRCC1.WMaxLimPctRmpTms.setVal", int(5)),
      response: { service: "write", results: [null] },
    }),
    service("VPP writes a schedule priority at its own level", ["PD-161"], {
      caller: V,
      request: write("DER1/FSCH1.SchdPrio.setVal", int(100)),
      response: { service: "write", results: [null] },
    }),
    service("structured write of a whole data object", ["PD-196"], {
      caller: V,
      request: write("DER1/FSCH1.Dur1", struct(int(60))),
      response: { service: "write", results: [null] },
    }),
    readOk("read back what was written", ["PD-196"], "DER1/FSCH1.Val2.setMag.f", "SP", f32(42.5), [
      step(write("DER1/FSCH1.Val2.setMag.f", f32(42.5)), V),
    ]),
    service("logical devices", ["ACSI-NL1"], {
      caller: S,
      request: { service: "get-name-list", scope: { objectClass: "logical-device" } },
      response: { service: "get-name-list", names: ["DER1"], moreFollows: false },
    }),
    service("logical nodes, sorted", ["ACSI-NL1"], {
      request: {
        service: "get-name-list",
        scope: { objectClass: "logical-node", logicalDevice: "DER1" },
      },
      response: {
        service: "get-name-list",
        names: ["DRCC1", "FSCH1", "FSCH2", "LLN0", "MMXU1", "ZINV1"],
        moreFollows: false,
      },
    }),
    service("data of DRCC1, first page of 8", ["ACSI-NL1"], {
      request: {
        service: "get-name-list",
        scope: { objectClass: "data", logicalNode: "DER1/DRCC1" },
      },
      response: {
        service: "get-name-list",
        names: [
          "WCtlSrc",
          "WMaxLimEna",
          "WMaxLimPct",
          "WMaxLimPctRmpTms",
          "WMaxLimPctRvrtTms",
          "WMaxLimPctWinTms",
          "WSetEna",
          "WSetPct",
        ],
        moreFollows: true,
      },
    }),
    service("data of DRCC1 after the first page", ["ACSI-NL1"], {
      request: {
        service: "get-name-list",
        scope: { objectClass: "data", logicalNode: "DER1/DRCC1" },
        continueAfter: "WSetPct",
      },
      response: { service: "get-name-list", names: ["WSetPctRvrtTms"], moreFollows: false },
    }),
    service("select-with-value of a 60 % limit", ["ACSI-SBOW1"], {
      request: swv(LIM, p(f32(60), 7)),
      response: ctlAnswer("select-with-value", LIM, 7),
    }),
    service("operate after select: positive with termination", ["ACSI-SBOW1", "ACSI-SBOW3"], {
      setup: [step(swv(LIM, p(f32(60), 7)))],
      request: operate(LIM, p(f32(60), 7)),
      response: ctlAnswer("operate", LIM, 7),
      terminations: [{ control: LIM, ctlNum: 7 }],
    }),
    service("cancel a selection", ["ACSI-SBOW2"], {
      setup: [step(swv(LIM, p(f32(60), 7)))],
      request: { service: "cancel", control: LIM, params: p(f32(60), 7) },
      response: ctlAnswer("cancel", LIM, 7),
    }),
    readOk(
      "limit 60 %: TotW 6 kW after the 10 s ramp",
      ["DER-WMAX1"],
      totW,
      "MX",
      f32(6_000),
      limited(60),
      T0 + 10_000,
    ),
    readOk(
      "limit 60 %: TotW 8 kW two seconds into the ramp",
      ["DER-WMAX1"],
      totW,
      "MX",
      f32(8_000),
      limited(60),
      T0 + 2_000,
    ),
    readOk(
      "revert timeout 60 s disables the limit",
      ["DER-WMAX2"],
      "DER1/DRCC1.WMaxLimEna.stVal",
      "ST",
      bool(false),
      [
        step(write("DER1/DRCC1.WMaxLimPctRvrtTms.setVal", int(60))),
        ...limited(60),
      ],
      T0 + 60_000,
    ),
    readOk(
      "market schedule at 80 %",
      ["PAPER-TL1", "DER-SCHD1"],
      totW,
      "MX",
      f32(8_000),
      schedule80,
      T0 + 10_000,
    ),
    readOk(
      "operator's 50 % limit overrides the schedule",
      ["PAPER-TL2", "DER-SCHD2"],
      totW,
      "MX",
      f32(5_000),
      [...schedule80, ...limited(50)],
      T0 + 10_000,
    ),
    readOk(
      "released limit: the schedule decides again",
      ["PAPER-TL2"],
      "DER1/DRCC1.WCtlSrc.stVal",
      "ST",
      int(1),
      [
        ...schedule80,
        ...limited(50),
        ...sbow(ENA, p(bool(false), 3), D, T0 + 5_000),
      ],
      T0 + 10_000,
    ),
    service("test command in test behaviour", ["ACSI-TEST1"], {
      setup: mod(3),
      request: swv(LIM, p(f32(60), 1, D, { test: true })),
      response: ctlAnswer("select-with-value", LIM, 1),
    }),
    // Refusals of reads.
    readNo("TotW under ST does not exist", "DER1/MMXU1.TotW", "ST", "object-non-existent"),
    readNo("other logical device", "DER2/MMXU1.TotW", "MX", "object-non-existent"),
    readNo("unknown logical node", "DER1/MMXU2.TotW", "MX", "object-non-existent"),
    readNo("unknown data object", "DER1/MMXU1.TotVA", "MX", "object-non-existent"),
    readNo("unknown attribute", "DER1/MMXU1.TotW.mag.i", "MX", "object-non-existent"),
    readNo("no LN part", "DER1", "MX", "invalid-address"),
    readNo("empty name part", "DER1/MMXU1..TotW", "MX", "invalid-address"),
    readNo("two slashes", "DER1/LLN0/Mod", "ST", "invalid-address"),
    readNo("empty reference", "", "ST", "invalid-address"),
    readNo("CO of a controllable object", LIM, "CO", "object-access-denied"),
    readNo("CO of a measurement", "DER1/MMXU1.TotW", "CO", "object-non-existent"),
    // Refusals of writes.
    writeNo("MX is read-only", ["ACSI-FC2"], totW, f32(1), "object-access-denied", "MX"),
    writeNo(
      "ST is read-only",
      ["ACSI-FC2"],
      "DER1/LLN0.Beh.stVal",
      int(5),
      "object-access-denied",
      "ST",
    ),
    writeNo(
      "CF is read-only",
      ["ACSI-FC2"],
      "DER1/ZINV1.WRtg.setMag.f",
      f32(1),
      "object-access-denied",
      "CF",
    ),
    writeNo(
      "DC is read-only",
      ["ACSI-FC2"],
      "DER1/LLN0.NamPlt.vendor",
      str("x"),
      "object-access-denied",
      "DC",
    ),
    writeNo(
      "EX is read-only",
      ["ACSI-FC2"],
      "DER1/LLN0.NamPlt.ldNs",
      str("x"),
      "object-access-denied",
      "EX",
    ),
    writeNo("CO through write", ["ACSI-FC2"], LIM, f32(1), "object-access-denied", "CO"),
    writeNo(
      "float into an integer setting",
      ["ACSI-FC2"],
      "DER1/DRCC1.WMaxLimPctRmpTms.setVal",
      f32(5),
      "type-inconsistent",
    ),
    writeNo(
      "FLOAT64 into a FLOAT32 setting",
      ["ACSI-FC2", "PD-196"],
      "DER1/FSCH1.Val1.setMag.f",
      f64(5),
      "type-inconsistent",
    ),
    writeNo(
      "boolean into an integer",
      ["ACSI-FC2"],
      "DER1/FSCH1.NumEntr.setVal",
      bool(true),
      "type-inconsistent",
    ),
    writeNo(
      "structure of the wrong shape",
      ["ACSI-FC2", "PD-196"],
      "DER1/FSCH1.Dur1",
      struct(),
      "type-inconsistent",
    ),
    writeNo(
      "ramp time above 3600 s",
      ["ACSI-FC2"],
      "DER1/DRCC1.WMaxLimPctRmpTms.setVal",
      int(3601),
      "object-value-invalid",
    ),
    writeNo(
      "revert time above a day",
      ["ACSI-FC2"],
      "DER1/DRCC1.WMaxLimPctRvrtTms.setVal",
      int(86_401),
      "object-value-invalid",
    ),
    writeNo(
      "negative schedule value on PV",
      ["ACSI-FC2", "PD-160"],
      "DER1/FSCH1.Val1.setMag.f",
      f32(-1),
      "object-value-invalid",
    ),
    writeNo(
      "more entries than the schedule has",
      ["ACSI-FC2"],
      "DER1/FSCH1.NumEntr.setVal",
      int(5),
      "object-value-invalid",
    ),
    writeNo(
      "negative duration",
      ["ACSI-FC2"],
      "DER1/FSCH1.Dur1.setVal",
      int(-1),
      "object-value-invalid",
    ),
    writeNo(
      "start time before the epoch",
      ["ACSI-FC2"],
      "DER1/FSCH1.StrTm1.setTm",
      time(-1),
      "object-value-invalid",
    ),
    writeNo(
      "caller without a role",
      ["PD-161"],
      "DER1/FSCH1.SchdEna.setVal",
      bool(true),
      "object-access-denied",
      "SP",
      S,
    ),
    writeNo(
      "VPP raises a schedule above its priority",
      ["PD-161", "PAPER-TL2"],
      "DER1/FSCH1.SchdPrio.setVal",
      int(150),
      "object-access-denied",
      "SP",
      V,
    ),
    writeNo(
      "VPP edits the operator's schedule",
      ["PD-161", "PAPER-TL2"],
      "DER1/FSCH2.Dur1.setVal",
      int(5),
      "object-access-denied",
      "SP",
      V,
      [
        step(write("DER1/FSCH2.SchdPrio.setVal", int(200))),
      ],
    ),
    writeNo(
      "write to a name that does not exist",
      ["ACSI-FC1"],
      "DER1/FSCH9.Dur1.setVal",
      int(5),
      "object-non-existent",
    ),
    // Refusals of name lists.
    ...([
      [
        "unknown logical device",
        { objectClass: "logical-node", logicalDevice: "DER9" },
        "object-non-existent",
      ],
      [
        "unknown logical node",
        { objectClass: "data", logicalNode: "DER1/XXXX1" },
        "object-non-existent",
      ],
      [
        "logical node reference with a DO",
        { objectClass: "data", logicalNode: "DER1/LLN0.Mod" },
        "invalid-address",
      ],
    ] as [string, J, string][]).map(([comment, scope, err]) =>
      service(
        comment,
        ["ACSI-NL1", "PD-196"],
        {
          request: { service: "get-name-list", scope },
          response: { service: "get-name-list", error: err },
        },
        err,
        ["name-list"],
      )
    ),
    // Refusals of controls.
    ctlNo(
      "control in another LD",
      ["PD-162"],
      "select-with-value",
      "DER2/DRCC1.WMaxLimPct",
      p(f32(60), 1),
      "unknown",
    ),
    ctlNo(
      "control of an unknown object",
      ["PD-162"],
      "select-with-value",
      "DER1/DRCC1.Nothing",
      p(f32(60), 1),
      "unknown",
    ),
    ctlNo(
      "control named below the DO",
      ["PD-162"],
      "select-with-value",
      `${LIM}.Oper`,
      p(f32(60), 1),
      "unknown",
    ),
    ctlNo(
      "status object is not controllable",
      ["PD-162"],
      "select-with-value",
      "DER1/LLN0.Beh",
      p(int(1), 1),
      "not-supported",
    ),
    ctlNo(
      "setting is not controllable",
      ["PD-162"],
      "select-with-value",
      "DER1/DRCC1.WMaxLimPctRvrtTms",
      p(int(1), 1),
      "not-supported",
    ),
    service(
      "select with normal security",
      ["PD-162"],
      {
        request: { service: "select", control: LIM },
        response: { service: "select", selected: false, addCause: "not-supported" },
      },
      "not-supported",
      ["control"],
    ),
    ctlNo(
      "caller without a role",
      ["PD-161", "PAPER-TA2"],
      "select-with-value",
      LIM,
      p(f32(60), 1, S),
      "no-access-authority",
      S,
    ),
    ctlNo(
      "time-activated operate",
      ["PD-162"],
      "select-with-value",
      LIM,
      p(f32(60), 1, D, { operTm: T0 + 1000 }),
      "not-supported",
    ),
    ctlNo(
      "limit above 100 %",
      ["ACSI-CTL1"],
      "select-with-value",
      LIM,
      p(f32(100.5), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "negative limit",
      ["ACSI-CTL1"],
      "select-with-value",
      LIM,
      p(f32(-1), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "FLOAT64 limit",
      ["ACSI-CTL1", "PD-162"],
      "select-with-value",
      LIM,
      p(f64(60), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "boolean limit",
      ["ACSI-CTL1"],
      "select-with-value",
      LIM,
      p(bool(true), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "ctlNum 256",
      ["ACSI-CTL1"],
      "select-with-value",
      LIM,
      p(f32(60), 256),
      "inconsistent-parameters",
    ),
    ctlNo(
      "float for an enable",
      ["ACSI-CTL1"],
      "select-with-value",
      ENA,
      p(f32(1), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "negative set-point on PV",
      ["ACSI-CTL1", "PD-160"],
      "select-with-value",
      "DER1/DRCC1.WSetPct",
      p(f32(-10), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "Mod 6",
      ["ACSI-CTL1"],
      "select-with-value",
      "DER1/LLN0.Mod",
      p(int(6), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "Mod 0",
      ["ACSI-CTL1"],
      "select-with-value",
      "DER1/LLN0.Mod",
      p(int(0), 1),
      "inconsistent-parameters",
    ),
    ctlNo(
      "operate without select",
      ["ACSI-SBOW1"],
      "operate",
      LIM,
      p(f32(60), 1),
      "object-not-selected",
    ),
    ctlNo(
      "operate of another client's selection",
      ["ACSI-SBOW1"],
      "operate",
      LIM,
      p(f32(60), 7, V),
      "locked-by-other-client",
      V,
      [step(swv(LIM, p(f32(60), 7)))],
    ),
    ctlNo(
      "select of another client's selection",
      ["ACSI-SBOW1"],
      "select-with-value",
      LIM,
      p(f32(50), 1, V),
      "locked-by-other-client",
      V,
      [step(swv(LIM, p(f32(60), 7)))],
    ),
    ctlNo(
      "select twice",
      ["ACSI-SBOW1", "PD-162"],
      "select-with-value",
      LIM,
      p(f32(60), 7),
      "object-already-selected",
      D,
      [step(swv(LIM, p(f32(60), 7)))],
    ),
    ctlNo(
      "operate with another ctlNum",
      ["ACSI-SBOW1"],
      "operate",
      LIM,
      p(f32(60), 8),
      "inconsistent-parameters",
      D,
      [step(swv(LIM, p(f32(60), 7)))],
    ),
    ctlNo(
      "operate with another value",
      ["ACSI-SBOW1"],
      "operate",
      LIM,
      p(f32(61), 7),
      "inconsistent-parameters",
      D,
      [step(swv(LIM, p(f32(60), 7)))],
    ),
    ctlNo(
      "operate after the select timeout",
      ["ACSI-SBOW2"],
      "operate",
      LIM,
      p(f32(60), 7),
      "object-not-selected",
      D,
      [step(swv(LIM, p(f32(60), 7)))],
      T0 + 30_000,
    ),
    ctlNo(
      "operate after cancel",
      ["ACSI-SBOW2"],
      "operate",
      LIM,
      p(f32(60), 7),
      "object-not-selected",
      D,
      [
        step(swv(LIM, p(f32(60), 7))),
        step({ service: "cancel", control: LIM, params: p(f32(60), 7) }),
      ],
    ),
    ctlNo(
      "operate twice on one select",
      ["ACSI-SBOW2"],
      "operate",
      LIM,
      p(f32(60), 7),
      "object-not-selected",
      D,
      sbow(LIM, p(f32(60), 7)),
    ),
    ctlNo(
      "cancel without select",
      ["ACSI-SBOW2"],
      "cancel",
      LIM,
      p(f32(60), 7),
      "object-not-selected",
    ),
    ctlNo(
      "behaviour off",
      ["ACSI-MOD1"],
      "select-with-value",
      LIM,
      p(f32(60), 1),
      "blocked-by-mode",
      D,
      mod(5),
    ),
    ctlNo(
      "behaviour on-blocked",
      ["ACSI-MOD1"],
      "select-with-value",
      LIM,
      p(f32(60), 1),
      "blocked-by-mode",
      D,
      mod(2),
    ),
    ctlNo(
      "test command in behaviour on",
      ["ACSI-TEST1"],
      "select-with-value",
      LIM,
      p(f32(60), 1, D, { test: true }),
      "blocked-by-mode",
    ),
    ctlNo(
      "plain command in behaviour test",
      ["ACSI-TEST1"],
      "select-with-value",
      LIM,
      p(f32(60), 1),
      "blocked-by-mode",
      D,
      mod(3),
    ),
    ctlNo(
      "VPP against the operator's active limit",
      ["PAPER-TL2", "PD-161"],
      "select-with-value",
      LIM,
      p(f32(90), 1, V),
      "blocked-by-command",
      V,
      limited(60),
    ),
    ctlNo(
      "VPP releasing the operator's limit",
      ["PAPER-TL2", "PD-161"],
      "select-with-value",
      ENA,
      p(bool(false), 1, V),
      "blocked-by-command",
      V,
      limited(60),
    ),
  ];
}

/** Cases for a battery (negative set-points). */
export function batteryCases(): TestCase[] {
  const set = "DER1/DRCC1.WSetPct";
  return [
    service("charging set-point", ["DER-WSET1"], {
      request: swv(set, p(f32(-50), 1)),
      response: ctlAnswer("select-with-value", set, 1),
    }),
    readOk(
      "battery charges at 5 kW once ramped",
      ["DER-WSET1"],
      "DER1/MMXU1.TotW.mag.f",
      "MX",
      f32(-5_000),
      [
        ...sbow(set, p(f32(-50), 1)),
        ...sbow("DER1/DRCC1.WSetEna", p(bool(true), 2)),
      ],
      T0 + 10_000,
    ),
    ctlNo(
      "set-point below -100 %",
      ["ACSI-CTL1"],
      "select-with-value",
      set,
      p(f32(-100.5), 1),
      "inconsistent-parameters",
    ),
    writeNo(
      "schedule value below -100 %",
      ["ACSI-FC2"],
      "DER1/FSCH1.Val1.setMag.f",
      f32(-101),
      "object-value-invalid",
    ),
  ];
}
