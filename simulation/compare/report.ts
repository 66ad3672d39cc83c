/**
 * The comparison as documents: docs/options.md holds only what a seed fixes
 * (configurations, attack outcomes, traffic counts, virtual latency), so CI
 * can regenerate it and fail on any difference (PD-239); CPU and wall-clock
 * figures go to docs/options-measured.md and, with everything else, to the
 * HTML page docs/options.html. Both documents come from one data model;
 * nothing in them is typed by hand.
 *
 * @module
 */
import { type AttackId, type AttackResult, ATTACKS } from "./attacks.ts";
import { DIMENSIONS, type NamedCombination } from "./combinations.ts";
import type { Measurement } from "./measure.ts";
import {
  NOT_IN_RUN,
  PROTECTION_READING,
  protectionCpuTable,
  protectionTrafficTable,
} from "./report_protection.ts";
import { INDEPENDENCE_READING, independenceRows } from "./operator_independence.ts";

export interface ComboReport {
  readonly combo: NamedCombination;
  /** Why it could not run (empty: it ran). */
  readonly missing: readonly string[];
  readonly attacks?: Readonly<Record<AttackId, AttackResult>>;
  readonly measurement?: Measurement;
}

export interface CompareReport {
  /** The command line that produced it (deterministic arguments only). */
  readonly command: string;
  readonly ders: number;
  readonly attackDers: number;
  readonly seed: string;
  readonly combos: readonly ComboReport[];
  /** The traffic runs again at a real XMPP server (`--server`). */
  readonly server?: {
    readonly spec: string;
    readonly rows: readonly { readonly name: string; readonly result: Measurement | string }[];
  };
  /** bench/protection_cost.ts's output (`--protection-cost N`): its command and ratio lines. */
  readonly protectionCost?: { readonly command: string; readonly lines: readonly string[] };
}

type Table = { head: string[]; rows: string[][] };

const ran = (r: CompareReport) => r.combos.filter((c) => c.missing.length === 0);
export const cell = (a: AttackResult) => `${a.outcome}: ${a.evidence}`;

function dimensionsTable(): Table {
  const rows = DIMENSIONS.flatMap((d) =>
    d.values.map((v) => [
      `${d.title} (${d.source})`,
      v.label,
      v.missing ? `not yet built: ${v.missing}` : "built",
    ])
  );
  return { head: ["dimension", "value", "status"], rows };
}

function combosTable(r: CompareReport): Table {
  const rows = r.combos.map((c) => [
    c.combo.name,
    ...DIMENSIONS.map((d) => c.combo.config[d.id]),
    c.combo.why,
    c.missing.length === 0 ? "run" : `not yet built (${c.missing.length} missing)`,
  ]);
  return { head: ["combination", ...DIMENSIONS.map((d) => d.id), "why", "status"], rows };
}

/** Rows: attacks; columns: the combinations that ran. */
// spec: PD-237 DL-CMP-4
export function attackTable(r: CompareReport): Table {
  const cs = ran(r);
  return {
    head: ["attack", ...cs.map((c) => c.combo.name)],
    rows: ATTACKS.map((a) => [a.title, ...cs.map((c) => (c.attacks ? cell(c.attacks[a.id]) : ""))]),
  };
}

/** PAPER-TA3 per combination that ran, from its attack outcomes (PD-259). */
// spec: PAPER-TA3 PD-259
function independenceTable(r: CompareReport): Table {
  const rows = independenceRows(ran(r).map((c) => ({ name: c.combo.name, attacks: c.attacks })));
  return { head: ["combination", "independent of who runs the server"], rows };
}

function trafficTable(r: CompareReport): Table {
  const rows = ran(r).filter((c) => c.measurement).map((c) => {
    const d = c.measurement!.deterministic;
    return [
      c.combo.name,
      `${d.stanzasPerCommand}`,
      `${d.bytesPerCommand}`,
      `${d.joinStanzasPerDer}`,
      `${d.joinBytesPerDer}`,
      `${d.evictionStanzas} / ${d.evictionBytes}`,
      `${d.loginBytes}`,
      `${d.virtualLatencyMs}`,
      d.allAcked ? "yes" : "NO",
    ];
  });
  return {
    head: [
      "combination",
      "stanzas per command",
      "bytes per command",
      "join stanzas per DER",
      "join bytes per DER",
      "eviction stanzas / bytes",
      "login bytes",
      "command latency (virtual ms)",
      "all acknowledged",
    ],
    rows,
  };
}

