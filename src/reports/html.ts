// The plan report as one self-contained HTML page a marketing team can hand round: names with
// ids in small print, the optimized plan beside the ad-hoc one with absolute and relative
// differences and totals, the constraints in words, inline CSS and SVG charts, no script and no
// external resource (it opens from a file or an e-mail, and prints to PDF as it shows).
import type { PlanReport } from "../services/plan-report";
import { amount, delta, dual, esc, int, money, pct } from "./format";
import { headerHtml } from "./header";
import { resultKey } from "./shape";
import { barChart, legend, PALETTE, stackedChart, type StackedRow } from "./svg";
import { reportView, type BreakdownRow, type ReportView } from "./view";

type Cell = string | { html: string };

const cell = (c: Cell) => (typeof c === "string" ? esc(c) : c.html);
const named = (name: string, id: string): Cell => ({
  html: name === id ? esc(name) : `${esc(name)} <small class="id">${esc(id)}</small>`,
});

function table(
  headers: string[],
  rows: Cell[][],
  className: string,
  opts: { numericFrom?: number; total?: Cell[] } = {},
): string {
  const n = opts.numericFrom ?? 1;
  const tr = (r: Cell[], tag: "td" | "th") =>
    `<tr>${r.map((c, i) => `<${tag}${i >= n ? ' class="n"' : ""}>${cell(c)}</${tag}>`).join("")}</tr>`;
  const foot = opts.total ? `<tfoot>${tr(opts.total, "td")}</tfoot>` : "";
  return `<table class="${className}"><thead>${tr(headers, "th")}</thead><tbody>
${rows.map((r) => tr(r, "td")).join("\n")}
</tbody>${foot}</table>`;
}

const sum = (rows: BreakdownRow[], pick: (r: BreakdownRow) => number) =>
  rows.reduce((s, r) => s + pick(r), 0);

function kpiSection(r: PlanReport, v: ReportView): string {
  const k = (r.kpis ?? {}) as { upperBound?: number | null; gap?: number | null };
  const fmt = (x: number | null, unit: "money" | "count" | "ratio") =>
    x === null ? "–" : unit === "money" ? money(x) : unit === "count" ? int(x) : pct(x);
  const rows = v.kpis.map((c) => [
    c.metric,
    fmt(c.optimized, c.unit),
    fmt(c.adHoc, c.unit),
    delta(c.difference, c.unit),
    delta(c.relative, "relative"),
  ]);
  const relative = v.kpis.filter((c) => c.relative !== null);
  return `<section id="kpis"><h2>Optimized plan against the ad-hoc plan</h2>
${v.hasBaseline ? "" : '<p class="note">No ad-hoc plan to compare with: the paper\'s ad-hoc rule cannot satisfy these constraints.</p>'}
${table(["", "optimized", "ad-hoc", "difference", "difference %"], rows, "kpis")}
${typeof k.upperBound === "number" ? `<p>Certified upper bound ${money(k.upperBound)}: the optimized plan is within ${k.gap == null ? "–" : `${(k.gap * 100).toFixed(2)}%`} of the best possible.</p>` : ""}
${
  relative.length
    ? barChart(
        "Difference from the ad-hoc plan",
        relative.map((c) => ({
          label: c.metric,
          value: c.relative!,
          color: c.relative! < 0 ? "#e53e3e" : PALETTE[2],
          text: delta(c.relative, "relative"),
        })),
        "chart-difference",
      )
    : ""
}
</section>`;
}

function frequencySection(v: ReportView): string {
  const channels = v.channels;
  const rows = v.offers.map((o) => [
    named(o.name, o.id),
    o.category,
    ...o.contacts.map(int),
    int(o.total),
  ]);
  const total = [
    "Total",
    "",
    ...channels.map((_c, i) => int(v.offers.reduce((s, o) => s + (o.contacts[i] ?? 0), 0))),
    int(v.offers.reduce((s, o) => s + o.total, 0)),
  ];
  const headers = ["offer", "category", ...channels.map((c) => c.name), "total"];
  return `<section id="frequencies"><h2>Offer frequencies by channel</h2>
${table(headers, rows, "frequencies", { numericFrom: 2, total })}
${barChart(
  "Contacts by offer, coloured by category",
  v.offers.map((o) => ({
    label: o.name,
    value: o.total,
    color: PALETTE[v.categories.indexOf(o.category) % PALETTE.length],
    text: int(o.total),
  })),
  "chart-offers",
)}
${legend(v.categories)}
</section>`;
}

