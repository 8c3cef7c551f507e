// The entry point: optimize(instance, constraints, options) → PlanResult.
//
//   GREEDY      the paper's ad-hoc plan (baseline.ts) as the plan.
//   CLUSTER_LP  the paper's method: cluster customers (cluster.ts), solve the LP over cluster ×
//               offer × channel proportions (cluster-lp.ts), disaggregate to individuals
//               (disaggregate.ts) and repair (repair.ts); then, as the notes prescribe, re-price
//               the coupling rows at individual level with a few Lagrangian passes seeded from
//               the cluster LP's duals, and polish at those prices (polish.ts). Proportions and
//               clusters are the cluster LP's; the report's duals are the individual-level prices
//               the plan was built at, and the cluster LP's own duals stay beside them.
//   EXACT       Lagrangian decomposition (exact.ts) with a certified upper bound and gap.
// Every method's plan is checked against evaluate.ts before it is returned; the baseline's KPIs
// are always reported for comparison.

import { buildCoupling, validateInput, type Coupling } from "./coupling";
import {
  compilePolicies,
  expandSelection,
  validatePolicies,
  type CompiledPolicies,
} from "./policies";
import { inputValues, policyConflicts, withPolicyDuals } from "./policy-prices";
import { clusterCustomers, featureNames as featureNamesOf } from "./cluster";
import {
  aggregate,
  solveClusterLp,
  splitBySlot,
  type ClusterAggregates,
  type ClusterLpResult,
} from "./cluster-lp";
import { baselinePlan } from "./baseline";
import { diagnose, OptimizeError } from "./diagnose";
import { disaggregate } from "./disaggregate";
import { computeKpis, evaluatePlan, objectiveOf } from "./evaluate";
import {
  fullPassBudget,
  maxOptionRoi,
  minimumPlanCost,
  planAtPrices,
  searchPrices,
  solveExact,
  type PriceSearchResult,
} from "./exact";
import type { Instance, PlanConstraints } from "./instance";
import { PassScratch, priceTable, type BlockRunner, type ObjectiveWeights } from "./lagrangian";
import { PassPool } from "./pass-pool";
import { threadsOf } from "./threads";
import { createSolver } from "./lp/index";
import type { LpModel, LpSolver } from "./lp/types";
import { PlanState } from "./plan-state";
import { polish } from "./polish";
import { repair } from "./repair";
import { defaultScopeSize, marginalScope } from "./scope";
import { stopCheck, type StopCheck } from "./stop";
import type {
  ClusterSummary,
  ConstraintReportRow,
  Kpis,
  OptimizeOptions,
  PlanResult,
  ProportionRow,
  EffectiveSettings,
  Reuse,
} from "./types";

export { OptimizeError } from "./diagnose";
export { OptimizeStoppedError } from "./stop";

class Clock {
  readonly timings: Record<string, number> = {};
  private last = performance.now();
  private readonly first = this.last;
  lap(phase: string): void {
    const now = performance.now();
    this.timings[phase] = (this.timings[phase] ?? 0) + (now - this.last) / 1000;
    this.last = now;
  }
  total(): void {
    this.timings.total = (performance.now() - this.first) / 1000;
  }
}

interface Core {
  /** the instance the methods work on: the input without the options the policies forbid */
  inst: Instance;
  input: Instance;
  compiled: CompiledPolicies;
  cons: PlanConstraints;
  cp: Coupling;
  solver: LpSolver;
  seed: number;
  clock: Clock;
  progress: (phase: string, fraction: number) => void;
  options: OptimizeOptions;
  baseline: Kpis | null;
  stop: StopCheck;
  /** worker threads for the full passes; null = this thread only */
  runner: BlockRunner | null;
}

type MethodOutcome = Omit<
  PlanResult,
  | "kpis"
  | "constraintReport"
  | "value"
  | "baseline"
  | "timings"
  | "method"
  | "objective"
  | "effective"
> & {
  duals: Map<string, number> | undefined;
  /** CLUSTER_LP: the cluster LP's own duals by row name */
  clusterLpDuals?: Map<string, number>;
  effective: Omit<EffectiveSettings, "threads" | "warmStart">;
  /** the prices the duals come from (≤-form), for the per-customer policies' duals */
  prices?: { lambda: Float64Array; weights: ObjectiveWeights };
};