const measuredRow = (name: string, m: Measurement["measured"]) => [
  name,
  `${m.ccCpuPerCommandMs}`,
  `${m.derCpuPerCommandMs}`,
  `${m.wallLatencyMs}`,
  m.loginCpuMs === undefined ? "—" : `${m.loginCpuMs}`,
  `${m.loginWallMs}`,
  `${m.runWallMs}`,
];

const MEASURED_HEAD = [
  "combination",
  "CPU per command, control centre (ms)",
  "CPU per command, each DER (ms)",
  "command latency, wall (ms)",
  "CPU per login, both ends (ms)",
  "login, wall median (ms)",
  "run wall time (ms)",
];

function measuredTable(r: CompareReport): Table {
  const rows = ran(r).filter((c) => c.measurement).map((c) =>
    measuredRow(c.combo.name, c.measurement!.measured)
  );
  return { head: MEASURED_HEAD, rows };
}

function serverTable(r: CompareReport): Table | undefined {
  if (!r.server) return undefined;
  const blank = ["", "", "", "", "", ""];
  const rows = r.server.rows.map((x) =>
    typeof x.result === "string"
      ? [x.name, `not run: ${x.result}`, ...blank]
      : x.result.problems
      ? [x.name, `the scenario failed at the server: ${x.result.problems}`, ...blank]
      : [
        ...measuredRow(x.name, x.result.measured),
        `${x.result.deterministic.stanzasPerCommand} / ${x.result.deterministic.bytesPerCommand}`,
      ]
  );
  return { head: [...MEASURED_HEAD, "stanzas / bytes per command"], rows };
}

function protectionCostText(r: CompareReport): string {
  const p = r.protectionCost;
  if (!p) {
    return "Not in this run: `deno task compare --protection-cost 1000` runs bench/protection_cost.ts " +
      "(the per-message helper's bench: one command and its response to each of N DERs, fresh " +
      "A-profile sessions against per-message first contact) and puts its ratios here.";
  }
  return `From \`${p.command}\` (the bench's own references: per-message signed and encrypted):\n\n${
    p.lines.map((l) => `- ${l}`).join("\n")
  }`;
}

const protectionSection = (t: ReturnType<typeof protectionTrafficTable>) =>
  t ? mdTable(t) : NOT_IN_RUN;
const protectionHtml = (t: ReturnType<typeof protectionTrafficTable>) =>
  t ? htmlTable(t) : `<p>${NOT_IN_RUN}</p>`;

