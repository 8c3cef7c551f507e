// KPIs, the constraint report and the violation list of a plan. This file is the single source of
// truth for feasibility: every method's result and every test is checked here, so it is written
// plainly from the definitions (one pass over the options) and shares nothing with the solvers'
// row representation (coupling.ts) but the rows' names (row-names.ts).

import type { Instance, PlanConstraints } from "./instance";
import {
  BUDGET_ROW,
  capacityRowName,
  DISTINCT_OFFERS_ROW,
  HURDLE_ROW,
  offerMaxRowName,
  offerMinRowName,
  OFFERS_PER_CUSTOMER_ROW,
} from "./row-names";
import { policyRows, type PolicyRow } from "./policy-report";
import type { Breakdown, ConstraintReportRow, Kpis, Violation } from "./types";
import { NEVER, type StopCheck } from "./stop";

/** relative tolerance of violations(): |excess| ≤ REL_TOL · max(1, |activity|, |bound|) */
export const REL_TOL = 1e-9;

interface Tally {
  ret: number;
  cost: number;
  contacts: number;
  customersContacted: number;
  byChannel: Float64Array;
  byOffer: Float64Array;
  bySegment: Float64Array;
  /** return and cost per channel, and per segment with customers without one last */
  channelReturn: Float64Array;
  channelCost: Float64Array;
  segmentContacts: Float64Array;
  segmentReturn: Float64Array;
  segmentCost: Float64Array;
  ruleMatch: Float64Array;
  maxPerCustomer: number;
  repeatedOffers: number;
  /** Σ |r − (1+h)c| over contacts, for the hurdle's "one contact's worth" */
  hurdleAbs: number;
  minCost: number;
}

function tally(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  stop: StopCheck = NEVER,
): Tally {
  const nOpt = inst.optOffer.length;
  if (selected.length !== nOpt) {
    throw new Error(`selected has ${selected.length} entries, the instance ${nOpt} options`);
  }
  const h = cons.hurdleRate ?? 0;
  const t: Tally = {
    ret: 0,
    cost: 0,
    contacts: 0,
    customersContacted: 0,
    byChannel: new Float64Array(inst.channelIds.length),
    byOffer: new Float64Array(inst.offerIds.length),
    bySegment: new Float64Array(inst.segments.length),
    channelReturn: new Float64Array(inst.channelIds.length),
    channelCost: new Float64Array(inst.channelIds.length),
    segmentContacts: new Float64Array(inst.segments.length + 1),
    segmentReturn: new Float64Array(inst.segments.length + 1),
    segmentCost: new Float64Array(inst.segments.length + 1),
    ruleMatch: new Float64Array(cons.segmentRules.length),
    maxPerCustomer: 0,
    repeatedOffers: 0,
    hurdleAbs: 0,
    minCost: Infinity,
  };
  const lastSeen = new Int32Array(inst.offerIds.length).fill(-1);
  const rules = cons.segmentRules;
  for (let i = 0; i < inst.numCustomers; i++) {
    stop.every(i);
    const seg = inst.customerSegment[i];
    let n = 0;
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      const c = inst.optCost[p];
      if (c > 0 && c < t.minCost) t.minCost = c;
      if (!selected[p]) continue;
      const o = inst.optOffer[p];
      const k = inst.optChannel[p];
      const r = inst.optReturn[p];
      n++;
      t.ret += r;
      t.cost += c;
      t.hurdleAbs += Math.abs(r - (1 + h) * c);
      t.byChannel[k]++;
      t.channelReturn[k] += r;
      t.channelCost[k] += c;
      t.byOffer[o]++;
      const s = seg >= 0 ? seg : inst.segments.length;
      t.segmentContacts[s]++;
      t.segmentReturn[s] += r;
      t.segmentCost[s] += c;
      if (lastSeen[o] === i) t.repeatedOffers++;
      lastSeen[o] = i;
      if (seg >= 0) {
        t.bySegment[seg]++;
        for (let q = 0; q < rules.length; q++) {
          const rule = rules[q];
          if (rule.segment !== seg) continue;
          if (rule.offer >= 0 && rule.offer !== o) continue;
          if (rule.channel >= 0 && rule.channel !== (cons.channelFamily?.[k] ?? k)) continue;
          t.ruleMatch[q]++;
        }
      }
    }
    t.contacts += n;
    if (n > 0) t.customersContacted++;
    if (n > t.maxPerCustomer) t.maxPerCustomer = n;
  }
  return t;
}

