/**
 * The bounded attacker exploration (explore.ts) as a unit test. `deno task
 * test` runs 8 attacker actions for every suite, on a scenario with one data
 * PDU each way, a key update and a release; `deno task explore-a-profile` runs 8 actions for every suite on a
 * larger scenario (two data PDUs from the initiator). A mutant with a chain
 * validator that trusts any CA shows the checks catch what they claim to.
 */
import assert from "node:assert/strict";
import { fail, ok } from "../../core/errors.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { ValidateChain } from "../../core/pki/types.ts";
import { explore } from "./explore.ts";
import type { SuiteId } from "./types.ts";

const RUNS: readonly [SuiteId, number][] = [["x25519-ed25519", 8], ["p256", 8], [
  "brainpool256",
  8,
]];

for (const [suite, bound] of RUNS) {
  Deno.test(`a-profile exploration ${suite}: all interleavings of ${bound} attacker actions keep (a) keys and peers, (b) authentication, (c) no PDU twice (PAPER-R2 PAPER-R4a PAPER-AS3)`, () => {
    // spec: PAPER-R2 PAPER-R4a PAPER-M3 PAPER-AS3 PD-86 PD-91 PD-92 PD-96 PD-97
    const r = explore({
      suite,
      maxAttacks: bound,
      initiatorData: 1,
      responderData: 1,
      control: true,
    });
    console.log(
      `a-profile exploration ${suite}, ${bound} attacker actions: ${r.states} states, ${r.transitions} transitions, ` +
        `${r.bothEstablished} with both established, ${r.messages} distinct messages`,
    );
    assert.deepEqual(r.violations, []);
    assert.ok(r.bothEstablished > 0, "the honest run establishes");
    assert.ok(r.states > 1000, "the attacker reaches many states");
  });
}

Deno.test("a-profile exploration: a chain check that trusts any CA is caught by property (b)", () => {
  // The mutant accepts a chain of another root CA by validating it against its own root.
  const trustingAnyCa: ValidateChain = (chain, policy) => {
    const real = validateChain(chain, policy);
    if (real.ok || real.error.code !== "pki/untrusted") return real;
    const top = chain.at(-1)!;
    for (const anchor of [top]) {
      const v = validateChain(chain.slice(0, -1).length ? chain.slice(0, -1) : chain, {
        ...policy,
        anchors: [anchor],
      });
      if (v.ok) return ok(v.value);
    }
    return fail("pki/untrusted", "mutant gave up");
  };
  const r = explore({
    suite: "x25519-ed25519",
    maxAttacks: 1,
    initiatorData: 1,
    responderData: 0,
    validateChain: trustingAnyCa,
  });
  assert.ok(r.violations.some((v) => v.startsWith("(b)")), JSON.stringify(r.violations));
});
