// Exact mode: Lagrangian dual decomposition over the coupling rows.
//
// 1. Prices: minimise L(λ) (dual-search.ts), first on a seeded sample of customers with every
//    bound scaled to the sample (cheap passes, prices within sampling noise of the optimum), then
//    on all customers from there with a small trust region. The lowest L found on all customers
//    is a certified upper bound on the optimum (and equals the LP relaxation at convergence).
// 2. Plan: every customer's best options at those prices, x(λ), which is optimal for slightly
//    perturbed bounds; repair (repair.ts) moves it onto the true bounds by the cheapest moves at
//    the same prices, and polish (polish.ts) spends any slack and trades contacts across customers.
//
// ROMI = (R − C)/C is handled by Dinkelbach's parametric method: maximise R − (1+q)·C (a linear
// objective with the same machinery), set q to the plan's ROMI, repeat; q rises monotonically to
// the optimum. Starting from the expected-return plan gives a feasible first q. Bound: for any
// feasible plan with cost C ≥ Cmin, ROMI ≤ q + max(0, U(q)) / Cmin where U(q) is the Lagrangian
// bound on max R − (1+q)·C; Cmin is a lower bound on any feasible plan's cost (the cheapest way to
// meet the offer minimums, at least the cheapest option). ROMI is also never above the best single
// option's ROI. The smallest of these is reported.

import type { Coupling } from "./coupling";
import { minimiseDual, type DualSearchResult } from "./dual-search";
import type { Instance, PlanConstraints } from "./instance";
import {
  EXPECTED_RETURN,
  lagrangianPass,
  PassScratch,
  priceTable,
  type BlockRunner,
  type ObjectiveWeights,
} from "./lagrangian";
import { PlanState } from "./plan-state";
import { polish } from "./polish";
import { repair } from "./repair";
import { Rng, sampleIndexes } from "./rng";
import { subInstance } from "./sample";
import { defaultScopeSize, marginalScope, smallestMargins, tieMargin } from "./scope";
import { NEVER, type StopCheck } from "./stop";

export interface PriceSearchOptions {
  start: Float64Array;
  /** passes over all customers */
  fullPasses: number;
  /** passes over the small sample (skipped when the instance is small) */
  samplePasses?: number;
  /** passes over the large sample (only on large instances; default 25) */
  largeSamplePasses?: number;
  sampleSize?: number;
  seed: number;
  /** the start is already a good guess (e.g. re-pricing from cluster LP duals) */
  warm?: boolean;
  scratch?: PassScratch;
  onPass?: (pass: number, value: number) => void;
  stop?: StopCheck;
}

export interface PriceSearchResult extends DualSearchResult {
  samplePasses: number;
}

/**
 * Lagrangian prices for the objective w: a small seeded sample (cheap passes), on large instances
 * a second, larger sample, then all customers from there with a small trust region. Bounds are
 * scaled to each sample, so its optimal prices estimate the full problem's within sampling noise;
 * L near its minimum is flat to first order, so the full passes start within ~1e-4 of the bound.
 */
/** The staged price search's defaults: each stage starts the next one near its minimum, so the
 * expensive passes over every customer start within a small box. */
const PRICE_SEARCH = {
  /** the small sample: a pass over it is cheap; it runs only on instances over smallOnlyOver×
   * its size, below which the full passes cost little more */
  smallSample: 30000,
  smallOnlyOver: 3,
  /** passes on the small sample when the caller names none */
  samplePasses: 80,
  /** the large sample: an eighth of the customers, at least 4× the small one; it runs only on
   * instances over largeOnlyOver× its size, where sampling noise of the small one still matters */
  largeSampleShare: 8,
  largeOnlyOver: 4,
  largeSampleOverSmall: 4,
  largeSamplePasses: 25,
  /** initial trust box (in normalised price units): a warm start is already near, a cold one not */
  warmBox: 0.25,
  coldBox: 1,
  /** box after a sample stage, and for the full passes after the samples: the sample's prices
   * estimate the full problem's within sampling noise */
  sampleBox: 0.05,
  fullBox: 0.01,
  /** relative tolerance at which a stage stops: looser on samples, whose noise exceeds it anyway */
  sampleRelTol: 1e-6,
  fullRelTol: 1e-7,
};

