/**
 * The credential plans and key placement in the comparison: how a
 * combination becomes simulation options, the judges of the server
 * operator's own-CA attack (PD-256) and of the thief holding a stolen
 * single credential (PD-257) on hand-made evidence (every outcome
 * reachable), PAPER-TA3's verdict (PD-259), and what the committed
 * docs/options.md — whose every attack cell compare_test.ts re-derives from
 * a fresh run — shows for each plan.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { type AttackId, type AttackResult, judgeThief, ThiefLog } from "./attacks.ts";
import { judgeMinted, MintLog } from "./attack_operator_ca.ts";
import { BASELINE, type Combination } from "./combinations.ts";
import { operatorIndependence, SERVER_OPERATOR_ATTACKS } from "./operator_independence.ts";
import { parseAttackTable } from "./report.ts";
import { certificateLogins, credentialOptions } from "./run.ts";
import type { RogueMember } from "./rogue_member.ts";

const combo = (over: Partial<Combination>): Combination => ({ ...BASELINE, ...over });

Deno.test("credential options: defaults set nothing; each value maps to the simulation's (PD-254 PD-258)", () => {
  // spec: PD-254 PD-258 DL-CRED-3
  assert.deepEqual(credentialOptions(BASELINE), {});
  assert.deepEqual(credentialOptions(combo({ credentials: "one/grid-ca" })), {
    credentials: "one/grid-ca",
  });
  assert.deepEqual(credentialOptions(combo({ keyPlacement: "vpp" })), {
    keyPlacement: "control-centre",
  });
  assert.throws(() => credentialOptions(combo({ credentials: "two/any-ca" })), /credentials/);
  assert.throws(() => credentialOptions(combo({ keyPlacement: "cloud" })), /keyPlacement/);
  assert.equal(certificateLogins(BASELINE), false);
  assert.equal(certificateLogins(combo({ credentials: "one/grid-ca" })), true);
  assert.equal(certificateLogins(combo({ credentials: "separate/server-ca" })), true);
  assert.equal(certificateLogins(combo({ credentials: "end-to-end/server-ca" })), false);
});

const rogue = (
  registered: boolean,
  opened: number,
) => ({ registered, opened } as unknown as RogueMember);

Deno.test("own-CA judge: refused with a code, no key, key and commands, not started (PD-256)", () => {
  // spec: PD-256 PD-237 DL-CRED-5
  const clean = { applied: 10, appliedInPhase: 4, errors: new Map([["group/unknown-key", 2]]) };
  const log = new MintLog();
  assert.equal(judgeMinted(clean, clean, log).outcome, "n/a");
  log.rogue = rogue(false, 0);
  assert.deepEqual(
    judgeMinted(clean, {
      ...clean,
      errors: new Map([["group/unknown-key", 2], ["pki/untrusted", 1]]),
    }, log),
    { outcome: "detected", evidence: "the key server refused its certificate: pki/untrusted" },
  );
  assert.equal(judgeMinted(clean, clean, log).outcome, "blocked");
  log.rogue = rogue(true, 1);
  log.jid = "der00001@grid.example";
  log.delivered = 3;
  const won = judgeMinted(clean, { ...clean, appliedInPhase: 7 }, log);
  assert.equal(won.outcome, "succeeded");
  assert.match(won.evidence, /registered as der00001 .*opened 1 .*3 of 3 DERs applied/);
  log.rogue = rogue(true, 0);
  assert.equal(judgeMinted(clean, clean, log).outcome, "blocked", "a key that opened nothing");
});

Deno.test("thief judge: a stolen single credential opens the commands with the group key (PD-257)", () => {
  // spec: PD-257 DL-CRED-6
  const room = "feeder-001@rooms.grid.example";
  const log = new ThiefLog();
  log.joined = true;
  log.received.push(
    new Element("message", { from: `${room}/operator`, type: "groupchat" })
      .c("spdu", { xmlns: "urn:derlink:group:0" }).t("AAAA").root() as unknown as Xel,
  );
  assert.equal(judgeThief(log, room, "x@rooms.grid.example")["stolen-read"].outcome, "blocked");
  log.rogue = rogue(true, 1);
  assert.deepEqual(judgeThief(log, room, "x@rooms.grid.example")["stolen-read"], {
    outcome: "succeeded",
    evidence: "joined; opened 1 command(s) with the group key of the stolen certificate",
  });
});

Deno.test("PAPER-TA3: independent of who runs the server when no server-operator attack succeeds (PD-259)", () => {
  // spec: PAPER-TA3 PD-259
  const all = (o: AttackResult["outcome"]) =>
    Object.fromEntries(SERVER_OPERATOR_ATTACKS.map((id) => [id, { outcome: o, evidence: "" }]));
  assert.equal(operatorIndependence(all("detected")).holds, true);
  const won = operatorIndependence({
    ...all("blocked"),
    "operator-ca": { outcome: "succeeded", evidence: "" },
  });
  assert.deepEqual(won, {
    holds: false,
    evidence: "the server operator succeeded (operator-ca): it must be trusted",
  });
  const partial: Partial<Record<AttackId, AttackResult>> = all("blocked");
  delete partial["operator-ca"];
  assert.equal(operatorIndependence(partial).holds, false, "not shown without the own-CA attack");
});

Deno.test("docs/options.md: what each credential plan and key placement shows (PAPER-TA3 PAPER-OPT4 PAPER-OPT5)", async () => {
  // spec: PAPER-TA3 PAPER-OPT4 PAPER-OPT5 PD-256 PD-257 PD-259 DL-CRED-5 DL-CRED-6
  const md = await Deno.readTextFile(new URL("../../docs/options.md", import.meta.url));
  const cells = parseAttackTable(md);
  const title = "server operator issues itself a DER certificate, takes the group key, commands";
  const cell = (attack: string, name: string) => cells.get(`${attack}|${name}`) ?? "";
  const names = [...new Set([...cells.keys()].map((k) => k.split("|")[1]))];
  for (
    const name of ["credentials=one/grid-ca", "credentials=separate/server-ca", "keyPlacement=vpp"]
  ) {
    assert.ok(names.includes(name), `${name} ran`);
  }
  // Grid-operator CA end to end: the server operator's own certificate is refused.
  for (const name of names.filter((n) => !n.includes("end-to-end/server-ca"))) {
    assert.match(cell(title, name), /^(detected|blocked):/, name);
  }
  // Server-operator CA end to end: it takes the group key and commands the DERs.
  assert.match(cell(title, "credentials=end-to-end/server-ca"), /^succeeded: .*DERs applied/);
  // One certificate for login and end to end: the stolen login opens the commands.
  const read = "stolen DER login joins the room, reads the next command";
  assert.match(cell(read, "credentials=one/grid-ca"), /^succeeded: .*stolen certificate/);
  assert.match(cell(read, "credentials=one/grid-ca+access=option-1"), /^succeeded:/);
  assert.match(cell(read, "credentials=separate/server-ca"), /^blocked:/);
  // PAPER-TA3 per configuration.
  const section = md.split("## Who runs the XMPP server")[1]?.split("\n## ")[0] ?? "";
  assert.match(section, /\| baseline \| yes: /);
  assert.match(section, /\| credentials=end-to-end\/server-ca \| no: /);
  assert.match(section, /\| keyPlacement=vpp \| yes: /);
});