const esc = (s: string) => s.replaceAll("|", "\\|");
const mdTable = (t: Table) =>
  [
    `| ${t.head.map(esc).join(" | ")} |`,
    `|${t.head.map(() => "---").join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");

const READING = `Outcomes: **succeeded** — the attacker reached the goal (a command in clear in the
server's view, a DER acted, a stanza delivered, a command read); **detected** — it reached its
target, which refused it with the code shown; **blocked** — it was stopped before (the server's
policy refused it, or what got through was useless without a key) or ignored; **n/a** — the
attack does not apply, or could not be staged, for the reason shown.`;

const SCENARIOS =
  `How each attack is run (simulation/compare/attacks.ts, simulation/compare/run.ts), each in its own run with the
same seed as the clean one:

- *server operator reads*: every stanza the server received or delivered in the clean run (its
  view, simulation/compare/tap.ts) is searched for the group command's namespace and the limit control's
  name;
- *forged / replayed command*: the server keeps the first group command it delivered to a DER of
  group 1 and delivers it again to that DER 1 s later and, in another run, half-way between the red
  light and the dropouts (replayed), or changed at that time (forged: the limit rewritten when in
  clear, one SPDU byte flipped when protected); the DERs' applied-command count and codes are
  compared with the clean run;
- *evicted DER*: the scenario's own dropouts, evicted by the key server, come back and re-enter
  their rooms (the server lets them); did they apply the next command?
- *stolen DER login*: an attacker logs in with a steady DER's login credential (its password, its
  login certificate under a certificate plan, or its login token under Option 2; resource
  \`thief\`), then messages another DER,
  publishes to the tariff node, joins another group's room and its own group's room (and waits
  there for the next command); where the one certificate is also the DER's end-to-end credential
  (\`one/grid-ca\`) it holds that key too, and first registers with the key server with it
  (PD-257); otherwise the end-to-end key stays on the DER;
- *server operator's own CA*: the server operator issues itself a certificate for a steady DER of
  group 1 from its own CA (the credential plan's server-operator CA), opens a session as that account
  (it runs the server) and registers with the key server with it a little after the red light; if
  it gets the group key it opens the group commands it routes and, half-way to the dropouts,
  delivers to the group's other DERs a command of its own protected with that key and naming the
  control centre as sender; the DERs' applied commands in that phase are compared with the clean
  run (PD-256);
- *expired token*: only where the grid operator issues tokens (PD-245): under Option 3 the control
  centre presents, from the red light on, access tokens that expired an hour before (do the DERs
  apply the commands?); under Option 2 its account logs in once more, half-way between the red
  light and the dropouts, with a login token that expired an hour before (does the server let it
  in?). Under Option 3 a stolen login's message that reaches another DER is judged by what that
  DER's token gate did with it.`;

// spec: PD-239 DL-CMP-6
export function renderMarkdown(r: CompareReport): string {
  const skipped = r.combos.filter((c) => c.missing.length > 0);
  return `# Design options compared

Generated by \`${r.command}\` (simulation/compare/cli.ts); do not edit. CI regenerates this file with the
same arguments and fails on any difference (PD-239), and \`simulation/compare/compare_test.ts\` re-runs the
attacks and checks every cell of the attack table. Only figures a seed fixes are here; CPU and
wall-clock times are in [options-measured.md](options-measured.md) and on the
[HTML page](options.html). The runs are the scenario of \`simulation/\` (join, tariffs, red-light
curtailment, dropouts and eviction, next command) on the in-memory router in **virtual time**:
traffic is counted by the network, latency is virtual (the router adds no delay).

Traffic: ${r.ders} DERs; attacks: ${r.attackDers} DERs; seed \`${r.seed}\`.

## Attack outcomes

${mdTable(attackTable(r))}

${READING}

${SCENARIOS}

## Who runs the XMPP server

${mdTable(independenceTable(r))}

${INDEPENDENCE_READING}

## Traffic per configuration

${mdTable(trafficTable(r))}

Per command: the red-light phase's stanzas and bytes (the command, its fan-out, the reports that
acknowledge it) over the commands sent (one per group). Join: the join phase per DER (login,
A-profile session and association, room, group registration, tariff subscription). Eviction: the
whole dropout phase. Login: one DER login at the server (simulated TLS, SCRAM-SHA-256 — or SASL
EXTERNAL with a client certificate the server validates, under the certificate plans — and bind).

## Per-message signing vs A-profile session

${protectionSection(protectionTrafficTable(r))}

${PROTECTION_READING}

CPU per group command at both ends, with the same ratio, is measured: it is in
[options-measured.md](options-measured.md) and on the [HTML page](options.html), next to the ratios
of bench/protection_cost.ts (one command and its response per DER, \`--protection-cost N\`).

## Combinations

${mdTable(combosTable(r))}

## Dimensions

${mdTable(dimensionsTable())}

## Not yet built

${
    skipped.length === 0
      ? "Every combination ran."
      : skipped.map((c) => `- **${c.combo.name}**: ${c.missing.join("; ")}`).join("\n")
  }
`;
}

export function renderMeasured(r: CompareReport, when: string): string {
  return `# Design options compared: measured times

Generated by \`${r.command}\` on ${when}; not checked by CI (times differ run to run, PD-239).
One process runs every node and the router: CPU per command is the time spent inside the control
centre's and the DERs' callbacks during the red-light phase (simulation/compare/tap.ts); wall latency is from
the control centre handing the command to the server to its last delivery.

${mdTable(measuredTable(r))}
${
    r.server
      ? `\n## At a real XMPP server (${r.server.spec})\n\nThe same traffic runs over the server ` +
        "(the scenario's fleet driver, simulation/real); attacks stay in memory.\n\n" +
        mdTable(serverTable(r)!) + "\n"
      : ""
  }
## Per-message signing vs A-profile session

From this run's traffic runs (PD-250): CPU per group command (the reports that acknowledge it are
protected per message or in a session; the command itself is under the group key either way).

${protectionSection(protectionCpuTable(r))}

${protectionCostText(r)}
`;
}

const h = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const htmlTable = (t: Table, cls = "") =>
  `<table class="${cls}"><thead><tr>${
    t.head.map((x) => `<th>${h(x)}</th>`).join("")
  }</tr></thead>` +
  `<tbody>${
    t.rows.map((r) =>
      `<tr>${
        r.map((x) => {
          const o = /^(blocked|detected|succeeded|n\/a):/.exec(x)?.[1]?.replace("/", "");
          return `<td${o ? ` class="${o}"` : ""}>${h(x)}</td>`;
        }).join("")
      }</tr>`
    ).join("")
  }</tbody></table>`;

export function renderHtml(r: CompareReport, when: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>derlink: design options compared</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:90rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eee}.blocked{background:#dfd}.detected{background:#ffd}
.succeeded{background:#fcc}.na{color:#666}
</style></head><body>
<h1>Design options compared</h1>
<p>Generated by <code>${h(r.command)}</code> on ${h(when)}. Scenario of <code>simulation/</code>
on the in-memory router, virtual time. Traffic: ${r.ders} DERs, attacks: ${r.attackDers} DERs,
seed <code>${h(r.seed)}</code>. The same data as <a href="options.md">options.md</a> plus the
measured times.</p>
<h2>Attack outcomes</h2>${htmlTable(attackTable(r), "attacks")}
<p>${h(READING).replaceAll("**", "")}</p>
<p>${h(SCENARIOS).replaceAll("\n- ", "<br>• ").replaceAll("*", "").replaceAll("`", "")}</p>
<h2>Who runs the XMPP server</h2>${htmlTable(independenceTable(r))}
<p>${h(INDEPENDENCE_READING)}</p>
<h2>Traffic per configuration (deterministic)</h2>${htmlTable(trafficTable(r))}
<h2>Measured times (this run, not reproducible)</h2>${htmlTable(measuredTable(r))}
${
    r.server
      ? `<h2>At a real XMPP server (${h(r.server.spec)})</h2>${htmlTable(serverTable(r)!)}`
      : ""
  }
<h2>Per-message signing vs A-profile session</h2>
${protectionHtml(protectionTrafficTable(r))}${protectionHtml(protectionCpuTable(r))}
<p>${h(PROTECTION_READING)}</p>
<p>${h(protectionCostText(r)).replaceAll("\n- ", "<br>").replaceAll("`", "")}</p>
<h2>Combinations</h2>${htmlTable(combosTable(r))}
<h2>Dimensions</h2>${htmlTable(dimensionsTable())}
<h2>Not yet built</h2><ul>${
    r.combos.filter((c) => c.missing.length > 0)
      .map((c) => `<li><b>${h(c.combo.name)}</b>: ${h(c.missing.join("; "))}</li>`).join("")
  }</ul>
</body></html>
`;
}

/** The attack cells of a docs/options.md: "attack title|combination" → cell. */
export function parseAttackTable(md: string): Map<string, string> {
  const section = md.split("## Attack outcomes")[1]?.split("\n## ")[0] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  const split = (l: string) =>
    l.slice(1, -1).split(/(?<!\\) \| |(?<!\\)\|/).map((x) => x.trim().replaceAll("\\|", "|"));
  const out = new Map<string, string>();
  if (lines.length < 2) return out;
  const head = split(lines[0]);
  for (const l of lines.slice(2)) {
    const cells = split(l);
    for (let i = 1; i < head.length; i++) out.set(`${cells[0]}|${head[i]}`, cells[i] ?? "");
  }
  return out;
}
