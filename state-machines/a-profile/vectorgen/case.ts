/**
 * The shape of one generated case before its expected outputs are filled in.
 *
 * @module
 */
import type { JsonConfig, JsonStep } from "../replay.ts";
import { JIDS, T0 } from "../fixtures.ts";

export interface Case {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  /** "valid", or the codes the refusal may carry ("pki/*" matches any pki code). */
  readonly expect: "valid" | readonly string[];
  readonly config?: Partial<JsonConfig>;
  readonly steps: readonly JsonStep[];
}

/** Time of the message under test: one second after the scenario started. */
export const AT = T0 + 1000;

/** A receive step. */
export const recv = (xml: string, from: string | undefined = JIDS.vpp, now = AT): JsonStep => ({
  input: from === undefined ? { type: "receive", xml, now } : { type: "receive", xml, from, now },
});

export const expectCode = (...codes: string[]): readonly string[] => codes;

/** True when `code` is one of `allowed` ("area/*" matches the whole area). */
export const codeMatches = (code: string, allowed: readonly string[]): boolean =>
  allowed.some((a) => a === code || (a.endsWith("/*") && code.startsWith(a.slice(0, -1))));
