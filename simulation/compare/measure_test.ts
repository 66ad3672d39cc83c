/**
 * Tests of how a configuration is applied and observed: the scenario's ACL
 * (what Option 1 lets through and refuses), the tap (the server's view,
 * injection, CPU by actor), and the measurements of one small run (every
 * deterministic figure the same on a second run with the seed).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { aclStanzaPolicy } from "../../core/acl/mod.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { MemoryNetwork } from "../memory_network.ts";
import type { NetworkSetup } from "../network.ts";
import { provision } from "../pki.ts";
import { BASELINE } from "./combinations.ts";
import { measure } from "./measure.ts";
import { scenarioAcl, TARIFF_NODE } from "../scenario_acl.ts";
import { TappedNetwork } from "./tap.ts";

const D = "grid.example";
const setup = (accounts: string[]): NetworkSetup => ({
  domain: D,
  accounts,
  pubsubAdmins: ["market"],
  rosterGroups: {},
  discoItems: [],
  start: Date.UTC(2025, 5, 21, 10, 30),
  seed: "compare-test",
  scramIterations: 4,
});
const msg = (from: string, to: string) =>
  new Element("message", { from: `${from}@${D}/r`, to }) as unknown as Xel;

Deno.test("scenario ACL: operator and key server reach DERs, DER to DER and DER publish refused (DL-CMP-3)", () => {
  // spec: DL-CMP-3 PD-236
  const acl = scenarioAcl(setup(["dno", "kdc", "market", "der01", "der02", "der03"]), 2);
  const policy = aclStanzaPolicy(acl);
  assert.equal(policy(msg("dno", `der01@${D}/der`)), undefined);
  assert.equal(policy(msg("der01", `kdc@${D}/ks`)), undefined);
  assert.equal(policy(msg("kdc", `der03@${D}/der`)), undefined);
  assert.equal(policy(msg("der01", `der02@${D}/der`))?.code, "acl/address-denied");
  const publish = new Element("iq", { from: `der01@${D}/r`, to: `pubsub.${D}`, type: "set" })
    .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
    .c("publish", { node: TARIFF_NODE }).root() as unknown as Xel;
  assert.equal(policy(publish)?.code, "acl/publish-denied");
  const join = (who: string, room: string) =>
    new Element("presence", { from: `${who}@${D}/r`, to: `${room}@rooms.${D}/n` })
      .c("x", { xmlns: "http://jabber.org/protocol/muc" }).root() as unknown as Xel;
  assert.equal(policy(join("der01", "feeder-001")), undefined);
  assert.equal(policy(join("der03", "feeder-001"))?.code, "acl/room-denied", "der03 is in group 2");
  assert.equal(policy(join("der03", "feeder-002")), undefined);
});

Deno.test("tap: sees both directions, injects as the server, charges CPU by actor (PD-236)", async () => {
  // spec: PD-236 PD-238
  const s = setup(["dno", "der01"]);
  const pki = await provision({
    seed: s.seed,
    suite: "x25519-ed25519",
    domain: D,
    cc: "dno",
    ks: "kdc",
    market: "market",
    ders: [],
    now: s.start,
  });
  const tap = new TappedNetwork(new MemoryNetwork(s, pki.xmpp), () => "p");
  const got: string[] = [];
  tap.connect("der01", "der", {
    established: () => {},
    stanza: (x) => got.push(x.attrs.id ?? ""),
    closed: () => {},
  });
  const cc = tap.connect("dno", "cc", {
    established: () => {},
    stanza: () => {},
    closed: () => {},
  });
  await tap.runUntil(s.start + 1_000);
  cc.send(new Element("message", { to: `der01@${D}/der`, id: "m1" }) as unknown as Xel);
  await tap.runUntil(s.start + 2_000);
  assert.ok(tap.inject("der01", new Element("message", { id: "forged" }) as unknown as Xel));
  assert.equal(tap.inject("nobody", new Element("message") as unknown as Xel), false);
  assert.deepEqual(got, ["m1", "forged"]);
  assert.deepEqual(tap.seen.map((x) => `${x.dir} ${x.account} ${x.stanza.attrs.id}`), [
    "up dno m1",
    "down der01 m1",
    "down der01 forged",
  ]);
  assert.ok(tap.cpu.has("der|p"));
});

Deno.test("measure: a small run's deterministic figures repeat with the seed (DL-CMP-1, DL-CMP-5)", async () => {
  // spec: DL-CMP-1 DL-CMP-5 PD-238
  const settings = { ders: 6, seed: "compare-test", minutes: 10, groupSize: 3, dropoutPct: 34 };
  const a = await measure(BASELINE, settings);
  const b = await measure(BASELINE, settings);
  assert.deepEqual(a.deterministic, b.deterministic);
  const d = a.deterministic;
  assert.equal(d.commands, 2, "one command per group at the red light");
  assert.ok(d.allAcked);
  assert.ok(d.stanzasPerCommand >= 4 && d.bytesPerCommand > 0 && d.loginBytes > 0);
  assert.equal(d.virtualLatencyMs, 0, "the in-memory router adds no delay");
  assert.ok(d.evictionStanzas > 0, "two DERs drop out and are evicted");
  for (const v of Object.values(a.measured)) assert.ok(Number.isFinite(v) && v >= 0);
});
