/**
 * Read, write and GetNameList against the data tree, with hand-computed
 * expected values (10 kW PV in constant full sun, exact grid).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { serve } from "./serve.ts";
import {
  bool,
  DNO,
  exactDer,
  f32,
  int,
  readReq,
  readValue,
  ref,
  STRANGER,
  T0,
  VPP,
  writeReq,
} from "./testing.ts";
import type { MmsData } from "../../state-machines/association/services.ts";

const GOOD = { type: "bit-string", value: "0000000000000" } as const;
const results = (r: ReturnType<typeof serve>) =>
  (r.response as unknown as { results: unknown[] }).results;

Deno.test("DER-MX1 measurements read with expected values, quality and time", () => {
  const m = exactDer();
  assertEquals(readValue(m, "DER1/MMXU1.TotW.mag.f", "MX", T0), f32(10_000));
  assertEquals(readValue(m, "DER1/MMXU1.Hz.mag.f", "MX", T0), f32(50));
  // 230 V raised by 2 % at full rated output.
  assertEquals(readValue(m, "DER1/MMXU1.PhV.phsB.cVal.mag.f", "MX", T0), f32(230 * 1.02));
  assertEquals(readValue(m, "DER1/MMXU1.TotW", "MX", T0), {
    type: "structure",
    members: [{ type: "structure", members: [f32(10_000)] }, GOOD, { type: "utc-time", value: T0 }],
  });
  assertEquals(readValue(m, "DER1/ZINV1.WRtg.setMag.f", "CF", T0), f32(10_000));
});

Deno.test("DER-LD1 LLN0 carries Mod, Beh, Health, NamPlt", () => {
  const m = exactDer();
  assertEquals(readValue(m, "DER1/LLN0.Beh.stVal", "ST", T0), int(1));
  assertEquals(readValue(m, "DER1/LLN0.Health.stVal", "ST", T0), int(1));
  assertEquals(readValue(m, "DER1/LLN0", "EX", T0), {
    type: "structure",
    members: [{ type: "structure", members: [{ type: "visible-string", value: "derlink-der:1" }] }],
  });
  const dc = readValue(m, "DER1/LLN0.NamPlt", "DC", T0) as { readonly members: readonly MmsData[] };
  assertEquals(dc.members[0], { type: "visible-string", value: "derlink" });
});

Deno.test("ACSI-FC1 reads of unknown names, other FCs and malformed references", () => {
  const m = exactDer();
  const r = serve(
    m,
    {
      service: "read",
      items: [
        ref("DER1/MMXU1.TotW", "ST"),
        ref("DER2/MMXU1.TotW", "MX"),
        ref("DER1/MMXU2.TotW", "MX"),
        ref("DER1/MMXU1.TotVA", "MX"),
        ref("DER1/MMXU1.TotW.mag.i", "MX"),
        ref("DER1", "MX"),
        ref("DER1/MMXU1..TotW", "MX"),
        ref("DER1/DRCC1.WMaxLimPct", "CO"),
        ref("DER1/MMXU1.TotW", "CO"),
      ],
    },
    T0,
    STRANGER,
  );
  assertEquals(results(r), [
    "object-non-existent",
    "object-non-existent",
    "object-non-existent",
    "object-non-existent",
    "object-non-existent",
    "invalid-address",
    "invalid-address",
    "object-access-denied",
    "object-non-existent",
  ]);
});

Deno.test("ACSI-FC2 only SP is writable; types and ranges are checked", () => {
  const m = exactDer();
  const cases: [string, MmsData, "MX" | "ST" | "CF" | "DC" | "EX" | "CO" | "SP", string | null][] =
    [
      ["DER1/MMXU1.TotW.mag.f", f32(1), "MX", "object-access-denied"],
      ["DER1/LLN0.Beh.stVal", int(5), "ST", "object-access-denied"],
      ["DER1/ZINV1.WRtg.setMag.f", f32(1), "CF", "object-access-denied"],
      [
        "DER1/LLN0.NamPlt.vendor",
        { type: "visible-string", value: "x" },
        "DC",
        "object-access-denied",
      ],
      [
        "DER1/LLN0.NamPlt.ldNs",
        { type: "visible-string", value: "x" },
        "EX",
        "object-access-denied",
      ],
      ["DER1/DRCC1.WMaxLimPct", f32(1), "CO", "object-access-denied"],
      ["DER1/DRCC1.WMaxLimPctRmpTms.setVal", f32(5), "SP", "type-inconsistent"],
      [
        "DER1/FSCH1.Val1.setMag.f",
        { type: "float", value: 5, width: 64 },
        "SP",
        "type-inconsistent",
      ],
      ["DER1/DRCC1.WMaxLimPctRmpTms.setVal", int(3601), "SP", "object-value-invalid"],
      ["DER1/FSCH1.Val1.setMag.f", f32(-1), "SP", "object-value-invalid"],
      ["DER1/FSCH1.NumEntr.setVal", int(5), "SP", "object-value-invalid"],
      ["DER1/DRCC1.WMaxLimPctRmpTms.setVal", int(5), "SP", null],
    ];
  for (const [r, v, fc, expected] of cases) {
    assertEquals(results(serve(m, writeReq(r, v, fc), T0, DNO)), [expected], `${r} ${fc}`);
  }
});

Deno.test("PD-196 read after write; structured write all or nothing; items independent", () => {
  let m = exactDer();
  let r = serve(m, writeReq("DER1/FSCH1.Dur1", { type: "structure", members: [int(60)] }), T0, VPP);
  assertEquals(results(r), [null]);
  m = r.model;
  assertEquals(readValue(m, "DER1/FSCH1.Dur1.setVal", "SP", T0), int(60));
  r = serve(m, writeReq("DER1/FSCH1.Dur1", { type: "structure", members: [] }), T0, VPP);
  assertEquals(results(r), ["type-inconsistent"]);
  r = serve(
    m,
    {
      service: "write",
      items: [
        { ref: ref("DER1/FSCH1.Dur2.setVal", "SP"), value: int(-1) },
        { ref: ref("DER1/FSCH1.Dur2.setVal", "SP"), value: int(30) },
      ],
    },
    T0,
    VPP,
  );
  assertEquals(results(r), ["object-value-invalid", null]);
  assertEquals(readValue(r.model, "DER1/FSCH1.Dur2.setVal", "SP", T0), int(30));
});

Deno.test("PD-161 writes need a role; schedule priority capped by the caller's", () => {
  const m = exactDer();
  assertEquals(results(serve(m, writeReq("DER1/FSCH1.SchdEna.setVal", bool(true)), T0, STRANGER)), [
    "object-access-denied",
  ]);
  assertEquals(results(serve(m, writeReq("DER1/FSCH1.SchdPrio.setVal", int(150)), T0, VPP)), [
    "object-access-denied",
  ]);
  const dno = serve(m, writeReq("DER1/FSCH2.SchdPrio.setVal", int(200)), T0, DNO);
  assertEquals(results(dno), [null]);
  assertEquals(results(serve(dno.model, writeReq("DER1/FSCH2.Dur1.setVal", int(5)), T0, VPP)), [
    "object-access-denied",
  ]);
  assertEquals(results(serve(dno.model, writeReq("DER1/FSCH1.Dur1.setVal", int(5)), T0, VPP)), [
    null,
  ]);
});

Deno.test("ACSI-NL1 name lists: devices, nodes, data, pages, refusals", () => {
  const m = exactDer({ nameListPage: 3 });
  const nl = (scope: unknown, continueAfter?: string) =>
    serve(
      m,
      {
        service: "get-name-list",
        scope: scope as never,
        ...(continueAfter ? { continueAfter } : {}),
      },
      T0,
      STRANGER,
    )
      .response;
  assertEquals(nl({ objectClass: "logical-device" }), {
    service: "get-name-list",
    names: ["DER1"],
    moreFollows: false,
  });
  assertEquals(nl({ objectClass: "logical-node", logicalDevice: "DER1" }), {
    service: "get-name-list",
    names: ["DRCC1", "FSCH1", "FSCH2"],
    moreFollows: true,
  });
  assertEquals(nl({ objectClass: "logical-node", logicalDevice: "DER1" }, "FSCH2"), {
    service: "get-name-list",
    names: ["LLN0", "MMXU1", "ZINV1"],
    moreFollows: false,
  });
  assertEquals(nl({ objectClass: "data", logicalNode: "DER1/LLN0" }, "Beh"), {
    service: "get-name-list",
    names: ["Health", "Mod", "NamPlt"],
    moreFollows: false,
  });
  assertEquals(nl({ objectClass: "logical-node", logicalDevice: "DER9" }), {
    service: "get-name-list",
    error: "object-non-existent",
  });
  assertEquals(nl({ objectClass: "data", logicalNode: "DER1/LLN0.Mod" }), {
    service: "get-name-list",
    error: "invalid-address",
  });
  assertEquals(nl({ objectClass: "data", logicalNode: "DER1/XXXX1" }), {
    service: "get-name-list",
    error: "object-non-existent",
  });
});

Deno.test("reads need no role; a read request answers item by item", () => {
  const r = serve(exactDer(), readReq("DER1/LLN0.Mod.stVal", "ST"), T0, STRANGER);
  assertEquals(r.response, { service: "read", results: [int(1)] });
});
