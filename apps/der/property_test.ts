/**
 * Properties of the DER model over generated inputs (fast-check): the limit
 * holds after its ramp, settings read back as written, and any sequence of
 * requests is answered without an exception, every refusal with a
 * registered, reproducible cause.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import { isRegisteredCode } from "../../core/errors.ts";
import type {
  ControlParameters,
  FunctionalConstraint,
  MmsData,
  ServiceRequest,
} from "../../state-machines/association/services.ts";
import { derConfig } from "./config.ts";
import { dataTree } from "./data_tree.ts";
import { refusalCode } from "./errors.ts";
import { applyGroupCommand, createDer, serve, tick } from "./serve.ts";
import type { DerState } from "./state.ts";
import {
  bool,
  ctl,
  DNO,
  exactDer,
  f32,
  int,
  sbow,
  STRANGER,
  T0,
  VPP,
  writeReq,
} from "./testing.ts";

const NOON = Date.UTC(2024, 5, 1, 11, 0, 0);

Deno.test("DER-WMAX1 property: after window and ramp, output ≤ min(limit, available, rated)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 5 }),
      (pct, rampS, windowS, seed, probes) => {
        const c = derConfig({
          ld: "DER1",
          weather: { kind: "cloudy", seed, cloudiness: 0.8 },
          priorities: { [DNO]: 200 },
          stepMs: 5_000,
        });
        let m = createDer(c, NOON);
        const set = (name: string, v: number) =>
          serve(m, writeReq(`DER1/DRCC1.${name}.setVal`, int(v)), NOON, DNO).model;
        m = set("WMaxLimPctRmpTms", rampS);
        m = set("WMaxLimPctWinTms", windowS);
        m = sbow(m, "DER1/DRCC1.WMaxLimPct", ctl(f32(pct), 1, DNO), DNO, NOON).model;
        m = sbow(m, "DER1/DRCC1.WMaxLimEna", ctl(bool(true), 2, DNO), DNO, NOON).model;
        const settled = NOON + (windowS + rampS) * 1000 + c.stepMs;
        for (const p of [...probes].sort((a, b) => a - b)) {
          m = tick(m, settled + p).model;
          const bound = Math.min((pct / 100) * c.ratedW, m.power.availW, c.ratedW);
          ok(m.power.outputW <= bound + 1e-6, `${m.power.outputW} > ${bound}`);
          ok(m.power.outputW >= 0);
        }
      },
    ),
    { numRuns: 60 },
  );
});

/** A value of the leaf's type inside its range. */
function valueFor(
  type: ReturnType<typeof dataTree>["leaves"][number]["type"],
): fc.Arbitrary<MmsData> {
  switch (type.kind) {
    case "boolean":
      return fc.boolean().map(bool);
    case "integer":
      return fc.integer({ min: type.min, max: type.max }).map(int);
    case "float32":
      return fc.float({ min: Math.fround(type.min), max: Math.fround(type.max), noNaN: true }).map(
        f32,
      );
    case "utc-time":
      return fc.integer({ min: 0, max: 2 ** 42 }).map((v) => ({ type: "utc-time", value: v }));
    default:
      return fc.string().map((v) => ({ type: "visible-string", value: v }));
  }
}

Deno.test("PD-196 property: a setting reads back exactly as written", () => {
  const m = exactDer({ priorities: { [DNO]: 255 } });
  const settings = dataTree(m.config).leaves.filter((l) => l.fc === "SP");
  ok(settings.length > 20);
  fc.assert(
    fc.property(
      fc.constantFrom(...settings).chain((l) => fc.tuple(fc.constant(l), valueFor(l.type))),
      ([leaf, value]) => {
        const ref = { ref: `DER1/${leaf.ln}.${leaf.path.join(".")}`, fc: "SP" as const };
        const w = serve(m, { service: "write", items: [{ ref, value }] }, T0, DNO);
        assertEquals(w.response, { service: "write", results: [null] });
        const r = serve(w.model, { service: "read", items: [ref] }, T0, DNO);
        assertEquals(r.response, { service: "read", results: [value] });
      },
    ),
    { numRuns: 300 },
  );
});

