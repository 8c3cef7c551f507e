// Strategic analyses over one loaded instance: the budget frontier, a capacity sweep for one
// channel, and what each offer minimum costs. Each point is a full optimisation, warm-started
// from the previous one (same clusters, earlier duals as starting prices), so a 10-point frontier
// costs little more than the clustering plus ten LP solves and disaggregations.
import { evaluatePlan, objectiveOf } from "./evaluate";
import type { PlanConstraints } from "./instance";
import type { Instance } from "./instance";
import { optimize } from "./optimize";
import { stopCheck } from "./stop";
import type { ConstraintReportRow, Disaggregation, Method, PlanResult } from "./types";

export interface AnalysisOptions {
  method: Method;
  clusters?: number;
  disaggregation?: Disaggregation;
  seed?: number;
  /** called after each point with (done, total) */
  onPoint?: (done: number, total: number) => void;
  /** asked inside every point's optimisation and between points (OptimizeOptions.shouldStop) */
  shouldStop?: () => boolean;
}

export interface AnalysisPoint {
  /** what was varied, e.g. "budget 400000", "capacity:branch 2000", "without offer_min:inv_resp" */
  label: string;
  /** the varied quantity's value (budget, capacity); null for a without-minimum point */
  parameter: number | null;
  value: number;
  expectedReturn: number;
  cost: number;
  roi: number;
  contacts: number;
  upperBound: number | null;
  gap: number | null;
  /** the dual of the varied constraint at this point (null when not priced) */
  dual: number | null;
  /** return gained per unit of the parameter since the previous point */
  marginalReturn: number | null;
  /** budget frontier: the next dollar returns less than 1 + hurdle rate (1 without a hurdle) */
  belowHurdle: boolean | null;
  constraintReport: ConstraintReportRow[];
}

interface Solved {
  result: PlanResult;
  selected: Uint8Array;
}

async function solve(
  inst: Instance,
  cons: PlanConstraints,
  opts: AnalysisOptions,
  warm: PlanResult | undefined,
): Promise<PlanResult> {
  return optimize(inst, cons, {
    method: opts.method,
    clusters: opts.clusters,
    disaggregation: opts.disaggregation,
    seed: opts.seed,
    shouldStop: opts.shouldStop,
    baseline: false,
    reuse: warm
      ? {
          membership: warm.membership,
          clusters: warm.clusters,
          featureNames: warm.featureNames,
          constraintReport: warm.constraintReport,
        }
      : undefined,
  });
}

function point(
  label: string,
  parameter: number | null,
  r: PlanResult,
  dualName: string | null,
): AnalysisPoint {
  return {
    label,
    parameter,
    value: r.value,
    expectedReturn: r.kpis.expectedReturn,
    cost: r.kpis.cost,
    roi: r.kpis.roi,
    contacts: r.kpis.contacts,
    upperBound: r.upperBound ?? null,
    gap: r.gap ?? null,
    dual: dualName ? (r.constraintReport.find((c) => c.name === dualName)?.dual ?? null) : null,
    marginalReturn: null,
    belowHurdle: null,
    constraintReport: r.constraintReport,
  };
}

/** A report's duals by row name; undefined when the method priced nothing (GREEDY). */
function pricesOf(report: ConstraintReportRow[]): Map<string, number> | undefined {
  const prices = new Map<string, number>();
  for (const row of report) if (row.dual !== null) prices.set(row.name, row.dual);
  return prices.size > 0 ? prices : undefined;
}

/**
 * Points along an increasing series of limits for one "≤" constraint (budget or a capacity).
 * Raising such a limit keeps every earlier plan feasible, so a point never reports less than the
 * point before it: when a heuristic run lands lower, the earlier plan is kept (re-evaluated
 * against the new limits). The frontier is then monotone, as the true optimum is.
 */
async function sweep(
  inst: Instance,
  base: PlanConstraints,
  limits: number[],
  withLimit: (cons: PlanConstraints, limit: number) => PlanConstraints,
  labelOf: (limit: number) => string,
  dualName: string,
  opts: AnalysisOptions,
): Promise<AnalysisPoint[]> {
  const sorted = [...limits].sort((a, b) => a - b);
  const points: AnalysisPoint[] = [];
  let prev: Solved | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const limit = sorted[i]!;
    const cons = withLimit(base, limit);
    const stop = stopCheck(opts.shouldStop);
    stop.poll();
    const result = await solve(inst, cons, opts, prev?.result);
    let chosen: Solved = { result, selected: result.selected };
    if (prev && result.value < prev.result.value) {
      // The earlier plan's own prices describe it, not this run's (built for another plan);
      // evaluate.ts zeroes the varied row's where the higher limit leaves it room.
      const earlier = prev.result.constraintReport;
      const kept = evaluatePlan(inst, cons, prev.selected, pricesOf(earlier), stop);
      if (kept.violations.length === 0)
        chosen = {
          selected: prev.selected,
          result: {
            ...result,
            selected: prev.selected,
            kpis: kept.kpis,
            value: objectiveOf(kept.kpis, cons.objective),
            // the bound stays this run's
            constraintReport: kept.constraintReport.map((row) => {
              const lp = earlier.find((c) => c.name === row.name)?.clusterLpDual;
              return lp === undefined ? row : { ...row, clusterLpDual: lp };
            }),
          },
        };
    }
    const p = point(labelOf(limit), limit, chosen.result, dualName);
    if (i > 0 && limit > sorted[i - 1]!)
      p.marginalReturn =
        (p.expectedReturn - points[i - 1]!.expectedReturn) / (limit - sorted[i - 1]!);
    points.push(p);
    prev = chosen;
    opts.onPoint?.(i + 1, sorted.length);
  }
  return points;
}

