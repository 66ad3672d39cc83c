/**
 * JID parsing throughput: parseJid over batches of 1000 addresses of one
 * kind (plain ASCII, mixed case with mapping, non-ASCII localparts, IDN
 * domainparts, right-to-left localparts, refusals). Each group's baseline is
 * the runtime's native URL host parser (`new URL(...).hostname`) run over the
 * same texts in the same process, so the printed ratios say how much
 * RFC 7622 preparation costs beside one native UTS #46 host parse; a
 * split-only pass shows the floor.
 *
 * Run: deno bench bench/jid_bench.ts   (iter/s × 1000 = parses/s)
 *
 * @module
 */
import { splitJid, tryParseJid } from "../core/jid.ts";

const N = 1000;

/** Deterministic pseudo-random numbers (a 32-bit LCG): the same inputs on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function batch(seed: number, make: (pick: <T>(xs: readonly T[]) => T, i: number) => string) {
  const rnd = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: N }, (_, i) => make(pick, i));
}

const kinds: Record<string, string[]> = {
  "ascii full": batch(1, (p, i) => `der${i}@${p(["example.com", "grid.example.net"])}/plant-${i}`),
  "ascii bare": batch(2, (_p, i) => `scada${i}@example.com`),
  "mixed case, NFC, spaces": batch(
    3,
    (p, i) => `${p(["Der", "SCADA", "Wärme"])}${i}@Example.COM/${p(["Hmi\u00a0", "e\u0301"])}${i}`,
  ),
  "non-ASCII localpart": batch(
    4,
    (p, i) => `${p(["jürgen", "σωτήρης", "电网", "ユーザ"])}${i}@example.com`,
  ),
  "IDN domainpart": batch(
    5,
    (p, i) => `der${i}@${p(["bücher.example", "xn--bcher-kva.example", "电网.example"])}`,
  ),
  "right-to-left localpart": batch(6, (p, i) => `${p(["שלום", "مرحبا"])}${i}@example.com`),
  "refused": batch(
    7,
    (p, i) => p([`a b${i}@x`, `x${i}@exa_mple.com`, `x${i}@b/\u0000`, `x@☃${i}.com`]),
  ),
};

for (const [kind, texts] of Object.entries(kinds)) {
  const domains = texts.map((t) => splitJid(t).domain);
  Deno.bench(`URL host parse (${kind})`, { group: kind, baseline: true }, () => {
    for (const d of domains) {
      try {
        new URL(`http://${d}/`).hostname;
      } catch { /* refused */ }
    }
  });
  Deno.bench(`splitJid only (${kind})`, { group: kind }, () => {
    for (const t of texts) splitJid(t);
  });
  Deno.bench(`parseJid (${kind})`, { group: kind }, () => {
    for (const t of texts) tryParseJid(t);
  });
}