function channelSection(v: ReportView): string {
  const rows = v.channels.map((c) => {
    const o = c.optimized;
    return [
      named(c.name, c.id),
      int(o.contacts),
      money(o.expectedReturn),
      money(o.cost),
      money(o.expectedReturn - o.cost),
      pct(o.cost > 0 ? (o.expectedReturn - o.cost) / o.cost : null),
      c.adHoc ? int(c.adHoc.contacts) : "–",
      c.adHoc ? delta(o.expectedReturn - c.adHoc.expectedReturn, "money") : "–",
    ];
  });
  const t = (pick: (r: BreakdownRow) => number) => sum(v.channels, pick);
  const [ret, cost] = [t((c) => c.optimized.expectedReturn), t((c) => c.optimized.cost)];
  const withBase = v.channels.every((c) => c.adHoc);
  const total = [
    "Total",
    int(t((c) => c.optimized.contacts)),
    money(ret),
    money(cost),
    money(ret - cost),
    pct(cost > 0 ? (ret - cost) / cost : null),
    withBase ? int(t((c) => c.adHoc!.contacts)) : "–",
    withBase ? delta(ret - t((c) => c.adHoc!.expectedReturn), "money") : "–",
  ];
  const headers = [
    "channel",
    "contacts",
    "expected return",
    "cost",
    "profit",
    "ROI",
    "ad-hoc contacts",
    "return vs ad-hoc",
  ];
  return `<section id="channels"><h2>Profitability by channel</h2>
${table(headers, rows, "channels", { total })}
${channelCharts(v, withBase)}
</section>`;
}

function channelCharts(v: ReportView, withBase: boolean): string {
  const names = v.channels.map((c) => c.name);
  const row = (label: string, pick: (c: BreakdownRow) => number): StackedRow => ({
    label,
    parts: v.channels.map((c) => ({ name: c.name, value: pick(c), text: int(pick(c)) })),
    text: int(sum(v.channels, pick)),
  });
  const rows = [row("optimized", (c) => c.optimized.contacts)];
  if (withBase) rows.push(row("ad-hoc", (c) => c.adHoc!.contacts));
  const stacked = stackedChart("Contacts by channel", rows, names, "chart-channels");
  if (!withBase) return stacked;
  return `${stacked}
${barChart(
  "Expected return by channel: optimized − ad-hoc",
  v.channels.map((c) => {
    const d = c.optimized.expectedReturn - c.adHoc!.expectedReturn;
    return {
      label: c.name,
      value: d,
      color: d < 0 ? "#e53e3e" : PALETTE[2],
      text: delta(d, "money"),
    };
  }),
  "chart-channel-delta",
)}`;
}

function constraintSection(v: ReportView): string {
  const rows = v.constraints.map(({ row, label, unit }) => [
    named(label, row.name),
    amount(row.activity, unit),
    amount(row.bound, unit),
    amount(row.slack, unit),
    row.reportOnly ? "report only" : dual(row.dual, unit),
    row.binding ? "yes" : "",
  ]);
  const meanings = v.constraints.filter((c) => c.meaning);
  const priced = v.constraints.filter((c) => c.row.binding && c.row.dual);
  return `<section id="constraints"><h2>Constraint report</h2>
<p>Level, limit and marginal value of each constraint. The marginal value is the price the plan was built at: what one more unit of the limit would add to the objective, 0 where the limit does not bind. It is negative for a minimum that binds: each unit the minimum requires costs that much.</p>
${table(["constraint", "level", "limit", "slack", "marginal value", "binding"], rows, "constraints")}
${meanings.length ? `<ul class="meanings">\n${meanings.map((c) => `<li>${esc(c.meaning!)}</li>`).join("\n")}\n</ul>` : ""}
${
  priced.length
    ? barChart(
        "Marginal values of binding constraints",
        priced.map(({ row, unit }) => ({
          label: row.name,
          value: row.dual!,
          color: row.dual! < 0 ? "#e53e3e" : PALETTE[0],
          text: dual(row.dual, unit),
        })),
        "chart-duals",
      )
    : ""
}
</section>`;
}

