/**
 * Per-message signing vs A-profile session on the comparison page, from the
 * comparison's own traffic runs (PD-250): the "baseline" (A-profile),
 * "protection=per-message" and "protection=none" runs side by side, per DER
 * at the join and per group command in the red light, each row with the
 * ratio per-message / A-profile. Counts and bytes are fixed by the seed
 * (docs/options.md); CPU is measured (options-measured.md, the HTML page).
 *
 * @module
 */
import type { CompareReport } from "./report.ts";
import type { Measurement } from "./measure.ts";

type Table = { head: string[]; rows: string[][] };

/** The runs compared, by combination name. */
export const PROTECTION_RUNS = {
  none: "protection=none",
  aProfile: "baseline",
  perMessage: "protection=per-message",
} as const;

const HEAD = [
  "per command / per DER",
  "none (plaintext, test only)",
  "A-profile session",
  "per-message",
  "per-message / A-profile",
];

function runs(r: CompareReport) {
  const m = (name: string): Measurement | undefined =>
    r.combos.find((c) => c.combo.name === name)?.measurement;
  const a = m(PROTECTION_RUNS.aProfile), p = m(PROTECTION_RUNS.perMessage);
  return a && p ? { none: m(PROTECTION_RUNS.none), a, p } : undefined;
}

/** "1.93x"; a dash when the A-profile figure is 0. */
export const ratio = (perMessage: number, aProfile: number): string =>
  aProfile === 0 ? "—" : `${(perMessage / aProfile).toFixed(2)}x`;

function table(
  r: CompareReport,
  rows: readonly [string, (m: Measurement) => number | undefined][],
): Table | undefined {
  const x = runs(r);
  if (!x) return undefined;
  const show = (v: number | undefined) => v === undefined ? "—" : `${v}`;
  return {
    head: HEAD,
    rows: rows.map(([label, f]) => {
      const a = f(x.a) ?? 0, p = f(x.p) ?? 0;
      return [label, show(x.none && f(x.none)), show(a), show(p), ratio(p, a)];
    }),
  };
}

/** Messages and bytes (deterministic): docs/options.md. */
// spec: PD-250 DL-CMP-PROT-3 DL-CMP-7
export function protectionTrafficTable(r: CompareReport): Table | undefined {
  return table(r, [
    [
      "association stanzas per DER, join (protection setup, initiate, first read)",
      (m) => m.deterministic.association?.joinStanzasPerDer,
    ],
    ["association bytes per DER, join", (m) => m.deterministic.association?.joinBytesPerDer],
    [
      "association stanzas per group command (the reports that acknowledge it)",
      (m) => m.deterministic.association?.stanzasPerCommand,
    ],
    [
      "association bytes per group command",
      (m) => m.deterministic.association?.bytesPerCommand,
    ],
    ["all stanzas per group command (red-light phase)", (m) => m.deterministic.stanzasPerCommand],
    ["all bytes per group command (red-light phase)", (m) => m.deterministic.bytesPerCommand],
    ["all bytes per joining DER (join phase)", (m) => m.deterministic.joinBytesPerDer],
  ]);
}

/** CPU per group command at both ends (measured): options-measured.md and the HTML page. */
// spec: PD-250 DL-CMP-PROT-3 DL-CMP-7
export function protectionCpuTable(r: CompareReport): Table | undefined {
  return table(r, [
    ["CPU per group command, control centre (ms)", (m) => m.measured.ccCpuPerCommandMs],
    ["CPU per group command, each DER (ms)", (m) => m.measured.derCpuPerCommandMs],
  ]);
}

/** How to read the tables (the same words in every document). */
export const PROTECTION_READING =
  `Group commands go under the group key with either protection (PD-249), so per group command the
two differ in the reports that acknowledge it — one per DER present, each protected on its own
association — and at the join in the protection's setup (an A-profile handshake against the first
per-message exchange). "Association" counts the iq and message stanzas between the control centre
and the DERs as the server delivers them (pings included). The plaintext baseline (test only,
PD-247) is the floor: no protection at all.`;

export const NOT_IN_RUN =
  "Not in this run: the baseline or protection=per-message did not run a traffic measurement.";
