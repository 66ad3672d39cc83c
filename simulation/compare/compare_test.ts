/**
 * Tests of the comparison: the judges on hand-made evidence (each outcome
 * reachable, so a judge that always says "blocked" fails), the documented
 * set of combinations, the table parser, and — the must-show — a fresh run
 * of every attack at the committed document's settings whose every cell
 * must equal docs/options.md's attack table.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import {
  ATTACKS,
  carriesCommand,
  forge,
  judgeEvicted,
  judgeInjected,
  judgeServerReads,
  judgeThief,
  ThiefLog,
} from "./attacks.ts";
import { BASELINE, combinations, DIMENSIONS, missingFor } from "./combinations.ts";
import { attackTable, cell, parseAttackTable, renderMarkdown } from "./report.ts";
import { compare, COMPARE_DEFAULTS, parseCompareArgs } from "./cli.ts";

const seen = (text: string) => ({
  t: 0,
  dir: "up" as const,
  account: "dno",
  stanza: { toString: () => text } as unknown as Xel,
});

Deno.test("server-reads judge: a command in clear in the view succeeds, protected is blocked (PD-237)", () => {
  // spec: PD-237 DL-CMP-4
  const clear = `<message><group-command xmlns="urn:derlink:der-group-command:1"/></message>`;
  assert.equal(judgeServerReads([seen(clear), seen("<message/>")]).outcome, "succeeded");
  assert.equal(judgeServerReads([seen(`<message><spdu>AAAA</spdu></message>`)]).outcome, "blocked");
  assert.ok(carriesCommand(`<operate control="DRCC1.WMaxLimPct"/>`));
});

Deno.test("injection judge: applied → succeeded, new code → detected, nothing → blocked", () => {
  // spec: PD-237 DL-CMP-4
  const clean = { applied: 10, errors: new Map([["group/unknown-key", 2]]) };
  assert.equal(
    judgeInjected(clean, { applied: 11, errors: clean.errors }, true).outcome,
    "succeeded",
  );
  const d = judgeInjected(clean, {
    applied: 10,
    errors: new Map([["group/unknown-key", 2], ["group/bad-tag", 1]]),
  }, true);
  assert.deepEqual(d, { outcome: "detected", evidence: "refused: group/bad-tag" });
  assert.equal(judgeInjected(clean, clean, true).outcome, "blocked");
  assert.equal(judgeInjected(clean, clean, false).outcome, "n/a");
});

Deno.test("eviction judge covers all outcomes", () => {
  const base = { dropped: 2, evictedApplied: 0, evictedRefused: 0, refusalCodes: [] };
  assert.equal(judgeEvicted({ ...base, evictedApplied: 1 }).outcome, "succeeded");
  assert.equal(
    judgeEvicted({ ...base, evictedRefused: 2, refusalCodes: ["x/y"] }).outcome,
    "detected",
  );
  assert.equal(judgeEvicted(base).outcome, "blocked");
  assert.equal(judgeEvicted({ ...base, dropped: 0 }).outcome, "n/a");
});

Deno.test("forger: rewrites a clear command's limit, flips a protected SPDU's last byte", () => {
  const clear = new Element("message", { type: "groupchat" })
    .c("group-command", { xmlns: "urn:derlink:der-group-command:1" })
    .c("operate", { control: "DRCC1.WMaxLimPct" }).c("float").t("40").root() as unknown as Xel;
  assert.match(forge(clear).toString(), /<float>0<\/float>/);
  assert.match(clear.toString(), /<float>40<\/float>/, "the original stays as delivered");
  const prot = new Element("message").c("spdu").t("AAAA").root() as unknown as Xel;
  assert.match(forge(prot).toString(), /<spdu>AAAB<\/spdu>/);
});

Deno.test("thief judge: delivery, refusal codes, joined with or without plaintext", () => {
  const room = "feeder-001@rooms.grid.example";
  const log = new ThiefLog();
  log.deliveredToOther = true;
  log.received.push(
    new Element("iq", { id: "thief-2", type: "error" }).c("error").c("forbidden").up()
      .c("text").t("acl/publish-denied").root() as unknown as Xel,
    new Element("presence", { from: `${room}/thief` }) as unknown as Xel,
    new Element("message", { from: `${room}/operator`, type: "groupchat" })
      .c("group-command", { xmlns: "urn:derlink:der-group-command:1" }).root() as unknown as Xel,
  );
  log.joined = true;
  log.received.push(
    new Element("presence", { from: "feeder-002@rooms.grid.example/thief", type: "error" })
      .c("error").c("forbidden").up().c("text").t("acl/room-denied").root() as unknown as Xel,
  );
  const j = judgeThief(log, room, "feeder-002@rooms.grid.example");
  assert.equal(j["stolen-address"].outcome, "succeeded");
  assert.deepEqual(j["stolen-publish"], {
    outcome: "blocked",
    evidence: "refused: forbidden acl/publish-denied",
  });
  assert.equal(j["stolen-read"].outcome, "succeeded");
  assert.deepEqual(j["stolen-other-room"], {
    outcome: "blocked",
    evidence: "join refused: forbidden acl/room-denied",
  });
});

Deno.test("combinations: baseline first, one dimension at a time, every unbuilt value says why (PD-235)", () => {
  // spec: PD-235 DL-CMP-2
  const all = combinations();
  assert.equal(all[0].name, "baseline");
  assert.deepEqual(missingFor(BASELINE), []);
  for (const d of DIMENSIONS) {
    for (const v of d.values) {
      if (v.id === BASELINE[d.id]) continue;
      assert.ok(all.some((c) => c.name === `${d.id}=${v.id}`), `${d.id}=${v.id} is run`);
      assert.equal(missingFor({ ...BASELINE, [d.id]: v.id }).length > 0, v.missing !== undefined);
    }
  }
  assert.equal(new Set(all.map((c) => c.name)).size, all.length);
});

Deno.test("arguments: defaults, --check, refusals", () => {
  assert.deepEqual(parseCompareArgs([]), { ...COMPARE_DEFAULTS, servers: [] });
  assert.equal(parseCompareArgs(["--ders", "40", "--check"]).ders, 40);
  assert.throws(() => parseCompareArgs(["--ders", "2"]));
  assert.throws(() => parseCompareArgs(["--bogus"]));
});

Deno.test("every attack cell of docs/options.md follows from a fresh run (PD-239)", async () => {
  // spec: PD-237 PD-239 DL-CMP-4 DL-CMP-6
  const md = await Deno.readTextFile(new URL("../../docs/options.md", import.meta.url));
  const cmd = /Generated by `deno task compare ([^`]*)`/.exec(md);
  assert.ok(cmd, "docs/options.md names its command");
  const args = parseCompareArgs(cmd[1].split(" "));
  const report = await compare(args, () => {}, true);
  const committed = parseAttackTable(md);
  const fresh = parseAttackTable(renderMarkdown(report));
  assert.ok(fresh.size >= ATTACKS.length, "the fresh run has an attack table");
  for (const [key, value] of fresh) {
    assert.equal(committed.get(key), value, `cell ${key}: docs/options.md says otherwise`);
  }
  assert.equal(committed.size, fresh.size, "the committed table has the same cells");
  // The table is what the report's cells say (no formatting drift).
  const t = attackTable(report);
  for (const c of report.combos.filter((x) => x.attacks)) {
    for (const a of ATTACKS) {
      assert.equal(fresh.get(`${a.title}|${c.combo.name}`), cell(c.attacks![a.id]));
    }
  }
  assert.equal(t.rows.length, ATTACKS.length);
});
