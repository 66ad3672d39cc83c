/**
 * A small run of bench/login_cost.ts (5 clients per method) so the bench
 * keeps working: every method logs every client in against the real
 * Prosodys, and every CPU figure is a number. The real measurement (1,000
 * clients) is run by hand; results in docs/performance.md.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatResults, runLoginCost } from "../../bench/login_cost.ts";

Deno.test({
  name:
    "PD-220 PAPER-OPT2: login-cost bench smoke run: SCRAM, EXTERNAL, Option 2 and the references all log in",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const results = await runLoginCost({ clients: 5, concurrency: 5 });
    assert.deepEqual(results.map((r) => r.key), [
      "ref-starttls",
      "scram-sha-256",
      "ref-direct-tls",
      "external",
      "option2-ed25519",
      "option2-es256",
    ]);
    for (const r of results) {
      assert.equal(r.ok, 5, `${r.key}: ${r.firstFailure}`);
      assert.equal(r.failed, 0);
      assert.ok(Number.isFinite(r.prosodyCpuMs) && Number.isFinite(r.clientCpuMs));
    }
    assert.ok(
      results.filter((r) => r.key.startsWith("option2")).every((r) => r.serviceCpuMs !== undefined),
    );
    console.log(formatResults(results));
  },
});