export async function optimize(
  inst: Instance,
  cons: PlanConstraints,
  options: OptimizeOptions,
): Promise<PlanResult> {
  const threads = threadsOf(options);
  const stop = stopCheck(options.shouldStop);
  stop.poll();
  validateInput(inst, cons);
  validatePolicies(inst, cons);
  stop.poll();
  const clock = new Clock();
  const compiled = compilePolicies(inst, cons, stop);
  stop.poll();
  const cp = buildCoupling(compiled.inst, cons, compiled, stop);
  stop.poll();
  // GREEDY runs no pass; one thread runs them here, with no worker at all
  const pool =
    threads > 1 && options.method !== "GREEDY" ? new PassPool(compiled.inst, cp, threads) : null;
  try {
    return await optimizeWith(inst, cons, options, { compiled, cp, clock, stop, pool });
  } finally {
    await pool?.close();
  }
}

/** What optimize prepares before a method runs. */
interface Prepared {
  compiled: CompiledPolicies;
  cp: Coupling;
  clock: Clock;
  stop: StopCheck;
  pool: PassPool | null;
}

async function optimizeWith(
  inst: Instance,
  cons: PlanConstraints,
  options: OptimizeOptions,
  prepared: Prepared,
): Promise<PlanResult> {
  const { compiled, cp, clock, stop, pool } = prepared;
  const core: Core = {
    inst: compiled.inst,
    input: inst,
    compiled,
    cons,
    cp,
    solver: options.solver ?? createSolver("highs"),
    seed: options.seed ?? 1,
    clock,
    progress: options.onProgress ?? (() => undefined),
    options,
    baseline: null,
    stop,
    runner: pool,
  };
  clock.lap("prepare");
  // The ad-hoc plan is GREEDY's plan and every other plan's yardstick; series of runs that
  // never report it (analyses) skip it.
  const base =
    options.method === "GREEDY" || options.baseline !== false
      ? baselinePlan(core.inst, core.cp, cons.offerMin, stop, pool)
      : null;
  if (base) {
    core.progress("baseline", 0);
    core.baseline = base.feasible ? computeKpis(core.inst, cons, base.selected, stop) : null;
    clock.lap("baseline");
  }

  let partial: MethodOutcome;
  switch (options.method) {
    case "GREEDY":
      if (!base!.feasible) await failWithDiagnosis(core);
      partial = {
        selected: base!.selected,
        duals: undefined,
        effective: { clusters: null, dualPasses: null, solver: null },
      };
      break;
    case "EXACT":
      partial = await runExact(core);
      break;
    case "CLUSTER_LP":
      partial = await runClusterLp(core);
      break;
  }
  return finishPlan(core, partial, pool);
}

/** A method's plan over the input's options, checked and evaluated, with its duals (those of the
 * per-customer policies added), the cluster LP's duals beside them and the gap to its bound. */
function finishPlan(core: Core, partial: MethodOutcome, pool: PassPool | null): PlanResult {
  const { input: inst, cons, compiled, clock, options, stop } = core;
  core.progress("evaluate", 0.97);
  stop.poll();
  const selected = expandSelection(compiled, inst.optOffer.length, partial.selected);
  stop.poll();
  let duals = partial.duals;
  if (duals && (cons.policies?.length ?? 0) > 0) {
    const values = partial.prices
      ? inputValues(inst, core.cp, compiled, partial.prices.lambda, partial.prices.weights)
      : null;
    stop.poll();
    duals = withPolicyDuals(inst, cons, selected, duals, values);
    stop.poll();
  }
  const evaluated = evaluatePlan(inst, cons, selected, duals, stop);
  if (partial.clusterLpDuals) {
    for (const row of evaluated.constraintReport) {
      if (!row.reportOnly) row.clusterLpDual = partial.clusterLpDuals.get(row.name) ?? null;
    }
  }
  const bad = evaluated.violations;
  if (bad.length > 0) {
    // repair guarantees feasibility; reaching this is a bug, never a plan to hand out
    throw new Error(`internal error: plan violates ${bad.map((v) => v.name).join(", ")}`);
  }
  const kpis = evaluated.kpis;
  const report: ConstraintReportRow[] = evaluated.constraintReport;
  const value = objectiveOf(kpis, cons.objective);
  const { duals: _duals, prices: _prices, clusterLpDuals: _lpDuals, ...rest } = partial;
  void _duals;
  void _prices;
  void _lpDuals;
  const result: PlanResult = {
    ...rest,
    effective: {
      ...partial.effective,
      threads: pool?.threads ?? 1,
      warmStart: options.reuse !== undefined,
    },
    selected,
    method: options.method,
    objective: cons.objective,
    value,
    kpis,
    constraintReport: report,
    baseline: core.baseline,
    timings: clock.timings,
  };
  if (result.upperBound !== undefined) {
    const ub = Math.max(result.upperBound, value);
    result.upperBound = ub;
    result.gap = ub === value ? 0 : (ub - value) / Math.max(Math.abs(ub), 1e-12);
  }
  clock.lap("evaluate");
  clock.total();
  core.progress("done", 1);
  return result;
}