function kpisOf(inst: Instance, t: Tally): Kpis {
  const byChannel: Record<string, number> = {};
  inst.channelIds.forEach((id, k) => (byChannel[id] = t.byChannel[k]));
  const byOffer: Record<string, number> = {};
  inst.offerIds.forEach((id, o) => (byOffer[id] = t.byOffer[o]));
  const money: Record<string, Breakdown> = {};
  inst.channelIds.forEach(
    (id, k) =>
      (money[id] = {
        contacts: t.byChannel[k],
        expectedReturn: t.channelReturn[k],
        cost: t.channelCost[k],
      }),
  );
  const bySegment: Record<string, Breakdown> = {};
  [...inst.segments, ""].forEach((name, s) => {
    if (t.segmentContacts[s] > 0)
      bySegment[name] = {
        contacts: t.segmentContacts[s],
        expectedReturn: t.segmentReturn[s],
        cost: t.segmentCost[s],
      };
  });
  return {
    expectedReturn: t.ret,
    cost: t.cost,
    roi: t.cost > 0 ? (t.ret - t.cost) / t.cost : 0,
    contacts: t.contacts,
    customersContacted: t.customersContacted,
    contactsByChannel: byChannel,
    contactsByOffer: byOffer,
    byChannel: money,
    bySegment,
  };
}

export function computeKpis(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  stop: StopCheck = NEVER,
): Kpis {
  return kpisOf(inst, tally(inst, cons, selected, stop));
}

/** The objective's value of a plan with these KPIs. */
export function objectiveOf(kpis: Kpis, objective: PlanConstraints["objective"]): number {
  return objective === "ROMI" ? kpis.roi : kpis.expectedReturn;
}

/**
 * A row as the report judges it, the policies' rows (policy-report.ts) among them. Its unit is one
 * unit of the row: one contact, or the cheapest option's cost for the budget.
 */
type RawRow = Omit<PolicyRow, "reportOnly"> & { reportOnly?: boolean };

function rawRows(inst: Instance, cons: PlanConstraints, t: Tally, selected: Uint8Array): RawRow[] {
  const rows: RawRow[] = [];
  if (Number.isFinite(cons.budget)) {
    const unit = Number.isFinite(t.minCost) ? t.minCost : 0;
    rows.push({
      name: BUDGET_ROW,
      kind: "budget",
      sense: "LE",
      activity: t.cost,
      bound: cons.budget,
      unit,
    });
  }
  if (cons.hurdleRate !== null) {
    const unit = t.contacts > 0 ? t.hurdleAbs / t.contacts : 0;
    rows.push({
      name: HURDLE_ROW,
      kind: "hurdle",
      sense: "GE",
      activity: t.ret,
      bound: (1 + cons.hurdleRate) * t.cost,
      unit,
    });
  }
  inst.channelIds.forEach((id, k) => {
    const cap = cons.channelCapacity[k];
    if (Number.isFinite(cap)) {
      rows.push({
        name: capacityRowName(id),
        kind: "capacity",
        sense: "LE",
        activity: t.byChannel[k],
        bound: cap,
        unit: 1,
      });
    }
  });
  inst.offerIds.forEach((id, o) => {
    if (cons.offerMin[o] > 0) {
      rows.push({
        name: offerMinRowName(id),
        kind: "offer_min",
        sense: "GE",
        activity: t.byOffer[o],
        bound: cons.offerMin[o],
        unit: 1,
      });
    }
  });
  inst.offerIds.forEach((id, o) => {
    if (Number.isFinite(cons.offerMax[o])) {
      rows.push({
        name: offerMaxRowName(id),
        kind: "offer_max",
        sense: "LE",
        activity: t.byOffer[o],
        bound: cons.offerMax[o],
        unit: 1,
      });
    }
  });
  cons.segmentRules.forEach((rule, q) => {
    if (rule.max !== null) {
      rows.push({
        name: rule.name,
        kind: "segment_max",
        sense: "LE",
        activity: t.ruleMatch[q],
        bound: rule.max,
        unit: 1,
      });
    }
    if (rule.minShare !== null) {
      const total = rule.segment >= 0 ? t.bySegment[rule.segment] : 0;
      rows.push({
        name: rule.name,
        kind: "segment_min_share",
        sense: "GE",
        activity: t.ruleMatch[q],
        bound: rule.minShare * total,
        unit: 1,
      });
    }
  });
  if (cons.policies && cons.policies.length > 0) rows.push(...policyRows(inst, cons, selected));
  rows.push({
    name: OFFERS_PER_CUSTOMER_ROW,
    kind: "offers_per_customer",
    sense: "LE",
    activity: t.maxPerCustomer,
    bound: cons.maxOffersPerCustomer,
    unit: 1,
  });
  return rows;
}