function segmentSection(v: ReportView): string {
  const line = (s: { optimized: BreakdownRow["optimized"]; adHoc: BreakdownRow["adHoc"] }) => {
    const o = s.optimized;
    const d = s.adHoc ? o.expectedReturn - s.adHoc.expectedReturn : null;
    return [
      int(o.contacts),
      s.adHoc ? int(s.adHoc.contacts) : "–",
      money(o.expectedReturn),
      s.adHoc ? money(s.adHoc.expectedReturn) : "–",
      delta(d, "money"),
      delta(
        d !== null && s.adHoc!.expectedReturn ? d / Math.abs(s.adHoc!.expectedReturn) : null,
        "relative",
      ),
      pct(o.cost > 0 ? (o.expectedReturn - o.cost) / o.cost : null),
    ];
  };
  const rows = v.segments.map((s) => [s.name, ...line(s)]);
  const pick = (f: (b: BreakdownRow["optimized"]) => number, base: boolean) =>
    sum(v.segments, (s) => f(base ? s.adHoc! : s.optimized));
  const withBase = v.segments.every((s) => s.adHoc);
  const add = (base: boolean) => ({
    contacts: pick((b) => b.contacts, base),
    expectedReturn: pick((b) => b.expectedReturn, base),
    cost: pick((b) => b.cost, base),
  });
  const total = ["Total", ...line({ optimized: add(false), adHoc: withBase ? add(true) : null })];
  const headers = [
    "segment",
    "contacts",
    "ad-hoc contacts",
    "expected return",
    "ad-hoc return",
    "difference",
    "difference %",
    "ROI",
  ];
  return `<section id="segments"><h2>Segments against the ad-hoc plan</h2>
${table(headers, rows, "segments", { total })}
</section>`;
}

function resultsSection(r: PlanReport): string {
  if (!r.results.length) return "";
  const byOffer = r.results.filter((x) => x.level === "offer" && x.uplift !== null);
  const headers = [
    "level",
    "of",
    "treatment",
    "control",
    "treatment rate",
    "control rate",
    "uplift",
    "95 % interval",
    "predicted rate",
  ];
  const rows = r.results.map((x) => [
    x.level,
    resultKey(x),
    int(x.treatmentCustomers),
    int(x.controlCustomers),
    pct(x.treatmentResponseRate),
    pct(x.controlResponseRate),
    pct(x.uplift),
    x.upliftCiLow === null ? "–" : `${pct(x.upliftCiLow)} … ${pct(x.upliftCiHigh)}`,
    pct(x.predictedResponseRate),
  ]);
  const chart = byOffer.length
    ? barChart(
        "Uplift by offer",
        byOffer.map((x, i) => ({
          label: r.names.offers[x.offer ?? ""]?.name ?? x.offer ?? "",
          value: x.uplift!,
          color: PALETTE[i % PALETTE.length],
          text: pct(x.uplift),
        })),
        "chart-uplift",
      )
    : "";
  return `<section id="results"><h2>Measured results</h2>
<p>Response rates of contacted (treatment) and held-out (control) customers; uplift = treatment − control with its 95 % interval (Newcombe).</p>
${table(headers, rows, "results", { numericFrom: 2 })}
${chart}
</section>`;
}

const STYLE = `body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:980px;color:#1a202c;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e2e8f0}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #edf2f7;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:600;border-top:2px solid #cbd5e0}
small.id{color:#718096;font-size:.75em}figure{margin:.8rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font-size:12px;fill:#2d3748}svg text.v{fill:#4a5568}.note{color:#9c4221}
dl.header{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;color:#2d3748}dl.header dt{font-weight:600}dl.header dd{margin:0}
.legend span{margin-right:1rem}.legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
@media print{section{break-inside:avoid}body{margin:0 auto}}`;

export function renderHtml(r: PlanReport): string {
  const v = reportView(r);
  const title = `Plan ${r.id}: ${r.constraintSetName} v${r.constraintSetVersion}`;
  const body = r.kpis
    ? [
        kpiSection(r, v),
        frequencySection(v),
        channelSection(v),
        constraintSection(v),
        segmentSection(v),
        resultsSection(r),
      ].join("\n")
    : `<p class="note">This plan has no results${r.error ? `: ${esc(r.error)}` : ""}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(title)}</title>
<style>
${STYLE}
</style></head>
<body>
<h1>${esc(title)}</h1>
${headerHtml(r)}
${body}
</body></html>
`;
}
