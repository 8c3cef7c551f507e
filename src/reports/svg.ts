// Inline SVG charts for the HTML report: no script and no external resource, so the page prints
// and opens from an e-mail as it shows. Every bar is a <rect> with a <title>, which is what the
// tests read back from the page Chromium builds.
import { esc } from "./format";

/** Colours by position: a category, a channel or a series keeps its colour across charts. */
export const PALETTE = [
  "#2b6cb0",
  "#dd6b20",
  "#38a169",
  "#805ad5",
  "#d53f8c",
  "#319795",
  "#b7791f",
];

export interface Bar {
  label: string;
  value: number;
  color?: string;
  text?: string;
}

const ROW_H = 26;
const LABEL_W = 210;
const PLOT_W = 420;
const VALUE_W = 120;

function figure(
  className: string,
  title: string,
  height: number,
  body: string,
  legend = "",
): string {
  return `<figure class="${className}"><figcaption>${esc(title)}</figcaption>
<svg width="${LABEL_W + PLOT_W + VALUE_W}" height="${height}" role="img" aria-label="${esc(title)}">
${body}
</svg>${legend}</figure>`;
}

function rect(x: number, y: number, w: number, color: string, tip: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 0.5).toFixed(1)}" height="${ROW_H - 8}" fill="${color}"><title>${esc(tip)}</title></rect>`;
}

const label = (y: number, text: string) =>
  `<text x="${LABEL_W - 8}" y="${y + 16}" text-anchor="end">${esc(text)}</text>`;
const value = (x: number, y: number, text: string) =>
  `<text x="${x.toFixed(1)}" y="${y + 16}" class="v">${esc(text)}</text>`;

/**
 * Horizontal bars from one zero line; negative values grow left of it. A chart of differences
 * (optimized − ad-hoc) puts the zero in the middle, so a small difference is not lost against a
 * large total.
 */
export function barChart(title: string, bars: Bar[], className: string): string {
  const h = bars.length * ROW_H + 10;
  const max = Math.max(1e-9, ...bars.map((b) => Math.abs(b.value)));
  const hasNeg = bars.some((b) => b.value < 0);
  const zero = LABEL_W + (hasNeg ? PLOT_W / 2 : 0);
  const scale = (hasNeg ? PLOT_W / 2 : PLOT_W) / max;
  const rows = bars.map((b, i) => {
    const y = 5 + i * ROW_H;
    const w = Math.abs(b.value) * scale;
    const x = b.value < 0 ? zero - w : zero;
    const text = b.text ?? String(b.value);
    return [
      label(y, b.label),
      rect(x, y, w, b.color ?? PALETTE[0]!, `${b.label}: ${text}`),
      value(b.value < 0 ? zero + 4 : x + w + 4, y, text),
    ].join("\n");
  });
  const axis = `<line x1="${zero}" y1="0" x2="${zero}" y2="${h}" stroke="#999"/>`;
  return figure(className, title, h, [axis, ...rows].join("\n"));
}

export interface StackedRow {
  label: string;
  parts: { name: string; value: number; text: string }[];
  text: string;
}

/** One bar per row, split into parts with a colour per part name, and a legend. */
export function stackedChart(
  title: string,
  rows: StackedRow[],
  names: string[],
  className: string,
): string {
  const color = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  const max = Math.max(1e-9, ...rows.map((r) => r.parts.reduce((s, p) => s + p.value, 0)));
  const scale = PLOT_W / max;
  const body = rows.map((r, i) => {
    const y = 5 + i * ROW_H;
    let x = LABEL_W;
    const rects = r.parts.map((p) => {
      const w = p.value * scale;
      const out = rect(x, y, w, color(p.name), `${r.label}, ${p.name}: ${p.text}`);
      x += w;
      return out;
    });
    return [label(y, r.label), ...rects, value(x + 4, y, r.text)].join("\n");
  });
  const legend = `<p class="legend">${names
    .map((n) => `<span><i style="background:${color(n)}"></i>${esc(n)}</span>`)
    .join(" ")}</p>`;
  return figure(className, title, rows.length * ROW_H + 10, body.join("\n"), legend);
}

/** A legend for bars coloured by group (offers by category). */
export function legend(groups: string[]): string {
  return `<p class="legend">${groups
    .map(
      (g, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(g)}</span>`,
    )
    .join(" ")}</p>`;
}
