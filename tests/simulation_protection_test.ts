/**
 * The scenario's end-to-end protection switch (issue 9, PD-247..PD-249) at
 * small N: per-message runs the whole scenario with every check passing
 * and only `<signed>` elements on the association path; the plaintext
 * baseline is refused without its test flag, and with it the server reads
 * every command; the simulation's certificates carry keyAgreement; the
 * attacks follow from the runs (what the protections buy).
 */
import assert from "node:assert/strict";
import { isDerlinkError } from "../core/errors.ts";
import { KeyUsageFlags } from "../core/pki/certificate.ts";
import { parseCertificate } from "../core/pki/parse.ts";
import { MemoryNetwork } from "../simulation/memory_network.ts";
import { DEFAULTS, parseArgs, type SimulationOptions } from "../simulation/options.ts";
import { type NetworkFactory, runScenario } from "../simulation/scenario.ts";
import { isAssociationStanza } from "../simulation/compare/measure.ts";
import { runAttacks, runOnce, type RunSettings } from "../simulation/compare/run.ts";
import { BASELINE } from "../simulation/compare/combinations.ts";
import { carriesCommand } from "../simulation/compare/attacks.ts";

const settings: RunSettings = {
  ders: 8,
  seed: "protection-test",
  minutes: 10,
  groupSize: 4,
  dropoutPct: 25,
};
const small: SimulationOptions = {
  ...DEFAULTS,
  ders: 8,
  groupSize: 4,
  dropoutPct: 25,
  seed: settings.seed,
  pkiCache: undefined,
};
const refused = (e: unknown) => isDerlinkError(e) && e.code === "association/plaintext-not-allowed";

Deno.test("PD-247 DL-CMP-PROT-2: the scenario and simulate refuse protection none without the test flag", async () => {
  // spec: PD-247 DL-CMP-PROT-2
  let built = false;
  const net: NetworkFactory = (setup, pki) => {
    built = true;
    return new MemoryNetwork(setup, pki.xmpp);
  };
  await assert.rejects(runScenario({ ...small, protection: "none" }, net), refused);
  await assert.rejects(
    runScenario({ ...small, protection: "none", insecurePlaintextForTestOnly: false }, net),
    refused,
  );
  assert.equal(built, false, "refused before anything is built");
  assert.throws(() => parseArgs(["--protection", "none"]), /test-only baseline/);
  assert.throws(() => parseArgs(["--protection", "bogus"]), /a-profile or per-message/);
  assert.equal(parseArgs(["--protection", "per-message"]).protection, "per-message");
});

Deno.test("PD-249 DL-CMP-PROT-1: per-message runs the whole scenario; the server sees <signed>, never a session", async () => {
  // spec: PD-249 DL-CMP-PROT-1 PD-226
  const run = await runOnce({ ...BASELINE, protection: "per-message" }, settings, true);
  const c = run.result.checks;
  assert.equal(c.joined, settings.ders);
  assert.ok(c.allAcked, "every group command acknowledged (reports over per-message)");
  assert.ok(c.abortsAreDropouts && c.evictionsAreDropouts);
  assert.equal(c.evictedApplied, 0);
  assert.deepEqual(c.refusalCodes, ["group/unknown-key"]);
  assert.ok(c.curtailed);
  assert.deepEqual([...run.result.metrics.errorCodes], []);
  const assoc = run.tap.seen.filter((s) => isAssociationStanza(s.account, s.stanza))
    .map((s) => s.stanza.toString());
  assert.ok(assoc.length > 0);
  assert.ok(assoc.every((t) => !/urn:derlink:a-profile:0/.test(t) && !/mms-xer/.test(t)));
  assert.ok(
    assoc.some((t) => /<signed xmlns="urn:derlink:per-message:0"[^>]* enc="aes-256-gcm"/.test(t)),
  );
  // Group commands stay under the group key.
  assert.ok(run.tap.seen.every((s) => !carriesCommand(s.stanza.toString())));
});

Deno.test("PD-248: the simulation's end-entity certificates carry keyAgreement", async () => {
  // spec: PD-248 PD-228
  const run = await runOnce(BASELINE, settings, false);
  const g = run.pki.grid;
  for (const id of [g.cc, g.ks, g.market, ...g.ders]) {
    const p = parseCertificate(id.chain[0]);
    assert.ok(p.ok);
    const ku = p.value.extensions.keyUsage ?? 0;
    assert.ok(ku & KeyUsageFlags.digitalSignature && ku & KeyUsageFlags.keyAgreement, id.jid);
  }
});

Deno.test("PD-247: with the flag, the plaintext baseline runs: commands and MMS in clear, no group keys", async () => {
  // spec: PD-247 DL-CMP-PROT-1
  const run = await runOnce({ ...BASELINE, protection: "none" }, settings, true);
  const r = run.result;
  assert.equal(r.checks.joined, settings.ders);
  assert.ok(r.checks.allAcked);
  assert.equal(r.metrics.counts.registrations, 0, "no group keys fetched");
  assert.equal(r.checks.evictedApplied, r.checks.dropped.length, "the evicted read it");
  const text = run.tap.seen.map((s) => s.stanza.toString()).join("\n");
  assert.match(text, /<initiate-request xmlns="urn:derlink:mms-xer:0"/);
  assert.match(text, /<group-command xmlns="urn:derlink:der-group-command:1"/);
});

Deno.test("DL-CMP-PROT-1: what the protections buy, judged from the runs", async () => {
  // spec: DL-CMP-PROT-1 PD-237 PD-247
  const none = await runAttacks({ ...BASELINE, protection: "none" }, settings);
  const pm = await runAttacks({ ...BASELINE, protection: "per-message" }, settings);
  for (
    const id of [
      "server-reads",
      "forged-command",
      "replayed-command",
      "evicted-reads",
      "stolen-read",
    ] as const
  ) {
    assert.equal(none[id].outcome, "succeeded", `none: ${id} ${none[id].evidence}`);
    assert.notEqual(pm[id].outcome, "succeeded", `per-message: ${id} ${pm[id].evidence}`);
  }
  assert.equal(pm["server-reads"].outcome, "blocked");
  assert.equal(pm["forged-command"].outcome, "detected");
});
