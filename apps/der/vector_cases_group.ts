/**
 * Group command vector cases, written by hand: a payload as it arrives in a
 * group-protected SPDU, its sender, and what each DER does with it
 * (PD-195): one outcome per operation, and values read afterwards.
 *
 * @module
 */
import type { Json, TestCase } from "../../tools/vector_file_builder.ts";
import { bool, D, f32, int, p, S, sbow, type Step, T0, V } from "./vector_cases.ts";

const NS = "urn:derlink:der-group-command:1";
const root = (body: string, light = "red") =>
  `<group-command xmlns="${NS}" group="feeder-7" id="1" light="${light}" issued="${T0}">${body}</group-command>`;
const op = (control: string, value: string, ctlNum = 1, orIdent = D) =>
  `<operate control="${control}" ctlNum="${ctlNum}" orCat="remote-control" orIdent="${orIdent}" t="${T0}" test="false" synchrocheck="false" interlockCheck="false">${value}</operate>`;
const wr = (ref: string, value: string, fc = "SP") =>
  `<write ref="${ref}" fc="${fc}">${value}</write>`;
const F = (v: number) => `<float width="32">${v}</float>`;
const B = (v: boolean) => `<boolean>${v}</boolean>`;
const I = (v: number) => `<integer>${v}</integer>`;

const RED = root(
  wr("DRCC1.WMaxLimPctRvrtTms.setVal", I(900)) + wr("DRCC1.WMaxLimPctRmpTms.setVal", I(0)) +
    op("DRCC1.WMaxLimPct", F(40), 1) + op("DRCC1.WMaxLimEna", B(true), 2),
);
const GREEN = root(op("DRCC1.WMaxLimEna", B(false), 3) + op("DRCC1.WSetEna", B(false), 4), "green");
const OPERATOR_LIMIT: Step[] = [
  ...sbow("DER1/DRCC1.WMaxLimPct", p(f32(40), 1)),
  ...sbow("DER1/DRCC1.WMaxLimEna", p(bool(true), 2)),
];
const OFF: Step[] = sbow("DER1/LLN0.Mod", p(int(5), 9));
const TOTW = "DER1/MMXU1.TotW.mag.f";

interface GroupCase {
  comment: string;
  spec: string[];
  payload: string;
  sender?: string;
  setup?: Step[];
  outcomes?: Json[];
  then?: Json[];
  error?: string;
  flags?: string[];
}

const ok = { ok: true };
const refused = (addCause: string) => ({ ok: false, addCause });
const failed = (error: string) => ({ ok: false, error });

function groupCase(c: GroupCase): TestCase {
  const firstRefusal = (c.outcomes ?? []).find((o) => (o as { ok: boolean }).ok === false) as
    | { addCause?: string; error?: string }
    | undefined;
  const error = c.error ??
    (firstRefusal ? `der-model/${firstRefusal.addCause ?? firstRefusal.error}` : undefined);
  return {
    comment: c.comment,
    flags: c.flags ?? [],
    spec: c.spec,
    setup: (c.setup ?? []) as unknown as Json,
    sender: c.sender ?? D,
    at: T0,
    payload: c.payload,
    ...(c.outcomes ? { outcomes: c.outcomes } : {}),
    ...(c.then ? { then: c.then } : {}),
    result: error ? "invalid" : "valid",
    ...(error ? { error } : {}),
  };
}

/** The group command cases. */
export function groupCases(): TestCase[] {
  return [
    {
      comment: "red: curtail to 40 % at once, revert after 15 min",
      spec: ["PAPER-TL3", "PAPER-TL2", "PD-195", "DER-WMAX1"],
      payload: RED,
      outcomes: [ok, ok, ok, ok],
      then: [
        { at: T0 + 2_000, ref: TOTW, fc: "MX", value: f32(4_000) },
        { at: T0 + 900_000, ref: "DER1/DRCC1.WMaxLimEna.stVal", fc: "ST", value: bool(false) },
      ],
    },
    {
      comment: "green: release; output back to rated after the ramp",
      spec: ["PAPER-TL1", "PAPER-TL2", "PD-195"],
      payload: GREEN,
      setup: OPERATOR_LIMIT,
      outcomes: [ok, ok],
      then: [{ at: T0 + 20_000, ref: TOTW, fc: "MX", value: f32(10_000) }],
    },
    {
      comment: "a market party cannot lift the operator's limit",
      spec: ["PAPER-TL2", "PD-161"],
      payload: GREEN,
      sender: V,
      setup: OPERATOR_LIMIT,
      outcomes: [refused("blocked-by-command"), ok],
      then: [{ at: T0 + 20_000, ref: TOTW, fc: "MX", value: f32(4_000) }],
    },
    {
      comment: "a sender without a role commands nothing",
      spec: ["PD-161", "PAPER-TA2"],
      payload: RED,
      sender: S,
      outcomes: [
        failed("object-access-denied"),
        failed("object-access-denied"),
        refused("no-access-authority"),
        refused("no-access-authority"),
      ],
    },
    {
      comment: "behaviour off refuses the commands, the settings are still written",
      spec: ["ACSI-MOD1", "PD-195"],
      payload: RED,
      setup: OFF,
      outcomes: [ok, ok, refused("blocked-by-mode"), refused("blocked-by-mode")],
    },
    {
      comment: "a refused operation does not stop the next",
      spec: ["PD-195", "ACSI-CTL1"],
      payload: root(op("DRCC1.WMaxLimPct", F(140), 1) + op("DRCC1.WMaxLimPct", F(30), 2)),
      outcomes: [refused("inconsistent-parameters"), ok],
    },
    {
      comment: "status object is not controllable",
      spec: ["PD-162"],
      payload: root(op("LLN0.Beh", I(1))),
      outcomes: [refused("not-supported")],
    },
    {
      comment: "unknown object",
      spec: ["PD-162"],
      payload: root(op("DRCC9.WMaxLimPct", F(10))),
      outcomes: [refused("unknown")],
    },
    {
      comment: "measurements are read-only",
      spec: ["ACSI-FC2"],
      payload: root(wr("MMXU1.TotW.mag.f", F(1), "MX")),
      outcomes: [failed("object-access-denied")],
    },
    ...([
      [
        "payload in another namespace",
        `<group-command xmlns="urn:x" group="g" id="1" light="red" issued="1">${
          op("DRCC1.WMaxLimPct", F(1))
        }</group-command>`,
      ],
      ["ctlNum out of range", root(op("DRCC1.WMaxLimPct", F(1), 300))],
      ["absolute reference", root(op("DER1/DRCC1.WMaxLimPct", F(1)))],
      ["two values in one operation", root(op("DRCC1.WMaxLimPct", F(1) + F(2)))],
      ["unknown traffic light", root(op("DRCC1.WMaxLimPct", F(1)), "amber")],
      ["no operation", root("")],
      ["not well-formed", root(op("DRCC1.WMaxLimPct", F(1))).slice(0, -3)],
    ] as [string, string][]).map(([comment, payload]) => ({
      comment,
      spec: ["PD-195"],
      payload,
      error: "group-command/malformed",
      flags: ["payload"],
    })),
    {
      comment: "more than 64 operations",
      spec: ["PD-195"],
      payload: root(op("DRCC1.WMaxLimPct", F(1)).repeat(65)),
      error: "group-command/too-large",
      flags: ["payload"],
    },
  ].map(groupCase);
}
