import assert from "node:assert/strict";
import {
  defineErrorCodes,
  DerlinkError,
  fail,
  isDerlinkError,
  isRegisteredCode,
  ok,
  registeredErrorCodes,
} from "./errors.ts";

Deno.test("DL-ERR-1 codes are declared once, shaped area/condition and registered", () => {
  const T = defineErrorCodes("errtest", { "first-thing": "a first test condition" });
  assert.equal(T["first-thing"], "errtest/first-thing");
  assert.ok(isRegisteredCode("errtest/first-thing"));
  assert.ok(!isRegisteredCode("errtest/never-declared"));
  assert.ok(registeredErrorCodes().some((c) => c.code === "errtest/first-thing"));
  // Re-declaring with the same meaning is harmless (module re-evaluation); a different one is a bug.
  defineErrorCodes("errtest", { "first-thing": "a first test condition" });
  assert.throws(() => defineErrorCodes("errtest", { "first-thing": "something else" }));
  assert.throws(() => defineErrorCodes("Bad Area", { x: "y" }));
  assert.throws(() => defineErrorCodes("errtest", { "Upper": "y" }));
});

Deno.test("DL-ERR-1 PD-2 registry is sorted and errors carry code and detail", () => {
  const codes = registeredErrorCodes().map((c) => c.code);
  assert.deepEqual(codes, [...codes].sort());
  const e = new DerlinkError("core/invalid-argument", "n=3");
  assert.equal(e.message, "core/invalid-argument: n=3");
  assert.ok(isDerlinkError(e, "core/invalid-argument"));
  assert.ok(!isDerlinkError(e, "core/internal"));
  assert.ok(!isDerlinkError(new Error("x")));
  assert.deepEqual(ok(1), { ok: true, value: 1 });
  const f = fail("core/internal", "boom");
  assert.ok(!f.ok && f.error.code === "core/internal");
});