/** Prices by name (report convention) → ≤-form multipliers, as a warm start. */
function startPrices(
  cp: Coupling,
  rows: ConstraintReportRow[] | undefined,
): Float64Array | undefined {
  if (!rows) return undefined;
  const byName = new Map(rows.map((r) => [`${r.kind}|${r.name}`, r.dual]));
  const lambda = new Float64Array(cp.m);
  let any = false;
  cp.rows.forEach((row, j) => {
    const d = byName.get(`${row.kind}|${row.name}`);
    if (d === null || d === undefined) return;
    lambda[j] = Math.max(0, cp.sign[j] * d);
    any = true;
  });
  return any ? lambda : undefined;
}

/** ≤-form multipliers → report duals (d objective / d rhs), divided by the cost for ROMI. */
function dualsByName(cp: Coupling, lambda: Float64Array, scale: number): Map<string, number> {
  const out = new Map<string, number>();
  cp.rows.forEach((row, j) => out.set(row.name, (cp.sign[j] * lambda[j]) / scale + 0));
  return out;
}

async function failWithDiagnosis(core: Core, model?: LpModel): Promise<never> {
  const d = await diagnose(core.inst, core.cp, core.cons, core.solver, model, core.seed);
  // name the contact policies that took away what the failing bounds need
  const named = policyConflicts(core.input, core.cons, core.compiled);
  if (named.length > 0) {
    d.messages.unshift(...named);
    d.message = `no feasible plan: ${d.messages.join("; ")}`;
  }
  throw new OptimizeError(d.relaxationFeasible ? "NO_PLAN_FOUND" : "INFEASIBLE", d);
}

async function runExact(core: Core): Promise<MethodOutcome> {
  const { inst, cons, cp, clock } = core;
  core.progress("dual", 0.05);
  const start =
    cons.objective === "EXPECTED_RETURN"
      ? startPrices(cp, core.options.reuse?.constraintReport)
      : undefined;
  const res = solveExact(inst, cp, cons, {
    stop: core.stop,
    seed: core.seed,
    start,
    fullPasses: core.options.dualPasses,
    runner: core.runner,
    onProgress: (f) => core.progress("exact", 0.05 + 0.9 * f),
  });
  clock.lap("exact");
  if (!res.feasible) return failWithDiagnosis(core);
  let scale = 1;
  if (cons.objective === "ROMI") {
    const k = computeKpis(inst, cons, res.selected, core.stop);
    scale = k.cost > 0 ? k.cost : 1;
  }
  return {
    selected: res.selected,
    duals: dualsByName(cp, res.lambda, scale),
    prices: {
      lambda: res.lambda,
      weights: res.q === undefined ? { wr: 1, wc: 0 } : { wr: 1, wc: -(1 + res.q) },
    },
    upperBound: res.upperBound,
    effective: { clusters: null, dualPasses: res.passes, solver: null },
  };
}