function slackOf(row: RawRow): number {
  return row.sense === "LE" ? row.bound - row.activity : row.activity - row.bound;
}

function tolerance(row: { activity: number; bound: number }): number {
  return REL_TOL * Math.max(1, Math.abs(row.activity), Math.abs(row.bound));
}

/**
 * A plan built at prices fills a priced row only to within a few contacts of its bound (customers
 * are whole; the last ones that would fit are nearly tied). Measured on a 100k-customer plan: the
 * call centre at 19,995 of 20,000, priced 0.27 a contact. Slack within this share of the bound
 * still counts as binding, so such a row keeps the price the plan was built at.
 */
export const BINDING_SHARE = 1e-3;

/**
 * The one binding tolerance: a row binds when its slack is less than one unit of the row (one
 * contact; for the budget the cheapest option's cost; for the hurdle the mean hurdle margin of a
 * contact) or BINDING_SHARE of its bound, whichever is larger. Per-customer rules bind when some
 * customer is at the rule's limit.
 */
function bindingTolerance(row: RawRow): number {
  return Math.max(row.unit, BINDING_SHARE * Math.abs(row.bound), tolerance(row));
}

/**
 * One row per constraint in a fixed order (budget, hurdle, capacities, offer minimums, offer
 * maximums, segment rules, offers per customer). `duals` maps a row name to its dual value.
 */
export function constraintReport(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  duals?: ReadonlyMap<string, number>,
): ConstraintReportRow[] {
  return reportOf(inst, cons, tally(inst, cons, selected), selected, duals);
}

function reportOf(
  inst: Instance,
  cons: PlanConstraints,
  t: Tally,
  selected: Uint8Array,
  duals?: ReadonlyMap<string, number>,
): ConstraintReportRow[] {
  return rawRows(inst, cons, t, selected).map((row) => {
    const slack = slackOf(row);
    const perCustomer =
      row.kind === "offers_per_customer" ||
      row.kind === "fatigue" ||
      row.kind === "mutual_exclusion" ||
      row.kind === "household";
    const binding =
      !row.reportOnly && (perCustomer ? row.activity >= row.bound : slack < bindingTolerance(row));
    const price = row.reportOnly ? null : (duals?.get(row.name) ?? null);
    const out: ConstraintReportRow = {
      name: row.name,
      kind: row.kind,
      sense: row.sense,
      activity: row.activity,
      bound: row.bound,
      slack,
      // a bound the plan does not reach is worth nothing at the margin (complementary slackness)
      dual: price === null ? null : binding ? price : 0,
      binding,
    };
    if (row.reportOnly) out.reportOnly = true;
    return out;
  });
}

/** Every violated constraint (beyond REL_TOL), plus repeated offers; empty = feasible. */
export function violations(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
): Violation[] {
  return violationsOf(inst, cons, tally(inst, cons, selected), selected);
}

function violationsOf(
  inst: Instance,
  cons: PlanConstraints,
  t: Tally,
  selected: Uint8Array,
): Violation[] {
  const out: Violation[] = [];
  for (const row of rawRows(inst, cons, t, selected)) {
    if (row.reportOnly) continue;
    const excess = row.excess ?? -slackOf(row);
    if (excess > tolerance(row)) {
      out.push({
        name: row.name,
        kind: row.kind,
        sense: row.sense,
        activity: row.activity,
        bound: row.bound,
        excess,
      });
    }
  }
  if (t.repeatedOffers > 0) {
    out.push({
      name: DISTINCT_OFFERS_ROW,
      kind: "distinct_offers",
      sense: "LE",
      activity: t.repeatedOffers,
      bound: 0,
      excess: t.repeatedOffers,
    });
  }
  return out;
}

/** KPIs and report in one pass, for callers that need both. */
export function evaluatePlan(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  duals?: ReadonlyMap<string, number>,
  stop: StopCheck = NEVER,
): { kpis: Kpis; constraintReport: ConstraintReportRow[]; violations: Violation[] } {
  const t = tally(inst, cons, selected, stop);
  stop.poll();
  const constraintReport = reportOf(inst, cons, t, selected, duals);
  stop.poll();
  const violations = violationsOf(inst, cons, t, selected);
  stop.poll();
  return { kpis: kpisOf(inst, t), constraintReport, violations };
}
