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
import { compare, COMPARE_DEFAULTS, parseCompareArgs, ratioLines } from "./cli.ts";
import { renderMeasured } from "./report.ts";

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

Deno.test("per-message / A-profile ratios are taken from the bench's output with their suite (DL-CMP-7)", () => {
  // spec: DL-CMP-7
  const text = [
    "### p256: per command (300 B request + 150 B response)",
    "- per command in a session: CPU 57.12x (CC 52.98x, DER 62.07x), bytes 1.95x, messages 1.00x",
    "p256, N = 1000 DERs, one command each + response (cold, distinct certificates):",
    "ratio per-message / A-profile at N = 1000: CPU 1.50x (CC 1.90x, DER 1.16x), bytes 0.74x",
  ].join("\n");
  assert.deepEqual(ratioLines(text, "bench").lines, [
    "p256: steady state, per command in an established session: CPU 57.12x (CC 52.98x, " +
    "DER 62.07x), bytes 1.95x, messages 1.00x",
    "p256: ratio per-message / A-profile at N = 1000: CPU 1.50x (CC 1.90x, DER 1.16x), bytes 0.74x",
  ]);
  assert.throws(() => ratioLines("nothing", "bench"));
});

Deno.test("at a real server: each row measured, or says why it did not run (DL-CMP-8)", () => {
  // spec: DL-CMP-8
  assert.deepEqual(parseCompareArgs(["--server", "prosody"]).servers, ["prosody"]);
  assert.throws(() => parseCompareArgs(["--server", "prosody", "--check"]));
  const measured = {
    ccCpuPerCommandMs: 1,
    derCpuPerCommandMs: 2,
    wallLatencyMs: 3,
    loginWallMs: 4,
    runWallMs: 5,
  };
  const d = {
    commands: 1,
    stanzasPerCommand: 81,
    bytesPerCommand: 1000,
    joinStanzasPerDer: 1,
    joinBytesPerDer: 1,
    evictionStanzas: 1,
    evictionBytes: 1,
    loginBytes: 0,
    virtualLatencyMs: 0,
    allAcked: true,
  };
  const text = renderMeasured({
    command: "deno task compare",
    ders: 4,
    attackDers: 4,
    seed: "s",
    combos: [],
    server: {
      spec: "prosody",
      rows: [
        { name: "a", result: { deterministic: d, measured, problems: "" } },
        { name: "b", result: "Option 1 at a real server: not yet" },
        {
          name: "c",
          result: { deterministic: d, measured, problems: "not every command acknowledged" },
        },
      ],
    },
  }, "now");
  assert.match(text, /\| a \| 1 \| 2 \| 3 \| — \| 4 \| 5 \| 81 \/ 1000 \|/);
  assert.match(text, /\| b \| not run: Option 1 at a real server: not yet \|/);
  assert.match(
    text,
    /\| c \| the scenario failed at the server: not every command acknowledged \|/,
  );
});