/** How the cluster-LP method clusters, re-prices at individual level and refines its plan. */
const CLUSTER_LP_TUNING = {
  /** clusters when the options name none: the LP stays a fraction of a second in the solver
   * (0.4 s at 100, 18.5 s at 2,000; docs/performance.md) */
  clusters: 100,
  /** a fresh run's re-pricing, seeded from the cluster LP's duals: full passes over every
   * customer (raised on small instances, exact.ts), after passes over a small and a large sample */
  fresh: { fullPasses: 8, samplePasses: 40, largeSamplePasses: 12 },
  /** a what-if on reused clusters is a neighbour of a solved run: half the passes keep it within
   * 0.01 % of its bound at 2.5M (docs/performance.md) and bring it under the 15 s target */
  whatIf: { fullPasses: 4, samplePasses: 20, largeSamplePasses: 6 },
  /** polishing the cluster plan itself only moves the few customers in scope (measured: 72 % →
   * 87 % of the bound at 100k, against 99.8 % for the priced plan), so it is only worth its pass
   * on instances up to this size, where it sometimes wins */
  polishClusterPlanUpTo: 200000,
  /** polish rounds on the cluster plan: fewer than polish's default, as it is only a candidate
   * beside the priced plan */
  polishRounds: 2,
  /** ROMI: further Dinkelbach steps from the kept plan's ratio; each is warm-started, so a few
   * suffice and the loop stops early once a step no longer raises the ratio */
  dinkelbachSteps: 3,
  /** a Dinkelbach step's full passes: half the run's, at least this many */
  dinkelbachMinFullPasses: 3,
  /** a Dinkelbach step's sample passes: the what-if's, as each step starts from solved prices */
  dinkelbachSamplePasses: 20,
  dinkelbachLargeSamplePasses: 6,
  /** relative gain a Dinkelbach step's ratio must show to be kept, above rounding noise */
  dinkelbachGain: 1e-9,
};

/** Step 1's outcome: the clusters (fresh or the earlier run's) and their aggregates. */
interface Clustering {
  membership: Int32Array;
  agg: ClusterAggregates;
  summariesFrom: (g: number) => { segment: string | null; centroid: number[] };
  names: string[];
  /** the clusters are an earlier run's: this run is a what-if */
  reused: boolean;
}

/** Step 4's outcome: the individual-level prices and what they were searched with. */
interface Repriced {
  wr: ObjectiveWeights;
  prices: PriceSearchResult;
  fullPasses: number;
  scratch: PassScratch;
}

async function runClusterLp(core: Core): Promise<MethodOutcome> {
  const { cons, cp, clock, stop } = core;

  // 1. clusters (or the earlier run's)
  const clustering = clusterPhase(core);
  const { agg } = clustering;

  // 2. the cluster LP
  core.progress("cluster_lp", 0.2);
  stop.poll();
  const lpRes = await solveClusterLp(agg, cp, cons.objective, core.solver, stop);
  stop.poll();
  clock.lap("cluster_lp");
  if (lpRes.status !== "optimal") return failWithDiagnosis(core, lpRes.lp.model);

  // 3. disaggregate and repair at the LP's prices
  const clusterPlan = clusterPlanOf(core, clustering, lpRes);
  if (!clusterPlan) return failWithDiagnosis(core, lpRes.lp.model);

  // 4. re-price at individual level, seeded from the LP duals
  const repriced = reprice(core, clusterPlan, lpRes, clustering.reused);

  // 5. polish the cluster plan at those prices; also build the plan the prices point to, keep the better
  core.progress("polish", 0.75);
  const clusterPlanValue = scoreOf(cons, clusterPlan);
  const kept = keepBetter(core, clusterPlan, repriced);
  clock.lap("polish");

  // ROMI duals are d ROMI / d bound: the prices of R − (1+q)·C divided by the plan's cost
  const { final, finalPrices } = kept;
  const scale = cons.objective === "ROMI" && final.totalC > 0 ? final.totalC : 1;
  return {
    selected: final.selected,
    duals: dualsByName(cp, finalPrices.lambda, scale),
    clusterLpDuals: new Map(cp.rows.map((row, j) => [row.name, lpRes.dual[j] + 0])),
    prices: finalPrices,
    upperBound: kept.upperBound,
    effective: { clusters: agg.k, dualPasses: repriced.fullPasses, solver: core.solver.name },
    clusters: summaries(core.inst, cp, agg, clustering.summariesFrom),
    featureNames: clustering.names,
    membership: clustering.membership,
    proportions: proportions(
      core.inst,
      agg,
      lpRes.lp.colCluster,
      lpRes.lp.colOffer,
      lpRes.lp.colChannel,
      lpRes.y,
    ),
    clusterLpValue: lpRes.value,
    clusterPlanValue,
  };
}