const mmsData: fc.Arbitrary<MmsData> = fc.letrec<{ v: MmsData }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.boolean().map(bool),
    fc.integer({ min: -300, max: 300 }).map(int),
    fc.double({ min: -200, max: 200, noNaN: true }).map(f32),
    fc.double().map((v): MmsData => ({ type: "float", value: v, width: 64 })),
    fc.nat(300).map((v): MmsData => ({ type: "unsigned", value: v })),
    fc.string({ maxLength: 4 }).map((v): MmsData => ({ type: "visible-string", value: v })),
    fc.nat().map((v): MmsData => ({ type: "utc-time", value: T0 + v })),
    fc.array(tie("v"), { maxLength: 3 }).map((members): MmsData => ({
      type: "structure",
      members,
    })),
  ),
})).v;

const REFS = [
  "DER1/LLN0",
  "DER1/LLN0.Mod",
  "DER1/LLN0.Mod.stVal",
  "DER1/MMXU1.TotW",
  "DER1/MMXU1.PhV.phsA",
  "DER1/DRCC1.WMaxLimPct",
  "DER1/DRCC1.WMaxLimEna",
  "DER1/DRCC1.WSetPct",
  "DER1/DRCC1.WSetEna",
  "DER1/DRCC1.WMaxLimPctRmpTms.setVal",
  "DER1/DRCC1.WMaxLimPctRvrtTms",
  "DER1/FSCH1",
  "DER1/FSCH1.Val1.setMag.f",
  "DER1/FSCH2.SchdPrio.setVal",
  "DER1/FSCH2.StrTm1.setTm",
  "DER2/LLN0.Mod",
  "DER1",
  "",
  "DER1/NOPE1.X",
];
const FCS: FunctionalConstraint[] = ["ST", "MX", "SP", "SG", "CF", "DC", "CO", "EX"];
const CONTROLS = [
  "DER1/LLN0.Mod",
  "DER1/DRCC1.WMaxLimPct",
  "DER1/DRCC1.WMaxLimEna",
  "DER1/DRCC1.WSetPct",
  "DER1/DRCC1.WSetEna",
  "DER1/LLN0.Beh",
  "DER2/LLN0.Mod",
  "junk",
];

const params: fc.Arbitrary<ControlParameters> = fc.record({
  ctlVal: mmsData,
  origin: fc.record({
    orCat: fc.constant("remote-control" as const),
    orIdent: fc.constantFrom(DNO, VPP),
  }),
  ctlNum: fc.integer({ min: -1, max: 256 }),
  t: fc.constant(T0),
  test: fc.boolean(),
  check: fc.constant({ synchrocheck: false, interlockCheck: false }),
}).chain((p) =>
  fc.option(fc.nat(), { nil: undefined }).map((
    operTm,
  ) => (operTm === undefined || operTm % 4 ? p : { ...p, operTm }))
);

const request: fc.Arbitrary<ServiceRequest> = fc.oneof(
  fc.array(fc.record({ ref: fc.constantFrom(...REFS), fc: fc.constantFrom(...FCS) }), {
    maxLength: 3,
  })
    .map((items): ServiceRequest => ({ service: "read", items })),
  fc.array(
    fc.record({
      ref: fc.record({ ref: fc.constantFrom(...REFS), fc: fc.constantFrom(...FCS) }),
      value: mmsData,
    }),
    { maxLength: 3 },
  )
    .map((items): ServiceRequest => ({ service: "write", items })),
  fc.tuple(
    fc.constantFrom("select-with-value", "operate", "cancel") as fc.Arbitrary<"operate">,
    fc.constantFrom(...CONTROLS),
    params,
  )
    .map(([service, control, p]): ServiceRequest => ({ service, control, params: p })),
  fc.constantFrom(...CONTROLS).map((control): ServiceRequest => ({ service: "select", control })),
  fc.constantFrom(
    { objectClass: "logical-device" as const },
    { objectClass: "logical-node" as const, logicalDevice: "DER1" },
    { objectClass: "data" as const, logicalNode: "DER1/FSCH1" },
    { objectClass: "data" as const, logicalNode: "DER1/LLN0.Mod" },
  ).map((scope): ServiceRequest => ({ service: "get-name-list", scope })),
);

/** Every refusal named in a response, checked to have a registered code. */
function refusals(response: unknown): string[] {
  const r = response as { results?: unknown[]; addCause?: string; error?: string };
  const out: string[] = [];
  for (const x of r.results ?? []) if (typeof x === "string") out.push(x);
  if (r.addCause) out.push(r.addCause);
  if (r.error) out.push(r.error);
  return out;
}

