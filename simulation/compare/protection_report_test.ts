/**
 * The page's per-message vs A-profile section (report_protection.ts,
 * PD-250): rows from the runs' measurements, ratio per-message / A-profile,
 * and the section says so when a run is missing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { BASELINE } from "./combinations.ts";
import type { Measurement } from "./measure.ts";
import { type CompareReport, renderHtml, renderMarkdown, renderMeasured } from "./report.ts";
import {
  NOT_IN_RUN,
  protectionCpuTable,
  protectionTrafficTable,
  ratio,
} from "./report_protection.ts";

const measurement = (k: number): Measurement => ({
  problems: "",
  deterministic: {
    commands: 1,
    stanzasPerCommand: 81 * k,
    bytesPerCommand: 1000 * k,
    joinStanzasPerDer: 60,
    joinBytesPerDer: 40_000 * k,
    evictionStanzas: 1,
    evictionBytes: 1,
    loginBytes: 2457,
    virtualLatencyMs: 0,
    allAcked: true,
    association: {
      joinStanzasPerDer: 4 / k,
      joinBytesPerDer: 3000 * k,
      stanzasPerCommand: 20,
      bytesPerCommand: 20_000 * k,
    },
  },
  measured: {
    ccCpuPerCommandMs: 2 * k,
    derCpuPerCommandMs: 0.5 * k,
    wallLatencyMs: 1,
    loginWallMs: 1,
    runWallMs: 1,
  },
});

const report = (names: readonly [string, number][]): CompareReport => ({
  command: "deno task compare --ders 20 --seed s",
  ders: 20,
  attackDers: 8,
  seed: "s",
  combos: names.map(([name, k]) => ({
    combo: { name, why: "", config: BASELINE },
    missing: [],
    measurement: measurement(k),
  })),
});

Deno.test("PD-250: per-message / A-profile ratio per row, from the runs' measurements", () => {
  // spec: PD-250 DL-CMP-PROT-3 DL-CMP-7
  assert.equal(ratio(3, 2), "1.50x");
  assert.equal(ratio(1, 0), "—");
  const r = report([["protection=none", 0.5], ["baseline", 1], ["protection=per-message", 2]]);
  const t = protectionTrafficTable(r)!;
  const row = (label: RegExp) => t.rows.find((x) => label.test(x[0]))!;
  assert.deepEqual(row(/^association stanzas per DER/).slice(1), ["8", "4", "2", "0.50x"]);
  assert.deepEqual(row(/^association bytes per group command/).slice(1), [
    "10000",
    "20000",
    "40000",
    "2.00x",
  ]);
  const cpu = protectionCpuTable(r)!;
  assert.deepEqual(cpu.rows[0].slice(1), ["1", "2", "4", "2.00x"]);
  assert.deepEqual(cpu.rows[1].slice(1), ["0.25", "0.5", "1", "2.00x"]);
  const md = renderMarkdown(r);
  assert.match(md, /## Per-message signing vs A-profile session\n\n\| per command \/ per DER \|/);
  assert.match(
    md,
    /\| association bytes per group command \| 10000 \| 20000 \| 40000 \| 2\.00x \|/,
  );
  assert.doesNotMatch(md, /CPU per group command, control centre/, "measured: not in options.md");
  assert.match(
    renderMeasured(r, "now"),
    /\| CPU per group command, each DER \(ms\) \| 0\.25 \| 0\.5 \| 1 \| 2\.00x \|/,
  );
  assert.match(renderHtml(r, "now"), /<td>CPU per group command, control centre \(ms\)<\/td>/);
});

Deno.test("PD-250: without a per-message run the section says so instead of a table", () => {
  // spec: PD-250
  const r = report([["baseline", 1]]);
  assert.equal(protectionTrafficTable(r), undefined);
  assert.match(renderMarkdown(r), new RegExp(NOT_IN_RUN.replaceAll(".", "\\.")));
  // The plaintext run is optional: a dash in its column.
  const t = protectionTrafficTable(report([["baseline", 1], ["protection=per-message", 2]]))!;
  assert.equal(t.rows[0][1], "—");
});