export function searchPrices(
  inst: Instance,
  cp: Coupling,
  w: ObjectiveWeights,
  opts: PriceSearchOptions,
): PriceSearchResult {
  const scratch = opts.scratch ?? new PassScratch(inst);
  const n = inst.numCustomers;
  const small = opts.sampleSize ?? PRICE_SEARCH.smallSample;
  const stages: Array<{ size: number; passes: number }> = [];
  if (n > PRICE_SEARCH.smallOnlyOver * small)
    stages.push({ size: small, passes: opts.samplePasses ?? PRICE_SEARCH.samplePasses });
  const large = Math.max(
    small * PRICE_SEARCH.largeSampleOverSmall,
    Math.round(n / PRICE_SEARCH.largeSampleShare),
  );
  if (n > PRICE_SEARCH.largeOnlyOver * large && large > small)
    stages.push({ size: large, passes: opts.largeSamplePasses ?? PRICE_SEARCH.largeSamplePasses });
  let start = opts.start;
  let samplePasses = 0;
  let box = opts.warm ? PRICE_SEARCH.warmBox : PRICE_SEARCH.coldBox;
  const rng = new Rng(opts.seed ^ 0x5eed);
  for (const stage of stages) {
    if (stage.passes <= 0) continue;
    opts.stop?.poll();
    const picked = sampleIndexes(n, stage.size, rng);
    opts.stop?.poll();
    const sample = subInstance(inst, cp, picked, opts.stop);
    const sampleScratch = new PassScratch(sample.inst);
    sampleScratch.runner = scratch.runner?.view(sample.inst, sample.cp) ?? null;
    const res = minimiseDual(sample.inst, sample.cp, w, {
      scratch: sampleScratch,
      start,
      maxPasses: stage.passes,
      box,
      relTol: PRICE_SEARCH.sampleRelTol,
      rhsScale: stage.size / n,
      stop: opts.stop,
    });
    start = res.lambda;
    samplePasses += res.passes;
    box = Math.min(box, PRICE_SEARCH.sampleBox);
  }
  const full = minimiseDual(inst, cp, w, {
    start,
    maxPasses: opts.fullPasses,
    box: stages.length > 0 ? PRICE_SEARCH.fullBox : box,
    relTol: PRICE_SEARCH.fullRelTol,
    scratch,
    onPass: opts.onPass,
    stop: opts.stop,
  });
  return { ...full, samplePasses };
}

/** full passes a small instance may spend: the search stops once converged (about 60 passes were
 * needed at 5k–50k, hard profile), so the cap only matters where it does not converge */
const CONVERGE_PASSES = 200;
/** customer visits the full passes may cost (≈ 0.5 s at 18 options per customer and 5 ns per
 * option): from 625k customers on, every method keeps its default pass count and its timing */
const PASS_WORK = 5_000_000;

/**
 * Full passes of a price search: the method's default, raised on smaller instances where a pass is
 * cheap, because plans built at unconverged prices lost up to 0.3 % there (prices off by a few
 * percent leave rows in the flat part of L over- or under-filled by tens of contacts).
 */
export function fullPassBudget(numCustomers: number, dflt: number): number {
  const affordable = Math.floor(PASS_WORK / Math.max(1, numCustomers));
  return Math.max(dflt, Math.min(CONVERGE_PASSES, affordable));
}

export interface PricedPlan {
  state: PlanState;
  feasible: boolean;
}

/**
 * A feasible plan at prices λ: the given start (or x(λ)), repaired, then polished, moving the
 * customers of smallest margin (scopeSize of them, and every tied one; scope.ts). Falls back to
 * repairing the empty plan when the start cannot be repaired.
 */
export function planAtPrices(
  inst: Instance,
  cp: Coupling,
  w: ObjectiveWeights,
  lambda: Float64Array,
  start?: Uint8Array,
  scratch?: PassScratch,
  stop: StopCheck = NEVER,
  scopeSize = defaultScopeSize(inst.numCustomers),
): PricedPlan {
  let sel: Uint8Array;
  let scope: Int32Array;
  const size = scopeSize;
  const tie = tieMargin(cp, w.wr);
  if (start) {
    sel = Uint8Array.from(start);
    scope = marginalScope(inst, cp, priceTable(cp, lambda, w), sel, size, stop, tie);
  } else {
    // x(λ) and every customer's margin in one pass
    sel = new Uint8Array(inst.optOffer.length);
    const mg = new Float64Array(inst.numCustomers);
    lagrangianPass(inst, cp, lambda, w, { selected: sel, margins: mg, stop }, scratch);
    scope = smallestMargins(inst, mg, size, stop, tie);
  }
  stop.poll();
  let state = new PlanState(inst, cp, sel);
  stop.poll();
  let ok = repair(state, { weights: w, lambda, scope, stop }).feasible;
  if (!ok) {
    state = new PlanState(inst, cp);
    ok = repair(state, { weights: w, lambda, stop }).feasible;
  }
  if (!ok) return { state, feasible: false };
  polish(state, { weights: w, lambda, scope, stop });
  return { state, feasible: true };
}

export interface ExactOptions {
  seed: number;
  start?: Float64Array;
  fullPasses?: number;
  onProgress?: (fraction: number) => void;
  stop?: StopCheck;
  /** worker threads for the full passes (pass-pool.ts); absent = this thread */
  runner?: BlockRunner | null;
}

export interface ExactOutcome {
  feasible: boolean;
  selected: Uint8Array;
  /** final prices (≤-form) of the objective actually optimised */
  lambda: Float64Array;
  /** certified upper bound on the objective (expected return, or ROMI) */
  upperBound: number;
  passes: number;
  /** ROMI only: the final Dinkelbach parameter and the plan's cost (to scale duals) */
  q?: number;
}