/** Step 1: cluster the customers, or take the earlier run's clusters (split where they span
 * segments, so segment rules stay exact), and aggregate them for the LP. */
function clusterPhase(core: Core): Clustering {
  const { inst, cons, cp, clock, options, stop } = core;
  const withinSegments = inst.segments.length > 1 || cons.segmentRules.length > 0;
  core.progress("cluster", 0.02);
  const reuse = usableReuse(inst, options.reuse);
  let membership: Int32Array;
  let k: number;
  let summariesFrom: (g: number) => { segment: string | null; centroid: number[] };
  let names: string[];
  if (reuse) {
    membership = reuse.membership;
    k = reuse.k;
    const old = reuse.clusters;
    names = options.reuse?.featureNames ?? featureNamesOf(inst);
    summariesFrom = (g) => ({
      segment: old?.[g]?.segment ?? null,
      centroid: old?.[g]?.centroid ?? [],
    });
  } else {
    const cl = clusterCustomers(inst, {
      k: options.clusters ?? CLUSTER_LP_TUNING.clusters,
      seed: core.seed,
      sampleSize: options.clusterSample,
      withinSegments,
      extra: customFeatures(inst, cp, stop),
      stop,
    });
    membership = cl.membership;
    k = cl.k;
    names = cl.featureNames;
    summariesFrom = (g) => ({
      segment: cl.segmentOfCluster[g] >= 0 ? inst.segments[cl.segmentOfCluster[g]] : null,
      centroid: Array.from(cl.centroids.subarray(g * cl.d, (g + 1) * cl.d)),
    });
  }
  let agg = aggregate(inst, cp, membership, k, stop);
  if (withinSegments && agg.slot.some((s) => s < 0)) {
    // reused clusters that span segments: split them so segment rules stay exact
    const split = splitBySlot(inst, cp, membership, k);
    const parentSummary = summariesFrom;
    summariesFrom = (g) => parentSummary(split.parent[g]);
    membership = split.membership;
    k = split.k;
    agg = aggregate(inst, cp, membership, k, stop);
  }
  clock.lap("cluster");
  return { membership, agg, summariesFrom, names, reused: reuse !== null };
}

/** Step 3: the LP's proportions turned into individual choices and repaired at the LP's prices
 * (from an empty plan if that fails); null when neither repair finds a feasible plan. */
function clusterPlanOf(
  core: Core,
  clustering: Clustering,
  lpRes: ClusterLpResult,
): PlanState | null {
  const { inst, cp, clock, options, stop } = core;
  core.progress("disaggregate", 0.35);
  const w: ObjectiveWeights = lpRes.weights;
  const lpPrices = priceTable(cp, lpRes.lambda, w);
  const sel = disaggregate({
    inst,
    cp,
    membership: clustering.membership,
    k: clustering.agg.k,
    lp: lpRes,
    prices: lpPrices,
    method: options.disaggregation ?? "GREEDY",
    seed: core.seed,
    stop,
  });
  clock.lap("disaggregate");
  core.progress("repair", 0.45);
  let clusterPlan = new PlanState(inst, cp, sel);
  stop.poll();
  if (!repair(clusterPlan, { weights: w, lambda: lpRes.lambda, stop }).feasible) {
    clusterPlan = new PlanState(inst, cp);
    if (!repair(clusterPlan, { weights: w, lambda: lpRes.lambda, stop }).feasible) return null;
  }
  clock.lap("repair");
  return clusterPlan;
}

/**
 * Step 4: re-price at individual level, seeded from the LP duals. For ROMI the parametric
 * objective is taken at the cluster plan's own ratio (Dinkelbach's step): there the plan scores 0
 * and any move that scores above 0 raises the ratio, whereas at the LP's optimal ratio the empty
 * plan would tie with the best one.
 */
