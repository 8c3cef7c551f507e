// Minimises the Lagrangian L(λ) over λ ≥ 0: a cutting-plane (Kelley) method stabilised by a box
// trust region around the best point so far, with the cutting-plane model solved as a tiny LP
// (master-lp.ts). L is convex and piecewise linear; each pass gives a cut
//   L(λ) ≥ L(λ_i) + g_i·(λ − λ_i).
// Prices are searched in normalised units μ_j = λ_j / u_j (u_j = objective scale / typical row
// coefficient) so one box size suits a budget price in $/$ and a capacity price in $/contact.
//
// Every L(λ) evaluated is a valid upper bound on the primal optimum, so the best one found is the
// certified bound whatever the stopping point.

import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import {
  lagrangianPass,
  PassScratch,
  type ObjectiveWeights,
  type PassOptions,
  type PassResult,
} from "./lagrangian";
import { solveMaster } from "./master-lp";
import type { StopCheck } from "./stop";

export interface DualSearchOptions {
  start: Float64Array;
  maxPasses: number;
  /** initial half-width of the box in normalised units (default 1) */
  box?: number;
  /** stop when the model predicts less than relTol × objective scale of decrease */
  relTol?: number;
  customers?: Int32Array;
  rhsScale?: number;
  scratch?: PassScratch;
  onPass?: (pass: number, value: number) => void;
  stop?: StopCheck;
}

export interface DualSearchResult {
  lambda: Float64Array;
  value: number;
  best: PassResult;
  passes: number;
  /** the cutting-plane model's minimum over the last box (a lower estimate of min L) */
  modelValue: number;
  converged: boolean;
}

interface Cut {
  lambda: Float64Array;
  value: number;
  g: Float64Array;
}

export function priceUnits(cp: Coupling, w: ObjectiveWeights): Float64Array {
  const scale = cp.valueScale * Math.max(Math.abs(w.wr), 1e-12);
  const u = new Float64Array(cp.m);
  for (let j = 0; j < cp.m; j++) u[j] = scale / cp.unit[j];
  return u;
}

export function minimiseDual(
  inst: Instance,
  cp: Coupling,
  w: ObjectiveWeights,
  opts: DualSearchOptions,
): DualSearchResult {
  const m = cp.m;
  const scratch = opts.scratch ?? new PassScratch(inst);
  const passOpts: PassOptions = {
    customers: opts.customers,
    rhsScale: opts.rhsScale,
    stop: opts.stop,
  };
  const u = priceUnits(cp, w);
  const evaluate = (lambda: Float64Array) => lagrangianPass(inst, cp, lambda, w, passOpts, scratch);

  let center: Float64Array = Float64Array.from(opts.start, (x) => Math.max(0, x));
  let best = evaluate(center);
  let passes = 1;
  opts.onPass?.(passes, best.value);
  if (m === 0) {
    return {
      lambda: center,
      value: best.value,
      best,
      passes,
      modelValue: best.value,
      converged: true,
    };
  }
  const cuts: Cut[] = [{ lambda: center, value: best.value, g: best.subgradient }];
  const scaleL = Math.max(Math.abs(best.value), cp.valueScale);
  const tol = (opts.relTol ?? 1e-7) * scaleL;
  const maxCuts = Math.max(40, 3 * m);
  let box = opts.box ?? 1;
  let modelValue = -Infinity;
  let converged = false;

  while (passes < opts.maxPasses) {
    opts.stop?.poll();
    const sol = masterStep(cuts, center, box, u);
    opts.stop?.poll();
    modelValue = sol.t;
    const predicted = best.value - sol.t;
    if (predicted <= tol) {
      converged = true;
      break;
    }
    const res = evaluate(sol.lambda);
    passes++;
    opts.onPass?.(passes, res.value);
    cuts.push({ lambda: sol.lambda, value: res.value, g: res.subgradient });
    if (cuts.length > maxCuts) dropOldestInactive(cuts, center);
    if (res.value <= best.value - 0.1 * predicted) {
      // serious step: move the centre; a step that hit the box edge suggests a larger box
      if (sol.boxActive) box = Math.min(box * 2, 1e6);
      center = sol.lambda;
      best = res;
    } else if (res.value > best.value) {
      box = Math.max(box * 0.5, 1e-9);
    }
  }
  return { lambda: center, value: best.value, best, passes, modelValue, converged };
}

function dropOldestInactive(cuts: Cut[], center: Float64Array): void {
  // keep the cut at the centre (it anchors the model) and drop the oldest other one
  for (let i = 0; i < cuts.length; i++) {
    if (cuts[i].lambda !== center) {
      cuts.splice(i, 1);
      return;
    }
  }
}

interface MasterSolution {
  lambda: Float64Array;
  t: number;
  boxActive: boolean;
}

function masterStep(
  cuts: Cut[],
  center: Float64Array,
  box: number,
  u: Float64Array,
): MasterSolution {
  const m = center.length;
  const n = cuts.length;
  // in μ = λ/u: cut i is a_i + G_i·μ with G_ij = g_ij·u_j, a_i = L_i − g_i·λ_i
  const a = new Float64Array(n);
  const G = new Float64Array(n * m);
  cuts.forEach((cut, i) => {
    let ai = cut.value;
    for (let j = 0; j < m; j++) {
      ai -= cut.g[j] * cut.lambda[j];
      G[i * m + j] = cut.g[j] * u[j];
    }
    a[i] = ai;
  });
  const lo = new Float64Array(m);
  const up = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const mu = center[j] / u[j];
    lo[j] = Math.max(0, mu - box);
    up[j] = mu + box;
  }
  const res = solveMaster(a, G, lo, up);
  const lambda = new Float64Array(m);
  let boxActive = false;
  const edge = 1e-9 * (1 + box);
  for (let j = 0; j < m; j++) {
    lambda[j] = res.mu[j] * u[j];
    if (res.mu[j] >= up[j] - edge || (lo[j] > 0 && res.mu[j] <= lo[j] + edge)) boxActive = true;
  }
  return { lambda, t: res.t, boxActive };
}
