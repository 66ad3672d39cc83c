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
export const step = (request: J, caller = D, at = T0): Step => ({ caller, at, request });
export const read = (ref: string, fc: string): J => ({ service: "read", items: [{ ref, fc }] });
export const write = (ref: string, value: J, fc = "SP"): J => ({
  service: "write",
  items: [{ ref: { ref, fc }, value }],
});
export const swv = (control: string, params: J): J => ({
  service: "select-with-value",
  control,
  params,
});
export const operate = (control: string, params: J): J => ({ service: "operate", control, params });
/** Select-with-value and operate, as setup. */
export const sbow = (control: string, params: J, caller = D, at = T0): Step[] => [
  step(swv(control, params), caller, at),
  step(operate(control, params), caller, at),
];
export const LIM = "DER1/DRCC1.WMaxLimPct";
export const ENA = "DER1/DRCC1.WMaxLimEna";
const code = (cause: string) => `der-model/${cause}`;

export function service(
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

export const readOk = (
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
export const readNo = (comment: string, ref: string, fc: string, err: string) =>
  service(
    comment,
    ["ACSI-FC1"],
    { request: read(ref, fc), response: { service: "read", results: [err] } },
    err,
    ["read"],
  );
export const writeNo = (
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
export const ctlAnswer = (svc: string, control: string, ctlNum: number, addCause?: string): J => ({
  service: svc,
  control,
  ctlNum,
  ...(addCause ? { addCause } : {}),
});
export const ctlNo = (
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

export const limited = (
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
export const mod = (value: number): Step[] => sbow("DER1/LLN0.Mod", p(int(value), 9));

/** Cases for the PV unit: values, reads, writes, name lists. */
export function pvServiceCases(): TestCase[] {
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
  ];
}
