/**
 * Checker for the MUC room machine vectors (`vectors/muc/*.json`, schema
 * `muc.schema.json`): `muc-room` replays a transcript through the IUT's
 * `muc.room` machine and compares the final phase and the last input's
 * outputs; an invalid case must end in its error code.
 *
 * @module
 */
import { type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import { checkTranscript } from "../iut/transcript.ts";
import type { GroupChecker } from "../suite.ts";

/** The MUC checkers, run against `iut`. */
export function mucCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "muc-room",
      () => ({ machines: ["muc.room"] }),
      (t) => checkTranscript(iut, "muc.room", t.config as JsonObject, t),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = mucCheckers(reference);
