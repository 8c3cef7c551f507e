// The plan report as one self-contained HTML page: inline CSS and SVG charts, no script, no
// external resource, so it opens from a file or an e-mail attachment and prints as it shows.
import { provenanceParts, type PlanReport } from "../services/plan-report";
import { baselineOf, offerChannelMatrix, resultKey } from "./shape";

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const money = (v: number) =>
  v.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);
const num = (v: number, digits = 2) =>
  Number.isFinite(v) ? v.toLocaleString("en-US", { maximumFractionDigits: digits }) : String(v);

const PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f"];

interface Bar {
  label: string;
  value: number;
  color?: string;
  text?: string;
}

/** Horizontal bar chart; negative values grow left of the axis. */
function barChart(title: string, bars: Bar[], className: string): string {
  const rowH = 26;
  const labelW = 190;
  const plotW = 420;
  const h = bars.length * rowH + 10;
  const max = Math.max(1e-9, ...bars.map((b) => Math.abs(b.value)));
  const hasNeg = bars.some((b) => b.value < 0);
  const zero = labelW + (hasNeg ? plotW / 2 : 0);
  const scale = (hasNeg ? plotW / 2 : plotW) / max;
  const rows = bars
    .map((b, i) => {
      const y = 5 + i * rowH;
      const w = Math.abs(b.value) * scale;
      const x = b.value < 0 ? zero - w : zero;
      return `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>
<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 0.5).toFixed(1)}" height="${rowH - 8}" fill="${b.color ?? PALETTE[0]}"><title>${esc(b.label)}: ${esc(b.text ?? num(b.value))}</title></rect>
<text x="${(b.value < 0 ? zero + 4 : x + w + 4).toFixed(1)}" y="${y + 16}" class="v">${esc(b.text ?? num(b.value))}</text>`;
    })
    .join("\n");
  return `<figure class="${className}"><figcaption>${esc(title)}</figcaption>
<svg width="${labelW + plotW + 110}" height="${h}" role="img" aria-label="${esc(title)}">
<line x1="${zero}" y1="0" x2="${zero}" y2="${h}" stroke="#999"/>
${rows}
</svg></figure>`;
}