export function solveExact(
  inst: Instance,
  cp: Coupling,
  cons: PlanConstraints,
  opts: ExactOptions,
): ExactOutcome {
  const stop = opts.stop ?? NEVER;
  const scratch = new PassScratch(inst);
  scratch.runner = opts.runner ?? null;
  const fullPasses =
    opts.fullPasses ?? fullPassBudget(inst.numCustomers, inst.numCustomers > 100000 ? 20 : 40);
  const start = opts.start ?? new Float64Array(cp.m);
  const prices = searchPrices(inst, cp, EXPECTED_RETURN, {
    start,
    fullPasses,
    seed: opts.seed,
    warm: opts.start !== undefined,
    scratch,
    stop,
  });
  opts.onProgress?.(0.6);
  const plan = planAtPrices(inst, cp, EXPECTED_RETURN, prices.lambda, undefined, scratch, stop);
  opts.onProgress?.(1);
  let passes = prices.passes + prices.samplePasses;
  const erOutcome: ExactOutcome = {
    feasible: plan.feasible,
    selected: plan.state.selected,
    lambda: prices.lambda,
    upperBound: prices.value,
    passes,
  };
  if (cons.objective !== "ROMI" || !plan.feasible) return erOutcome;

  // Dinkelbach for ROMI, from the expected-return plan
  const cmin = minimumPlanCost(inst, cons, stop);
  const romiOf = (s: PlanState) => (s.totalC > 0 ? (s.totalR - s.totalC) / s.totalC : -Infinity);
  let bestState = plan.state;
  let q = romiOf(bestState);
  let lambda = prices.lambda;
  let bound = Math.min(maxOptionRoi(inst), boundFrom(-1, prices.value, cmin));
  let bestLambda = lambda;
  for (let it = 0; it < 8; it++) {
    const w = { wr: 1, wc: -(1 + q) };
    const res = searchPrices(inst, cp, w, {
      start: lambda,
      fullPasses: Math.max(10, fullPasses >> 1),
      seed: opts.seed + it + 1,
      warm: true,
      scratch,
      stop,
    });
    passes += res.passes + res.samplePasses;
    bound = Math.min(bound, boundFrom(q, res.value, cmin));
    lambda = res.lambda;
    const next = planAtPrices(inst, cp, w, lambda, undefined, scratch, stop);
    // polishing at the old q keeps improving the ratio; also try from the incumbent
    const fromBest = planAtPrices(inst, cp, w, lambda, bestState.selected, scratch, stop);
    const cand = [next, fromBest].filter((x) => x.feasible).map((x) => x.state);
    let improved = false;
    for (const s of cand) {
      const r = romiOf(s);
      if (r > q + 1e-9 * (1 + Math.abs(q))) {
        q = r;
        bestState = s;
        bestLambda = lambda;
        improved = true;
      }
    }
    opts.onProgress?.(Math.min(1, 0.6 + 0.05 * (it + 1)));
    if (!improved) break;
  }
  return {
    feasible: true,
    selected: bestState.selected,
    lambda: bestLambda,
    upperBound: Math.max(bound, q),
    passes,
    q,
  };
}

function boundFrom(q: number, u: number, cmin: number): number {
  if (!(cmin > 0)) return Infinity;
  return q + Math.max(0, u) / cmin;
}

/** The best single option's ROI: a ratio of sums never exceeds its largest term's ratio. */
export function maxOptionRoi(inst: Instance): number {
  let best = -Infinity;
  for (let p = 0; p < inst.optCost.length; p++) {
    const c = inst.optCost[p];
    if (c <= 0) {
      if (inst.optReturn[p] > 0) return Infinity;
      continue;
    }
    best = Math.max(best, (inst.optReturn[p] - c) / c);
  }
  return best;
}

/**
 * A lower bound on any non-empty feasible plan's cost: each offer minimum needs at least that many
 * contacts of the offer, each costing at least as much as the cheapest ones available.
 */
export function minimumPlanCost(
  inst: Instance,
  cons: PlanConstraints,
  stop: StopCheck = NEVER,
): number {
  let cheapest = Infinity;
  for (let p = 0; p < inst.optCost.length; p++) cheapest = Math.min(cheapest, inst.optCost[p]);
  let needed = 0;
  for (let o = 0; o < inst.offerIds.length; o++) {
    const min = Math.ceil(cons.offerMin[o] - 1e-9);
    if (min <= 0) continue;
    // cheapest option of offer o per customer (a customer takes the offer at most once)
    const all = new Float64Array(inst.numCustomers);
    let n = 0;
    for (let i = 0; i < inst.numCustomers; i++) {
      stop.every(i);
      let c = Infinity;
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        if (inst.optOffer[p] === o) c = Math.min(c, inst.optCost[p]);
      }
      if (c < Infinity) all[n++] = c;
    }
    const costs = all.subarray(0, n).sort();
    for (let t = 0; t < Math.min(min, n); t++) needed += costs[t];
  }
  return Math.max(needed, Number.isFinite(cheapest) ? cheapest : 0);
}
