/**
 * Writes vectors/der-model/*.json from the hand-written cases
 * (vector_cases.ts, vector_cases_group.ts): the configuration each group
 * runs on, and the cases. Deterministic; run by `deno task vectors`.
 *
 * @module
 */
import { type Json, VectorFileBuilder } from "../../tools/vector_file_builder.ts";
import { derConfig } from "./config.ts";
import { D, pvServiceCases, T0, V } from "./vector_cases.ts";
import { batteryCases, pvControlCases } from "./vector_cases_controls.ts";
import { pvAccessCases } from "./vector_cases_access.ts";
import { groupCases } from "./vector_cases_group.ts";

const SOURCE =
  "derlink DER profile (PD-160..164, PD-195..197) after public descriptions of IEC 61850-7-2/7-4/7-420/90-7 and the paper's §I; expected responses written by hand in apps/der/vector_cases*.ts, not computed by the model";

const NOTES = {
  read: "a read item refused with a DataAccessError",
  write: "a write item refused with a DataAccessError",
  "name-list": "a GetNameList refused as a whole (ServiceError)",
  control: "a control refused with an AddCause",
  payload: "a group command payload refused before any DER acts on it",
};

/** The exactly predictable 10 kW unit every group runs on (PD-163: constant sun, no noise, no deadband). */
function configJson(kind: "pv" | "battery", nameListPage: number): Json {
  return derConfig({
    ld: "DER1",
    kind,
    weather: { kind: "constant", level: 1, seed: 1 },
    grid: { nominalHz: 50, hzNoise: 0, nominalV: 230, riseAtRated: 0.02, vNoise: 0 },
    deadband: { w: 0, hz: 0, v: 0 },
    priorities: { [D]: 200, [V]: 100 },
    nameListPage,
  }) as unknown as Json;
}

/** Shaped as tools/vector_generators.ts wants (not imported: that module imports every generator). */
export const derModelVectorGenerator: {
  readonly name: string;
  generate(): { path: string; content: Json }[];
} = {
  name: "der-model",
  generate() {
    const services = new VectorFileBuilder({
      suite: "der-model.services",
      schema: "der-model.schema.json",
      source: SOURCE,
      notes: NOTES,
      generated: true,
    })
      .group("der-service", { config: configJson("pv", 8), start: T0 }, [
        ...pvServiceCases(),
        ...pvAccessCases(),
        ...pvControlCases(),
      ])
      .group("der-service", { config: configJson("battery", 8), start: T0 }, batteryCases());
    const group = new VectorFileBuilder({
      suite: "der-model.group-command",
      schema: "der-model.schema.json",
      source: SOURCE,
      notes: NOTES,
      generated: true,
    }).group("der-group-command", { config: configJson("pv", 8), start: T0 }, groupCases());
    return [
      { path: "der-model/services.json", content: services.build() },
      { path: "der-model/group-command.json", content: group.build() },
    ];
  },
};
