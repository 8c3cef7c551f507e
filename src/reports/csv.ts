// The plan report as one tidy CSV (section, key, metric, value): every number of the report in
// one file that a spreadsheet pivot or a BI tool reads without parsing several tables.
import type { PlanReport } from "../services/plan-report";
import { csvField, neutraliseText } from "./csv-cells";
import { baselineOf, resultKey } from "./shape";

export interface CsvOptions {
  /** write text cells as they are, for machine consumers (no formula neutralisation) */
  rawCsv?: boolean;
}

type Metrics = Record<string, number | string | null | undefined>;
/** one CSV line per metric: [section, key, metrics] */
type Entry = [string, string, Metrics];

export function renderCsv(r: PlanReport, opts: CsvOptions = {}): string {
  // strings are names and ids (text); numbers are ours and go out as numbers
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return csvField(String(v));
    return csvField(opts.rawCsv ? v : neutraliseText(v));
  };
  const rows: (string | number | null | undefined)[][] = [["section", "key", "metric", "value"]];
  for (const [section, key, metrics] of [...planEntries(r), ...tableEntries(r)]) {
    for (const [metric, value] of Object.entries(metrics)) rows.push([section, key, metric, value]);
  }
  return rows.map((row) => row.map(cell).join(",")).join("\n") + "\n";
}

/** Contacts, expected return and cost, as every breakdown of the plan starts. */
const totals = (x: { contacts: number; expectedReturn: number; cost: number }): Metrics => ({
  contacts: x.contacts,
  expected_return: x.expectedReturn,
  cost: x.cost,
});

/** The plan itself and its KPIs, optimised and baseline. */
function planEntries(r: PlanReport): Entry[] {
  const out: Entry[] = [
    [
      "plan",
      String(r.id),
      {
        constraint_set: r.constraintSetName,
        constraint_set_version: r.constraintSetVersion,
        method: r.method,
        status: r.status,
        dataset_revision: r.provenance.datasetRevision,
        history_revision: r.provenance.historyRevision,
        fingerprint: r.provenance.fingerprint,
        software_version: r.provenance.stored?.softwareVersion,
        stale: r.provenance.stale,
      },
    ],
  ];
  if (!r.kpis) return out;
  const k = r.kpis as Record<string, number | null | undefined>;
  out.push([
    "kpis",
    "optimized",
    {
      expected_return: k.expectedReturn,
      cost: k.cost,
      roi: k.cost ? k.roi : null,
      contacts: k.contacts,
      upper_bound: k.upperBound,
      gap: k.gap,
    },
  ]);
  const b = baselineOf(r);
  if (b) {
    out.push([
      "kpis",
      "baseline",
      { expected_return: b.expectedReturn, cost: b.cost, roi: b.roi, contacts: b.contacts },
    ]);
  }
  return out;
}

/** The report's tables, a line per row. */
function tableEntries(r: PlanReport): Entry[] {
  return [
    ...r.offerChannel.map((c): Entry => [
      "offer_channel_frequency",
      `${c.offer}/${c.channel}`,
      totals(c),
    ]),
    ...r.channels.map((c): Entry => [
      "channel_profitability",
      c.channel,
      { ...totals(c), profit: c.profit, roi: c.roi },
    ]),
    ...r.constraintReport.map((c): Entry => [
      "constraint_report",
      c.name,
      {
        kind: c.kind,
        level: c.activity,
        bound: c.bound,
        slack: c.slack,
        marginal_value: c.dual,
        cluster_lp_dual: c.clusterLpDual ?? null,
        binding: c.binding ? "true" : "false",
      },
    ]),
    ...r.segments.map((s): Entry => [
      "segment_summary",
      s.segment ?? "",
      { ...totals(s), roi: s.roi },
    ]),
    ...r.results.map((x): Entry => [
      "results",
      `${x.level}:${resultKey(x)}`,
      {
        treatment_customers: x.treatmentCustomers,
        control_customers: x.controlCustomers,
        treatment_response_rate: x.treatmentResponseRate,
        control_response_rate: x.controlResponseRate,
        uplift: x.uplift,
        uplift_ci_low: x.upliftCiLow,
        uplift_ci_high: x.upliftCiHigh,
        predicted_response_rate: x.predictedResponseRate,
        treatment_revenue_per_customer: x.treatmentRevenuePerCustomer,
      },
    ]),
  ];
}