function table(headers: string[], rows: string[][], className: string, numericFrom = 1): string {
  const head = headers
    .map((h, i) => `<th${i >= numericFrom ? ' class="n"' : ""}>${esc(h)}</th>`)
    .join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ""}>${esc(c)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function renderHtml(r: PlanReport): string {
  const k = (r.kpis ?? {}) as Record<string, number | null | undefined>;
  const base = baselineOf(r);
  const title = `Plan ${r.id}: ${r.constraintSetName} v${r.constraintSetVersion}`;
  const sections: string[] = [];

  sections.push(`<section id="kpis"><h2>Optimized vs ad-hoc</h2>
${table(
  ["", "optimized", "ad-hoc baseline", "difference"],
  [
    [
      "expected return",
      money(k.expectedReturn ?? 0),
      base ? money(base.expectedReturn) : "–",
      base ? money((k.expectedReturn ?? 0) - base.expectedReturn) : "–",
    ],
    [
      "cost",
      money(k.cost ?? 0),
      base ? money(base.cost) : "–",
      base ? money((k.cost ?? 0) - base.cost) : "–",
    ],
    [
      "ROI (return − cost) / cost",
      pct(k.cost ? (k.roi ?? null) : null),
      base ? pct(base.roi) : "–",
      "",
    ],
    [
      "contacts",
      int(k.contacts ?? 0),
      base ? int(base.contacts) : "–",
      base ? int((k.contacts ?? 0) - base.contacts) : "–",
    ],
  ],
  "kpis",
)}
${typeof k.upperBound === "number" ? `<p>Certified upper bound ${money(k.upperBound)}; optimality gap ${pct(k.gap ?? null)}.</p>` : ""}
${barChart(
  "Expected return",
  [
    { label: "optimized", value: k.expectedReturn ?? 0, text: money(k.expectedReturn ?? 0) },
    ...(base
      ? [
          {
            label: "ad-hoc baseline",
            value: base.expectedReturn,
            color: "#a0aec0",
            text: money(base.expectedReturn),
          },
        ]
      : []),
    ...(typeof k.upperBound === "number"
      ? [{ label: "upper bound", value: k.upperBound, color: "#cbd5e0", text: money(k.upperBound) }]
      : []),
  ],
  "chart-return",
)}
</section>`);

  const matrix = offerChannelMatrix(r);
  sections.push(`<section id="frequencies"><h2>Offer frequencies by channel</h2>
${table(
  ["offer", ...matrix.channels, "total"],
  matrix.rows.map((row) => [row.offer, ...row.contacts.map(int), int(row.total)]),
  "frequencies",
)}
${barChart(
  "Contacts by offer",
  matrix.rows.map((row, i) => ({
    label: row.offer,
    value: row.total,
    color: PALETTE[i % PALETTE.length],
    text: int(row.total),
  })),
  "chart-offers",
)}
</section>`);

  sections.push(`<section id="channels"><h2>Profitability by channel</h2>
${table(
  ["channel", "contacts", "expected return", "cost", "profit", "ROI"],
  r.channels.map((c) => [
    c.channel,
    int(c.contacts),
    money(c.expectedReturn),
    money(c.cost),
    money(c.profit),
    pct(c.roi),
  ]),
  "channels",
)}
${barChart(
  "Profit by channel",
  r.channels.map((c, i) => ({
    label: c.channel,
    value: c.profit,
    color: PALETTE[i % PALETTE.length],
    text: money(c.profit),
  })),
  "chart-channels",
)}
</section>`);

  const priced = r.constraintReport.filter((c) => c.binding && c.dual !== null && c.dual !== 0);
  sections.push(`<section id="constraints"><h2>Constraint report</h2>
<p>Level, bound and marginal value: the dual is the price the plan was built at, what one more unit of the bound would add to the objective (0 where the bound does not bind).</p>
${table(
  ["constraint", "level", "bound", "slack", "marginal value", "binding"],
  r.constraintReport.map((c) => [
    c.name,
    num(c.activity),
    num(c.bound),
    num(c.slack),
    c.dual === null ? "–" : num(c.dual, 4),
    c.binding ? "yes" : "",
  ]),
  "constraints",
)}
${
  priced.length
    ? barChart(
        "Marginal values of binding constraints",
        priced.map((c) => ({
          label: c.name,
          value: c.dual!,
          color: c.dual! < 0 ? "#e53e3e" : "#2b6cb0",
          text: num(c.dual!, 4),
        })),
        "chart-duals",
      )
    : ""
}
</section>`);

  sections.push(`<section id="segments"><h2>Segments</h2>
${table(
  ["segment", "contacts", "expected return", "cost", "ROI"],
  r.segments.map((s) => [
    s.segment ?? "(none)",
    int(s.contacts),
    money(s.expectedReturn),
    money(s.cost),
    pct(s.roi),
  ]),
  "segments",
)}
</section>`);

  if (r.results.length) {
    const byOffer = r.results.filter((x) => x.level === "offer" && x.uplift !== null);
    sections.push(`<section id="results"><h2>Measured results</h2>
<p>Response rates of contacted (treatment) and held-out (control) customers; uplift = treatment − control with its 95 % interval (Newcombe).</p>
${table(
  [
    "level",
    "of",
    "treatment",
    "control",
    "treatment rate",
    "control rate",
    "uplift",
    "95 % interval",
    "predicted rate",
  ],
  r.results.map((x) => [
    x.level,
    resultKey(x),
    int(x.treatmentCustomers),
    int(x.controlCustomers),
    pct(x.treatmentResponseRate),
    pct(x.controlResponseRate),
    pct(x.uplift),
    x.upliftCiLow === null ? "–" : `${pct(x.upliftCiLow)} … ${pct(x.upliftCiHigh)}`,
    pct(x.predictedResponseRate),
  ]),
  "results",
  2,
)}
${
  byOffer.length
    ? barChart(
        "Uplift by offer",
        byOffer.map((x, i) => ({
          label: x.offer ?? "",
          value: x.uplift!,
          color: PALETTE[i % PALETTE.length],
          text: pct(x.uplift),
        })),
        "chart-uplift",
      )
    : ""
}
</section>`);
  }

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:960px;color:#1a202c;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e2e8f0}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #edf2f7;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:.8rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font-size:12px;fill:#2d3748}svg text.v{fill:#4a5568}.meta{color:#4a5568}
@media print{section{break-inside:avoid}}
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">Plan version ${r.versionNumber} · method ${esc(r.method)} · status ${esc(r.status)}${r.error ? ` · ${esc(r.error)}` : ""}</p>
${provenanceLine(r)}
${r.kpis ? sections.join("\n") : "<p>This plan has no results.</p>"}
</body></html>
`;
}

/** What the plan was computed from, in one line under the title (the same as `plan show`). */
function provenanceLine(r: PlanReport): string {
  const p = r.provenance;
  const parts = provenanceParts(r);
  return `<p class="meta" id="provenance">${esc(parts.join(" · "))}${
    p.fingerprint ? `<br>fingerprint <code>${esc(p.fingerprint)}</code>` : ""
  }${p.stale ? `<br><strong>Stale:</strong> ${esc(p.stale)}` : ""}</p>`;
}