/** The paper's budget-allocation analysis: the plan at each budget. */
export async function budgetFrontier(
  inst: Instance,
  base: PlanConstraints,
  budgets: number[],
  opts: AnalysisOptions,
): Promise<AnalysisPoint[]> {
  if (budgets.length === 0 || budgets.some((b) => !(b >= 0) || !Number.isFinite(b)))
    throw new RangeError("budgets must be finite numbers >= 0");
  const points = await sweep(
    inst,
    base,
    budgets,
    (cons, budget) => ({ ...cons, budget }),
    (b) => `budget ${b}`,
    "budget",
    opts,
  );
  // Spending one more dollar is worth it while it returns at least the hurdle (break-even: 1).
  // The budget's dual is the return of the next dollar at that point; the finite difference to
  // the previous point stands in when the method priced nothing (GREEDY).
  const hurdle = 1 + (base.hurdleRate ?? 0);
  for (const p of points) {
    const marginal = p.dual ?? p.marginalReturn;
    p.belowHurdle = marginal === null ? null : marginal < hurdle;
  }
  return points;
}

/** Capacity planning for one channel: the plan and the capacity's dual at each capacity. */
export async function capacitySweep(
  inst: Instance,
  base: PlanConstraints,
  channel: number,
  capacities: number[],
  opts: AnalysisOptions,
): Promise<AnalysisPoint[]> {
  const id = inst.channelIds[channel];
  if (id === undefined) throw new RangeError(`no channel ${channel}`);
  if (capacities.length === 0 || capacities.some((c) => !(c >= 0) || !Number.isFinite(c)))
    throw new RangeError("capacities must be finite numbers >= 0");
  return sweep(
    inst,
    base,
    capacities,
    (cons, capacity) => {
      const channelCapacity = Float64Array.from(cons.channelCapacity);
      channelCapacity[channel] = capacity;
      return { ...cons, channelCapacity };
    },
    (c) => `capacity:${id} ${c}`,
    `capacity:${id}`,
    opts,
  );
}

/**
 * What each offer's minimum volume costs: the plan with every minimum, then, for each offer with
 * a minimum, the plan without it. The first point is the base plan; each other point's
 * marginalReturn is its gain over the base (the minimum's cost in the objective). A minimum that
 * does not bind in the base plan costs exactly 0 and its point is the base plan (see
 * minimumBinds).
 */
export async function offerMinimumCosts(
  inst: Instance,
  base: PlanConstraints,
  opts: AnalysisOptions,
): Promise<AnalysisPoint[]> {
  const offers = [...base.offerMin.keys()].filter((o) => base.offerMin[o]! > 0);
  const total = offers.length + 1;
  const baseResult = await solve(inst, base, opts, undefined);
  const first = point("all minimums", null, baseResult, null);
  const points = [first];
  opts.onPoint?.(1, total);
  for (const [n, o] of offers.entries()) {
    const name = `offer_min:${inst.offerIds[o]}`;
    const row = baseResult.constraintReport.find((c) => c.name === name);
    if (row && !row.binding) {
      // The plan clears the minimum by at least a contact, so it forces nobody in: dropping it
      // changes nothing at the margin, and a re-run would only add the heuristics' noise.
      const p = point(`without ${name}`, base.offerMin[o]!, baseResult, null);
      p.dual = row.dual === null ? null : 0;
      p.marginalReturn = 0;
      points.push(p);
      opts.onPoint?.(n + 2, total);
      continue;
    }
    stopCheck(opts.shouldStop).poll();
    const offerMin = Float64Array.from(base.offerMin);
    offerMin[o] = 0;
    const r = await solve(inst, { ...base, offerMin }, opts, baseResult);
    const p = point(`without ${name}`, base.offerMin[o]!, r, null);
    p.dual = row?.dual ?? null;
    // Dropping a minimum can only widen the feasible set; a heuristic landing lower keeps the base.
    p.marginalReturn = Math.max(0, p.value - first.value);
    points.push(p);
    opts.onPoint?.(n + 2, total);
  }
  return points;
}

const WITHOUT = "without offer_min:";

/**
 * Whether the minimum a point of offerMinimumCosts drops binds in the base plan (the first point);
 * null for the base point and points of other analyses. Read from the stored points alone, so a
 * printed or served analysis can say that a minimum costs 0 because it does not bind.
 */
export function minimumBinds(points: readonly AnalysisPoint[], p: AnalysisPoint): boolean | null {
  if (!p.label.startsWith(WITHOUT) || points.length === 0) return null;
  const name = p.label.slice("without ".length);
  const row = points[0]!.constraintReport.find((c) => c.name === name);
  return row ? row.binding : null;
}
