/**
 * The plot of a run as a self-contained SVG: aggregate active power over
 * virtual time as the control centre saw it (from the DERs' reports, over
 * live associations) and as simulated (every online DER), the curtailment
 * level of each red light (limit × rated power of the associated DERs),
 * and a vertical mark for each command or event with its label.
 *
 * @module
 */
import type { ScenarioResult } from "./scenario.ts";

const W = 960, H = 440;
const M = { left: 70, right: 20, top: 62, bottom: 50 };

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A round step for axis ticks covering `max` in about `n` steps. */
function niceStep(max: number, n: number): number {
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function plotSvg(r: ScenarioResult, start: number): string {
  const s = r.metrics.samples;
  const dur = r.durationMs;
  const maxW = Math.max(1, ...s.map((p) => Math.max(p.viewW, p.simW, p.ratedW)));
  const unit = maxW >= 2e6 ? { d: 1e6, n: "MW" } : { d: 1e3, n: "kW" };
  const x = (t: number) => M.left + ((t - start) / dur) * (W - M.left - M.right);
  const y = (w: number) => H - M.bottom - (w / maxW) * (H - M.top - M.bottom);
  const path = (f: (p: (typeof s)[number]) => number) =>
    s.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(f(p)).toFixed(1)}`).join(" ");
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="22" font-size="15">derlink simulation: ${r.options.ders} DERs, ${r.options.minutes} min, seed ${
      esc(r.options.seed)
    }, key path ${r.options.keyPath}</text>`,
  );
  // Axes and grid.
  const yStep = niceStep(maxW / unit.d, 5) * unit.d;
  for (let w = 0; w <= maxW + 1e-9; w += yStep) {
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(w)}" y2="${y(w)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${y(w) + 4}" text-anchor="end">${+(w / unit.d).toFixed(
        2,
      )}</text>`,
    );
  }
  const minutes = dur / 60_000;
  const xStep = niceStep(minutes, 10);
  for (let m = 0; m <= minutes + 1e-9; m += xStep) {
    const px = x(start + m * 60_000);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#333"/>`,
      `<text x="${px}" y="${H - M.bottom + 18}" text-anchor="middle">${+m.toFixed(2)}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${
      H - M.bottom
    }" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(W + M.left) / 2}" y="${H - 12}" text-anchor="middle">virtual time (min)</text>`,
    `<text x="18" y="${(H - M.bottom + M.top) / 2}" transform="rotate(-90 18 ${
      (H - M.bottom + M.top) / 2
    })" text-anchor="middle">active power (${unit.n})</text>`,
  );
  // Events.
  for (const [i, c] of r.metrics.commandMarks.entries()) {
    const px = x(c.t);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${M.top}" y2="${
        H - M.bottom
      }" stroke="#c33" stroke-dasharray="4 3"/>`,
      `<text x="${px + 4}" y="${M.top + 14 + (i % 3) * 14}" fill="#c33">${esc(c.label)}</text>`,
    );
  }
  // Curtailment levels after each red light.
  const reds = r.metrics.commandMarks.filter((c) => /^red (\d+) %$/.test(c.label));
  for (const [i, c] of reds.entries()) {
    const pct = Number(/^red (\d+) %$/.exec(c.label)![1]) / 100;
    const end = reds[i + 1]?.t ?? start + dur;
    const seg = s.filter((p) => p.t >= c.t && p.t <= end);
    if (seg.length === 0) continue;
    const d = seg.map((p, k) =>
      `${k ? "L" : "M"}${x(p.t).toFixed(1)},${y(pct * p.ratedW).toFixed(1)}`
    )
      .join(" ");
    parts.push(`<path d="${d}" fill="none" stroke="#c33" stroke-width="1.5"/>`);
  }
  parts.push(
    `<path d="${path((p) => p.ratedW)}" fill="none" stroke="#999" stroke-width="1"/>`,
    `<path d="${path((p) => p.simW)}" fill="none" stroke="#2a7" stroke-width="2"/>`,
    `<path d="${
      path((p) => p.viewW)
    }" fill="none" stroke="#26c" stroke-width="2" stroke-dasharray="6 3"/>`,
  );
  const legend = [
    ["#2a7", "simulated output of online DERs"],
    ["#26c", "control centre's view (reports)"],
    ["#999", "rated power of associated DERs"],
    ["#c33", "curtailment level, events"],
  ];
  legend.forEach(([color, text], i) => {
    const ly = 40, lx = M.left + i * 220;
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${esc(text)}</text>`,
    );
  });
  parts.push("</svg>\n");
  return parts.join("\n");
}