function reprice(
  core: Core,
  clusterPlan: PlanState,
  lpRes: ClusterLpResult,
  whatIf: boolean,
): Repriced {
  const { inst, cons, cp, clock, options, stop } = core;
  core.progress("reprice", 0.55);
  const scratch = new PassScratch(inst);
  scratch.runner = core.runner;
  const wr: ObjectiveWeights =
    cons.objective === "ROMI" && clusterPlan.totalC > 0
      ? { wr: 1, wc: -clusterPlan.totalR / clusterPlan.totalC }
      : lpRes.weights;
  const passes = whatIf ? CLUSTER_LP_TUNING.whatIf : CLUSTER_LP_TUNING.fresh;
  const fullPasses = options.dualPasses ?? fullPassBudget(inst.numCustomers, passes.fullPasses);
  const prices = searchPrices(inst, cp, wr, {
    start: lpRes.lambda,
    warm: true,
    fullPasses,
    samplePasses: passes.samplePasses,
    largeSamplePasses: passes.largeSamplePasses,
    seed: core.seed,
    scratch,
    stop,
  });
  clock.lap("reprice");
  return { wr, prices, fullPasses, scratch };
}

/** A plan, the prices it was built (or polished) at, and the bound on the best plan's value. */
interface Kept {
  final: PlanState;
  finalPrices: { lambda: Float64Array; weights: ObjectiveWeights };
  upperBound: number;
}

/** Step 5: polish the cluster plan (small instances only), build the plan the prices point to,
 * keep the better; for ROMI, a few more Dinkelbach steps from the kept plan. */
function keepBetter(core: Core, clusterPlan: PlanState, repriced: Repriced): Kept {
  const { inst, cons, cp, stop } = core;
  const { wr, prices, scratch } = repriced;
  const polished = clusterPlan;
  if (inst.numCustomers <= CLUSTER_LP_TUNING.polishClusterPlanUpTo) {
    const scope = marginalScope(
      inst,
      cp,
      priceTable(cp, prices.lambda, wr),
      clusterPlan.selected,
      defaultScopeSize(inst.numCustomers),
      stop,
    );
    polish(polished, {
      weights: wr,
      lambda: prices.lambda,
      scope,
      maxRounds: CLUSTER_LP_TUNING.polishRounds,
      stop,
    });
  }
  const priced = planAtPrices(inst, cp, wr, prices.lambda, undefined, scratch, stop);
  const final =
    priced.feasible && scoreOf(cons, priced.state) > scoreOf(cons, polished)
      ? priced.state
      : polished;
  // the prices the kept plan was built (or polished) at: its duals; the bound is the best
  // Lagrangian value over all customers (expected return), or the ROMI bound
  const kept: Kept = {
    final,
    finalPrices: { lambda: prices.lambda, weights: wr },
    upperBound: prices.value,
  };
  return cons.objective === "ROMI" ? refineRomi(core, kept, repriced) : kept;
}

/** ROMI: the ratio bound, and a few more Dinkelbach steps from the kept plan's ratio,
 * warm-started; each step's plan is kept while it raises the ratio. */
function refineRomi(core: Core, start: Kept, repriced: Repriced): Kept {
  const { inst, cons, cp, options, stop } = core;
  const { wr, prices, scratch } = repriced;
  let { final, finalPrices } = start;
  const cmin = minimumPlanCost(inst, cons, stop);
  const romiBound = (q: number, u: number) => (cmin > 0 ? q + Math.max(0, u) / cmin : Infinity);
  let upperBound = Math.min(maxOptionRoi(inst), romiBound(-wr.wc - 1, prices.value));
  let lambda = prices.lambda;
  for (let it = 0; it < CLUSTER_LP_TUNING.dinkelbachSteps; it++) {
    const q = scoreOf(cons, final);
    if (!Number.isFinite(q)) break;
    const wq: ObjectiveWeights = { wr: 1, wc: -(1 + q) };
    const res = searchPrices(inst, cp, wq, {
      start: lambda,
      warm: true,
      fullPasses: Math.max(
        CLUSTER_LP_TUNING.dinkelbachMinFullPasses,
        (options.dualPasses ?? CLUSTER_LP_TUNING.fresh.fullPasses) >> 1,
      ),
      samplePasses: CLUSTER_LP_TUNING.dinkelbachSamplePasses,
      largeSamplePasses: CLUSTER_LP_TUNING.dinkelbachLargeSamplePasses,
      seed: core.seed + it + 1,
      scratch,
      stop,
    });
    lambda = res.lambda;
    upperBound = Math.min(upperBound, romiBound(q, res.value));
    const next = planAtPrices(inst, cp, wq, lambda, undefined, scratch, stop);
    if (
      !next.feasible ||
      !(scoreOf(cons, next.state) > q + CLUSTER_LP_TUNING.dinkelbachGain * (1 + Math.abs(q)))
    )
      break;
    final = next.state;
    finalPrices = { lambda, weights: wq };
  }
  return { final, finalPrices, upperBound };
}