/** A value each control accepts, so generated select/operate pairs reach the process. */
const acceptable: Record<string, fc.Arbitrary<MmsData>> = {
  "DER1/LLN0.Mod": fc.integer({ min: 1, max: 5 }).map(int),
  "DER1/DRCC1.WMaxLimPct": fc.integer({ min: 0, max: 100 }).map(f32),
  "DER1/DRCC1.WMaxLimEna": fc.boolean().map(bool),
  "DER1/DRCC1.WSetPct": fc.integer({ min: 0, max: 100 }).map(f32),
  "DER1/DRCC1.WSetEna": fc.boolean().map(bool),
};

/** A select-with-value and the operate that repeats it, mostly with an acceptable value. */
const pair: fc.Arbitrary<ServiceRequest[]> = fc.constantFrom(...Object.keys(acceptable))
  .chain((control) =>
    fc.tuple(
      fc.constant(control),
      params,
      fc.option(acceptable[control], { freq: 4, nil: undefined }),
    )
  )
  .map(([control, p, value]) => {
    const good = value === undefined
      ? p
      : { ...p, ctlVal: value, ctlNum: p.ctlNum & 0xff, test: false };
    const { operTm: _t, ...plain } = good;
    const params = value === undefined ? good : plain;
    return [
      { service: "select-with-value", control, params },
      { service: "operate", control, params },
    ];
  });

Deno.test("DL-DER-1 property: random request sequences never throw; refusals have registered codes and replay", () => {
  const steps = fc.array(
    fc.tuple(
      fc.oneof(request.map((r) => [r]), pair),
      fc.constantFrom(DNO, DNO, VPP, STRANGER),
      fc.integer({ min: 0, max: 3_000 }),
    ),
    { maxLength: 25 },
  );
  let operated = 0;
  fc.assert(
    fc.property(
      steps,
      fc.constantFrom<"model" | "association">("model", "association"),
      (script, tracking) => {
        const play = () => {
          let m: DerState = exactDer({
            selectTracking: tracking,
            kind: tracking === "model" ? "pv" : "battery",
          });
          let t = T0;
          const seen: unknown[] = [];
          for (const [requests, caller, dt] of script) {
            t += dt;
            for (const req of requests) {
              const r = serve(m, req, t, caller);
              m = r.model;
              seen.push(r.response, r.terminations, r.reports);
              operated += r.terminations.length;
              for (const cause of refusals(r.response)) {
                ok(
                  isRegisteredCode(refusalCode(cause as never)),
                  cause,
                );
              }
              if (req.service === "read") {
                assertEquals(
                  (r.response as unknown as { results: unknown[] }).results.length,
                  req.items.length,
                );
              }
            }
          }
          return seen;
        };
        assertEquals(play(), play());
      },
    ),
    { numRuns: 150 },
  );
  ok(operated > 100, `only ${operated} commands went through`);
});

Deno.test("PD-195 property: group commands with random operations never throw", () => {
  const op = fc.oneof(
    fc.tuple(
      fc.constantFrom(
        "DRCC1.WMaxLimPct",
        "DRCC1.WMaxLimEna",
        "LLN0.Mod",
        "LLN0.Beh",
        "X.Y",
        "DER1/LLN0.Mod",
      ),
      params,
    )
      .map(([control, p]) => ({ kind: "operate" as const, control, params: p })),
    fc.tuple(
      fc.constantFrom("DRCC1.WMaxLimPctRvrtTms.setVal", "MMXU1.TotW", "FSCH1", "nope"),
      fc.constantFrom(...FCS),
      mmsData,
    )
      .map(([ref, fcv, value]) => ({ kind: "write" as const, ref, fc: fcv, value })),
  );
  fc.assert(
    fc.property(
      fc.array(op, { minLength: 1, maxLength: 6 }),
      fc.constantFrom(DNO, VPP, STRANGER),
      (operations, sender) => {
        const r = applyGroupCommand(
          exactDer(),
          { group: "g", id: 1, light: "red", issued: T0, operations },
          T0 + 1,
          sender,
        );
        assertEquals(r.outcomes.length, operations.length);
        for (const o of r.outcomes) {
          if (!o.ok) ok(isRegisteredCode(refusalCode((o.addCause ?? o.error)!)));
        }
      },
    ),
    { numRuns: 200 },
  );
});
