// A campaign's measured results from per-cell counts: response rate and revenue per customer in
// treatment and control, the uplift with its 95 % interval, and predicted against actual, for the
// plan as a whole, per segment, per offer, per channel and per segment × offer × channel cell.
//
// The unit is an assignment (a customer × offer the plan chose): with one offer per customer,
// as in the paper's case, that is a customer. An assignment without a response row counts as
// "did not respond, no revenue" (a response file lists what happened; silence is no response).
import { newcombeDifference, rate } from "./stats";

export interface GroupCounts {
  /** assignments in the group */
  customers: number;
  responders: number;
  revenue: number;
}

/** One segment × offer × channel cell of a plan, as counted from its assignments and responses. */
export interface ResultCell {
  /** null = customers without a segment */
  segment: string | null;
  offer: string;
  channel: string;
  treatment: GroupCounts;
  control: GroupCounts;
  /** Σ predicted response probability over the treatment assignments that have one */
  predictedSum: number;
  /** how many treatment assignments have a predicted probability */
  predictedCount: number;
}

export type ResultLevel = "total" | "segment" | "offer" | "channel" | "cell";

export interface GroupResult extends GroupCounts {
  /** responders / customers; null for an empty group */
  responseRate: number | null;
  revenuePerCustomer: number | null;
}

export interface ResultRow {
  level: ResultLevel;
  /** null on the levels that do not split by segment, and for customers without a segment */
  segment: string | null;
  offer: string | null;
  channel: string | null;
  treatment: GroupResult;
  control: GroupResult;
  /** treatment − control response rate; null when either group is empty */
  uplift: number | null;
  upliftCiLow: number | null;
  upliftCiHigh: number | null;
  /** treatment − control revenue per customer */
  revenueUpliftPerCustomer: number | null;
  /** mean predicted response probability of the treatment assignments */
  predictedResponseRate: number | null;
  /** treatment response rate / predicted response rate (1 = the scores were calibrated) */
  actualToPredicted: number | null;
}

export interface PlanResultRows {
  total: ResultRow;
  bySegment: ResultRow[];
  byOffer: ResultRow[];
  byChannel: ResultRow[];
  cells: ResultRow[];
}

interface Sum {
  treatment: GroupCounts;
  control: GroupCounts;
  predictedSum: number;
  predictedCount: number;
}

const emptySum = (): Sum => ({
  treatment: { customers: 0, responders: 0, revenue: 0 },
  control: { customers: 0, responders: 0, revenue: 0 },
  predictedSum: 0,
  predictedCount: 0,
});

function add(into: Sum, c: Sum): void {
  for (const g of ["treatment", "control"] as const) {
    into[g].customers += c[g].customers;
    into[g].responders += c[g].responders;
    into[g].revenue += c[g].revenue;
  }
  into.predictedSum += c.predictedSum;
  into.predictedCount += c.predictedCount;
}

function group(g: GroupCounts): GroupResult {
  return {
    ...g,
    responseRate: rate(g.responders, g.customers),
    revenuePerCustomer: rate(g.revenue, g.customers),
  };
}

export function resultRow(
  level: ResultLevel,
  key: { segment: string | null; offer: string | null; channel: string | null },
  s: Sum,
): ResultRow {
  const t = group(s.treatment);
  const c = group(s.control);
  const diff = newcombeDifference(
    s.treatment.responders,
    s.treatment.customers,
    s.control.responders,
    s.control.customers,
  );
  const predicted = rate(s.predictedSum, s.predictedCount);
  return {
    level,
    ...key,
    treatment: t,
    control: c,
    uplift: diff?.estimate ?? null,
    upliftCiLow: diff?.low ?? null,
    upliftCiHigh: diff?.high ?? null,
    revenueUpliftPerCustomer:
      t.revenuePerCustomer !== null && c.revenuePerCustomer !== null
        ? t.revenuePerCustomer - c.revenuePerCustomer
        : null,
    predictedResponseRate: predicted,
    actualToPredicted:
      predicted !== null && predicted > 0 && t.responseRate !== null
        ? t.responseRate / predicted
        : null,
  };
}

const byKey = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Every level of a plan's results from its cells; rows sorted by their keys (null last). */
export function measure(cells: readonly ResultCell[]): PlanResultRows {
  const total = emptySum();
  const levels = {
    segment: new Map<string | null, Sum>(),
    offer: new Map<string | null, Sum>(),
    channel: new Map<string | null, Sum>(),
  };
  const rows: ResultRow[] = [];
  for (const cell of cells) {
    add(total, cell);
    for (const level of ["segment", "offer", "channel"] as const) {
      const k = cell[level];
      let s = levels[level].get(k);
      if (!s) levels[level].set(k, (s = emptySum()));
      add(s, cell);
    }
    rows.push(
      resultRow("cell", { segment: cell.segment, offer: cell.offer, channel: cell.channel }, cell),
    );
  }
  const level = (name: "segment" | "offer" | "channel") =>
    [...levels[name].entries()]
      .sort(([a], [b]) => byKey(a, b))
      .map(([k, s]) =>
        resultRow(
          name,
          {
            segment: name === "segment" ? k : null,
            offer: name === "offer" ? k : null,
            channel: name === "channel" ? k : null,
          },
          s,
        ),
      );
  return {
    total: resultRow("total", { segment: null, offer: null, channel: null }, total),
    bySegment: level("segment"),
    byOffer: level("offer"),
    byChannel: level("channel"),
    cells: rows.sort(
      (a, b) =>
        byKey(a.segment, b.segment) || byKey(a.offer, b.offer) || byKey(a.channel, b.channel),
    ),
  };
}
