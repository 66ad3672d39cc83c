/**
 * Checkers for the association vectors (`vectors/association/*.json`,
 * schema `association.schema.json`):
 *
 * - `association-client`, `association-server`, `association-multicast`
 *   replay a transcript through the IUT's machine of that name and compare
 *   the final phase and the last input's outputs; an invalid case must be
 *   refused (an error, or an `ignored` event, with its code) by its last
 *   input and by no earlier one;
 * - `association-xer-decode` / `-encode` call the IUT's XER codec and
 *   compare the PDU or text, or the refusal code.
 *
 * @module
 */
import type { VectorTest } from "../../core/vectors.ts";
import { type OutputSummary, refusalCodes } from "../../state-machines/association/vectors.ts";
import { edgesOf, type IutBackend, protocolChecker, stableJson } from "../iut/backend.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const codesOf = (r: StepReply) => refusalCodes(r.out as unknown as OutputSummary[]);

async function checkTranscript(
  iut: IutBackend,
  machine: string,
  test: VectorTest,
): Promise<CaseOutcome> {
  const expected = { phase: test.phase, outputs: test.outputs };
  const replies: StepReply[] = [await iut.init(machine, test.config as JsonObject)];
  for (const input of test.inputs as JsonObject[]) replies.push(await iut.step(input));
  const last = replies.at(-1)!;
  const edges = edgesOf(replies);
  const observed = { phase: last.phase, outputs: replies.length > 1 ? last.out : [] };
  // Only errors count before the last input: an ignored spoofed presence is no refusal of the run.
  const early = replies.slice(1, -1).flatMap((r) =>
    r.out.flatMap((o) => o.type === undefined && typeof o.error === "string" ? [o.error] : [])
  );
  if (early.length > 0) {
    return {
      verdict: "fail",
      expected,
      observed: early,
      message: "refused before the last input",
      edges,
    };
  }
  if (test.result === "invalid" && !codesOf(last).includes(test.error as string)) {
    return {
      verdict: "fail",
      expected: test.error,
      observed,
      message: "not refused with the expected code",
      edges,
    };
  }
  return stableJson(observed) === stableJson(expected)
    ? { verdict: "pass", expected, observed, edges }
    : { verdict: "fail", expected, observed, message: "phase or outputs differ", edges };
}

async function checkCodec(
  iut: IutBackend,
  test: VectorTest,
  encode: boolean,
): Promise<CaseOutcome> {
  const args: Record<string, unknown> = {};
  for (const k of ["xml", "hex", "limits", "pdu"]) if (test[k] !== undefined) args[k] = test[k];
  if (encode) delete args.xml;
  const r = await iut.call(
    encode ? "association.xer.encode" : "association.xer.decode",
    args as JsonObject,
  );
  if (test.result === "invalid") {
    const observed = r.ok ? r.result : r.code;
    return !r.ok && r.code === test.error ? { verdict: "pass", expected: test.error, observed } : {
      verdict: "fail",
      expected: test.error,
      observed,
      message: "not refused with the expected code",
    };
  }
  if (!r.ok) return { verdict: "fail", expected: "accepted", observed: r.code, message: "refused" };
  const expected = encode ? test.xml : test.pdu;
  const observed = encode ? r.result.xml : r.result.pdu;
  return stableJson(observed) === stableJson(expected)
    ? { verdict: "pass", expected, observed }
    : { verdict: "fail", expected, observed, message: encode ? "text differs" : "PDU differs" };
}

/** The association checkers, run against `iut`. */
export function associationCheckers(iut: IutBackend): GroupChecker[] {
  const transcript = (type: string, machine: string) =>
    protocolChecker(
      iut,
      type,
      () => ({ machines: [machine] }),
      (t) => checkTranscript(iut, machine, t),
    );
  return [
    transcript("association-client", "association.client"),
    transcript("association-server", "association.server"),
    transcript("association-multicast", "association.multicast"),
    protocolChecker(
      iut,
      "association-xer-decode",
      () => ({ functions: ["association.xer.decode"] }),
      (t) => checkCodec(iut, t, false),
    ),
    protocolChecker(
      iut,
      "association-xer-encode",
      () => ({ functions: ["association.xer.encode"] }),
      (t) => checkCodec(iut, t, true),
    ),
  ];
}

export const checkers: readonly GroupChecker[] = associationCheckers(reference);
