/**
 * The fleet simulation (issue 6 item 5) at small N on the in-memory router
 * in virtual time: the same seed gives the same digest and a different seed
 * a different one; the scenario's must-shows hold (every DER joined, every
 * group command acknowledged by the DERs present, exactly the dropped DERs
 * aborted at the control centre and evicted by the key server, the evicted
 * cannot open the next command, aggregate power at or below the red
 * light's level); both key distribution paths; the command line. The
 * N = 10,000 timing is bench/simulation_scale.ts, not a test.
 */
import assert from "node:assert/strict";
import { DEFAULTS, parseArgs, type SimulationOptions } from "../simulation/options.ts";
import { networkFor, type RunOutput, simulate } from "../simulation/run.ts";
import { plotSvg } from "../simulation/svg.ts";

const small: SimulationOptions = {
  ...DEFAULTS,
  ders: 50,
  minutes: 5,
  groupSize: 20,
  pkiCache: undefined,
};

let first: RunOutput | undefined;
const run = async () => first ??= await simulate(small);

Deno.test("simulation: same seed, same digest; another seed, another digest (DL-SIM-7)", async () => {
  // spec: DL-SIM-7 PD-190 PD-191
  const a = await run();
  const b = await simulate(small);
  assert.match(a.digest, /^[0-9a-f]{64}$/);
  assert.equal(b.digest, a.digest);
  assert.equal(b.summary, a.summary);
  const c = await simulate({ ...small, seed: "another seed" });
  assert.notEqual(c.digest, a.digest);
  assert.ok(c.passed, c.checks.join("\n"));
});

Deno.test("simulation: every DER joins: login, association, room, registration, subscription (DL-SIM-1)", async () => {
  // spec: DL-SIM-1 PAPER-R1 PAPER-R2 PAPER-MAP1 PAPER-MAP4 PAPER-MAP6 PD-191
  const { result: r } = await run();
  const n = small.ders, dropped = r.checks.dropped.length;
  assert.equal(r.checks.joined, n);
  const join = r.phases[0];
  assert.equal(join.name, "join");
  for (
    const c of ["logins", "associations", "roomJoins", "registrations", "subscriptions"] as const
  ) {
    assert.equal(join.counts[c], n, c);
  }
  // The dropped DERs log in again and re-enter their rooms; nothing else is redone.
  assert.equal(r.metrics.counts.logins, n + dropped);
  assert.equal(r.metrics.counts.roomJoins, n + dropped);
  assert.equal(r.metrics.counts.associations, n);
  assert.equal(r.metrics.counts.registrations, n);
  // Every DER verified both signed tariffs (the first by fetch, the update by notification).
  assert.equal(r.metrics.counts.tariffsPublished, 2);
  assert.equal(r.metrics.counts.tariffsVerified, 2 * n);
});

Deno.test("simulation: red light and the next command reach every DER present and are acknowledged (DL-SIM-2)", async () => {
  // spec: DL-SIM-2 PAPER-TL3 PAPER-R4b PAPER-R6b PD-195 PD-192 PD-194
  const { result: r } = await run();
  const groups = Math.ceil(small.ders / small.groupSize);
  assert.equal(r.checks.commands.length, 2 * groups);
  for (const c of r.checks.commands) assert.equal(c.acks, c.expected, `command ${c.id}`);
  const dropped = r.checks.dropped.length;
  assert.equal(r.metrics.counts.acks, 2 * small.ders - dropped);
  assert.ok(r.checks.allAcked);
});

Deno.test("simulation: 5 % drop out: exactly those associations abort and those members are evicted (DL-SIM-4)", async () => {
  // spec: DL-SIM-4 PAPER-MAP3 PD-149 RFC2627-leave PD-193
  const { result: r } = await run();
  const expected = Math.round((small.ders * small.dropoutPct) / 100);
  assert.equal(r.checks.dropped.length, expected);
  assert.deepEqual(r.checks.aborted, r.checks.dropped);
  assert.deepEqual(r.checks.evicted, r.checks.dropped);
  assert.equal(r.metrics.counts.aborts, expected);
  assert.equal(r.metrics.counts.evictions, expected);
  // One eviction rekey per group that lost members, not one per member.
  const dropout = r.phases.find((p) => p.name.startsWith("dropout"))!;
  assert.ok(dropout.counts.rekeys >= 1 && dropout.counts.rekeys <= expected);
});

