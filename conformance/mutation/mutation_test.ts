/**
 * The mutation machinery on a few mutants, without running the whole list:
 * a real bug in the JID code is caught by the jid suite in a subprocess, a
 * harmless edit survives, a stale or ambiguous snippet is refused loudly,
 * and every mutant of the real list still matches the tree exactly once.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isDerlinkError } from "../../core/errors.ts";
import { applyMutant, checkMutants, occurrences } from "./apply.ts";
import { MUTANTS } from "./mutants.ts";
import { mutationHtml, mutationJunit, mutationMarkdown, mutationText } from "./render.ts";
import { runMutants } from "./run.ts";
import { mutantsWanted, selectMutants } from "./section.ts";
import type { Mutant } from "./types.ts";
import { esc } from "../html.ts";
import { xmlAttr, xmlText } from "../junit.ts";

const base = {
  breaks: "test",
  spec: ["DL-MUT-1"],
  suites: ["jid"],
} as const;

/** A real bug: the domainpart length limit becomes 8 × 1023. */
const caught: Mutant = {
  ...base,
  id: "test.domain-limit",
  file: "core/jid_domain.ts",
  original: '  if (octets > MAX_PART_OCTETS) fail("domainpart-too-long"',
  replacement: '  if (octets > 8 * MAX_PART_OCTETS) fail("domainpart-too-long"',
};

/** Changes a comment only: nothing can notice it. */
const harmless: Mutant = {
  ...base,
  id: "test.comment-only",
  file: "core/jid.ts",
  original: "// bounds the work spent on hostile input.",
  replacement: "// bounds the work spent on hostile input (mutated comment).",
};

const stale: Mutant = {
  ...base,
  id: "test.stale",
  file: "core/jid.ts",
  original: "this text is not in the file",
  replacement: "x",
};

Deno.test("DL-MUT-2 PD-171: a snippet must occur exactly once", () => {
  assert.equal(occurrences("a-a-a", "a"), 3);
  assert.equal(
    applyMutant("x = 1; y = 2;", { ...stale, original: "y = 2", replacement: "y = 3" }),
    "x = 1; y = 3;",
  );
  // A replacement containing $ patterns is taken literally.
  assert.equal(applyMutant("ab", { ...stale, original: "b", replacement: "$&$&" }), "a$&$&");
  assert.throws(
    () => applyMutant("abc", stale),
    (e) => isDerlinkError(e, "mutation/snippet-missing"),
  );
  assert.throws(
    () => applyMutant("aXbX", { ...stale, original: "X" }),
    (e) => isDerlinkError(e, "mutation/snippet-ambiguous"),
  );
  assert.throws(
    () => applyMutant("abc", { ...stale, original: "b", replacement: "b" }),
    (e) => isDerlinkError(e, "mutation/bad-mutant"),
  );
});

Deno.test("DL-MUT-2 PD-171: every mutant of the list matches the current tree exactly once", () => {
  assert.deepEqual(checkMutants(MUTANTS), []);
  assert.ok(MUTANTS.length >= 25, `${MUTANTS.length} mutants`);
  assert.match(checkMutants([stale, stale]).join("\n"), /duplicate id[\s\S]*not in core\/jid\.ts/);
});

Deno.test({
  name: "DL-MUT-1 DL-MUT-3 PD-170 PD-172: a caught, a surviving and a stale mutant, run for real",
  sanitizeResources: false,
  async fn() {
    const lines: string[] = [];
    const s = await runMutants({
      mutants: [caught, harmless, stale],
      commit: "test",
      concurrency: 1,
      onResult: (r) => lines.push(r.id),
    });
    const byId = new Map(s.mutants.map((m) => [m.id, m]));
    const killed = byId.get(caught.id)!;
    assert.equal(killed.status, "killed");
    assert.ok(killed.killedBy.every((c) => c.startsWith("jid/jid.json#")), killed.killedBy.join());
    assert.ok(killed.killedCount >= 1 && killed.cases > 100);
    assert.equal(byId.get(harmless.id)!.status, "survived");
    assert.equal(byId.get(stale.id)!.status, "invalid");
    assert.match(s.problems.join("\n"), /mutation\/snippet-missing: test\.stale/);
    assert.deepEqual(lines.sort(), [caught.id, harmless.id].sort(), "the stale one never ran");
    assert.equal(s.score, 0.5);
    assert.equal(s.verdict, "fail");
    // The working tree is untouched.
    assert.equal(
      occurrences(
        Deno.readTextFileSync(new URL("../../core/jid.ts", import.meta.url)),
        harmless.original,
      ),
      1,
    );

    const text = mutationText(s);
    assert.match(text, /SURVIVED test\.comment-only/);
    assert.match(text, /INVALID test\.stale/);
    assert.match(text, /FAIL — score 50\.0 %: 1 of 2 mutants caught/);
    const html = mutationHtml(s, esc);
    assert.match(html, /<h2 id="mutation">/);
    assert.match(html, /jid\/jid\.json#/);
    const junit = mutationJunit(s, xmlAttr, xmlText).join("\n");
    assert.match(junit, /<testsuite name="mutation" tests="4" failures="2" errors="1"/);
    assert.match(
      mutationMarkdown(s),
      /\| `test\.domain-limit` \| `core\/jid_domain\.ts` \|.*\| killed \|/,
    );
  },
});

Deno.test("DL-MUT-4 PD-173: mutants run by default only for a whole reference run", () => {
  const none = { suites: [], externalIut: false };
  assert.equal(mutantsWanted(none), true);
  assert.equal(mutantsWanted({ ...none, suites: ["jid"] }), false);
  assert.equal(mutantsWanted({ ...none, requirement: "RFC7622-3" }), false);
  assert.equal(mutantsWanted({ ...none, suites: ["jid"], flag: true }), true);
  assert.equal(mutantsWanted({ ...none, flag: false }), false);
  assert.equal(mutantsWanted({ ...none, flag: true, externalIut: true }), false);
  const jidOnly = selectMutants(["jid"]);
  assert.ok(jidOnly.length > 0 && jidOnly.every((m) => m.suites.includes("jid")));
  assert.ok(selectMutants(["crypto.aes-gcm"]).some((m) => m.suites.includes("crypto")));
});
