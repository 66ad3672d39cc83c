/** The architecture options: defaults, every value accepted, unknown values refused. */
import assert from "node:assert/strict";
import {
  architectureOptions,
  COMPARE_VALUES,
  DEFAULT_ARCHITECTURE,
  OPTION_VALUES,
} from "./options.ts";

Deno.test("architecture options: defaults and every combination of values (PD-234)", () => {
  // spec: PD-234 PAPER-OPT4 PAPER-OPT5 PAPER-OPT7
  assert.deepEqual(architectureOptions(), DEFAULT_ARCHITECTURE);
  let n = 0;
  for (const protection of OPTION_VALUES.protection) {
    for (const sharing of OPTION_VALUES.sharing) {
      for (const endToEndIssuer of OPTION_VALUES.endToEndIssuer) {
        for (const tlsIssuer of OPTION_VALUES.tlsIssuer) {
          for (const keyServer of OPTION_VALUES.keyServer) {
            const o = architectureOptions({
              protection,
              credentials: { sharing, endToEndIssuer, tlsIssuer },
              keyServer,
            });
            assert.equal(o.protection, protection);
            n++;
          }
        }
      }
    }
  }
  assert.equal(n, 32);
  for (const v of Object.values(COMPARE_VALUES.credentials)) {
    assert.deepEqual(architectureOptions({ credentials: v }).credentials, v);
  }
});

Deno.test("architecture options: unknown values are refused with options/invalid-option", () => {
  for (
    const bad of [
      { protection: "none" },
      { keyServer: "cloud" },
      { credentials: { sharing: "both" } },
      { credentials: { tlsIssuer: "anyone" } },
    ]
  ) {
    assert.throws(
      () => architectureOptions(bad as never),
      (e: Error) => (e as { code?: string }).code === "options/invalid-option",
    );
  }
});