/** Per customer, the mean coefficient of its options on each custom-capacity row. */
function customFeatures(
  inst: Instance,
  cp: Coupling,
  stop: StopCheck,
): { name: string; values: Float64Array }[] {
  return Array.from(cp.extraRow, (j, t) => {
    const coef = cp.extraCoef[t];
    const values = new Float64Array(inst.numCustomers);
    for (let i = 0; i < inst.numCustomers; i++) {
      stop.every(i);
      let sum = 0;
      let nz = 0;
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        if (coef[p] !== 0) {
          sum += coef[p];
          nz++;
        }
      }
      values[i] = nz > 0 ? sum / nz : 0;
    }
    return { name: `custom:${cp.rows[j].name}`, values };
  });
}

function scoreOf(cons: PlanConstraints, s: PlanState): number {
  if (cons.objective === "EXPECTED_RETURN") return s.totalR;
  return s.totalC > 0 ? (s.totalR - s.totalC) / s.totalC : -Infinity;
}

function usableReuse(
  inst: Instance,
  reuse: Reuse | undefined,
): { membership: Int32Array; k: number; clusters?: ClusterSummary[] } | null {
  const mem = reuse?.membership;
  if (!mem || mem.length !== inst.numCustomers) return null;
  let k = 0;
  for (let i = 0; i < mem.length; i++) {
    const g = mem[i];
    const has = inst.custStart[i + 1] > inst.custStart[i];
    if (has && g < 0) return null; // a customer the old clustering did not cover
    if (g >= k) k = g + 1;
  }
  // customers without options never belong to a cluster
  const membership = Int32Array.from(mem, (g, i) =>
    inst.custStart[i + 1] > inst.custStart[i] ? g : -1,
  );
  return { membership, k, clusters: reuse?.clusters };
}

function summaries(
  inst: Instance,
  cp: Coupling,
  agg: ClusterAggregates,
  from: (g: number) => { segment: string | null; centroid: number[] },
): ClusterSummary[] {
  const OK = cp.numOffers * cp.numChannels;
  const out: ClusterSummary[] = [];
  for (let g = 0; g < agg.k; g++) {
    let e = 0;
    let r = 0;
    let c = 0;
    for (let t = 0; t < OK; t++) {
      e += agg.eligible[g * OK + t];
      r += agg.sumR[g * OK + t];
      c += agg.sumC[g * OK + t];
    }
    const info = from(g);
    const slot = agg.slot[g];
    const segment = info.segment ?? (slot > 0 ? inst.segments[cp.segmentOfSlot[slot]] : null);
    out.push({
      index: g,
      segment,
      size: agg.size[g],
      meanReturn: e > 0 ? r / e : 0,
      meanCost: e > 0 ? c / e : 0,
      centroid: info.centroid,
    });
  }
  return out;
}

function proportions(
  inst: Instance,
  agg: ClusterAggregates,
  colCluster: Int32Array,
  colOffer: Int32Array,
  colChannel: Int32Array,
  y: Float64Array,
): ProportionRow[] {
  const out: ProportionRow[] = [];
  for (let c = 0; c < y.length; c++) {
    if (!(y[c] > 1e-9)) continue;
    const g = colCluster[c];
    out.push({
      cluster: g,
      offer: inst.offerIds[colOffer[c]],
      channel: inst.channelIds[colChannel[c]],
      proportion: agg.size[g] > 0 ? y[c] / agg.size[g] : 0,
      customers: y[c],
    });
  }
  return out;
}
