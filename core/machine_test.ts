import assert from "node:assert/strict";
import fc from "fast-check";
import { defineErrorCodes, isDerlinkError } from "./errors.ts";
import {
  type ErrorOutput,
  errorOutput,
  type Machine,
  matchTransition,
  runChecked,
  type StepResult,
  totalStep,
} from "./machine.ts";
import { assertMachineTotal } from "./machine_testing.ts";

// A toy machine: a latch that opens with the right code, closes again, and fails on anything else.
const ToyError = defineErrorCodes("toy", { "bad-input": "the toy machine got garbage" });
type ToyState = { phase: "closed" | "open" | "failed"; opens: number };
type ToyInput = { type: "code"; value: number } | { type: "close" };
type ToyOut = { type: "opened" } | ErrorOutput;

function toyStep(state: ToyState, input: ToyInput): StepResult<ToyState, ToyOut> {
  if (state.phase === "failed") return { state, out: [] };
  if (input.type === "code" && state.phase === "closed" && input.value === 7) {
    return { state: { phase: "open", opens: state.opens + 1 }, out: [{ type: "opened" }] };
  }
  if (input.type === "code" && typeof input.value === "number") return { state, out: [] };
  if (input.type === "close") return { state: { ...state, phase: "closed" }, out: [] };
  throw new TypeError("not an input");
}

const failed = (s: ToyState, e: ErrorOutput): StepResult<ToyState, ToyOut> => ({
  state: { ...s, phase: "failed" },
  out: [errorOutput(ToyError["bad-input"], e.detail)],
});

const toy: Machine<null, ToyState, ToyInput, ToyOut> = {
  name: "toy.latch",
  phases: ["closed", "open", "failed"],
  transitions: [
    { from: "closed", on: "code", to: "open", spec: ["DL-MACHINE-2"] },
    { from: "closed", on: "code", to: "closed", spec: ["DL-MACHINE-2"] },
    { from: "open", on: "code", to: "open", spec: ["DL-MACHINE-2"] },
    { from: "*", on: "close", to: "closed", spec: ["DL-MACHINE-2"] },
    { from: "*", on: "*", to: "failed", spec: ["DL-MACHINE-1"] },
  ],
  init: () => ({ phase: "closed", opens: 0 }),
  step: totalStep(toyStep, failed),
};

Deno.test("DL-MACHINE-2 runChecked records declared edges, exact ones before wildcards", () => {
  const { state, trace } = runChecked(toy, toy.init(null), [
    { type: "code", value: 1 },
    { type: "code", value: 7 },
    { type: "close" },
  ]);
  assert.equal(state.phase, "closed");
  assert.deepEqual(trace.map((t) => `${t.edge.from}/${t.edge.on}/${t.edge.to}`), [
    "closed/code/closed",
    "closed/code/open",
    "*/close/closed",
  ]);
  assert.equal(matchTransition(toy.transitions, "open", "close", "closed")?.from, "*");
  assert.equal(matchTransition(toy.transitions, "open", "code", "closed"), undefined);
});

Deno.test("DL-MACHINE-2 runChecked refuses an undeclared step", () => {
  const strict = { ...toy, transitions: toy.transitions.filter((t) => t.to !== "open") };
  assert.throws(
    () => runChecked(strict, strict.init(null), [{ type: "code", value: 7 }]),
    (e) => isDerlinkError(e, "core/internal") && /not declared/.test(e.message),
  );
  const lying = { ...toy, phases: ["closed", "failed"] };
  assert.throws(
    () => runChecked(lying, lying.init(null), [{ type: "code", value: 7 }]),
    (e) => isDerlinkError(e, "core/internal") && /undeclared phase/.test(e.message),
  );
});

Deno.test("DL-MACHINE-1 totalStep turns an exception into an error output and a failed phase", () => {
  const r = toy.step(toy.init(null), { type: "bogus" } as unknown as ToyInput);
  assert.equal(r.state.phase, "failed");
  assert.deepEqual(r.out.map((o) => (o as ErrorOutput).code), ["toy/bad-input"]);
});

Deno.test("DL-MACHINE-1 DL-MACHINE-2 the totality property holds for a correct machine", () => {
  const input = fc.oneof(
    fc.record({ type: fc.constant("code" as const), value: fc.integer({ min: 0, max: 9 }) }),
    fc.constant({ type: "close" as const }),
  );
  assertMachineTotal(toy, { config: fc.constant(null), input, numRuns: 300 });
});

Deno.test("DL-MACHINE-1 the totality property catches a machine that throws", () => {
  const throwing = { ...toy, step: toyStep };
  const input = fc.constant({ type: "code" as const, value: 7 });
  assert.throws(() => assertMachineTotal(throwing, { config: fc.constant(null), input }));
});
