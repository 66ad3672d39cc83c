/**
 * The DER model's access vector cases, written by hand (see
 * vector_cases.ts): reads, writes and name lists refused with their
 * DataAccessError.
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import {
  bool,
  f32,
  f64,
  int,
  LIM,
  readNo,
  S,
  service,
  step,
  str,
  struct,
  time,
  V,
  write,
  writeNo,
} from "./vector_cases.ts";

type J = Parameters<typeof struct>[0];

/** Refused reads, writes and name lists for the PV unit. */
export function pvAccessCases(): TestCase[] {
  const totW = "DER1/MMXU1.TotW.mag.f";
  return [
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
  ];
}
