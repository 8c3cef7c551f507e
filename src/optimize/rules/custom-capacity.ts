// Custom capacity: the sum, or the average, of a measure over the chosen contacts matching the
// filter, bounded above and/or below. An ordinary coupling row with a per-option coefficient
// (coupling.ts), priced by the LP and the Lagrangian like the budget; a customer without a value
// for the measure cannot take the options it bounds. Report rows: the sum or the average.
import { cellMask, customRowName, filterFits, matches, measureOf } from "../option-filter";
import type { ExtraRowSpec } from "../policies";
import type { CustomCapacityPolicy, PolicyKind } from "../policy-types";
import type { PolicyRow } from "../policy-report";
import type { Chosen, RuleKind } from "../rule-kinds";
import type { Instance } from "../instance";
import type { Sense } from "../types";
import type { StopCheck } from "../stop";
import { forbidCells } from "./common";

export const customCapacity: RuleKind<CustomCapacityPolicy> = {
  kind: "custom_capacity",
  check(p, inst) {
    if (!filterFits(p.filter, inst)) return "filter length";
    if (
      p.field === null &&
      (p.customerValue === null || p.customerValue.length !== inst.numCustomers)
    ) {
      return "customerValue length";
    }
    return p.max === null && p.min === null ? "neither max nor min" : null;
  },
  forbid(p, c) {
    const value = p.customerValue;
    if (value === null) return;
    const cells = cellMask(p.filter, c.O, c.K);
    for (let i = 0; i < c.n; i++) {
      c.stop.every(i);
      if (Number.isNaN(value[i])) forbidCells(c, i, cells);
    }
  },
  rows: customRows,
  report: customReport,
  reportDuals(p, inst, selected, duals) {
    // an average's row Σ (a − b)·x ≤ 0 moves by the matching contacts N when b moves by 1, so
    // d objective / d b = N × the row's dual
    if (p.aggregate !== "AVERAGE") return;
    let n = 0;
    for (let i = 0; i < inst.numCustomers; i++) {
      for (let q = inst.custStart[i]; q < inst.custStart[i + 1]; q++) {
        if (selected[q] && matches(p.filter, inst.optOffer[q], inst.optChannel[q])) n++;
      }
    }
    for (const name of [p.name, `${p.name}:max`, `${p.name}:min`]) {
      const d = duals.get(name);
      if (d !== undefined) duals.set(name, d * n + 0);
    }
  },
};

function customRows(pol: CustomCapacityPolicy, inst: Instance, stop: StopCheck): ExtraRowSpec[] {
  const out: ExtraRowSpec[] = [];
  const n = inst.numCustomers;
  const nOpt = inst.optOffer.length;
  const raw = new Float64Array(nOpt);
  const inClass = new Uint8Array(nOpt);
  const cells = cellMask(pol.filter, inst.offerIds.length, inst.channelIds.length);
  const K = inst.channelIds.length;
  const value = pol.customerValue;
  for (let i = 0; i < n; i++) {
    stop.every(i);
    const vi = value === null ? 0 : value[i];
    for (let q = inst.custStart[i]; q < inst.custStart[i + 1]; q++) {
      if (!cells[inst.optOffer[q] * K + inst.optChannel[q]]) continue;
      const v =
        pol.field === "expectedReturn"
          ? inst.optReturn[q]
          : pol.field === "cost"
            ? inst.optCost[q]
            : pol.field === "contacts"
              ? 1
              : vi;
      if (Number.isNaN(v)) continue; // blocked (forbid)
      raw[q] = v;
      inClass[q] = 1;
    }
  }
  const row = (side: "max" | "min", bound: number) => {
    // average ≤ b  ⇔  Σ (a − b)·x ≤ 0 over the matching contacts
    const coef = new Float64Array(nOpt);
    for (let q = 0; q < nOpt; q++) {
      if (inClass[q]) coef[q] = pol.aggregate === "AVERAGE" ? raw[q] - bound : raw[q];
    }
    out.push({
      name: customRowName(pol, side),
      sense: side === "max" ? "LE" : "GE",
      rhs: pol.aggregate === "AVERAGE" ? 0 : bound,
      coef,
    });
  };
  if (pol.max !== null) row("max", pol.max);
  if (pol.min !== null) row("min", pol.min);
  return out;
}

function customReport(pol: CustomCapacityPolicy, inst: Instance, ch: Chosen): PolicyRow[] {
  const K = inst.channelIds.length;
  const cells = cellMask(pol.filter, inst.offerIds.length, K);
  let sum = 0;
  let abs = 0;
  let cnt = 0;
  for (let t = 0; t < ch.n; t++) {
    const p = ch.opt[t];
    if (!cells[inst.optOffer[p] * K + inst.optChannel[p]]) continue;
    const v = measureOf(pol, inst, ch.cust[t], p);
    if (Number.isNaN(v)) continue; // only a report-only rule lets such a contact through
    sum += v;
    abs += Math.abs(v);
    cnt++;
  }
  const kind: PolicyKind = pol.kind;
  const base = { kind, reportOnly: pol.reportOnly } as const;
  const side = (s: "max" | "min", bound: number): PolicyRow => {
    const sense: Sense = s === "max" ? "LE" : "GE";
    const sign = s === "max" ? 1 : -1;
    const name = customRowName(pol, s);
    if (pol.aggregate === "SUM") {
      return { ...base, name, sense, activity: sum, bound, unit: cnt > 0 ? abs / cnt : 1 };
    }
    // an average over no contacts holds any bound (the row Σ (a − b)·x is 0)
    const avg = cnt > 0 ? sum / cnt : bound;
    return {
      ...base,
      name,
      sense,
      activity: avg,
      bound,
      unit: cnt > 0 ? Math.max(abs / cnt, 1e-9) / cnt : 1,
      excess: cnt > 0 ? (sign * (sum - bound * cnt)) / cnt : 0,
    };
  };
  const rows: PolicyRow[] = [];
  if (pol.max !== null) rows.push(side("max", pol.max));
  if (pol.min !== null) rows.push(side("min", pol.min));
  return rows;
}
