/**
 * The login service's HTTP adapter on loopback: the pure contract's answers
 * reach the wire unchanged, other paths are 404, and a body above the limit
 * is refused without being read to the end.
 */
import assert from "node:assert/strict";
import { ISSUER, NOW_MS, NOW_S } from "../core/access/fixtures.ts";
import { OperatorAuthError } from "../core/operator-auth/mod.ts";
import {
  CALLER_SECRET,
  exampleLoginService,
  J,
  KEYS,
} from "../tests/interop/operator_auth_helpers.ts";
import { loginTokenFor } from "../core/operator-auth/mod.ts";
import { startOperatorAuthService } from "./operator_auth_service.ts";

Deno.test("DL-OPT2-3 PD-223: the adapter serves the login contract on loopback", async () => {
  const answers: number[] = [];
  const running = startOperatorAuthService(await exampleLoginService(), {
    clock: () => NOW_MS,
    onAnswer: (status) => answers.push(status),
  });
  try {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+\/login$/);
    const post = (body: string, auth = `Bearer ${CALLER_SECRET}`) =>
      fetch(running.url, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    const token = loginTokenFor(
      J("der1"),
      "derlink.test",
      ISSUER,
      KEYS.es256.signer,
      NOW_S,
      "login-adapter-00001",
    );
    const form = new URLSearchParams({ username: "der1", host: "derlink.test", token }).toString();
    const ok = await post(form);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), {
      active: true,
      sub: J("der1"),
      groups: ["ders"],
      exp: NOW_S + 3600,
    });
    const caller = await post(form, "Bearer wrong");
    assert.equal(caller.status, 401);
    assert.deepEqual(await caller.json(), { error: OperatorAuthError["unauthorized-caller"] });
    const big = await post("token=" + "a".repeat(20_000));
    assert.equal(big.status, 413);
    await big.body?.cancel();
    const other = await fetch(running.url.replace("/login", "/other"));
    assert.equal(other.status, 404);
    await other.body?.cancel();
    assert.deepEqual(answers, [200, 401, 413]);
  } finally {
    await running.close();
  }
});
