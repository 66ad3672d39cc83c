/**
 * The checked StreamDriver: every step is matched against the machine's
 * declared transitions (remembered per table), an undeclared step or phase
 * is a `core/internal` error every time it happens, and the edges taken are
 * collected by their keys.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ANY, type Machine } from "../../core/machine.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { StreamDriver } from "./driver.ts";
import type { StreamInput, StreamOutput } from "./types.ts";

type S = { readonly phase: string };
/** A toy machine: `start` goes to "b", `close` to "c" (undeclared), `tick` to "zz" (no such phase). */
const toy: Machine<null, S, StreamInput, StreamOutput> = {
  name: "toy",
  phases: ["a", "b", "c"],
  transitions: [
    { from: "a", on: "start", to: "b", spec: [] },
    { from: ANY, on: "send", to: "b", spec: [] },
    { from: "b", on: "send", to: "b", spec: [] },
  ],
  init: () => ({ phase: "a" }),
  step: (s, input) => ({
    state: {
      phase: input.type === "start"
        ? "b"
        : input.type === "close"
        ? "c"
        : input.type === "tick"
        ? "zz"
        : s.phase,
    },
    out: [],
  }),
};

Deno.test("DL-MACHINE-2: a checked driver names the exact edge, and refuses undeclared steps every time", () => {
  // spec: DL-MACHINE-2
  for (let round = 0; round < 2; round++) {
    const d = new StreamDriver(toy, null, { checked: true });
    d.input({ type: "start", now: 0 });
    d.input({ type: "send", stanza: undefined as never, now: 0 });
    // The exact edge wins over the wildcard one.
    assert.deepEqual([...d.edges], ["a --start--> b", "b --send--> b"]);
    for (const input of [{ type: "close" }, { type: "tick", now: 0 }] as StreamInput[]) {
      assert.throws(() => d.input(input), (e) => isDerlinkError(e, "core/internal"));
    }
    assert.equal(d.state.phase, "b");
  }
});