Deno.test("simulation: the evicted cannot open the command sent after the eviction (DL-SIM-5)", async () => {
  // spec: DL-SIM-5 PAPER-R4b PAPER-R6b RFC6407-4
  const { result: r } = await run();
  const n = r.checks.dropped.length;
  assert.equal(r.checks.evictedRefused, n);
  assert.equal(r.checks.evictedApplied, 0);
  assert.deepEqual(r.checks.refusalCodes, ["group/unknown-key"]);
  assert.equal(r.metrics.counts.refused, n);
});

Deno.test("simulation: aggregate power falls to the curtailment level after the red light (DL-SIM-6)", async () => {
  // spec: DL-SIM-6 PAPER-TL2 PAPER-VPP1
  const { result: r } = await run();
  const before = r.checks.beforeRed!, after = r.checks.afterRed!;
  assert.ok(before.simW > (small.limitPct / 100) * before.simRatedW, "curtailment bites");
  assert.ok(after.simW < before.simW);
  assert.ok(after.simW <= (small.limitPct / 100) * after.simRatedW + 1e-6);
  assert.ok(r.checks.curtailed);
  const svg = plotSvg(r, (await run()).start);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /red 40 %/);
  assert.match(svg, /drop out/);
});

Deno.test("simulation: key distribution path (a), unicast, passes the same checks (DL-SIM-3)", async () => {
  // spec: DL-SIM-3 PD-129
  const out = await simulate({ ...small, ders: 30, keyPath: "unicast" });
  assert.ok(out.passed, out.checks.join("\n"));
  // Unicast: no rekey goes through the room, so none comes back to its own joiner.
  assert.equal(out.result.metrics.counts.rekeysSkipped, 0);
  const room = await run();
  assert.ok(room.result.metrics.counts.rekeysSkipped > 0);
});

Deno.test("simulation: joins batched per window (PD-268 PD-267): same checks, fewer rekeys issued and applied", async () => {
  // spec: PD-268 PD-267 RFC6407-4.bwd
  const each = await simulate({ ...small, ders: 40, joinBatchMs: 0 });
  const batched = await simulate({ ...small, ders: 40, joinBatchMs: 5_000 });
  assert.ok(each.passed, each.checks.join("\n"));
  assert.ok(batched.passed, batched.checks.join("\n"));
  const a = each.result.metrics.counts, b = batched.result.metrics.counts;
  assert.equal(b.registrations, a.registrations);
  assert.ok(b.rekeys < a.rekeys, `${b.rekeys} rekeys vs ${a.rekeys}`);
  assert.ok(b.rekeysApplied < a.rekeysApplied, `${b.rekeysApplied} vs ${a.rekeysApplied}`);
  // Every joiner still gets its own (batch) rekey back through the room, once.
  assert.equal(b.rekeysSkipped, a.rekeysSkipped);
  assert.notEqual(batched.digest, each.digest);
  assert.equal(parseArgs(["--join-batch-ms", "250"]).joinBatchMs, 250);
  assert.equal(parseArgs([]).joinBatchMs, DEFAULTS.joinBatchMs);
  assert.throws(() => parseArgs(["--join-batch-ms", "30001"]), /--join-batch-ms takes an integer/);
  assert.throws(() => parseArgs(["--join-batch-ms", "-1"]), /--join-batch-ms takes an integer/);
});

Deno.test("simulation: command line options and --server without a real-server driver (DL-SIM-8)", async () => {
  // spec: DL-SIM-8
  const o = parseArgs(["--ders", "20", "--minutes", "3", "--seed", "x", "--key-path", "unicast"]);
  assert.equal(o.ders, 20);
  assert.equal(o.minutes, 3);
  assert.equal(o.seed, "x");
  assert.equal(o.keyPath, "unicast");
  assert.throws(() => parseArgs(["--ders", "0"]), /--ders takes an integer/);
  assert.throws(() => parseArgs(["--server"]), /--server takes a server/);
  assert.throws(() => parseArgs(["--bogus"]), /unknown option/);
  assert.deepEqual(parseArgs(["--server", "xmpp://127.0.0.1:5222"]).servers, [
    "xmpp://127.0.0.1:5222",
  ]);
  // Until the real-server driver exports its factory, --server says it is not supported.
  const real = await import(new URL("../simulation/real/mod.ts", import.meta.url).href)
    .catch(() => undefined);
  if (typeof real?.scenarioNetworkFactory === "function") return;
  await assert.rejects(networkFor(["xmpp://127.0.0.1:5222"]), /not yet supported/);
});
